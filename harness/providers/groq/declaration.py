"""Groq's text to speech as its official client describes it (source: sdk), in the HTTP speech family's terms: the
OpenAI-compatible `/openai/v1/audio/speech` answering the audio as the body (with a sample rate the OpenAI request has
not), the bearer key.
"""

from __future__ import annotations

from harness.core.evidence import DOCUMENTS, Evidence, EvidenceSource
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
    build_provider,
    g711,
    ogg_opus,
)
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.spec import AudioBody, Auth, BodyKind, DocDrift, Endpoint, JsonBody, Response, Role
from harness.providers.groq.models import INTEGRATIONS, SDK, ErrorBody, SpeechRequest

HOST = "api"
RATE = 48000  # "Audio sample rate. Must be 48000 Hz for Groq TTS" (INTEGRATIONS)
RATES = (8000, 16000, 22050, 24000, 32000, 44100, 48000)
FORMATS = (
    Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES),
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=(32000, 44100, 48000)),
    Format(name="flac", spec=AudioSpec("flac", RATE, "flac"), media_type="audio/flac", rates=RATES),
    g711("mulaw", "pcm_mulaw", RATES),  # the official client's value; its header and rate not said: assumed
    ogg_opus("ogg"),  # the official client's value; its codec not said: assumed
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


SPEECH = Endpoint(
    key="audio.speech",
    method="POST",
    path="/openai/v1/audio/speech",
    host=HOST,
    role=Role.STREAM,
    summary="Generates audio from the input text",
    request=SpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(AudioBody(tuple(dict.fromkeys(f.media_type for f in FORMATS))),),
            description="The audio",
        ),
        _error(400, "BadRequestError"),
        _error(401, "AuthenticationError"),
        _error(404, "NotFoundError"),
        _error(429, "RateLimitError"),
        _error(500, "InternalServerError"),
    ),
    example={
        "input": "Hello from Groq text to speech!",
        "model": "playai-tts",
        "voice": "Arista-PlayAI",
        "response_format": "wav",
    },
    doc=SDK,
)

ORPHEUS, ORPHEUS_ARABIC = "canopylabs/orpheus-v1-english", "canopylabs/orpheus-arabic-saudi"
# Orpheus' voices beyond autumn (read 2026-11-25), as clients list them — no stored Groq page shows the voice table:
# LiveKit Agents (livekit-plugins-groq 1.8.9, models.TTSVoices: "# english voices" "autumn", "diana", "hannah",
# "austin", "daniel", "troy"; "# arabic voices" "fahad", "sultan", "lulwa", "noura"), matched by Home Assistant's Groq
# integration's wiki ("English Orpheus voices: autumn diana hannah austin daniel troy"; "Arabic Saudi Orpheus voices:
# abdullah fahad sultan lulwa noura aisha") and jambonz's Groq page ("A credential whose model is
# canopylabs/orpheus-arabic-saudi is checked in ar-SA with the fahad voice").
VOICE_LIST = (
    Voice("Arista-PlayAI", "en-US", "female", models=("playai-tts",)),
    Voice("Fritz-PlayAI", "en-US", "male", models=("playai-tts",)),
    Voice("autumn", "en-US", "female", models=(ORPHEUS,)),
    *(Voice(name, "en-US", models=(ORPHEUS,)) for name in ("diana", "hannah", "austin", "daniel", "troy")),
    *(
        Voice(name, "ar-SA", models=(ORPHEUS_ARABIC,))
        for name in ("abdullah", "fahad", "sultan", "lulwa", "noura", "aisha")
    ),
)

# Models beyond the offerings (read 2026-11-25), spoken like the offering of their family, unpriced. The Orpheus page
# (ORPHEUS_PAGE): "Groq hosts two specialized Orpheus models ... canopylabs/orpheus-arabic-saudi". The official client
# (groq 1.7.0, speech_create_params.py): `model: Required[Union[str, Literal["playai-tts", "playai-tts-arabic"]]]`.
ORPHEUS_PAGE = "https://console.groq.com/docs/text-to-speech/orpheus.md"
KNOWN_MODELS = (
    KnownModel(
        name=ORPHEUS_ARABIC,
        like=ORPHEUS,
        words='"Groq hosts two specialized Orpheus models for different language needs": '
        '"canopylabs/orpheus-arabic-saudi" (' + ORPHEUS_PAGE + ", read 2026-11-25); TTSModels = Literal["
        '"canopylabs/orpheus-v1-english", "canopylabs/orpheus-arabic-saudi"] (livekit-plugins-groq 1.8.9)',
        evidence=(DOCUMENTS, Evidence(EvidenceSource.CLIENT, "livekit-plugins-groq==1.8.9", "TTS(model=...)")),
    ),
    KnownModel(
        name="playai-tts-arabic",
        like="playai-tts",
        words='model: Required[Union[str, Literal["playai-tts", "playai-tts-arabic"]]] (groq 1.7.0, read 2026-11-25)',
        evidence=(Evidence(EvidenceSource.SDK, "groq==1.7.0", "audio.speech.create"),),
    ),
)

MODELS = (
    Model(name=ORPHEUS, synthesis=SPEECH.key, voice="autumn", description="Orpheus v1 English on Groq (voice autumn)"),
    Model(
        name="playai-tts",
        synthesis=SPEECH.key,
        voice="Arista-PlayAI",
        description="PlayAI TTS on Groq (voice Arista-PlayAI)",
    ),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "invalid_request_error", "{detail}"),
    missing_key=SpeechRefusal(401, "invalid_api_key", "Invalid API Key"),
    bad_key=SpeechRefusal(401, "invalid_api_key", "Invalid API Key"),
    unknown_voice=SpeechRefusal(400, "invalid_request_error", "Voice {detail} is not available for this model"),
    unknown_model=SpeechRefusal(
        404, "model_not_found", "The model `{detail}` does not exist or you do not have access to it."
    ),
    rate_limited=SpeechRefusal(429, "rate_limit_exceeded", "Rate limit reached"),
    quota=SpeechRefusal(429, "rate_limit_exceeded", "Quota exceeded"),
    server_error=SpeechRefusal(500, "internal_server_error", "Internal server error"),
)

SERVICE = SpeechService(
    name="groq",
    title="Groq text to speech (OpenAI-compatible)",
    hosts={HOST: "https://api.groq.com"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="GROQ_API_KEY",
    docs=(SDK, INTEGRATIONS),
    error_model=ErrorBody,
    errors=ErrorShape({"error": {"message": "{message}", "type": "{code}", "code": "{code}"}}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SPEECH,
            slots=Slots(text="/input", voice="/voice", model="/model", format="/response_format", rate="/sample_rate"),
            formats=FORMATS,
            default_format="wav",
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    known_models=KNOWN_MODELS,
    doc_drift=(
        DocDrift(
            "evidence",
            "Groq's reference pages are not among the stored material: the endpoint and "
            "fields are the official client's; the Orpheus model and its voice are integrations' "
            "(the client's model literals still name only playai-tts and playai-tts-arabic).",
            (SDK, INTEGRATIONS),
        ),
    ),
)

PROVIDER = build_provider(SERVICE)
