"""Together AI's text to speech as its reference describes it, in the HTTP speech family's terms: `POST
/v1/audio/speech` in its two answer forms, picked by the body's `stream` — streamed (`true`, raw 16-bit PCM) as
Server-Sent Events with base64 audio at `/delta`, ended by `data: [DONE]`, and not (`false`) as the encoded audio
itself, an octet stream (wav, mp3); the bearer key; its serverless models with the voice the reference names for each.
"""

from __future__ import annotations

from harness.core.protocols.http_speech import (
    ErrorShape,
    Format,
    Model,
    Selector,
    Slots,
    SpeechRefusal,
    SpeechRefusals,
    SpeechService,
    Synthesis,
    Voice,
)
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import (
    AudioAt,
    AudioBody,
    Auth,
    BodyKind,
    DocDrift,
    Endpoint,
    EventStreamBody,
    JsonBody,
    Response,
    Role,
)
from harness.providers.together.models import OVERVIEW, REFERENCE, SDK, STREAMING, AudioDelta, ErrorBody, SpeechRequest
from harness.providers.together.sockets import SOCKETS, WEBSOCKET_GUIDE

HOST = "api"
RATE = 24000  # "The default sampling rate for canopylabs/orpheus-3b-0.1-ft and hexgrad/Kokoro-82M is 24000"
PCM = f"audio/pcm;rate={RATE}"

FORMATS = (Format(name="raw", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=PCM),)
# Not streamed: "Supported formats are mp3, wav, raw if streaming is false" (response_format, "default: wav"), the
# answer "the encoded audio as octet stream" (REFERENCE; the official client asks `Accept: application/octet-stream`).
# Declared: the two that name themselves in their bytes; `raw` is left out here (its default encoding pcm_f32le is not
# a form the answer names).
OCTETS = "application/octet-stream"
FILE_FORMATS = (
    Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type=OCTETS),
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type=OCTETS),
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


SPEECH = Endpoint(
    key="audio.speech",
    method="POST",
    path="/v1/audio/speech",
    host=HOST,
    role=Role.STREAM,
    summary="Generate audio from input text, streamed: base64 PCM deltas as Server-Sent Events",
    request=SpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(EventStreamBody(AudioDelta, audio=AudioAt("/delta", media_type=PCM)),),
            description="text/event-stream: conversation.item.audio_output.delta ... data: [DONE]",
        ),
        _error(400, "a request the reference forbids"),
        _error(401, "no valid bearer key"),
        _error(429, "rate limited"),
        _error(500, "a server fault"),
    ),
    example={
        "model": "canopylabs/orpheus-3b-0.1-ft",
        "input": "The quick brown fox jumps over the lazy dog",
        "voice": "tara",
        "stream": True,
        "response_format": "raw",
        "response_encoding": "pcm_s16le",
    },
    doc=REFERENCE,
)

SPEECH_SYNC = Endpoint(
    key="audio.speech.sync",
    method="POST",
    path="/v1/audio/speech",
    host=HOST,
    role=Role.AUDIO,
    summary="Generate audio from input text, not streamed: the encoded audio as an octet stream",
    request=SpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(AudioBody((OCTETS, "audio/wav", "audio/mpeg")),),
            description="If false, return the encoded audio as octet stream",
        ),
        _error(400, "a request the reference forbids"),
        _error(401, "no valid bearer key"),
        _error(429, "rate limited"),
        _error(500, "a server fault"),
    ),
    example={
        "model": "canopylabs/orpheus-3b-0.1-ft",
        "input": "Today is a wonderful day to build something people love!",
        "voice": "tara",
        "response_format": "mp3",
    },  # the overview's quickstart
    doc=REFERENCE,
)

# "for canopylabs/orpheus-3b-0.1-ft, one of the voices supported is tara, for hexgrad/Kokoro-82M, one of the voices
# supported is af_alloy" (REFERENCE). The voices listing (GET /v1/voices) is referred to, not described. Read again
# 2026-11-25: "hexgrad/Kokoro-82M additionally supports voice mixing, where two or more voices are combined into a
# single blended voice by joining their names with + (e.g. af_bella+af_heart)" (REFERENCE, and together 3.1.1's
# speech_create_params.py): af_bella and af_heart are Kokoro voices; af_heart is also Pipecat's default
# (pipecat-ai==1.14.0, TogetherTTSService: `model="hexgrad/Kokoro-82M", voice="af_heart"`, source: client).
KOKORO = ("hexgrad/Kokoro-82M",)
VOICE_LIST = (
    Voice("tara", "en-US", "female", models=("canopylabs/orpheus-3b-0.1-ft",)),
    Voice("af_alloy", "en-US", "female", models=KOKORO),
    Voice("af_heart", "en-US", "female", models=KOKORO),
    Voice("af_bella", "en-US", "female", models=KOKORO),
)

MODELS = (
    Model(
        name="canopylabs/orpheus-3b-0.1-ft", synthesis=SPEECH.key, voice="tara", description="Orpheus 3B (voice tara)"
    ),
    Model(name="hexgrad/Kokoro-82M", synthesis=SPEECH.key, voice="af_alloy", description="Kokoro 82M (voice af_alloy)"),
    # The same models answered as one file (`stream` false): their own offerings, the request naming the model.
    Model(
        name="canopylabs/orpheus-3b-0.1-ft-sync",
        synthesis=SPEECH_SYNC.key,
        voice="tara",
        sets={"/model": "canopylabs/orpheus-3b-0.1-ft"},
        description="Orpheus 3B, not streamed (tara)",
    ),
    Model(
        name="hexgrad/Kokoro-82M-sync",
        synthesis=SPEECH_SYNC.key,
        voice="af_alloy",
        sets={"/model": "hexgrad/Kokoro-82M"},
        description="Kokoro 82M, not streamed (voice af_alloy)",
    ),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "invalid_request_error", "{detail}"),
    missing_key=SpeechRefusal(401, "invalid_api_key", "No API key provided"),
    bad_key=SpeechRefusal(401, "invalid_api_key", "Invalid API key provided"),
    unknown_voice=SpeechRefusal(400, "invalid_request_error", "Voice not supported by this model: {detail}"),
    unknown_model=SpeechRefusal(404, "model_not_found", "Unable to access model {detail}"),
    rate_limited=SpeechRefusal(429, "rate_limit_exceeded", "Rate limit exceeded"),
    quota=SpeechRefusal(402, "credit_limit", "Credit limit exceeded"),
    server_error=SpeechRefusal(500, "server_error", "Internal server error"),
)

SERVICE = SpeechService(
    name="together",
    title="Together AI text to speech (SSE or the audio itself) and its WebSocket",
    hosts={HOST: "https://api.together.xyz"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="TOGETHER_API_KEY",
    docs=(REFERENCE, STREAMING, OVERVIEW, SDK, WEBSOCKET_GUIDE),
    error_model=ErrorBody,
    errors=ErrorShape({"error": {"message": "{message}", "type": "{code}", "code": "{code}"}}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SPEECH,
            slots=Slots(text="/input", voice="/voice", model="/model"),
            formats=FORMATS,
            default_format="raw",
            template={"response_format": "raw", "response_encoding": "pcm_s16le", "sample_rate": RATE},
            answer={"type": "conversation.item.audio_output.delta", "item_id": "tts_1"},
            last_event="[DONE]",
            chosen_by=Selector("/stream", (True,)),
        ),
        Synthesis(
            endpoint=SPEECH_SYNC,
            slots=Slots(text="/input", voice="/voice", model="/model", format="/response_format"),
            formats=FILE_FORMATS,
            default_format="wav",
            chosen_by=Selector("/stream", (False,), by_default=True),
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    doc_drift=(
        DocDrift(
            "stream chunks",
            "The streaming guide's events are {type: conversation.item.audio_output.delta,"
            " item_id, delta}; the official client 3.1.1 types them as {object: audio.tts.chunk, model, "
            "b64}. The declaration follows the guide; the client reads the guide's events unchanged (its "
            "models are lenient) but its `b64` attribute stays empty.",
            (STREAMING, SDK),
        ),
        DocDrift(
            "errors",
            "No error body is in the stored reference: 400/401/429/500 and their {error: "
            "{message, type, code}} body are inferred.",
            (REFERENCE,),
        ),
        DocDrift(
            "non-streamed answer",
            "With stream false the answer is the encoded audio as an octet "
            "stream (mp3, wav, raw): declared as the path's second answer form (audio.speech.sync), "
            "wav and mp3 only; raw's default pcm_f32le encoding is left out.",
            (REFERENCE, SDK),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)  # with its WebSocket (`sockets`)
