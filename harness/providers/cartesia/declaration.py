"""Cartesia as its API reference describes it, in the HTTP speech family's terms (`POST /tts/bytes`, `POST /tts/sse`)
with its `/tts/websocket` in the WebSocket speech family's (`sockets`): Sonic 3 and two voices of the reference's
examples.

From the reference (https://docs.cartesia.ai/api-reference/tts/bytes, .../tts/sse and .../tts/websocket, read
2026-11-25; the payloads are `models`). Prices (https://docs.cartesia.ai/pricing, read 2026-11-24): "TTS: /tts/bytes,
/tts/sse, /tts/websocket ~1 credit per character"; "Every subscription plan includes a monthly credit allotment. See
cartesia.ai/pricing for current plans": no USD rate per credit is published there, so the model is unpriced rather
than guessed.

The key travels in either of two headers (read 2026-11-25):
- "Authenticate your client applications" (AUTH_REFERENCE): "Cartesia accepts both X-Api-Key and Authorization
  headers for server-side authentication. Header names are case-insensitive, so X-API-KEY and authorization work too."
- "API Conventions" (CONVENTIONS_REFERENCE): today "Include `Authorization: Bearer <api_key>` in the headers of your
  requests"; its 2024-11-13 version: "For HTTP requests, authentication is handled by adding the field X-API-Key:
  <your_api_key> into the HTTP headers". The official SDK (cartesia 4.2.0, `_client.py` `_api_key_auth`) sends
  `Authorization: Bearer <api_key>`: the harness sends that form; the sandbox accepts both (and, on the socket, the
  query forms `sockets` quotes).
Errors: "API Errors" (ERRORS_REFERENCE), for `Cartesia-Version: 2026-03-01` and later, `{"error_code", "title",
"message", "request_id", "doc_url"?}`; the codes and titles below are the sandbox's words where none is quoted.
The benchmark's offering of Sonic 3 is its WebSocket (as it always was here): one offering, `sonic-3`.
"""

from __future__ import annotations

from dataclasses import replace

from harness.core.evidence import DOCUMENTS, Evidence, EvidenceSource
from harness.core.protocols.catalogues import Catalogue, KnownModel
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
from harness.core.protocols.marks import Answer, Marks, Match
from harness.core.protocols.markup import Markup, Syntax, Tag, TagKind
from harness.core.protocols.realtime_grammar import AudioSpec, Kind
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import (
    AudioAt,
    AudioBody,
    Auth,
    BodyKind,
    Endpoint,
    EventMark,
    EventStreamBody,
    Header,
    JsonBody,
    Response,
    Role,
)
from harness.providers.cartesia.models import (
    AUTH_REFERENCE,
    BARE_WORDS,
    CONVENTIONS_REFERENCE,
    ENCODINGS,
    ERRORS_REFERENCE,
    PRICING,
    REFERENCE,
    SAMPLE_RATES,
    SSE_REFERENCE,
    TIMESTAMPS_WORDS,
    WS_REFERENCE,
    BytesRequest,
    ErrorBody,
    SseEvent,
    SseRequest,
)
from harness.providers.cartesia.sockets import CONTEXTS_REFERENCE, SOCKETS

HOST = "api"
VERSION_HEADER = "Cartesia-Version"
STREAMING = 206
OUTPUT = "/output_format"
MEDIA_TYPES = {"raw": "application/octet-stream", "wav": "audio/wav", "mp3": "audio/mpeg"}


def _pcm(container: str, encoding: str) -> Format:
    """A PCM format: its container and encoding are two fields of `output_format`, its rate a third."""
    name = encoding if container == "raw" else f"{container}_{encoding}"
    return Format(
        name=name,
        spec=AudioSpec(encoding, 24000, container),
        media_type=MEDIA_TYPES[container],
        rates=SAMPLE_RATES,
        sets={f"{OUTPUT}/container": container, f"{OUTPUT}/encoding": encoding},
    )


RAW = tuple(_pcm("raw", e) for e in ("pcm_s16le", *(e for e in ENCODINGS if e != "pcm_s16le")))
WAV = tuple(_pcm("wav", e) for e in ("pcm_s16le", *(e for e in ENCODINGS if e != "pcm_s16le")))
# MP3 carries no encoding (its values are "Required for raw and wav containers") and a bit rate, "Required for mp3
# containers" (the reference's output_format, read 2026-11-26): 128 kbps, one of BIT_RATES, asked for.
MP3 = Format(
    name="mp3",
    spec=AudioSpec("mp3", 44100, "mp3"),
    media_type=MEDIA_TYPES["mp3"],
    rates=SAMPLE_RATES,
    sets={f"{OUTPUT}/container": "mp3", f"{OUTPUT}/encoding": None},
    fills={f"{OUTPUT}/bit_rate": 128000},
)

ERRORS = {400: "invalid request", 401: "invalid key", 404: "unknown voice or model", 429: "concurrency limit"}
HEADERS = (Header(VERSION_HEADER, "the API version date, YYYY-MM-DD", required=True),)
EXAMPLE = {
    "model_id": "sonic-3",
    "transcript": "Hello from a declared provider.",
    "voice": {"mode": "id", "id": "a0e99841-438c-4a64-b679-ae501e7d6091"},
    "output_format": {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 24000},
    "language": "en",
}


def _errors() -> tuple[Response, ...]:
    return tuple(
        Response(status=status, bodies=(JsonBody(ErrorBody),), description=words) for status, words in ERRORS.items()
    )


BYTES = Endpoint(
    key="tts.bytes",
    method="POST",
    path="/tts/bytes",
    summary="Text-to-Speech (Bytes): the audio as one body",
    host=HOST,
    role=Role.AUDIO,
    request=BytesRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(AudioBody(("audio/wav", "audio/mpeg", "application/octet-stream")),),
            description="audio",
        ),
        *_errors(),
    ),
    request_headers=HEADERS,
    example=EXAMPLE,
    doc=REFERENCE,
)

SSE = Endpoint(
    key="tts.sse",
    method="POST",
    path="/tts/sse",
    summary="Text-to-Speech (SSE): chunks of base64 audio, timestamps, done",
    host=HOST,
    role=Role.STREAM,
    request=SseRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(EventStreamBody(SseEvent, audio=AudioAt("/data"), last=EventMark(values={"/type": "done"})),),
            description="events",
        ),
        *_errors(),
    ),
    request_headers=HEADERS,
    example={**EXAMPLE, "output_format": {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 24000}},
    doc=SSE_REFERENCE,
)

# "add_timestamps": word timestamps in `timestamps` events beside the chunks, as on the WebSocket (SSE_REFERENCE).
SSE_MARKS = Marks(
    text_at="/word_timestamps/words",
    start_at="/word_timestamps/start",
    end_at="/word_timestamps/end",
    answer=Answer(
        name="timestamps",
        kind=Kind.MARKS,
        match=Match("/type", "timestamps"),
        model=SseEvent,
        template={"type": "timestamps", "done": False, "status_code": STREAMING},
    ),
    asked_by="/add_timestamps",
    bare_words=BARE_WORDS,
    evidence=TIMESTAMPS_WORDS,
)

# Breaks: `<break time="1s"/>` in the transcript, in seconds or milliseconds; its other SSML-like tags (speed, volume,
# emotion, spell) are read as no words.
SSML_TAGS_PAGE = "https://docs.cartesia.ai/build-with-cartesia/sonic-3/ssml-tags"
MARKUP = Markup(
    syntax=Syntax.INLINE,
    tags=(
        Tag(
            kind=TagKind.BREAK,
            form='<break time="{s}s"/>',
            doc=SSML_TAGS_PAGE,
            quote='"Sonic-3 supports SSML-like (Speech Synthesis Markup Language) tags to control generated speech. '
            "... To "
            "insert breaks (or pauses) in generated speech, use a break tags with one attribute, time. For example, "
            '<break time="1s"/>. You can specify the time in seconds (s) or milliseconds (ms)." Hello, my name is '
            'Sonic.<break time="1s"/>Nice to meet you. (read 2026-11-26)',
        ),
    ),
)

SLOTS = Slots(
    text="/transcript", voice="/voice/id", model="/model_id", rate=f"{OUTPUT}/sample_rate", language="/language"
)
TEMPLATE = {"voice": {"mode": "id"}}

VOICES = (Voice("a0e99841-438c-4a64-b679-ae501e7d6091", "en"), Voice("f786b574-daa5-4673-aa0c-cbe3e8534c02", "en"))
# Open: the two voices are the references' examples; voice.id takes any voice of Cartesia's voice library or the
# account's clones (the reference's `voice: {"mode": "id", "id": ...}`). Every id shown is a UUID: the form.
VOICE_CATALOGUE = Catalogue(
    open=True,
    form=r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    why="voice.id: the references' two example ids stand for the library's and the "
    "account's voices; every id shown is a UUID",
)

# sonic-3's languages, named at the request's `language` (its voices speak each): the older models page's table
# (OLDER_MODELS_PAGE, its Japanese edition read 2026-11-26: "sonic-3-2026-01-12 ... en, de, es, fr, ja, pt, zh, hi, ko,
# it, nl, pl, ru, sv, tr, tl, bg, ro, ar, cs, el, fi, hr, ms, sk, da, ta, uk, hu, no, vi, bn, th, he, ka, id, te, gu,
# kn, ml, mr, pa | Stable", the same for sonic-3-2025-10-27).
OLDER_MODELS_PAGE = "https://docs.cartesia.ai/ja-jp/build-with-cartesia/tts-models/older-models"
SONIC_3_LANGUAGES = (
    "en",
    "de",
    "es",
    "fr",
    "ja",
    "pt",
    "zh",
    "hi",
    "ko",
    "it",
    "nl",
    "pl",
    "ru",
    "sv",
    "tr",
    "tl",
    "bg",
    "ro",
    "ar",
    "cs",
    "el",
    "fi",
    "hr",
    "ms",
    "sk",
    "da",
    "ta",
    "uk",
    "hu",
    "no",
    "vi",
    "bn",
    "th",
    "he",
    "ka",
    "id",
    "te",
    "gu",
    "kn",
    "ml",
    "mr",
    "pa",
)
_SPOKEN = f"{OLDER_MODELS_PAGE} (read 2026-11-26): sonic-3's snapshots' languages"

MODELS = (
    Model(
        name="sonic-3",
        synthesis=BYTES.key,
        voice=VOICES[0].name,
        languages=SONIC_3_LANGUAGES,
        languages_source=_SPOKEN,
        description=f"sonic-3 over the Cartesia WebSocket (voice {VOICES[0].name})",
    ),
    # The same model on /tts/sse (its requests name it `sonic-3`): offered over the socket only (PROVIDER).
    Model(
        name="sonic-3-sse",
        synthesis=SSE.key,
        voice=VOICES[0].name,
        sets={"/model_id": "sonic-3"},
        languages=SONIC_3_LANGUAGES,
        languages_source=_SPOKEN,
        description=f"sonic-3 over /tts/sse (voice {VOICES[0].name})",
    ),
)

# Model ids beyond the offering (read 2026-11-25), taken at every synthesis and the socket, spoken like sonic-3: its
# dated snapshots as aliases (priced as it), the newer models unpriced. The Sonic 3 page (SONIC_3_PAGE): "Snapshot
# Release Date ... sonic-3-2025-10-27 October 27, 2025 ... Stable"; "// Use the base model (automatically routes to the
# latest snapshot) const modelId = \"sonic-3\"". The Sonic 3.5 migration page (SONIC_3_5_PAGE): "Sonic 3.5 is a
# drop-in replacement for Sonic 3 for most customers. Your existing voice IDs, request shape, and prompts work as-is";
# "# Current model_id = \"sonic-3.5\"". The official client (cartesia 4.2.0, types/tts_model.py): `_TTSModel =
# Literal["sonic-3.5", "sonic-3", "sonic-3.5-2026-05-04", "sonic-3-2026-01-12", "sonic-3-2025-10-27",
# "sonic-latest"]`, and its WebSocket helper (lib/_tts.py) sends `model_id = "sonic-latest"` when given none.
# Pipecat (pipecat-ai 1.14.0, services/cartesia/tts.py) defaults to `model="sonic-3.6"`, which no stored page lists.
SONIC_3_PAGE = "https://docs.cartesia.ai/build-with-cartesia/tts-models/latest"
SONIC_3_5_PAGE = "https://docs.cartesia.ai/build-with-cartesia/tts-models/sonic-3-to-sonic-3-5"
_SDK = Evidence(EvidenceSource.SDK, "cartesia==4.2.0", "tts.generate / tts.websocket (TTSModel)")
_SDK_WORDS = (
    '_TTSModel = Literal["sonic-3.5", "sonic-3", "sonic-3.5-2026-05-04", "sonic-3-2026-01-12", '
    '"sonic-3-2025-10-27", "sonic-latest"] (cartesia 4.2.0, read 2026-11-25)'
)
KNOWN_MODELS = (
    KnownModel(
        name="sonic-3-2025-10-27",
        like="sonic-3",
        words='"sonic-3-2025-10-27 October 27, 2025 ... Stable" (' + SONIC_3_PAGE + ", read 2026-11-25); " + _SDK_WORDS,
        evidence=(DOCUMENTS, _SDK),
        alias=True,
    ),
    KnownModel(name="sonic-3-2026-01-12", like="sonic-3", words=_SDK_WORDS, evidence=(_SDK,), alias=True),
    KnownModel(
        name="sonic-3.5",
        like="sonic-3",
        words='"# Current model_id = \\"sonic-3.5\\"" (' + SONIC_3_5_PAGE + ", read 2026-11-25); " + _SDK_WORDS,
        evidence=(DOCUMENTS, _SDK),
    ),
    KnownModel(name="sonic-3.5-2026-05-04", like="sonic-3", words=_SDK_WORDS, evidence=(_SDK,)),
    KnownModel(
        name="sonic-latest",
        like="sonic-3",
        words=_SDK_WORDS + '; its WebSocket\'s default: model_id = "sonic-latest"',
        evidence=(_SDK,),
    ),
    KnownModel(
        name="sonic-3.6",
        like="sonic-3",
        words='default_settings = self.Settings(model="sonic-3.6", ...) (pipecat-ai '
        "1.14.0, CartesiaTTSService and CartesiaHttpTTSService, read 2026-11-25)",
        evidence=(Evidence(EvidenceSource.CLIENT, "pipecat-ai==1.14.0", "CartesiaTTSService"),),
    ),
)

# The error codes are the sandbox's words (the API Errors page's `error_code` values are not listed in full); the
# unknown model's message is the documents' example.
REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "invalid_request", "{detail}"),
    missing_key=SpeechRefusal(401, "invalid_api_key", "No API key was given."),
    bad_key=SpeechRefusal(401, "invalid_api_key", "Invalid API key."),
    unknown_voice=SpeechRefusal(404, "voice_not_found", "Voice {detail} was not found."),
    rate_limited=SpeechRefusal(429, "concurrency_limited", "You have exceeded your plan's concurrency limit."),
    quota=SpeechRefusal(402, "insufficient_credits", "Your account has run out of credits."),
    unknown_model=SpeechRefusal(400, "model_not_found", "The model is not valid, make sure it is a valid model ID."),
    not_found=SpeechRefusal(404, "not_found", "Not found: {detail}"),
    busy=SpeechRefusal(503, "service_unavailable", "The service is temporarily unavailable."),
    server_error=SpeechRefusal(500, "internal_error", "Internal server error."),
)

TITLES = {
    400: "Invalid request",
    401: "Unauthorized",
    402: "Payment required",
    404: "Not found",
    429: "Too many concurrent requests",
    500: "Internal server error",
    503: "Service unavailable",
}


def _error_body(title: str) -> dict[str, str]:
    return {"error_code": "{code}", "title": title, "message": "{message}", "request_id": "{id}"}


SERVICE = SpeechService(
    name="cartesia",
    title="Cartesia (bytes and the WebSocket)",
    hosts={HOST: "https://api.cartesia.ai"},
    # The bearer form first: what the current conventions and the official SDK send.
    auth=Auth(header="Authorization", scheme="Bearer", others=(Auth(header="X-API-Key"),)),
    key_env="CARTESIA_API_KEY",
    docs=(
        REFERENCE,
        SSE_REFERENCE,
        WS_REFERENCE,
        ERRORS_REFERENCE,
        PRICING,
        CONTEXTS_REFERENCE,
        AUTH_REFERENCE,
        CONVENTIONS_REFERENCE,
    ),
    error_model=ErrorBody,
    errors=ErrorShape(_error_body("Error"), by_status={status: _error_body(t) for status, t in TITLES.items()}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=BYTES,
            slots=SLOTS,
            formats=(*WAV, *RAW, MP3),
            default_format=WAV[0].name,
            template=TEMPLATE,
            markup=MARKUP,
        ),
        Synthesis(
            endpoint=SSE,
            slots=SLOTS,
            formats=RAW,
            default_format=RAW[0].name,
            template=TEMPLATE,
            answer={"type": "chunk", "done": False, "status_code": STREAMING},
            last_event={"type": "done", "done": True, "status_code": STREAMING},
            marks=SSE_MARKS,
            markup=MARKUP,
        ),
    ),
    models=MODELS,
    voices=VOICES,
    voice_catalogue=VOICE_CATALOGUE,
    known_models=KNOWN_MODELS,
    file_protocols=("cartesia",),
)

_PROVIDER = with_sockets(SERVICE, SOCKETS)
# The model's one offering is its WebSocket (`sonic-3`, the socket's suffix ""); /tts/sse's twin is not offered.
PROVIDER = replace(_PROVIDER, offerings=tuple(o for o in _PROVIDER.offerings if o.channel))
