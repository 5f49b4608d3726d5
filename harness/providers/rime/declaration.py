"""Rime's text to speech as its documents describe it, in the HTTP speech family's terms: `POST /v1/rime-tts`
answering the audio as the body in the form its `Accept` header names, the bearer key, and a model per family
(Coda, Arcana, Mist v2) with the voice the documents pair with it.
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
from harness.core.protocols.markup import Markup, Syntax, Tag, TagKind
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import AudioBody, Auth, BodyKind, DocDrift, Endpoint, JsonBody, Response, Role
from harness.providers.rime.models import (
    ARCANA_HTTP,
    CLI,
    CUSTOM_PAUSES,
    MCP,
    MIST_V2_HTTP,
    MODELS_PAGE,
    MP3_RATES,
    QUICKSTART,
    RATES,
    ErrorBody,
    SpeechRequest,
)
from harness.providers.rime.sockets import OVERVIEW, SEGMENT, SOCKETS, WS_HOST, WS_JSON, WS_PLAIN, WS_PLAIN_ARCANA

HOST = "api"
RATE = 24000  # samplingRate's "default: 24000" (ARCANA_HTTP)

# Each Accept value the pages list for a form the sandbox writes; headerless PCM is "16-bit little-endian linear PCM"
# at the requested samplingRate. The first of each container is the one the benchmark asks for.
FORMATS = (
    Format(name="audio/mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=MP3_RATES),
    Format(name="audio/wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES),
    Format(name="audio/pcm", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type="audio/pcm", rates=RATES),
    # Mist v2's RFC names for the same forms, whose deprecated aliases are audio/mp3 and audio/pcm (MIST_V2_HTTP).
    Format(name="audio/mpeg", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=MP3_RATES),
    Format(name="audio/L16", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type="audio/pcm", rates=RATES),
    # "audio/x-mulaw" (ARCANA_HTTP's table) and Mist v2's RFC name for it, "audio/PCMU" (MIST_V2_HTTP): headerless
    # G.711 mu-law at the requested samplingRate, answered under the name asked for (the pages name no Content-Type).
    Format(name="audio/x-mulaw", spec=AudioSpec("pcm_mulaw", RATE, "raw"), media_type="audio/x-mulaw", rates=RATES),
    Format(name="audio/PCMU", spec=AudioSpec("pcm_mulaw", RATE, "raw"), media_type="audio/pcmu", rates=RATES),
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


SYNTHESIZE = Endpoint(
    key="rime-tts",
    method="POST",
    path="/v1/rime-tts",
    host=HOST,
    role=Role.STREAM,
    summary="Text to speech: the audio as the body, in the form the Accept header names",
    request=SpeechRequest,
    body_kind=BodyKind.JSON,
    header_fields={"accept": "Accept"},
    responses=(
        Response(
            status=200,
            bodies=(
                AudioBody(
                    ("audio/mpeg", "audio/mp3", "audio/wav", "audio/pcm", "audio/x-mulaw", "audio/pcmu"), pcm_rate=RATE
                ),
            ),
            description="The audio",
        ),
        _error(400, "a request the documents forbid"),
        _error(401, "no valid bearer key"),
        _error(429, "rate limited"),
        _error(500, "a server fault"),
    ),
    example={"text": "Hello! This is Rime speaking.", "speaker": "celeste", "modelId": "arcana", "accept": "audio/mp3"},
    doc=QUICKSTART,
)

# Voices the documents pair with models: celeste (Arcana, the quickstart), lyra (Coda, the MCP reference's demo), cove
# (Mist v2, integrations' examples). Read again 2026-11-25: the CLI reference's "--speaker ... (e.g., astra, celeste,
# orion)" (orion's model unsaid: every model), astra the MCP quickstart's voice and LiveKit's default for Arcana models,
# cove LiveKit's default for every Mist model (source: client, `LIVEKIT`). A voice of arcana or mistv2 speaks the known
# models spoken like it (arcanav2, arcanav3; mist, mistv3: `KNOWN_MODELS`).
VOICE_LIST = (
    Voice("celeste", "en-US", models=("arcana",)),
    Voice("lyra", "en-US", models=("coda",)),
    Voice("cove", "en-US", models=("mistv2",)),
    Voice("astra", "en-US", models=("arcana",)),
    Voice("orion", "en-US"),
)

MODELS = tuple(
    Model(name=name, synthesis=SYNTHESIZE.key, voice=voice, description=f"Rime {name} (voice {voice})")
    for name, voice in (("coda", "lyra"), ("arcana", "celeste"), ("mistv2", "cove"))
)

# The model IDs the references give beyond the three offerings (read 2026-11-25): the models page's "Rime currently
# has five models in production: `coda`, `arcanav3`, `arcanav2`, `mistv3`, and `mistv2`" and the CLI reference's
# "Model ID: `coda`, `arcana`, `arcanav2`, `mistv3`, `mistv2`, or `mist`". Known models, taken by the HTTP API and both
# sockets: each Arcana version spoken like arcana, each Mist version like mistv2 (their voices, their formats). None
# an alias: each version is a model of its own on the pages (no "equivalent to", no price said the same), so unpriced.
_MODELS_WORDS = (
    '"Rime currently has five models in production: `coda`, `arcanav3`, `arcanav2`, `mistv3`, and '
    '`mistv2`" (' + MODELS_PAGE + ", read 2026-11-25)"
)
_CLI_WORDS = '"Model ID: `coda`, `arcana`, `arcanav2`, `mistv3`, `mistv2`, or `mist`" (' + CLI + ", read 2026-11-25)"
KNOWN_MODELS = (
    KnownModel(name="arcanav3", like="arcana", words=_MODELS_WORDS),
    KnownModel(name="arcanav2", like="arcana", words=_MODELS_WORDS),
    KnownModel(name="mistv3", like="mistv2", words=_MODELS_WORDS),
    KnownModel(name="mist", like="mistv2", words=_CLI_WORDS),
)

# Custom pauses: the pause's milliseconds in angle brackets, read where the request sets pauseBetweenBrackets, on the
# Mist family only (the page names no other model: on Coda and Arcana the marker is read as nothing, never spoken).
MARKUP = Markup(
    syntax=Syntax.INLINE,
    tags=(
        Tag(
            kind=TagKind.BREAK,
            form=" <{ms}> ",
            doc=CUSTOM_PAUSES,
            pattern=r"<\s*(?P<ms>\d+)\s*>",
            unsupported_on=("coda", "arcana", "arcanav2", "arcanav3"),
            quote='"Custom pauses are supported by Mist, Mist v2, and Mist v3. ... To insert a shorter or longer pause '
            "within "
            "a sentence, simply insert the length of your desired pause in milliseconds within angle brackets. For "
            "example, <750> inserts a pause of 750 milliseconds (or .75 seconds). ... When making an API request, you "
            'must set pauseBetweenBrackets to true" {"text": "wait. <750> are you actually serious.", ... '
            '"modelId": "mistv2", "pauseBetweenBrackets": true} (read 2026-11-26)',
        ),
    ),
    also_sets=(("/pauseBetweenBrackets", True),),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "invalid_request", "{detail}"),
    missing_key=SpeechRefusal(401, "unauthorized", "Missing API key"),
    bad_key=SpeechRefusal(401, "unauthorized", "Invalid API key"),
    unknown_voice=SpeechRefusal(400, "invalid_request", "Speaker {detail} is not available for this model"),
    rate_limited=SpeechRefusal(429, "rate_limited", "Too many requests"),
    quota=SpeechRefusal(402, "payment_required", "Out of credits"),
    server_error=SpeechRefusal(500, "server_error", "Internal server error"),
)

SERVICE = SpeechService(
    name="rime",
    title="Rime text to speech (HTTP) and its WebSockets",
    hosts={HOST: "https://users.rime.ai", WS_HOST: "https://users-ws.rime.ai"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="RIME_API_KEY",
    docs=(QUICKSTART, CLI, MCP, WS_JSON, SEGMENT, OVERVIEW, WS_PLAIN, WS_PLAIN_ARCANA, ARCANA_HTTP, MIST_V2_HTTP),
    error_model=ErrorBody,
    errors=ErrorShape({"message": "{message}"}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SYNTHESIZE,
            slots=Slots(text="/text", voice="/speaker", model="/modelId", format="/accept", rate="/samplingRate"),
            formats=FORMATS,
            default_format="audio/mp3",
            markup=MARKUP,
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    known_models=KNOWN_MODELS,
    doc_drift=(
        DocDrift(
            "JSON form",
            "Third parties' code asks Accept: application/json for a JSON envelope, but the "
            "stored pages list only audio Accept values and show no such answer: the family could declare "
            "it as a second answer form of the path (Synthesis.chosen_by on /accept), its fields are not "
            "written, so it is not declared.",
            (QUICKSTART, CLI),
        ),
        DocDrift("errors", "No error body or status is in the stored pages: inferred.", (QUICKSTART,)),
        DocDrift(
            "formats",
            "Opus (audio/webm;codecs=opus, audio/ogg;codecs=opus) is a documented Accept "
            "value the declaration does not answer (a refusal the documents do not state: "
            "docs/sandbox-differences.md); MP3 is answered at the MPEG sample rates only; mu-law's "
            "Content-Type is not given: the Accept value asked for.",
            (ARCANA_HTTP, MIST_V2_HTTP),
        ),
        DocDrift(
            "Accept",
            "The pages list the Accept values and say nothing of a media range (*/*, audio/*: "
            "what a client sends when it names no format) or of no Accept at all: the imitation answers "
            "both in the default, audio/mp3, rather than refuse. A finding, not documented behaviour.",
            (ARCANA_HTTP, QUICKSTART),
        ),
        DocDrift(
            "rates",
            "Mist v2's page gives each format its own default rate (audio/mpeg 22050, audio/L16 "
            "16000); without samplingRate the declaration answers 24000, Arcana's and Mist v3's default, "
            "whatever the model.",
            (MIST_V2_HTTP, ARCANA_HTTP),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)  # with its JSON and plain-text WebSockets (`sockets`)
