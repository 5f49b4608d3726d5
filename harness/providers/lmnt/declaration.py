"""LMNT's Speech API as its documents describe it, in the HTTP speech family's terms: `POST /v1/ai/speech/bytes`
answering the audio as the body, `POST /v1/ai/speech` answering it base64 in JSON with the times of its text (source:
sdk), the `X-API-Key` header, and the blizzard model priced per million characters.
"""

from __future__ import annotations

from harness.core.protocols.catalogues import KnownModel
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
)
from harness.core.protocols.marks import Marks
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import AudioAt, AudioBody, Auth, BodyKind, Endpoint, Header, JsonBody, Response, Role
from harness.providers.lmnt.models import (
    DETAILED_SDK,
    MAX_TEXT_CHARS,
    OVERVIEW,
    PRICING,
    REFERENCE,
    TIMING_GUIDE,
    DetailedRequest,
    DetailedResponse,
    ErrorBody,
    SpeechRequest,
)
from harness.providers.lmnt.sockets import SOCKETS

HOST = "api"
RATE = 24000  # sample_rate: "Defaults to 24000 for all formats except mulaw"
RATES = (8000, 16000, 24000)

# Declared: the formats whose bytes the reference describes and the harness can say. The reference names no
# Content-Type for any of them: the media types are the formats' usual ones; headerless samples are read as the
# format asked for (audio/pcm, as the socket's; 32-bit floats as bytes that name no format, as Cartesia's raw ones).
# ulaw is "8-bit G711 µ-law audio with a WAV header"; its default rate is not given ("Defaults to 24000 for all
# formats except mulaw"): G.711's 8000. Left out: aac, webm (the sandbox cannot write them).
FORMATS = (
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=RATES),
    Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES),
    Format(name="ulaw", spec=AudioSpec("pcm_mulaw", 8000, "wav"), media_type="audio/wav", rates=RATES),
    Format(name="pcm_s16le", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type="audio/pcm", rates=RATES),
    Format(
        name="pcm_f32le", spec=AudioSpec("pcm_f32le", RATE, "raw"), media_type="application/octet-stream", rates=RATES
    ),
)
MEDIA_TYPES = tuple(dict.fromkeys(fmt.media_type for fmt in FORMATS))


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words)


# The statuses the reference's client maps to its errors; the bodies are its ErrorBody.
_ERRORS = (
    _error(400, "invalid_request_error"),
    _error(401, "authentication_error"),
    _error(402, "payment_required_error"),
    _error(404, "not_found_error"),
    _error(429, "rate_limit_error"),
    _error(500, "internal_server_error"),
)

SLOTS = Slots(text="/text", voice="/voice", model="/model", format="/format", rate="/sample_rate")

SYNTHESIZE = Endpoint(
    key="speech.bytes",
    method="POST",
    path="/v1/ai/speech/bytes",
    host=HOST,
    role=Role.STREAM,
    summary="Generate speech stream: the audio as binary data chunks, as they are generated",
    request=SpeechRequest,
    body_kind=BodyKind.JSON,
    request_headers=(Header("lmnt-version", "API version (e.g. 2025-09-25)", required=True),),
    responses=(Response(status=200, bodies=(AudioBody(MEDIA_TYPES),), description="The audio"), *_ERRORS),
    example={"text": "hello world.", "voice": "leah"},
    doc=REFERENCE,
)

# The detailed endpoint: the same request with `return_timestamps`, the whole audio base64 in a JSON answer once it is
# all generated ("waits for all speech to be generated before responding").
DETAILED = Endpoint(
    key="speech.detailed",
    method="POST",
    path="/v1/ai/speech",
    host=HOST,
    role=Role.AUDIO,
    summary="Generate speech (detailed): the audio base64 in JSON, with the times of the text where asked",
    request=DetailedRequest,
    body_kind=BodyKind.JSON,
    request_headers=(Header("lmnt-version", "API version (e.g. 2025-09-25)", required=True),),
    responses=(
        Response(
            status=200,
            bodies=(JsonBody(DetailedResponse, audio=AudioAt("/audio")),),
            description="SpeechGenerateDetailedResponse",
        ),
        *_ERRORS,
    ),
    example={"text": "hello world.", "voice": "leah"},
    doc=DETAILED_SDK,
)

# Its times, where `return_timestamps` asks: objects {text, start, duration} in seconds for every "generated input
# element (words and non-words like spaces, punctuation, etc.)": joined they spell the text, so they are read as
# character marks are (joined at white space into words), as the session's (sockets.TIMESTAMPS).
DETAILED_TIMESTAMPS = Marks(
    text_at="/text",
    start_at="/start",
    end_at="/duration",
    durations=True,
    chars=True,
    items_at="/timestamps",
    asked_by="/return_timestamps",
    evidence='return_timestamps: "If set as `true`, the response will contain a `timestamps` array describing where '
    'each input element falls in the generated audio"; SpeechGenerateDetailedResponse {"audio": "The '
    'base64-encoded audio file", "timestamps": "An array describing where each generated input element '
    '(words and non-words like spaces, punctuation, etc.) falls in the audio."}, Timestamp {"text", '
    '"start": "The start time of the generated input element, in seconds.", "duration": "The '
    'spoken duration of the generated input element, in seconds."} (' + DETAILED_SDK + ", read 2026-11-26); "
    '"Each punctuation sequence and word is associated with a start time and duration (in seconds)" ('
    + TIMING_GUIDE
    + ")",
)

# Voices the documents name: leah (the Speech API guide's examples). The voices list (GET /v1/ai/voice/list) is not
# described in the stored reference text: no listing declared.
VOICE_LIST = (Voice("leah", "en-US", "female"),)

MODELS = (
    Model(
        name="blizzard",
        synthesis=SYNTHESIZE.key,
        voice="leah",
        max_chars=MAX_TEXT_CHARS,
        description="LMNT blizzard (voice leah)",
    ),
    # The detailed route as an offering of its own, benchmarked where a run names it (docs/marks.md): its timestamps.
    Model(
        name="blizzard-detailed",
        synthesis=DETAILED.key,
        voice="leah",
        sets={"/model": "blizzard"},
        max_chars=MAX_TEXT_CHARS,
        named_only=True,
        description="LMNT blizzard over the detailed route (voice leah): its timestamps",
    ),
)

# The models guide (MODELS_GUIDE, read 2026-11-25): "Note: The Aurora model ID (aurora) is now an alias that routes all
# requests to Blizzard." Taken and spoken (and priced) as blizzard.
MODELS_GUIDE = "https://docs.lmnt.com/guides/models"
KNOWN_MODELS = (
    KnownModel(
        name="aurora",
        like="blizzard",
        words='"The Aurora model ID (aurora) is now an alias that routes all '
        'requests to Blizzard" (' + MODELS_GUIDE + ", read 2026-11-25)",
        alias=True,
    ),
)

# The types are the reference's ErrorBody slugs; the messages are the sandbox's own words.
REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "invalid_request_error", "{detail}"),
    missing_key=SpeechRefusal(401, "authentication_error", "Missing API key"),
    bad_key=SpeechRefusal(401, "authentication_error", "Invalid API key"),
    unknown_voice=SpeechRefusal(400, "invalid_request_error", "Unknown voice: {detail}"),
    rate_limited=SpeechRefusal(429, "rate_limit_error", "Too many requests"),
    quota=SpeechRefusal(402, "payment_required_error", "Character quota exhausted"),
    not_found=SpeechRefusal(404, "not_found_error", "Not found: {detail}"),
    busy=SpeechRefusal(500, "internal_server_error", "Service unavailable"),
    server_error=SpeechRefusal(500, "internal_server_error", "Internal server error"),
)

SERVICE = SpeechService(
    name="lmnt",
    title="LMNT Speech API (bytes and the speech session WebSocket)",
    hosts={HOST: "https://api.lmnt.com"},
    auth=Auth(header="X-API-Key"),
    key_env="LMNT_API_KEY",
    docs=(REFERENCE, OVERVIEW, PRICING, DETAILED_SDK, TIMING_GUIDE),
    error_model=ErrorBody,
    errors=ErrorShape({"message": "{message}", "type": "{code}"}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(endpoint=SYNTHESIZE, slots=SLOTS, formats=FORMATS, default_format="mp3"),
        Synthesis(endpoint=DETAILED, slots=SLOTS, formats=FORMATS, default_format="mp3", marks=DETAILED_TIMESTAMPS),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    known_models=KNOWN_MODELS,
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
