"""Mistral's Voxtral text to speech as its documents and official client describe it, in the HTTP speech family's
terms: `POST /v1/audio/speech` in its two answer forms, picked by the body's `stream` — streamed (`true`) as
Server-Sent Events with base64 audio at `/audio_data`, each event named by its type and the stream ended by
`speech.audio.done`, and not (`false`, the default) as one JSON document with the base64 audio at `/audio_data`; the
bearer key; its realtime WebSocket in `sockets`.
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
    Auth,
    BodyKind,
    DocDrift,
    Endpoint,
    EventStreamBody,
    JsonBody,
    Response,
    Role,
)
from harness.providers.mistral.models import (
    GENERATE_GUIDE,
    MODEL_CARD,
    PLUGIN_GUIDE,
    PRICING,
    REALTIME_GUIDE,
    SDK,
    VOICES_GUIDE,
    ErrorBody,
    SpeechEvent,
    SpeechRequest,
    SpeechResponse,
    ValidationErrorBody,
)
from harness.providers.mistral.sockets import PCM, SOCKETS

HOST = "api"

# A stream of events carries pieces of one file: formats that name themselves, and `pcm`, whose rate is written
# nowhere in the stored material, answered as assumed (`PCM`); `opus` the sandbox cannot stream at a declared rate.
FORMATS = (
    Format(name="mp3", spec=AudioSpec("mp3", 24000, "mp3"), media_type="audio/mpeg"),
    Format(name="wav", spec=AudioSpec("pcm_s16le", 24000, "wav"), media_type="audio/wav"),
    Format(name="flac", spec=AudioSpec("flac", 24000, "flac"), media_type="audio/flac"),
    PCM,
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


ERRORS = (
    Response(status=422, bodies=(JsonBody(ValidationErrorBody),), description="HTTPValidationError (source: sdk)"),
    _error(401, "no valid bearer key"),
    _error(429, "rate limited"),
    _error(500, "a server fault"),
)

SPEECH = Endpoint(
    key="audio.speech",
    method="POST",
    path="/v1/audio/speech",
    host=HOST,
    role=Role.STREAM,
    summary="Speech, streamed: speech.audio.delta events with base64 audio, then speech.audio.done with usage",
    request=SpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(EventStreamBody(SpeechEvent, audio=AudioAt("/audio_data")),),
            description="text/event-stream: speech.audio.delta, speech.audio.done",
        ),
        *ERRORS,
    ),
    example={
        "input": "Hello world",
        "model": "voxtral-mini-tts-2603",
        "voice_id": "en_paul_neutral",
        "response_format": "mp3",
        "stream": True,
    },
    doc=SDK,
)

# The same path with `stream` false (the client's default): one JSON document, "The response carries the audio,
# base64-encoded, in audio_data" (GENERATE_GUIDE); the client's `complete` sends `Accept: application/json` and reads
# its `SpeechResponse` for a 200 in that type.
SPEECH_SYNC = Endpoint(
    key="audio.speech.sync",
    method="POST",
    path="/v1/audio/speech",
    host=HOST,
    role=Role.AUDIO,
    summary="Speech, not streamed: one JSON document with the base64 audio at audio_data",
    request=SpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(JsonBody(SpeechResponse, audio=AudioAt("/audio_data")),),
            description="the audio, base64-encoded, in audio_data",
        ),
        *ERRORS,
    ),
    example={
        "model": "voxtral-mini-tts-3-0",
        "input": "Your order shipped this morning and should arrive on Thursday.",
        "voice_id": "gb_jane_neutral",
        "response_format": "mp3",
    },  # the guide's request
    doc=GENERATE_GUIDE,
)

# "Voxtral 3 preset voices have ids such as voice_478 (Sheila, US English) ... The Voxtral 2 presets (en_paul_neutral,
# gb_jane_neutral, …) are still accepted" (VOICES_GUIDE); the realtime and plugin guides default to en_paul_neutral.
VOICE_LIST = (
    Voice("en_paul_neutral", "en-US", "male"),
    Voice("gb_jane_neutral", "en-GB", "female"),
    Voice("voice_478", "en-US", "female"),
    # The other Voxtral 3 presets as LiveKit Agents types them (source: client; its agents-js reference,
    # plugins/agents-plugin-mistralai MistralTTSVoxtral3Voices, read 2026-11-25: "voice_479" | "voice_3143"
    # | ... "Voices introduced with Voxtral 3. Voxtral 3 also accepts the Voxtral 2 voices."); micdrop's
    # Mistral TTS defaults to one of them ("voiceId: 'voice_592', // Marie, French"). No stored page gives
    # their languages: none is said.
    *(
        Voice(f"voice_{number}", "")
        for number in (
            479,
            3143,
            481,
            1788,
            591,
            590,
            3147,
            3149,
            1787,
            1786,
            3150,
            447,
            485,
            483,
            3141,
            589,
            3137,
            592,
            3139,
            3153,
            3146,
            482,
            3133,
            3135,
            3136,
            3145,
            3134,
            3154,
            480,
            3155,
            3132,
            3138,
            3140,
            3144,
            3142,
        )
    ),
)

# The model card's API names of Voxtral TTS 26.03 (MODEL_CARD, read 2026-11-25): `voxtral-mini-tts-2603` and the alias
# `voxtral-mini-tts-latest` — one model, one price ("price: 16.0, ... denominator: '/M Chars'" for the output; the input
# text is "price: 0.0").
LATEST = "voxtral-mini-tts-latest"  # an API name of voxtral-mini-tts-2603 (MODEL_CARD)

MODELS = (
    Model(
        name="voxtral-mini-tts-3-0",
        synthesis=SPEECH.key,
        voice="voice_478",
        description="Voxtral Speech 3 (voice voice_478)",
    ),
    Model(
        name="voxtral-mini-tts-2603",
        synthesis=SPEECH.key,
        voice="en_paul_neutral",
        description="Voxtral TTS 2603 (en_paul_neutral)",
    ),
    Model(
        name=LATEST,
        synthesis=SPEECH.key,
        voice="en_paul_neutral",
        description="voxtral-mini-tts-latest, the model card's alias of voxtral-mini-tts-2603 (en_paul_neutral)",
    ),
    # The same models answered as one JSON document (`stream` false): their own offerings, the request naming the
    # model as it is (`sets` at the model slot).
    Model(
        name="voxtral-mini-tts-3-0-sync",
        synthesis=SPEECH_SYNC.key,
        voice="voice_478",
        sets={"/model": "voxtral-mini-tts-3-0"},
        description="Voxtral Speech 3, not streamed (voice voice_478)",
    ),
    Model(
        name="voxtral-mini-tts-2603-sync",
        synthesis=SPEECH_SYNC.key,
        voice="en_paul_neutral",
        sets={"/model": "voxtral-mini-tts-2603"},
        description="Voxtral TTS 2603, not streamed (en_paul_neutral)",
    ),
    Model(
        name=f"{LATEST}-sync",
        synthesis=SPEECH_SYNC.key,
        voice="en_paul_neutral",
        sets={"/model": LATEST},
        description="voxtral-mini-tts-latest (voxtral-mini-tts-2603), not streamed (en_paul_neutral)",
    ),
)

SLOTS = Slots(text="/input", voice="/voice_id", model="/model", format="/response_format")

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(422, "422", "{detail}"),
    missing_key=SpeechRefusal(401, "401", "Unauthorized"),
    bad_key=SpeechRefusal(401, "401", "Unauthorized"),
    unknown_voice=SpeechRefusal(422, "422", "Voice not found: {detail}"),
    unknown_model=SpeechRefusal(422, "422", "Invalid model: {detail}"),
    rate_limited=SpeechRefusal(429, "429", "Requests rate limit exceeded"),
    quota=SpeechRefusal(429, "429", "Service tier capacity exceeded"),
    server_error=SpeechRefusal(500, "500", "Internal server error"),
)

SERVICE = SpeechService(
    name="mistral",
    title="Mistral Voxtral speech (SSE or one JSON document; realtime WebSocket)",
    hosts={HOST: "https://api.mistral.ai"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="MISTRAL_API_KEY",
    docs=(SDK, GENERATE_GUIDE, REALTIME_GUIDE, PLUGIN_GUIDE, VOICES_GUIDE, PRICING, MODEL_CARD),
    error_model=ErrorBody,
    errors=ErrorShape(
        {"object": "error", "message": "{message}", "type": "invalid_request_error", "code": "{code}"},
        by_status={422: {"detail": [{"loc": ["body"], "msg": "{message}", "type": "value_error"}]}},
    ),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SPEECH,
            slots=SLOTS,
            formats=FORMATS,
            default_format="mp3",
            chosen_by=Selector("/stream", (True,)),
            answer={"type": "speech.audio.delta"},
            event_at="/type",
            last_event={
                "type": "speech.audio.done",
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            },
        ),
        # "stream: Optional[bool] = False" (SpeechRequest): a request without it is answered in JSON
        Synthesis(
            endpoint=SPEECH_SYNC,
            slots=SLOTS,
            formats=FORMATS,
            default_format="mp3",
            chosen_by=Selector("/stream", (False,), by_default=True),
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    doc_drift=(
        DocDrift(
            "two answers on one path",
            "POST /v1/audio/speech answers JSON {audio_data} when stream is "
            "false (the default) and Server-Sent Events when true: both are declared, as two answer "
            "forms of the one path picked by `stream` (audio.speech and audio.speech.sync).",
            (SDK, GENERATE_GUIDE),
        ),
        DocDrift(
            "errors",
            "No error body other than 422 is in the stored material: 401/429/500 and their "
            "{object, message, type, code} body are inferred.",
            (SDK,),
        ),
        DocDrift(
            "latest alias",
            "The model card names voxtral-mini-tts-latest an API name of Voxtral TTS 26.03 "
            "(voxtral-mini-tts-2603), priced as it. No stored page of Mistral's names Voxtral Speech 3 "
            "(voxtral-mini-tts-3-0, third parties' pages) or says the alias moved to it: declared as "
            "26.03's, and no stored answer names the model an alias resolved to (the sandbox echoes the "
            "name asked).",
            (MODEL_CARD, PRICING),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
