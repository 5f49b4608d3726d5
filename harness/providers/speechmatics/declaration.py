"""Speechmatics' text to speech (preview) as its quickstart and official client describe it, in the HTTP speech
family's terms: `POST /generate/{voice}` with the text as JSON, the output format in the query, the audio as the body,
the bearer key. Free while in preview.
"""

from __future__ import annotations

from harness.core.protocols.http_speech import (
    ErrorShape,
    Format,
    Model,
    Slots,
    SpeechRefusal,
    SpeechRefusals,
    SpeechService,
    Synthesis,
    Voice,
    build_provider,
)
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.spec import AudioBody, Auth, BodyKind, DocDrift, Endpoint, JsonBody, Response, Role
from harness.providers.speechmatics.models import PIPECAT, QUICKSTART, SDK, ErrorBody, GenerateRequest

HOST = "api"
RATE = 16000  # "SAMPLE_RATE = 16000" (QUICKSTART); the client's formats are all 16 kHz
FORMATS = (
    Format(name="wav_16000", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav"),
    Format(name="pcm_16000", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=f"audio/pcm;rate={RATE}"),
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


GENERATE = Endpoint(
    key="generate",
    method="POST",
    path="/generate/{voice}",
    host=HOST,
    role=Role.AUDIO,
    summary="Generate speech in a voice: the audio as the body, in the format the query names",
    request=GenerateRequest,
    body_kind=BodyKind.JSON,
    query_fields=("output_format",),
    responses=(
        Response(status=200, bodies=(AudioBody(("audio/wav", "audio/pcm"), pcm_rate=RATE),), description="The audio"),
        _error(400, "a request the API refuses"),
        _error(401, "Invalid API key - authentication failed"),
        _error(403, "Access forbidden - check API key permissions"),
        _error(429, "rate limited"),
        _error(500, "a server fault"),
        _error(503, "Service unavailable (retried with backoff by the integrations)"),
    ),
    example={"voice": "sarah", "text": "Welcome to the future of speech technology!"},
    doc=QUICKSTART,
)

# "sarah: English (UK) female voice", "theo: English (UK) male voice", "megan: English (UK) female voice" (SDK)
VOICE_LIST = (Voice("sarah", "en-GB", "female"), Voice("theo", "en-GB", "male"), Voice("megan", "en-GB", "female"))

MODELS = (
    Model(
        name="speechmatics-tts",
        synthesis=GENERATE.key,
        voice="sarah",
        description="Speechmatics text to speech, preview (voice sarah)",
    ),
)

# The client's own words for 401 and 403; the rest are the sandbox's (the stored material quotes no error body).
REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "bad_request", "{detail}"),
    missing_key=SpeechRefusal(401, "unauthorized", "Invalid API key - authentication failed"),
    bad_key=SpeechRefusal(401, "unauthorized", "Invalid API key - authentication failed"),
    unknown_voice=SpeechRefusal(400, "bad_request", "Unknown voice: {detail}"),
    rate_limited=SpeechRefusal(429, "rate_limited", "Too many requests"),
    quota=SpeechRefusal(429, "rate_limited", "Quota exceeded"),
    busy=SpeechRefusal(503, "service_unavailable", "Service unavailable"),
    server_error=SpeechRefusal(500, "server_error", "Internal server error"),
)

SERVICE = SpeechService(
    name="speechmatics",
    title="Speechmatics text to speech (preview)",
    hosts={HOST: "https://preview.tts.speechmatics.com"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="SPEECHMATICS_API_KEY",  # the client's own variable
    docs=(QUICKSTART, SDK, PIPECAT),
    error_model=ErrorBody,
    errors=ErrorShape({"detail": "{message}"}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=GENERATE,
            slots=Slots(text="/text", voice="/voice", format="/output_format"),
            formats=FORMATS,
            default_format="wav_16000",
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    doc_drift=(
        DocDrift(
            "evidence",
            'The stored quickstart shows the request (POST /generate/sarah with {"text"}, '
            "a bearer key) and a 16 kHz rate; the output formats, the other voices and the status words "
            "are the official client's (source: sdk).",
            (QUICKSTART, SDK),
        ),
        DocDrift(
            "default format",
            "The quickstart's curl saves a .wav while the client's default asks "
            "pcm_16000: the declaration always names the format; the imitation answers WAV when the query "
            "leaves it out.",
            (QUICKSTART, SDK),
        ),
        DocDrift(
            "preview",
            'A preview host (preview.tts.speechmatics.com): "Features and pricing may change".',
            (QUICKSTART,),
        ),
    ),
)

PROVIDER = build_provider(SERVICE)
