"""Fish Audio's text to speech as its guide and official client describe it, in the HTTP speech family's terms:
`POST /v1/tts` answering the audio as the body, the model in a `model` header, a body that may be JSON or
MessagePack (what the official client sends), the bearer key; its live WebSocket (MessagePack frames) in `sockets`.
"""

from __future__ import annotations

from decimal import Decimal

from harness.core.languages import codes_of
from harness.core.protocols.catalogues import Catalogue
from harness.core.protocols.http_speech import (
    ErrorShape,
    Format,
    Model,
    Slots,
    SpeechRefusal,
    SpeechRefusals,
    SpeechService,
    Synthesis,
    UnknownModel,
    Voice,
)
from harness.core.protocols.marks import Marks
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.value_variants import ValueVariant
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import (
    AudioAt,
    AudioBody,
    Auth,
    BodyKind,
    DocDrift,
    Endpoint,
    EventStreamBody,
    Evidence,
    EvidenceSource,
    JsonBody,
    Response,
    Role,
)
from harness.providers.fish.models import (
    DEPRECATIONS,
    FORMATS_PAGE,
    GUIDE,
    MODELS_PAGE,
    OPENAPI,
    OPUS_REFERENCE,
    PRICING,
    PRICING_PAGE,
    SDK,
    SOCKET,
    STREAM_TIMESTAMPS,
    ErrorBody,
    TimestampStreamEvent,
    TTSRequest,
)
from harness.providers.fish.sockets import SOCKETS

HOST = "api"
RATE = 44100  # "Default Sample Rate: 44.1kHz" (WAV/PCM and MP3)
FORMATS = (
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=(32000, 44100)),
    Format(
        name="wav",
        spec=AudioSpec("pcm_s16le", RATE, "wav"),
        media_type="audio/wav",
        rates=(8000, 16000, 24000, 32000, 44100),
    ),
    # "format: enum: wav, pcm, mp3, opus" ("WAV / PCM: 8kHz, 16kHz, 24kHz, 32kHz, 44.1kHz"): headerless 16-bit samples,
    # as the live socket's pcm; no Content-Type is given for them, so they are read as the format asked for (audio/pcm)
    Format(
        name="pcm",
        spec=AudioSpec("pcm_s16le", RATE, "raw"),
        media_type="audio/pcm",
        rates=(8000, 16000, 24000, 32000, 44100),
    ),
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


TTS = Endpoint(
    key="tts",
    method="POST",
    path="/v1/tts",
    host=HOST,
    role=Role.STREAM,
    summary="Text to speech: the audio, streamed",
    request=TTSRequest,
    body_kind=BodyKind.JSON,
    header_fields={"model": "model"},
    accepts_msgpack=True,
    responses=(
        Response(status=200, bodies=(AudioBody(("audio/mpeg", "audio/wav", "audio/pcm")),), description="The audio"),
        _error(400, "a request the API refuses"),
        _error(401, "no valid bearer key"),
        _error(402, "no credit left"),
        _error(429, "rate limited"),
        _error(500, "a server fault"),
    ),
    example={"text": "Hello, world!", "reference_id": "7f92f8afb8ec43bf81429cc1c9199cb1"},
    doc=GUIDE,
)

# "This endpoint returns `text/event-stream`. Each SSE `message` event contains one JSON payload with a base64-encoded
# audio chunk"; "This endpoint accepts the same TTS request fields as the Text to Speech API" (STREAM_TIMESTAMPS).
STREAM_WITH_TIMESTAMPS = Endpoint(
    key="tts.stream-with-timestamp",
    method="POST",
    path="/v1/tts/stream/with-timestamp",
    host=HOST,
    role=Role.STREAM,
    summary="Text to speech stream with timestamps: base64 audio chunks with alignment snapshots",
    request=TTSRequest,
    body_kind=BodyKind.JSON,
    header_fields={"model": "model"},
    accepts_msgpack=True,
    responses=(
        Response(
            status=200,
            bodies=(EventStreamBody(TimestampStreamEvent, audio=AudioAt("/audio_base64")),),
            description="Server-Sent Events stream",
        ),
        _error(400, "a request the API refuses"),
        _error(401, "no valid bearer key"),
        _error(402, "no credit left"),
        _error(429, "rate limited"),
        _error(500, "a server fault"),
    ),
    example={
        "text": "Hello! Welcome to Fish Audio.",
        "reference_id": "7f92f8afb8ec43bf81429cc1c9199cb1",
        "format": "mp3",
        "latency": "balanced",
    },
    doc=STREAM_TIMESTAMPS,
)
# Each event: "`alignment` | Latest cumulative timestamp snapshot for `chunk_seq`. When present, replace the previous
# snapshot for that `chunk_seq`; do not append segments."; "`chunk_audio_offset_sec` | Absolute start time of this text
# chunk within the full audio, in seconds. Add this to segment-local `start` and `end` values"; "`start` and `end` are
# measured in seconds from the start of that text chunk's generated audio"; segments {"text", "start", "end"} beside
# "audio_duration" (STREAM_TIMESTAMPS). Always sent: no request field asks for them.
TIMESTAMP_SNAPSHOTS = Marks(
    text_at="/text",
    start_at="/start",
    end_at="/end",
    items_at="/alignment/segments",
    snapshot_at="/chunk_seq",
    offset_at="/chunk_audio_offset_sec",
    snapshot_length_at="/alignment/audio_duration",
    evidence='each event\'s `alignment` {"audio_duration", "segments": [{"text", "start", "end"}]}, the '
    '"Latest cumulative timestamp snapshot for `chunk_seq`" ("replace the previous snapshot for that '
    "`chunk_seq`; do not append segments\"), its times from the text chunk's audio plus "
    "`chunk_audio_offset_sec` (" + STREAM_TIMESTAMPS + ")",
)
# An event before the first snapshot: "`alignment` can be `null` before the first snapshot is available"; `content`:
# "Text content described by this event's latest alignment snapshot".
SNAPSHOT_EVENT = {"content": "{text}", "alignment": None, "chunk_seq": 0, "chunk_audio_offset_sec": 0}

# "Use a voice from the playground: reference_id='7f92f8afb8ec43bf81429cc1c9199cb1'" (GUIDE); 802e3bc2... is the
# model-URL example of the client guide.
VOICE_LIST = (Voice("7f92f8afb8ec43bf81429cc1c9199cb1", "en-US"), Voice("802e3bc2b27e49c2995d23ef70e6ac89", "en-US"))
# Open: the guide's voice is "a voice from the playground" — one voice model of Fish Audio's library, beside the
# account's own cloned models; a reference_id is a voice model's id, and every id shown (7f92f8af..., 802e3bc2...) is 32
# lowercase hex digits: the form.
# The API reference's reference_id: "Voice model ID from the Fish Audio library or your custom models".
VOICE_CATALOGUE = Catalogue(
    open=True,
    form=r"[0-9a-f]{32}",
    why='reference_id: "Voice model ID from the Fish Audio library or your custom models"; '
    "every id shown is 32 hex digits",
)

# s1's and speech-1.6's languages: the models overview (https://docs.fish.audio/docs/models-pricing/models-overview,
# read 2026-11-26): "Fish Audio models support text-to-speech generation in 13 languages ... English, Chinese, Japanese,
# German, French, Spanish, Korean, Arabic, Russian, Dutch, Italian, Polish, Portuguese. Language detection is automatic"
# (the text decides). The S2 models' languages are not in the stored pages: English only here.
LANGUAGES = codes_of(
    (
        "English",
        "Chinese",
        "Japanese",
        "German",
        "French",
        "Spanish",
        "Korean",
        "Arabic",
        "Russian",
        "Dutch",
        "Italian",
        "Polish",
        "Portuguese",
    )
)
LANGUAGES_SOURCE = (
    'https://docs.fish.audio/docs/models-pricing/models-overview (read 2026-11-26): "13 languages", '
    '"Language detection is automatic"'
)
MODELS = tuple(
    Model(
        name=name,
        synthesis=TTS.key,
        voice="7f92f8afb8ec43bf81429cc1c9199cb1",
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        description=f"Fish Audio {name} (the guide's playground voice)",
    )
    for name in ("s1", "speech-1.6")
)

# The models Fish Audio's own pages list today (read 2026-11-25), each priced as its pricing page's table says: "TTS
# pricing is based on the size of input text, measured in millions of UTF-8 bytes. | `s2.1-pro` | $15.00 / M UTF-8
# bytes | `s2.1-pro-free` | $0.00 / M UTF-8 bytes | `s2-pro` | $15.00 / M UTF-8 bytes |" (PRICING_PAGE). s2.1-pro is
# the API's default ("default": "s2.1-pro", OPENAPI) and Pipecat's FishAudioTTSService's; s2-pro the official
# client's (fish-audio-sdk 1.3.0, fishaudio/resources/tts.py: `model: Model = "s2-pro"`, source: sdk).
CATALOGUE_READ = "2026-11-25"
CURRENT = (
    ("s2.1-pro", Decimal("15"), 'the API\'s default model, "Our recommended production TTS model"'),
    (
        "s2.1-pro-free",
        Decimal("0"),
        '"The same model as S2.1-Pro, available at $0 for development and '
        'testing", "Free to use under fair-use limits"',
    ),
    ("s2-pro", Decimal("15"), '"Previous-generation S2 TTS model"'),
)
MODELS += tuple(
    Model(
        name=name,
        synthesis=TTS.key,
        voice="7f92f8afb8ec43bf81429cc1c9199cb1",
        description=f"Fish Audio {name}: {words} ({MODELS_PAGE}, read {CATALOGUE_READ})",
    )
    for name, price, words in CURRENT
)
# The stream with timestamps as an offering of its own, benchmarked where a run names it (docs/marks.md): its marks.
MODELS += (
    Model(
        name="s2.1-pro-timestamps",
        synthesis=STREAM_WITH_TIMESTAMPS.key,
        voice="7f92f8afb8ec43bf81429cc1c9199cb1",
        sets={"/model": "s2.1-pro"},
        named_only=True,
        description="Fish Audio s2.1-pro over the stream with timestamps (the playground voice): its marks",
    ),
)

# Searched again 2026-11-25 for names clients send that no stored Fish page lists: drama-3 (livekit-plugins-fishaudio
# 1.8.9, models.py: `TTSModels = Literal["s1", "s2-pro", "s2.1-pro", "drama-3"]`, source: client; third parties'
# pages call it "Fish Audio's newest text-to-speech model"), s1-mini and agent-x0 (fish-audio-sdk 1.3.0,
# fish_audio_sdk/schemas.py: `Backends = Literal["speech-1.5", "speech-1.6", "agent-x0", "s1", "s1-mini", "s2-pro"]`,
# source: sdk). None is refused: the documented fallback speaks each as s2.1-pro, and its finding names it. Not
# declared as offerings: no stored Fish page gives their price or voice.
CLIENT_MODELS = ("drama-3", "s1-mini", "agent-x0")

# opus_bitrate: the reference says "Opus bitrate in bps. -1000 for automatic" beside the values "-1000, 24, 32, 48,
# 64" (kilobits, as mp3_bitrate's "64, 128, 192" are "in kbps"): a client reading "in bps" sends 24000-64000, and
# one does (Pixelle-Video's Fish Audio settings, `opus_bitrate: Literal[-1000, 24000, 32000, 48000, 64000]`, "Opus
# bitrate in bps"). No stored page shows the API refusing those: each is taken as the kilobit value it spells, with
# a finding.
OPUS_BPS = Evidence(EvidenceSource.DOCS, OPUS_REFERENCE, 'opus_bitrate: "Opus bitrate in bps" (values -1000, 24-64)')
OPUS_CLIENT = Evidence(
    EvidenceSource.CLIENT, "Pixelle-Video (AIDC-AI), its Fish Audio settings", "TTSFishAudioConfig.opus_bitrate"
)
VALUE_VARIANTS = tuple(
    ValueVariant(
        at="/opus_bitrate",
        sent=kbps * 1000,
        means=kbps,
        evidence=(OPUS_BPS, OPUS_CLIENT),
        words="the reference lists kilobits and calls them bps; it shows no refusal",
        endpoints=("tts",),
    )
    for kbps in (24, 32, 48, 64)
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "400", "{detail}"),
    missing_key=SpeechRefusal(401, "401", "Missing API key"),
    bad_key=SpeechRefusal(401, "401", "Invalid API key"),
    unknown_voice=SpeechRefusal(400, "400", "Reference model not found: {detail}"),
    rate_limited=SpeechRefusal(429, "429", "Too many requests"),
    quota=SpeechRefusal(402, "402", "No credit left"),
    server_error=SpeechRefusal(500, "500", "Internal server error"),
)

SLOTS = Slots(text="/text", voice="/reference_id", model="/model", format="/format", rate="/sample_rate")

SERVICE = SpeechService(
    name="fish",
    title="Fish Audio text to speech (HTTP, JSON or MessagePack; the live WebSocket, MessagePack)",
    hosts={HOST: "https://api.fish.audio"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="FISH_API_KEY",
    docs=(
        GUIDE,
        SDK,
        FORMATS_PAGE,
        PRICING,
        SOCKET,
        OPENAPI,
        MODELS_PAGE,
        PRICING_PAGE,
        DEPRECATIONS,
        STREAM_TIMESTAMPS,
    ),
    error_model=ErrorBody,
    errors=ErrorShape({"status": "{status}", "message": "{message}"}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=TTS,
            slots=SLOTS,
            formats=FORMATS,
            default_format="mp3",
            # "If omitted or set to an unrecognized value, the request falls back to `s2.1-pro`" (OPENAPI)
            default_model="s2.1-pro",
            unknown_model=UnknownModel.DEFAULT,
        ),
        Synthesis(
            endpoint=STREAM_WITH_TIMESTAMPS,
            slots=SLOTS,
            formats=FORMATS,
            default_format="mp3",
            default_model="s2.1-pro",
            unknown_model=UnknownModel.DEFAULT,
            answer=SNAPSHOT_EVENT,
            marks=TIMESTAMP_SNAPSHOTS,
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    voice_catalogue=VOICE_CATALOGUE,
    value_variants=VALUE_VARIANTS,
    doc_drift=(
        DocDrift(
            "msgpack",
            "The guide's requests are JSON; the official client sends the same fields as "
            "MessagePack (Content-Type: application/msgpack). The harness sends JSON; the sandbox reads "
            "either.",
            (GUIDE, SDK),
        ),
        DocDrift("errors", "No error body is in the stored pages: inferred.", (GUIDE,)),
        DocDrift(
            "deprecated models",
            'speech-1.5 and speech-1.6 were "deprecated on February, 28th, 2026"; '
            "speech-1.6 is still declared (as the reseller's price page lists it), the current models "
            "beside it.",
            (DEPRECATIONS, PRICING),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)  # and its live WebSocket (`sockets`)
