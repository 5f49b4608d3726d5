"""xAI's Text to Speech API as its documents describe it, in the HTTP speech family's terms: `POST /v1/tts` answering
the audio as the body, the bearer key, five voices, and one price per million characters.
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
    g711,
)
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.value_variants import ValueVariant
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import AudioBody, Auth, BodyKind, DocDrift, Endpoint, Evidence, JsonBody, Response, Role
from harness.providers.xai.models import (
    GUIDE,
    INTEGRATION,
    MAX_TEXT_CHARS,
    PRICING,
    REFERENCE,
    SDK,
    ErrorBody,
    SpeechRequest,
)
from harness.providers.xai.sockets import SOCKETS

HOST = "api"
RATE = 24000  # "Defaults to MP3 at 24 kHz / 128 kbps"
RATES = (8000, 16000, 22050, 24000, 44100, 48000)

# pcm: the pricing page's "MP3 / WAV / PCM / μ-law / A-law formats" (read 2026-11-25), and the official client's
# `_ALLOWED_CODECS = frozenset({"mp3", "wav", "pcm", "mulaw", "alaw"})` (source: sdk, SDK): headerless samples, 16-bit
# little-endian as the client's callers read them (Pipecat's XAIHttpTTSService asks for it by default). Its answer's
# Content-Type is in neither: audio/pcm, the name the family reads headerless samples by.
FORMATS = (
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=RATES),
    Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES),
    Format(name="pcm", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type="audio/pcm", rates=RATES),
    # mulaw, alaw: the same two lists name them, neither says a header or a rate: answered as assumed
    g711("mulaw", "pcm_mulaw", RATES),
    g711("alaw", "pcm_alaw", RATES),
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


SYNTHESIZE = Endpoint(
    key="tts",
    method="POST",
    path="/v1/tts",
    host=HOST,
    role=Role.STREAM,
    summary="Text to speech: convert text into speech audio (raw audio bytes)",
    request=SpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(AudioBody(tuple(dict.fromkeys(f.media_type for f in FORMATS))),),
            description="The response body contains raw audio bytes",
        ),
        # No error status is in the stored pages; these are the ones every call can meet, marked inferred.
        _error(400, "a request the reference forbids"),
        _error(401, "no valid bearer key"),
        _error(429, "rate limited"),
        _error(500, "a server fault"),
    ),
    example={"text": "Hello! Welcome to the xAI Text to Speech API.", "voice_id": "eve", "language": "en"},
    doc=REFERENCE,
)

# "ara Warm and conversational; eve Energetic and upbeat; leo Authoritative and strong; rex Clear and professional;
# sal Smooth and balanced". A voices listing exists (GET /v1/tts/voices) but its body is not in the stored text.
DOCUMENTED_VOICES = ("eve", "ara", "leo", "rex", "sal")
# Read again 2026-11-25. The guide still says "The API supports 5 expressive voices"; fal.ai's xAI endpoint, a client
# of the API, offers 23 more as "Built-in xAI voice to use for synthesis" (`FAL_XAI`: "Options: carina, zagan, helix,
# orion, luna, iris, altair, zenith, perseus, helios, lux, kepler, rigel, cosmo, celeste, ursa, sirius, lumen, castor,
# naksh, atlas, aurora, liora, ara, eve, leo, rex, sal"; source: client): declared, as the sandbox is never stricter.
FAL_XAI = "https://fal.ai/models/xai/tts/v1/llms.txt (voice: VoiceEnum)"
CLIENT_VOICES = (
    "carina",
    "zagan",
    "helix",
    "orion",
    "luna",
    "iris",
    "altair",
    "zenith",
    "perseus",
    "helios",
    "lux",
    "kepler",
    "rigel",
    "cosmo",
    "celeste",
    "ursa",
    "sirius",
    "lumen",
    "castor",
    "naksh",
    "atlas",
    "aurora",
    "liora",
)
VOICE_LIST = tuple(Voice(name, "en-US") for name in (*DOCUMENTED_VOICES, *CLIENT_VOICES))

# voice_id: "Case-insensitive" (REFERENCE); "Non viene fatta distinzione tra maiuscole e minuscole nei nomi voce. Ad
# esempio, ara, Ara e ARA sono accettati" (Oracle's page for the same model, xai.grok-tts, `OCI_XAI`). A name in title
# or upper case is the voice it spells, with a finding (the spellings clients write; any other mix of cases is left to
# the imitation's exact match).
OCI_XAI = "https://docs.oracle.com/it-it/iaas/Content/generative-ai/xai-grok-tts.htm (Voci)"
VALUE_VARIANTS = tuple(
    ValueVariant(
        at="/voice_id",
        sent=spelled,
        means=voice.name,
        evidence=(
            Evidence(library=REFERENCE, call='voice_id: "Case-insensitive"'),
            Evidence(library=OCI_XAI, call="ara, Ara e ARA sono accettati"),
        ),
        words="the reference says voice ids are case-insensitive",
    )
    for voice in VOICE_LIST
    for spelled in (voice.name.title(), voice.name.upper())
)

MODELS = (
    Model(
        name="grok-tts",
        synthesis=SYNTHESIZE.key,
        voice="eve",
        max_chars=MAX_TEXT_CHARS,
        description="xAI text to speech (voice eve; the request names no model)",
    ),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "Client specified an invalid argument", "{detail}"),
    missing_key=SpeechRefusal(401, "Unauthenticated", "No API key provided."),
    bad_key=SpeechRefusal(401, "Unauthenticated", "Incorrect API key provided."),
    unknown_voice=SpeechRefusal(400, "Client specified an invalid argument", "Unknown voice_id: {detail}"),
    rate_limited=SpeechRefusal(429, "Too many requests", "Rate limit exceeded."),
    quota=SpeechRefusal(429, "Too many requests", "Your team has run out of credits."),
    server_error=SpeechRefusal(500, "Internal error", "Internal server error."),
)

SERVICE = SpeechService(
    name="xai",
    title="xAI Text to Speech (REST; the streaming WebSocket, from its clients)",
    hosts={HOST: "https://api.x.ai"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="XAI_API_KEY",
    docs=(REFERENCE, GUIDE, INTEGRATION, PRICING, SDK),
    error_model=ErrorBody,
    errors=ErrorShape({"code": "{code}", "error": "{message}"}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SYNTHESIZE,
            slots=Slots(
                text="/text", voice="/voice_id", format="/output_format/codec", rate="/output_format/sample_rate"
            ),
            formats=FORMATS,
            default_format="mp3",
            template={"language": "en"},
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    value_variants=VALUE_VARIANTS,
    doc_drift=(
        DocDrift(
            "output_format",
            'The guide gives output_format as an object ("Defaults to MP3 at 24 kHz / '
            '128 kbps. See Output Formats") but the stored pages do not hold that table: its codec, '
            "sample_rate and bit_rate are declared as integrations pass them.",
            (GUIDE, INTEGRATION),
        ),
        DocDrift(
            "errors",
            "No error body or status is in the stored pages: the declared {code, error} body and "
            "400/401/429/500 are inferred; check them against the provider.",
            (REFERENCE,),
        ),
        DocDrift(
            "streaming socket",
            'The reference\'s "Streaming text to speech" WebSocket is shown only as '
            '"Loading WebSocket spec…" in the stored pages: declared from independent clients '
            "(sockets.STREAM, source: client), not from the provider's word.",
            (REFERENCE,),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
