"""Sarvam AI's text-to-speech as its documents describe it, in the HTTP speech family's terms: `POST
/text-to-speech` answering base64 audio at `/audios/0`, the `api-subscription-key` header, and the Bulbul models
(priced in rupees only: no USD price declared); its text-to-speech WebSocket in `sockets`.
"""

from __future__ import annotations

from typing import get_args

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
    g711,
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
    Evidence,
    EvidenceSource,
    JsonBody,
    Normalisation,
    Response,
    Role,
)
from harness.providers.sarvam.models import (
    ERRORS_REFERENCE,
    LANGUAGE_GUIDE,
    MAX_TEXT_CHARS,
    PERSONA_SPEAKERS,
    PREPROCESSING_GUIDE,
    PRICING,
    REFERENCE,
    STREAM_SDK,
    V2_FEMALE,
    V2_MALE,
    V3_CLIENT_SPEAKERS,
    V3_SPEAKERS,
    ErrorBody,
    Language,
    StreamRequest,
    TextToSpeechRequest,
    TextToSpeechResponse,
    persona_language,
)
from harness.providers.sarvam.sockets import SOCKETS

HOST = "api"
RATE = 22050  # speech_sample_rate "Default: 22050 Hz"
RATES = (8000, 16000, 22050, 24000)  # every model; 32000, 44100, 48000 only with bulbul:v3 and v4-flash (REST)

# output_audio_codec: "mp3", "linear16", "mulaw", "alaw", "opus", "flac", "aac", "wav"; the answer is "The output
# audio files in WAV format" when none is named. Declared: the three whose bytes name themselves, and linear16, mulaw,
# alaw (headerless: the reference says neither rate nor byte order for them), answered as assumed (HEADERLESS_CODECS).
# Left out: aac, and opus ("currently returns a validation error" with bulbul:v3 and v4-flash).
HEADERLESS_CODECS = (
    Format(
        name="linear16",
        spec=AudioSpec("pcm_s16le", RATE, "raw"),
        media_type=f"audio/pcm;rate={RATE}",
        rates=RATES,
        assumed=(
            "the documents do not say its rate or byte order; the sandbox answers headerless 16-bit little-endian "
            f"samples at the asked rate ({RATE} Hz where none is asked), as its socket's linear16"
        ),
    ),
    g711("mulaw", "pcm_mulaw", RATES),
    g711("alaw", "pcm_alaw", RATES),
)
FORMATS = (
    Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES),
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=RATES),
    Format(name="flac", spec=AudioSpec("flac", RATE, "flac"), media_type="audio/flac", rates=RATES),
    *HEADERLESS_CODECS,
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words)


SYNTHESIZE = Endpoint(
    key="text_to_speech.convert",
    method="POST",
    path="/text-to-speech",
    host=HOST,
    role=Role.AUDIO,
    summary="Convert text into spoken audio: base64-encoded audio strings in audios",
    request=TextToSpeechRequest,
    body_kind=BodyKind.JSON,
    # The statuses of the errors page ("HTTP status quick reference"), the ones the reference's client maps.
    responses=(
        Response(
            status=200,
            bodies=(JsonBody(TextToSpeechResponse, audio=AudioAt("/audios/0")),),
            description="Successful Response",
        ),
        _error(400, "invalid_request_error: invalid body or parameters"),
        _error(403, "invalid_api_key_error: missing, malformed, or unknown API key"),
        _error(422, "invalid_request_error / unprocessable_entity_error: validation failed"),
        _error(429, "insufficient_quota_error (credits exhausted) or rate_limit_exceeded_error"),
        _error(500, "internal_server_error"),
    ),
    example={"text": "Welcome to Sarvam AI!", "model": "bulbul:v3", "language_code": "en-IN"},
    doc=REFERENCE,
)

# The streamed synthesis (source: sdk): the audio itself, chunked, in the codec the request names.
STREAM_FORMATS = (
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=RATES),
    Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES),
    *HEADERLESS_CODECS,
    Format(
        name="flac",
        spec=AudioSpec("flac", RATE, "flac"),
        media_type="audio/flac",
        rates=RATES,
        assumed=(
            "the documents do not say how the file arrives in pieces; the sandbox answers one FLAC file streamed "
            "whole, its header once at the stream's start"
        ),
    ),
)
STREAM = Endpoint(
    key="text_to_speech.convert_stream",
    method="POST",
    path="/text-to-speech/stream",
    host=HOST,
    role=Role.STREAM,
    summary="Convert text into a streamed spoken audio response (binary audio, chunked)",
    request=StreamRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(AudioBody(tuple(dict.fromkeys(f.media_type.partition(";")[0] for f in STREAM_FORMATS))),),
            description="A streamed audio response",
        ),
        _error(400, "invalid_request_error: invalid body or parameters"),
        _error(403, "invalid_api_key_error: missing, malformed, or unknown API key"),
        _error(422, "invalid_request_error / unprocessable_entity_error: validation failed"),
        _error(429, "insufficient_quota_error (credits exhausted) or rate_limit_exceeded_error"),
        _error(500, "internal_server_error"),
    ),
    example={
        "text": "Welcome to Sarvam AI!",
        "model": "bulbul:v3",
        "language_code": "en-IN",
        "output_audio_codec": "mp3",
    },
    doc=STREAM_SDK,
)


def _voice(name: str, gender: str, *models: str, language: str = "en-IN") -> Voice:
    return Voice(name, language, gender, models)


# speaker: "bulbul:v3: shubh (default), aditya, ritu, priya, neha, rahul, ..."; "bulbul:v2: Female: anushka,
# manisha, vidya, arya; Male: abhilash, karun, hitesh"; "bulbul:v4-flash: 200+ persona voices named
# <name>_<language>_<style> (e.g. shubh_hi_devotional, simran_en_customer)". The whole lists, each with its source, in
# `models` (read 2026-11-25): v3's from the Bulbul model page, v4-flash's persona names from the official client.
VOICE_LIST = (
    *(_voice(name, "female", "bulbul:v2") for name in V2_FEMALE),
    *(_voice(name, "male", "bulbul:v2") for name in V2_MALE),
    *(_voice(name, "", "bulbul:v3") for name in (*V3_SPEAKERS, *V3_CLIENT_SPEAKERS)),
    *(_voice(name, "", "bulbul:v4-flash", language=persona_language(name)) for name in PERSONA_SPEAKERS),
)

# bulbul:v3-beta: the name LiveKit's and Pipecat's integrations send for the v3 pipeline (LiveKit: `SarvamTTSModels =
# Literal["bulbul:v2", "bulbul:v3-beta", "bulbul:v3", "bulbul:v4-flash"]`, `_V3_PIPELINE_MODELS = ("bulbul:v3",
# "bulbul:v3-beta", "bulbul:v4-flash")`; Pipecat: `BULBUL_V3_BETA = "bulbul:v3-beta"` with v3's speakers, rates and
# ranges). No stored Sarvam page names it, nor refuses it (searched 2026-11-25). A known model spoken like bulbul:v3
# on Create speech, the stream and the socket, with a finding naming the clients; an alias (priced as bulbul:v3): the
# beta name of that same model, which both clients give v3's speakers, rates and ranges, not a model of its own.
V3_BETA_CLIENTS = (
    Evidence(EvidenceSource.CLIENT, "livekit-plugins-sarvam==1.8.9", "models.SarvamTTSModels"),
    Evidence(EvidenceSource.CLIENT, "pipecat-ai==1.14.0", "SarvamTTSModel.BULBUL_V3_BETA"),
)
KNOWN_MODELS = (
    KnownModel(
        name="bulbul:v3-beta",
        like="bulbul:v3",
        words='SarvamTTSModels = Literal["bulbul:v2", "bulbul:v3-beta", "bulbul:v3", "bulbul:v4-flash"], '
        '_V3_PIPELINE_MODELS = ("bulbul:v3", "bulbul:v3-beta", "bulbul:v4-flash") (livekit-plugins-sarvam 1.8.9); '
        'BULBUL_V3_BETA = "bulbul:v3-beta" (pipecat-ai 1.14.0), read 2026-11-25; no stored Sarvam page names it',
        evidence=V3_BETA_CLIENTS,
        alias=True,
    ),
)

# The text normalisation of Create speech ("enable_preprocessing", false unless asked), bulbul:v2's only.
NORMALISATION = Normalisation(
    pointer="/enable_preprocessing",
    off=False,
    on=True,
    models=("bulbul:v2",),
    evidence=(
        '"The enable_preprocessing parameter is only supported for bulbul:v2. It is not available for bulbul:v3."; '
        '"The enable_preprocessing parameter improves pronunciation of numbers, dates, currencies, and mixed-language '
        'text. It is optional \u2014 if omitted, default is False (no preprocessing)." (' + PREPROCESSING_GUIDE + ")"
    ),
)

# The languages every Bulbul model speaks: the language guide's eleven codes (LANGUAGE_GUIDE, read 2026-11-26: "How to
# Set the Language"; models.Language), named at language_code.
LANGUAGES = get_args(Language)
LANGUAGES_SOURCE = f"{LANGUAGE_GUIDE} (read 2026-11-26): the eleven language codes"

MODELS = (
    Model(
        name="bulbul:v3",
        synthesis=SYNTHESIZE.key,
        voice="shubh",
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        max_chars=MAX_TEXT_CHARS,
        description="Sarvam Bulbul v3 (voice shubh)",
    ),
    Model(
        name="bulbul:v4-flash",
        synthesis=SYNTHESIZE.key,
        voice="simran_en_customer",
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        max_chars=MAX_TEXT_CHARS,
        description="Sarvam Bulbul v4-flash (voice simran_en_customer)",
    ),
    Model(
        name="bulbul:v2",
        synthesis=SYNTHESIZE.key,
        voice="anushka",
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        max_chars=1500,
        description="Sarvam Bulbul v2 (voice anushka)",
    ),
    Model(
        name="bulbul:v3-stream",
        synthesis=STREAM.key,
        voice="shubh",
        sets={"/model": "bulbul:v3"},
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        max_chars=MAX_TEXT_CHARS,
        description="Sarvam Bulbul v3 over /text-to-speech/stream (voice shubh)",
    ),
)

# Codes and statuses from the errors page; the messages are the sandbox's own words where none is quoted.
REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "invalid_request_error", "{detail}"),
    missing_key=SpeechRefusal(403, "invalid_api_key_error", "Missing API key"),
    bad_key=SpeechRefusal(403, "invalid_api_key_error", "Invalid API key"),
    unknown_voice=SpeechRefusal(400, "invalid_request_error", "Speaker not compatible with the model: {detail}"),
    rate_limited=SpeechRefusal(429, "rate_limit_exceeded_error", "Too many requests"),
    quota=SpeechRefusal(429, "insufficient_quota_error", "Credits exhausted"),
    unknown_model=SpeechRefusal(400, "invalid_request_error", "Unknown model: {detail}"),
    not_found=SpeechRefusal(404, "not_found_error", "Not found: {detail}"),
    busy=SpeechRefusal(503, "rate_limit_exceeded_error", "High load, retry later"),
    server_error=SpeechRefusal(500, "internal_server_error", "Internal server error"),
)

SERVICE = SpeechService(
    name="sarvam",
    title="Sarvam AI text-to-speech (Bulbul, REST)",
    hosts={HOST: "https://api.sarvam.ai"},
    auth=Auth(header="api-subscription-key", invalid_status=403),  # "Auth failures use HTTP 403, not 401"
    key_env="SARVAM_API_KEY",  # the quickstart's `export SARVAM_API_KEY=...`
    docs=(REFERENCE, LANGUAGE_GUIDE, ERRORS_REFERENCE, PRICING, STREAM_SDK),
    error_model=ErrorBody,
    errors=ErrorShape({"error": {"message": "{message}", "code": "{code}"}}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SYNTHESIZE,
            slots=Slots(
                text="/text",
                voice="/speaker",
                model="/model",
                format="/output_audio_codec",
                rate="/speech_sample_rate",
                language="/language_code",
            ),
            formats=FORMATS,
            default_format="wav",
            normalisation=NORMALISATION,
        ),
        Synthesis(
            endpoint=STREAM,
            slots=Slots(
                text="/text",
                voice="/speaker",
                model="/model",
                format="/output_audio_codec",
                rate="/speech_sample_rate",
                language="/language_code",
            ),
            formats=STREAM_FORMATS,
            default_format="mp3",
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    known_models=KNOWN_MODELS,
    doc_drift=(
        DocDrift(
            "language field",
            "The language guide and older examples name the field target_language_code; "
            "the reference and its client (sarvamai 0.1.39) send language_code. Either is accepted; one "
            "is required.",
            (LANGUAGE_GUIDE, REFERENCE),
        ),
        DocDrift(
            "inputs",
            'Older integrations send "inputs": [text] (a list); the current reference has only "text": not declared.',
            (REFERENCE,),
        ),
        DocDrift(
            "prices",
            "The pricing page prices Bulbul in rupees (₹30 per 10K characters for v3) and "
            "states no USD basis: the harness reports no USD cost for Sarvam.",
            (PRICING,),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)  # and its text-to-speech WebSocket (`sockets`)
