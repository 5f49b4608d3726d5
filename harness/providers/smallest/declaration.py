"""Smallest.ai's Waves text to speech in the HTTP speech family's terms: the synchronous `POST /waves/v1/tts`
answering the audio itself, as its reference describes it; and, as its official client describes it (source: sdk),
`POST /waves/v1/tts/live` answering Server-Sent Events whose messages carry base64 PCM at `/data/audio` and end with
"complete", with its WebSocket twin in `sockets`.
"""

from __future__ import annotations

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
    EventStreamBody,
    Evidence,
    EvidenceSource,
    JsonBody,
    Response,
    Role,
)
from harness.providers.smallest.models import (
    REFERENCE,
    SDK,
    SDK_SYNTHESIZE,
    ErrorBody,
    SynthesizeRequest,
    TtsRequest,
    TtsResponse,
)
from harness.providers.smallest.sockets import RATE, SOCKETS, WORD_TIMESTAMPS

HOST = "api"
PCM = f"audio/pcm;rate={RATE}"
FORMATS = (
    Format(name="pcm", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=PCM, rates=(8000, 16000, 24000, 44100)),
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


LIVE = Endpoint(
    key="tts.live",
    method="POST",
    path="/waves/v1/tts/live",
    host=HOST,
    role=Role.STREAM,
    summary="Live TTS over Server-Sent Events: chunks of base64 PCM, then complete",
    request=TtsRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(EventStreamBody(TtsResponse, audio=AudioAt("/data/audio", media_type=PCM)),),
            description="SSE: {status: chunk, data: {audio}} ... {status: complete}",
        ),
        _error(400, "a request the API refuses"),
        _error(401, "invalid credentials"),
        _error(429, "rate limited"),
        _error(500, "a server fault"),
    ),
    example={"voice_id": "emily", "text": "Hello from Waves.", "model": "lightning_v3.1", "sample_rate": 24000},
    doc=SDK,
)

SYNTHESIS_RATE = 44100  # "44 kHz natural, expressive synthesis"; sample_rate's default
RATES = (8000, 16000, 24000, 44100)
# wav first (a whole file the benchmark decodes), then mp3 and headerless pcm (the server's default when
# output_format is left out); ulaw and alaw, whose header and rate are not said, answered as assumed.
SYNTHESIS_FORMATS = (
    Format(name="wav", spec=AudioSpec("pcm_s16le", SYNTHESIS_RATE, "wav"), media_type="audio/wav", rates=RATES),
    Format(
        name="mp3", spec=AudioSpec("mp3", SYNTHESIS_RATE, "mp3"), media_type="audio/mpeg", rates=(16000, 24000, 44100)
    ),
    Format(
        name="pcm",
        spec=AudioSpec("pcm_s16le", SYNTHESIS_RATE, "raw"),
        media_type=f"audio/pcm;rate={SYNTHESIS_RATE}",
        rates=RATES,
    ),
    g711("ulaw", "pcm_mulaw", RATES),
    g711("alaw", "pcm_alaw", RATES),
)

SYNTHESIZE = Endpoint(
    key="tts",
    method="POST",
    path="/waves/v1/tts",
    host=HOST,
    role=Role.AUDIO,
    summary="Synthesize speech in a single request: the binary audio in the format asked for",
    request=SynthesizeRequest,
    body_kind=BodyKind.JSON,
    header_fields={"accept": "Accept"},
    responses=(
        Response(
            status=200,
            bodies=(
                AudioBody(
                    ("audio/wav", "audio/mpeg", "audio/pcm", "audio/basic", "audio/pcma"), pcm_rate=SYNTHESIS_RATE
                ),
            ),
            description="Synthesized speech retrieved successfully.",
        ),
        _error(400, "a request the API refuses (Invalid input data)"),
        _error(401, "invalid credentials"),
        _error(429, "rate limited"),
        _error(500, "a server fault"),
    ),
    example={
        "text": "Hello from Waves TTS.",
        "voice_id": "magnus",
        "sample_rate": 24000,
        "output_format": "wav",
        "accept": "audio/wav",
    },
    doc=REFERENCE,
)

# "emily" is the voice of the client's examples; catalogs differ per model ("Voice catalogs differ"). Read again
# 2026-11-25, the voices clients send by default, declared so they are spoken as listed (the open catalogue would take
# them with a finding): Pipecat's `_MODEL_DEFAULT_VOICES` (pipecat-ai==1.14.0, pipecat/services/smallest/tts.py:
# lightning_v3.1 "sophia", lightning_v3.1_pro "meher", the service's default model), and jambonz's Smallest AI guide's
# "A voice is a lowercase id such as kaitlyn, meher or rhea" (`JAMBONZ`); source: client.
JAMBONZ = "https://docs.jambonz.org/guides/features/tts-vendor-settings/smallest-ai (Models; Voices and languages)"
# Each tied to no model: the open catalogue would speak them on any, and no page says which model refuses which.
VOICE_LIST = (
    Voice("emily", "en-US", "female"),
    *(Voice(name, "en-US") for name in ("sophia", "meher", "kaitlyn", "rhea")),
)

# lightning_v3.1_pro_10_26: jambonz's guide lists it as "Preview of the next Pro checkpoint" beside "lightning_v3.1_pro
# Default." (source: client, read 2026-11-25); no stored Smallest page names or refuses it. A known model spoken like
# lightning_v3.1_pro on the live stream, the synchronous endpoint and the socket, with a finding naming the guide; an
# alias (priced as lightning_v3.1_pro): a dated checkpoint (10_26) of that same Pro model, not another model.
KNOWN_MODELS = (
    KnownModel(
        name="lightning_v3.1_pro_10_26",
        like="lightning_v3.1_pro",
        words='"lightning_v3.1_pro Default."; "lightning_v3.1_pro_10_26 Preview of the next Pro checkpoint" ('
        + JAMBONZ
        + ", read 2026-11-25); no stored Smallest page names it",
        evidence=(Evidence(EvidenceSource.CLIENT, JAMBONZ, "Models: lightning_v3.1_pro_10_26"),),
        alias=True,
    ),
)

MODELS = (
    *(
        Model(name=name, synthesis=LIVE.key, voice="emily", description=f"Smallest.ai {name} (voice emily)")
        for name in ("lightning_v3.1", "lightning_v3.1_pro")
    ),
    # The same models over the synchronous endpoint: their own offerings, the request naming each as it is.
    *(
        Model(
            name=f"{name}-sync",
            synthesis=SYNTHESIZE.key,
            voice="emily",
            sets={"/model": name},
            description=f"Smallest.ai {name} over the synchronous /waves/v1/tts (voice emily)",
        )
        for name in ("lightning_v3.1", "lightning_v3.1_pro")
    ),
)

# Open: "Voice catalogs differ" per model and the Get Voices endpoint lists them; the account's clones come from
# POST /waves/v1/voice-cloning, whose answer's example voiceId is "voice_dLP5T67Qw7" ("Use data.voiceId directly in
# any TTS call"). The ids shown (emily, magnus, irisha, voice_dLP5T67Qw7) are letters, digits and underscores.
VOICE_CATALOGUE = Catalogue(
    open=True,
    form=r"[A-Za-z0-9_]{1,64}",
    why="catalogs differ per model (Get Voices lists them); a clone's voiceId "
    '(voice_dLP5T67Qw7) is used "directly in any TTS call"',
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "error", "{detail}"),
    missing_key=SpeechRefusal(401, "error", "Websocket initialized with invalid credentials."),
    bad_key=SpeechRefusal(401, "error", "Websocket initialized with invalid credentials."),
    unknown_voice=SpeechRefusal(400, "error", "Voice not found: {detail}"),
    rate_limited=SpeechRefusal(429, "error", "Too many requests"),
    quota=SpeechRefusal(402, "error", "Insufficient credits"),
    server_error=SpeechRefusal(500, "error", "Internal server error"),
)

SERVICE = SpeechService(
    name="smallest",
    title="Smallest.ai Waves TTS (synchronous; live SSE; WebSocket)",
    hosts={HOST: "https://api.smallest.ai"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="SMALLEST_API_KEY",
    docs=(SDK, REFERENCE, SDK_SYNTHESIZE),
    error_model=ErrorBody,
    errors=ErrorShape({"status": "error", "message": "{message}"}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=LIVE,
            slots=Slots(text="/text", voice="/voice_id", model="/model", rate="/sample_rate"),
            formats=FORMATS,
            default_format="pcm",
            answer={"status": "chunk", "data": {}},
            last_event={"status": "complete"},
            marks=WORD_TIMESTAMPS,
        ),
        Synthesis(
            endpoint=SYNTHESIZE,
            slots=Slots(text="/text", voice="/voice_id", model="/model", format="/output_format", rate="/sample_rate"),
            formats=SYNTHESIS_FORMATS,
            default_format="pcm",
            template={"accept": "audio/wav"},
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    voice_catalogue=VOICE_CATALOGUE,
    known_models=KNOWN_MODELS,
    doc_drift=(
        DocDrift(
            "evidence",
            "The live endpoint's messages and statuses are the official client's (source: "
            "sdk); the synchronous /waves/v1/tts is the reference's.",
            (SDK, REFERENCE),
        ),
        DocDrift(
            "formats", "ulaw and alaw are documented output formats the declaration does not ask for.", (REFERENCE,)
        ),
        DocDrift(
            "Accept",
            'The reference asks for Accept: audio/wav and warns that "omitting it can return an '
            'empty or unplayable response"; it documents no refusal. The imitation takes any Accept (a '
            "client's default */*) or none and answers output_format's audio (pcm by default): what the "
            "provider answers then is not documented, a finding.",
            (REFERENCE, SDK_SYNTHESIZE),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
