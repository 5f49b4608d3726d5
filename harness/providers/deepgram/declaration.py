"""Deepgram's Aura text-to-speech as its reference describes it, in the HTTP speech family's terms: `POST /v1/speak`
answering the audio as the body, its settings in the query (model, encoding, container, sample_rate), the key as
`Authorization: Token KEY`; with the `/v1/speak` WebSocket (`sockets`). Aura-2 and Aura voices, each a model: a
Deepgram voice is its model name.

From the getting-started guide (GETTING_STARTED, read 2026-11-25): `--url
"https://api.deepgram.com/v1/speak?model=aura-2-thalia-en"`, `Authorization: Token DEEPGRAM_API_KEY`, "If you do not
specify a model, the default voice model aura-asteria-en will be used." Deepgram's pricing page is not in the stored
material (what is stored are resellers' prices): unpriced rather than guessed. The benchmark's offerings are the
socket's (the models' names over `/v1/speak`'s WebSocket), as they always were.
"""

from __future__ import annotations

from harness.core.evidence import DOCUMENTS, Evidence, EvidenceSource
from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal
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
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import AudioBody, Auth, BodyKind, DocDrift, Endpoint, JsonBody, Response, Role
from harness.providers.deepgram.models import (
    DEFAULT_MODEL,
    GETTING_STARTED,
    MEDIA,
    REFERENCE,
    SAMPLE_RATE,
    ErrorBody,
    SpeakRequest,
)
from harness.providers.deepgram.sockets import CLEAR, ERRORS, FLUSH, RATES, SOCKETS, WS_REFERENCE

HOST = "api"
CHANGELOG = "https://developers.deepgram.com/changelog/2022/11/8"
CONTAINER = "https://developers.deepgram.com/docs/tts-container"
MODELS = ("aura-2-thalia-en", "aura-2-andromeda-en", "aura-asteria-en")

# The `encoding` values the sandbox answers, each in its default container (MEDIA's table): linear16, mulaw and alaw in
# WAV ("REST Defaults ... container: wav"), opus in Ogg, mp3 and flac as themselves; the rate "Based on encoding 8000
# or 24000" (SAMPLE_RATE). mp3 first: the benchmark's REST wish is lossless (`wanted_format`), the default is mp3.
# `container=none`: the same samples without the WAV header ("The Container feature allows users to specify the
# desired file format wrapper for the output audio", CONTAINER; the reference's `container` enum: none, wav, ogg), for
# the three encodings whose default container is WAV. Each is the format whose `sets` a request holds
# (`Synthesis.format_of`): encoding=linear16 alone, or with container=wav, stays the WAV above. No stored page names
# the media type of headerless samples: the generic one the endpoint's declared answers list.
RAW = (
    ("linear16", "pcm_s16le", 24000, RATES),
    ("mulaw", "pcm_mulaw", 8000, (8000, 16000)),
    ("alaw", "pcm_alaw", 8000, (8000, 16000)),
)
FORMATS = (
    Format(name="mp3", spec=AudioSpec("mp3", 24000, "mp3"), media_type="audio/mpeg"),
    Format(name="linear16", spec=AudioSpec("pcm_s16le", 24000, "wav"), media_type="audio/wav", rates=RATES),
    Format(name="mulaw", spec=AudioSpec("pcm_mulaw", 8000, "wav"), media_type="audio/wav", rates=(8000, 16000)),
    Format(name="alaw", spec=AudioSpec("pcm_alaw", 8000, "wav"), media_type="audio/wav", rates=(8000, 16000)),
    Format(name="opus", spec=AudioSpec("opus", 48000, "ogg"), media_type="audio/ogg"),
    Format(
        name="flac",
        spec=AudioSpec("flac", 24000, "flac"),
        media_type="audio/flac",
        rates=(8000, 16000, 22050, 32000, 48000, 24000),
    ),
    *(
        Format(
            name=f"{name}-none",
            spec=AudioSpec(codec, rate, "raw"),
            media_type="application/octet-stream",
            rates=rates,
            sets={"/encoding": name, "/container": "none"},
        )
        for name, codec, rate, rates in RAW
    ),
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words)


SPEAK = Endpoint(
    key="speak.request",
    method="POST",
    path="/v1/speak",
    host=HOST,
    role=Role.AUDIO,
    summary="Single Text Request: the audio of one text",
    request=SpeakRequest,
    body_kind=BodyKind.JSON,
    query_fields=("model", "encoding", "container", "sample_rate", "bit_rate"),
    responses=(
        Response(
            status=200,
            bodies=(
                AudioBody(
                    ("audio/mpeg", "audio/wav", "audio/ogg", "audio/flac", "audio/aac", "application/octet-stream")
                ),
            ),
            description="audio",
        ),
        _error(400, "invalid query parameter or body"),
        _error(401, "invalid credentials"),
        _error(402, "insufficient credits"),
        _error(429, "too many concurrent requests"),
    ),
    example={"text": "Hello, how can I help you today?", "model": "aura-2-thalia-en"},
    doc=REFERENCE,
)

# Every voice model the official client lists beyond the three offerings (deepgram-sdk 7.17.0,
# types/speak_v1model.py: `SpeakV1Model = typing.Union[typing.Literal["aura-angus-en", ..., "aura-2-uzume-ja"],
# typing.Any]`, read 2026-11-25), each named as the Voices and Languages page (VOICES_PAGE) says a model is named:
# "each identified by a unique model name following the format [modelname]-[voicename]-[language]"; the page's
# featured voices include aura-2-helena-en, Pipecat's default (pipecat-ai 1.14.0 DeepgramTTSService:
# voice="aura-2-helena-en"). Spoken like the offering of their generation (Aura-2 like aura-2-thalia-en, Aura like
# aura-asteria-en), unpriced, no offerings of the market.
VOICES_PAGE = "https://developers.deepgram.com/docs/tts-models"
SDK_MODELS = (
    "aura-angus-en",
    "aura-arcas-en",
    "aura-athena-en",
    "aura-helios-en",
    "aura-hera-en",
    "aura-luna-en",
    "aura-orion-en",
    "aura-orpheus-en",
    "aura-perseus-en",
    "aura-stella-en",
    "aura-zeus-en",
    "aura-2-amalthea-en",
    "aura-2-apollo-en",
    "aura-2-arcas-en",
    "aura-2-aries-en",
    "aura-2-asteria-en",
    "aura-2-athena-en",
    "aura-2-atlas-en",
    "aura-2-aurora-en",
    "aura-2-callista-en",
    "aura-2-cora-en",
    "aura-2-cordelia-en",
    "aura-2-delia-en",
    "aura-2-draco-en",
    "aura-2-electra-en",
    "aura-2-harmonia-en",
    "aura-2-helena-en",
    "aura-2-hera-en",
    "aura-2-hermes-en",
    "aura-2-hyperion-en",
    "aura-2-iris-en",
    "aura-2-janus-en",
    "aura-2-juno-en",
    "aura-2-jupiter-en",
    "aura-2-luna-en",
    "aura-2-mars-en",
    "aura-2-minerva-en",
    "aura-2-neptune-en",
    "aura-2-odysseus-en",
    "aura-2-ophelia-en",
    "aura-2-orion-en",
    "aura-2-orpheus-en",
    "aura-2-pandora-en",
    "aura-2-phoebe-en",
    "aura-2-pluto-en",
    "aura-2-saturn-en",
    "aura-2-selene-en",
    "aura-2-theia-en",
    "aura-2-vesta-en",
    "aura-2-zeus-en",
    "aura-2-agustina-es",
    "aura-2-alvaro-es",
    "aura-2-antonia-es",
    "aura-2-aquila-es",
    "aura-2-carina-es",
    "aura-2-celeste-es",
    "aura-2-diana-es",
    "aura-2-estrella-es",
    "aura-2-gloria-es",
    "aura-2-javier-es",
    "aura-2-luciano-es",
    "aura-2-nestor-es",
    "aura-2-olivia-es",
    "aura-2-selena-es",
    "aura-2-silvia-es",
    "aura-2-sirio-es",
    "aura-2-valerio-es",
    "aura-2-aurelia-de",
    "aura-2-elara-de",
    "aura-2-fabian-de",
    "aura-2-julius-de",
    "aura-2-kara-de",
    "aura-2-lara-de",
    "aura-2-viktoria-de",
    "aura-2-beatrix-nl",
    "aura-2-cornelia-nl",
    "aura-2-daphne-nl",
    "aura-2-hestia-nl",
    "aura-2-lars-nl",
    "aura-2-leda-nl",
    "aura-2-rhea-nl",
    "aura-2-roman-nl",
    "aura-2-sander-nl",
    "aura-2-agathe-fr",
    "aura-2-hector-fr",
    "aura-2-cesare-it",
    "aura-2-cinzia-it",
    "aura-2-demetra-it",
    "aura-2-dionisio-it",
    "aura-2-elio-it",
    "aura-2-flavio-it",
    "aura-2-livia-it",
    "aura-2-maia-it",
    "aura-2-melia-it",
    "aura-2-ama-ja",
    "aura-2-ebisu-ja",
    "aura-2-fujin-ja",
    "aura-2-izanami-ja",
    "aura-2-uzume-ja",
)
# Names LiveKit Agents' plugin offers its users (livekit-plugins-deepgram 1.8.9, models.TTSModels, "# Aura-2 English")
# that neither the official client nor a stored page lists: a client's values, taken (source: client).
CLIENT_MODELS = (
    "aura-2-artemis-en",
    "aura-2-callisto-en",
    "aura-2-cetus-en",
    "aura-2-chiron-en",
    "aura-2-columbia-en",
    "aura-2-crina-en",
    "aura-2-eos-en",
    "aura-2-helios-en",
    "aura-2-io-en",
    "aura-2-mira-en",
    "aura-2-ophiuchus-en",
    "aura-2-titan-en",
    "aura-2-triton-en",
    "aura-2-vega-en",
    "aura-2-venus-en",
)
_SDK = Evidence(EvidenceSource.SDK, "deepgram-sdk==7.17.0", "speak.v1.audio.generate (SpeakV1Model)")
_LIVEKIT = Evidence(EvidenceSource.CLIENT, "livekit-plugins-deepgram==1.8.9", "TTS(model=...): TTSModels")


def _known(name: str, evidence: tuple[Evidence, ...], words: str) -> KnownModel:
    return KnownModel(
        name=name,
        like="aura-2-thalia-en" if name.startswith("aura-2-") else "aura-asteria-en",
        words=words,
        evidence=evidence,
    )


KNOWN_MODELS = (
    *(
        _known(
            name,
            (DOCUMENTS, _SDK),
            f'SpeakV1Model = Literal[..., "{name}", ...] (deepgram-sdk 7.17.0); '
            '"[modelname]-[voicename]-[language]" (' + VOICES_PAGE + "), read 2026-11-25",
        )
        for name in SDK_MODELS
    ),
    *(
        _known(
            name,
            (_LIVEKIT,),
            f'TTSModels = Literal[..., "{name}", ...] (livekit-plugins-deepgram 1.8.9, read 2026-11-25)',
        )
        for name in CLIENT_MODELS
    ),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "INVALID_QUERY_PARAMETER", "{detail}"),
    missing_key=SpeechRefusal(401, "INVALID_AUTH", "Invalid credentials."),
    bad_key=SpeechRefusal(401, "INVALID_AUTH", "Invalid credentials."),
    unknown_voice=SpeechRefusal(400, "INVALID_QUERY_PARAMETER", "No such model: {detail}."),
    unknown_model=SpeechRefusal(400, "INVALID_QUERY_PARAMETER", "No such model: {detail}."),
    rate_limited=SpeechRefusal(429, "TOO_MANY_REQUESTS", "Too many requests. Please try again later."),
    quota=SpeechRefusal(402, "INSUFFICIENT_CREDITS", "Insufficient credits."),
    not_found=SpeechRefusal(404, "NOT_FOUND", "Not found: {detail}"),
    busy=SpeechRefusal(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable."),
    server_error=SpeechRefusal(500, "INTERNAL_SERVER_ERROR", "Internal server error."),
)

# The characters Deepgram counted for a /v1/speak request: a header its documents do not enumerate.
BILLING = (
    BilledSignal(
        unit=Unit.CHARACTERS,
        header="dg-char-count",
        source="client",
        evidence=(
            '"The field list was taken from a live /v1/speak response rather than from the documentation, which does '
            'not enumerate these headers" (the community Rust SDK, docs.rs/crate/deepgram/0.14.0 '
            'src/speak/response.rs); clients: "Useful response headers: dg-model-name, dg-char-count, dg-request-id", '
            "preg_match('/^dg-char-count:\\s*(\\d+)/mi', ...) as the billed character count"
        ),
    ),
)


SERVICE = SpeechService(
    name="deepgram",
    title="Deepgram Aura (speak REST and WebSocket)",
    hosts={HOST: "https://api.deepgram.com"},
    auth=Auth(header="Authorization", scheme="Token"),
    key_env="DEEPGRAM_API_KEY",
    docs=(REFERENCE, WS_REFERENCE, FLUSH, ERRORS, GETTING_STARTED, CLEAR, MEDIA, SAMPLE_RATE, CHANGELOG, CONTAINER),
    error_model=ErrorBody,
    # The reason also in `dg-error`, as a refused WebSocket upgrade carries it (sockets); the sandbox writes it on
    # every error answer (DocDrift).
    errors=ErrorShape(
        {"err_code": "{code}", "err_msg": "{message}", "request_id": "{id}"}, headers={"dg-error": "{message}"}
    ),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SPEAK,
            slots=Slots(text="/text", model="/model", format="/encoding", rate="/sample_rate"),
            formats=FORMATS,
            default_format="mp3",
            rate_as_text=True,
            default_model=DEFAULT_MODEL,
            billing=BILLING,
        ),
    ),
    models=tuple(
        Model(name=name, synthesis=SPEAK.key, voice=name, description=f"{name} over the Deepgram speak WebSocket")
        for name in MODELS
    ),
    voices=tuple(Voice(name, "en-US", models=(name,)) for name in MODELS),  # a Deepgram voice is its model
    known_models=KNOWN_MODELS,
    # "The request ID is stored in the HTTP header named dg-request-id. This header is present in all requests,
    # regardless of success or failure. In case of request failure, an additional HTTP header named dg-error will be
    # included with the body of the error." (CHANGELOG, of the streaming APIs' upgrade; Deepgram's REST answers carry
    # dg-request-id too, as the community Rust SDK reads it from a live /v1/speak answer: source: sdk)
    request_id_header="dg-request-id",
    file_protocols=("deepgram-speak",),
    doc_drift=(
        DocDrift(
            "encoding default",
            "The reference gives encoding's default as mp3; Media Output Settings "
            'gives "REST Defaults encoding: Linear16 container: wav". The sandbox answers mp3.',
            (REFERENCE, MEDIA),
        ),
        DocDrift(
            "container",
            "container=none is answered as the samples alone for linear16, mulaw and alaw; "
            "container=ogg, and none for the other encodings, are answered in the encoding's default "
            "container.",
            (MEDIA, CONTAINER),
        ),
        DocDrift(
            "aac",
            "aac is a documented encoding the sandbox does not answer (no encoder): declared formats only.",
            (REFERENCE, MEDIA),
        ),
        DocDrift(
            "dg-error",
            "A refused WebSocket upgrade names its reason in the dg-error header (CHANGELOG; "
            "Pipecat's DeepgramTTSService reads it); the sandbox writes it on its REST error answers too.",
            (CHANGELOG, REFERENCE),
        ),
        DocDrift("bit_rate", "bit_rate is read and not honoured by the sandbox.", (REFERENCE,)),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)  # with its speak WebSocket (`sockets`)
