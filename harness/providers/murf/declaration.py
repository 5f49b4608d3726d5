"""Murf's text to speech as its official client describes it (source: sdk), in the HTTP speech family's terms:
`/v1/speech/stream` answering the audio as the body and `/v1/speech/generate` answering base64 audio at
`/encodedAudio` (with `encodeAsBase64`), the `api-key` header; its stream-input WebSocket in `sockets`.
"""

from __future__ import annotations

from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal
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
    Voice,
    g711,
    ogg_opus,
)
from harness.core.protocols.marks import Marks
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.value_variants import FieldSpelling, ValueVariant
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import (
    AudioAt,
    AudioBody,
    Auth,
    BodyKind,
    DocDrift,
    Endpoint,
    Evidence,
    EvidenceSource,
    JsonBody,
    Response,
    Role,
)
from harness.providers.murf.models import (
    ADVANCED_SETTINGS,
    INTEGRATION_GUIDE,
    REFERENCE,
    SDK,
    SOCKET_CONTEXTS,
    SOCKET_GUIDE,
    SPEECH_CUSTOMIZATION,
    ErrorBody,
    GenerateRequest,
    GenerateResponse,
    StreamRequest,
)
from harness.providers.murf.sockets import SOCKETS

HOST = "api"
RATE = 24000  # the socket guide's sample_rate=24000; the client's sampleRate takes "8000, 24000, 44100, 48000"
RATES = (8000, 24000, 44100, 48000)
FORMATS = (
    Format(name="MP3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=RATES),
    Format(name="WAV", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES),
    # PCM: a value the reference lists for format ("MP3, WAV, FLAC, ALAW, ULAW, PCM, OGG"), headerless 16-bit samples
    # as on the socket (sockets.FORMATS); the stream's integrations ask for it (LIVEKIT below).
    Format(name="PCM", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type="audio/pcm", rates=RATES),
    # FLAC: listed for format too; a file that names itself
    Format(name="FLAC", spec=AudioSpec("flac", RATE, "flac"), media_type="audio/flac", rates=RATES),
    # ALAW, ULAW: listed for format too, "headerless" in no page and at no rate said: answered as assumed
    g711("ALAW", "pcm_alaw", RATES),
    g711("ULAW", "pcm_mulaw", RATES),
    ogg_opus("OGG"),  # listed too, its codec not said: assumed
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


ERRORS = (
    _error(400, "BadRequestError"),
    _error(402, "PaymentRequiredError"),
    _error(403, "ForbiddenError"),
    _error(500, "InternalServerError"),
    _error(503, "ServiceUnavailableError"),
)

STREAM = Endpoint(
    key="speech.stream",
    method="POST",
    path="/v1/speech/stream",
    host=HOST,
    role=Role.STREAM,
    summary="Returns a streaming output of generated audio",
    request=StreamRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(
                AudioBody(
                    ("audio/mpeg", "audio/wav", "audio/pcm", "audio/flac", "audio/pcma", "audio/basic", "audio/ogg")
                ),
            ),
            description="The audio, chunked",
        ),
        *ERRORS,
    ),
    example={
        "text": "Hello, welcome to Murf AI text to speech.",
        "voiceId": "en-US-natalie",
        "model": "FALCON",
        "format": "MP3",
    },
    doc=SDK,
)

GENERATE = Endpoint(
    key="speech.generate",
    method="POST",
    path="/v1/speech/generate",
    host=HOST,
    role=Role.AUDIO,
    summary="Returns a url to the generated audio file, and the audio itself in base64 with encodeAsBase64",
    request=GenerateRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(JsonBody(GenerateResponse, audio=AudioAt("/encodedAudio")),),
            description="GenerateSpeechResponse",
        ),
        *ERRORS,
    ),
    example={
        "text": "Hello, welcome to Murf AI text to speech.",
        "voiceId": "en-US-natalie",
        "format": "MP3",
        "encodeAsBase64": True,
    },
    doc=SDK,
)

# "en-US-natalie" (the client's generated examples and integrations), "Natalie" in the client's docstring.
VOICE_LIST = (Voice("en-US-natalie", "en-US", "female"), Voice("en-US-terrell", "en-US", "male"))

MODELS = (
    Model(
        name="FALCON",
        synthesis=STREAM.key,
        voice="en-US-natalie",
        description="Murf Falcon over /v1/speech/stream (voice en-US-natalie)",
    ),
    Model(
        name="GEN2",
        synthesis=GENERATE.key,
        voice="en-US-natalie",
        description="Murf Gen2 over /v1/speech/generate (voice en-US-natalie)",
    ),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "400", "{detail}"),
    missing_key=SpeechRefusal(403, "403", "api-key is missing"),
    bad_key=SpeechRefusal(403, "403", "Invalid api-key"),
    unknown_voice=SpeechRefusal(400, "400", "Invalid voice id: {detail}"),
    rate_limited=SpeechRefusal(503, "503", "Too many requests"),
    quota=SpeechRefusal(402, "402", "Character limit exhausted"),
    server_error=SpeechRefusal(500, "500", "Internal server error"),
)

# The characters a Gen2 synthesis consumed (its answer's consumedCharacterCount).
BILLING = (
    BilledSignal(
        unit=Unit.CHARACTERS,
        at="/consumedCharacterCount",
        source="sdk",
        evidence=(
            "Murf's official client murf 2.3.0, generated from Murf's API definition: the /v1/speech/generate answer "
            '{"audioFile", "encodedAudio", "audioLengthInSeconds", "consumedCharacterCount", '
            '"remainingCharacterCount", "wordDurations", ...}: the characters the request consumed'
        ),
    ),
)

# Each word's times in the generate answer, always (`wordDurationsAsOriginalText` only picks which spelling of the
# words): objects {word, startMs, endMs, ...} in milliseconds.
WORD_DURATIONS = Marks(
    text_at="/word",
    start_at="/startMs",
    end_at="/endMs",
    items_at="/wordDurations",
    unit_s=0.001,
    evidence="Murf's official client murf 2.3.0, generated from Murf's API definition: the "
    '/v1/speech/generate answer {..., "wordDurations": List[WordDurationResponse]}, '
    'WordDurationResponse {"word", "startMs", "endMs", "sourceWordIndex", '
    '"pitchScaleMinimum", "pitchScaleMaximum"} (' + SDK + ")",
)

# format: the reference lists "MP3, WAV, FLAC, ALAW, ULAW, PCM, OGG" and says nothing of another case; LiveKit Agents'
# Murf plugin (livekit-plugins-murfai, livekit/agents at 1ff531d) sends "format": "pcm" to /v1/speech/stream and
# format=pcm on the socket. A list of values is no statement about case: each lower-case name is taken as the
# listed one, with a finding (the family's case rule takes any other spelling the same way, naming no client).
LIVEKIT = Evidence(
    EvidenceSource.CLIENT, "livekit-plugins-murfai (livekit/agents 1ff531d)", 'ChunkedStream._run: "format": "pcm"'
)
VALUE_VARIANTS = tuple(
    ValueVariant(
        at="/format",
        sent=fmt.name.lower(),
        means=fmt.name,
        evidence=(LIVEKIT,),
        words="the reference lists the name in capitals and shows no refusal of another case",
    )
    for fmt in FORMATS
)

# The same plugin (livekit-plugins-murf 1.8.9, tts.py ChunkedStream._run) sends the voice and the rate to
# /v1/speech/stream snake case, {"voice_id", "sample_rate"}, where the reference spells them "voiceId" (Required) and
# "sampleRate" (REFERENCE) and Murf's own examples write them so; its stream-input socket's voice_config spells
# voice_id snake case. No stored page or client shows the HTTP endpoint refusing the other spelling, nor taking it:
# the evidence is this one client in wide use (LiveKit lists Murf among its TTS plugins; Murf's docs list LiveKit
# among its integrations). Decided as a value variant is: taken as the field it spells, with a finding.
LIVEKIT_FIELDS = Evidence(
    EvidenceSource.CLIENT,
    "livekit-plugins-murf==1.8.9 (livekit/agents)",
    'ChunkedStream._run: json={..., "voice_id": ..., "sample_rate": ...}',
)
FIELD_SPELLINGS = tuple(
    FieldSpelling(
        sent,
        means,
        (LIVEKIT_FIELDS,),
        "the reference spells the field in camel case and shows no refusal of another spelling",
        endpoints=(STREAM.key,),
    )
    for sent, means in (("/voice_id", "/voiceId"), ("/sample_rate", "/sampleRate"))
)

# "Murf offers a diverse collection of 150+ AI voices" (SPEECH_CUSTOMIZATION); voiceId: "Use the GET /v1/speech/voices
# API to find supported voiceIds. You can use either the voiceId (e.g. en-US-natalie) or just the voice actor's name
# (e.g. natalie)" (REFERENCE), and the reference's streaming example sends "voiceId": "Matthew". The two declared
# voices sample that library: any id of a documented form is spoken, with a finding.
VOICE_CATALOGUE = Catalogue(
    open=True,
    form=r"(?:[a-z]{2}-[A-Z]{2}-)?[A-Za-z]+",
    why='"150+ AI voices" (SPEECH_CUSTOMIZATION); voiceId "e.g. en-US-natalie" or "just '
    'the voice actor\'s name (e.g. natalie)", "Matthew" in the streaming example '
    "(REFERENCE)",
)

SERVICE = SpeechService(
    name="murf",
    title="Murf text to speech (stream, generate and the stream-input WebSocket)",
    hosts={HOST: "https://api.murf.ai"},
    auth=Auth(header="api-key"),
    key_env="MURF_API_KEY",
    docs=(SDK, INTEGRATION_GUIDE, SOCKET_GUIDE, REFERENCE, SPEECH_CUSTOMIZATION, ADVANCED_SETTINGS, SOCKET_CONTEXTS),
    error_model=ErrorBody,
    errors=ErrorShape({"errorMessage": "{message}", "errorCode": "{status}"}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=STREAM,
            slots=Slots(text="/text", voice="/voiceId", model="/model", format="/format", rate="/sampleRate"),
            formats=FORMATS,
            default_format="MP3",
        ),
        Synthesis(
            endpoint=GENERATE,
            slots=Slots(text="/text", voice="/voiceId", model="/modelVersion", format="/format", rate="/sampleRate"),
            formats=FORMATS,
            default_format="MP3",
            template={"encodeAsBase64": True},
            answer={
                "audioFile": "",
                "audioLengthInSeconds": "{duration_s}",
                "consumedCharacterCount": "{billed_characters}",
                "wordDurations": [],
            },
            billing=BILLING,
            marks=WORD_DURATIONS,
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    voice_catalogue=VOICE_CATALOGUE,
    value_variants=VALUE_VARIANTS,
    field_spellings=FIELD_SPELLINGS,
    doc_drift=(
        DocDrift(
            "evidence",
            "The endpoints, fields and statuses are the official client's (source: sdk); "
            "Murf's own reference pages, stored since, agree on /v1/speech/stream's fields (voiceId "
            'Required, sampleRate, format "Valid values: MP3, FLAC, WAV, ALAW, ULAW, OGG, PCM").',
            (SDK, REFERENCE),
        ),
        DocDrift(
            "audioFile",
            "generate always answers a URL to the audio (audioFile); the sandbox answers the "
            "audio inline (encodeAsBase64) and leaves audioFile empty.",
            (SDK,),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)  # and its stream-input WebSocket (`sockets`)
