"""MiniMax's T2A v2 as its documents describe it, in the HTTP speech family's terms: `POST /v1/t2a_v2` in its two
answer forms, picked by the body's `stream` — not streamed (the default) answering the audio as hex at `/data/audio`
beside `extra_info` and `base_resp`, and streamed (`true`) as Server-Sent Events each carrying a hex piece at
`/data/audio`, the last with status 2 and `extra_info` —, a bearer key, and the speech models priced per million
characters.
"""

from __future__ import annotations

from typing import get_args

from harness.core.evidence import DOCUMENTS, Evidence, EvidenceSource
from harness.core.languages import codes_of
from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal
from harness.core.protocols.catalogues import Catalogue, KnownModel
from harness.core.protocols.http_speech import (
    ErrorShape,
    Format,
    FormatWords,
    Model,
    Selector,
    Slots,
    SpeechRefusal,
    SpeechRefusals,
    SpeechService,
    Synthesis,
    Voice,
)
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import (
    AudioAt,
    Auth,
    BodyErrors,
    BodyKind,
    DocDrift,
    Endpoint,
    EventStreamBody,
    JsonBody,
    Response,
    Role,
)
from harness.providers.minimax.models import (
    ERRORS_REFERENCE,
    MAX_TEXT_CHARS,
    PRICING,
    REFERENCE,
    STREAM_CLIENT,
    STREAM_GATEWAY,
    STREAM_REFERENCE,
    ErrorBody,
    LanguageBoost,
    T2aV2Chunk,
    T2aV2Request,
    T2aV2Response,
)
from harness.providers.minimax.sockets import PCMU, SOCKETS

HOST = "api"
# sample_rate: "Supported values: [8000, 16000, 22050, 24000, 32000, 44100]". The reference gives no default; 32000
# is the rate of its example request and of its example answer (`extra_info.audio_sample_rate: 32000`).
RATES = (8000, 16000, 22050, 24000, 32000, 44100)
RATE = 32000

# format: "[mp3, pcm, flac, wav, pcmu_raw, pcmu_wav, opus]", default mp3 (REFERENCE, read 2026-11-25). Declared: the
# three that name themselves in their bytes, and `pcm`: headerless 16-bit samples at the asked `sample_rate`, which
# the hex carries with no media type of its own (the family reads them as the asked format: `asked_media_type`).
# `pcmu_raw`/`pcmu_wav`: μ-law whose rate and (for pcmu_raw) header are not said: answered as assumed (sockets.PCMU).
# Left out: `opus` (Ogg/Opus codes at 48 kHz, a rate `sample_rate` does not list).
FORMATS = (
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=RATES),
    Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES),
    Format(name="flac", spec=AudioSpec("flac", RATE, "flac"), media_type="audio/flac", rates=RATES),
    Format(name="pcm", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type="audio/pcm", rates=RATES),
    *PCMU,
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


# The OpenAPI documents the 200 answer only; its errors are `base_resp` codes (the answer's schema), which MiniMax
# writes in a 200 answer. These HTTP statuses are the family's imitation of those codes: marked inferred.
ERRORS = (
    _error(400, "2013 invalid input parameters; 1042 invisible characters exceed 10%"),
    _error(401, "1004 authentication failed; 2049 invalid API key"),
    _error(429, "1002 rate limit exceeded; 1039 TPM rate limit exceeded"),
    _error(500, "1000 unknown error"),
)

SYNTHESIZE = Endpoint(
    key="t2a.v2",
    method="POST",
    path="/v1/t2a_v2",
    host=HOST,
    role=Role.AUDIO,
    summary="Text to Audio V2 (non-streaming): hex audio at data.audio, extra_info and base_resp",
    request=T2aV2Request,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(JsonBody(T2aV2Response, audio=AudioAt("/data/audio", encoding="hex")),),
            description="T2aV2Resp: hex audio, extra_info, trace_id, base_resp",
        ),
        *ERRORS,
    ),
    example={
        "model": "speech-2.8-hd",
        "text": "Omg(sighs), the real danger is not that computers start thinking like "
        "people, but that people start thinking like computers. Computers can only help us with simple tasks.",
        "stream": False,
        "language_boost": "auto",
        "output_format": "hex",
        "voice_setting": {"voice_id": "English_expressive_narrator", "speed": 1, "vol": 1, "pitch": 0},
        "pronunciation_dict": {"tone": ["Omg/Oh my god"]},
        "audio_setting": {"sample_rate": 32000, "bitrate": 128000, "format": "mp3", "channel": 1},
        "voice_modify": {"pitch": 0, "intensity": 0, "timbre": 0, "sound_effects": "spacious_echo"},
    },
    doc=REFERENCE,
)

# Streamed: "wav is only supported in non-streaming output" (STREAM_REFERENCE): mp3 and flac.
STREAM_FORMATS = tuple(fmt for fmt in FORMATS if fmt.name != "wav")

SYNTHESIZE_STREAM = Endpoint(
    key="t2a.v2.stream",
    method="POST",
    path="/v1/t2a_v2",
    host=HOST,
    role=Role.STREAM,
    summary="Text to Audio V2 (streaming): Server-Sent Events with hex audio pieces at data.audio, ended by status 2",
    request=T2aV2Request,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(EventStreamBody(T2aV2Chunk, audio=AudioAt("/data/audio", encoding="hex")),),
            description="text/event-stream: T2aV2Resp pieces (status 1), the last with status 2 and extra_info",
        ),
        *ERRORS,
    ),
    example={
        "model": "speech-2.8-hd",
        "text": "The real danger is not that computers start thinking like people.",
        "stream": True,
        "stream_options": {"exclude_aggregated_audio": True},
        "voice_setting": {"voice_id": "English_expressive_narrator", "speed": 1, "vol": 1, "pitch": 0},
        "audio_setting": {"sample_rate": 32000, "bitrate": 128000, "format": "mp3", "channel": 1},
    },
    doc=STREAM_REFERENCE,
)

# English system voices the reference lists under voice_id ("Below is a selection of the latest system voices"),
# and its example's English_expressive_narrator. The Get Voice API is referred to, not described, in the stored
# reference: no listing declared. Every system voice serves every model (the reference ties none to a model).
VOICE_LIST = tuple(
    Voice(name, "en-US")
    for name in (
        "English_expressive_narrator",
        "English_Graceful_Lady",
        "English_Insightful_Speaker",
        "English_radiant_girl",
        "English_Persuasive_Man",
        "English_Lucky_Robot",
    )
)


# The languages: the reference's language_boost enum ("Chinese", "Chinese,Yue", "English", ... "Afrikaans", "auto";
# REFERENCE, read 2026-11-26), the same for every model; the text decides (the template boosts "auto").
LANGUAGES = codes_of(get_args(LanguageBoost))
LANGUAGES_SOURCE = f"{REFERENCE} (read 2026-11-26): language_boost's enum of languages"


def _model(name: str, usd: str, words: str, *, streamed: bool = False) -> Model:
    # A streamed model is its own offering (`-stream`), the request naming the model as it is (`sets`).
    return Model(
        name=f"{name}-stream" if streamed else name,
        synthesis=(SYNTHESIZE_STREAM if streamed else SYNTHESIZE).key,
        voice="English_expressive_narrator",
        sets={"/model": name} if streamed else {},
        max_chars=MAX_TEXT_CHARS,
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        description=f"MiniMax {name}{', streamed' if streamed else ''} (voice English_expressive_narrator)",
    )


# speech-01-hd and speech-01-turbo are in the reference's model enum, but the transcribed price list has no row for
# them: requests naming them are valid (and unpriced); they are not benchmarked.
MODELS = (
    _model("speech-2.8-hd", "100", "speech-2.8-hd"),
    _model("speech-2.8-turbo", "60", "speech-2.8-turbo"),
    _model("speech-2.6-hd", "100", "speech-2.6-hd"),
    _model("speech-2.6-turbo", "60", "speech-2.6-turbo"),
    _model("speech-02-hd", "100", "speech-02-hd"),
    _model("speech-02-turbo", "60", "speech-02-turbo"),
    # The streamed form, for the current generation (the others are the same request with another model name).
    _model("speech-2.8-hd", "100", "speech-2.8-hd", streamed=True),
    _model("speech-2.8-turbo", "60", "speech-2.8-turbo", streamed=True),
)

# Model names taken beyond the offerings (read 2026-11-25), spoken like the offering of their kind, unpriced: on the
# socket too, which served only the offerings' names. speech-01-hd and speech-01-turbo are in the reference's `model`
# enum (REFERENCE); the 2.5 previews are on no stored MiniMax page, but LiveKit Agents offers them
# (livekit-plugins-minimax-ai 1.8.9, tts.TTSModel: "speech-2.5-hd-preview", "speech-2.5-turbo-preview").
_LIVEKIT = Evidence(EvidenceSource.CLIENT, "livekit-plugins-minimax-ai==1.8.9", "TTS(model=...): TTSModel")
_ENUM_WORDS = 'model: enum [..., "{name}"] (' + REFERENCE + ", read 2026-11-25)"
_LIVEKIT_WORDS = 'TTSModel = Literal[..., "{name}", ...] (livekit-plugins-minimax-ai 1.8.9, read 2026-11-25)'
KNOWN_MODELS = (
    KnownModel(
        name="speech-01-hd", like="speech-02-hd", words=_ENUM_WORDS.format(name="speech-01-hd"), evidence=(DOCUMENTS,)
    ),
    KnownModel(
        name="speech-01-turbo",
        like="speech-02-turbo",
        words=_ENUM_WORDS.format(name="speech-01-turbo"),
        evidence=(DOCUMENTS,),
    ),
    KnownModel(
        name="speech-2.5-hd-preview",
        like="speech-2.6-hd",
        words=_LIVEKIT_WORDS.format(name="speech-2.5-hd-preview"),
        evidence=(_LIVEKIT,),
    ),
    KnownModel(
        name="speech-2.5-turbo-preview",
        like="speech-2.6-turbo",
        words=_LIVEKIT_WORDS.format(name="speech-2.5-turbo-preview"),
        evidence=(_LIVEKIT,),
    ),
)

# The codes and their words are the reference's `base_resp.status_code` list and the Error Codes page; the HTTP
# statuses are the family's (see SYNTHESIZE.responses).
# Open: the reference lists "a selection of the latest system voices"; its voice_id takes system voices and the
# account's cloned and designed ones. The form: the voice-cloning reference's custom voice_id ("length 8-256, must
# start with a letter; letters, digits, -, _"), and the system voices' ids, which also hold spaces and parentheses
# (English_expressive_narrator, male-qn-qingse, "Chinese (Mandarin)_Warm_Girl"): a letter, then up to 255 of those.
# An id of that form the account lacks ("no-such-voice-7f3a") is refused only where marked missing
# (`POST /_sandbox/catalogue`: the contract suite's negative check does so).
VOICE_CATALOGUE = Catalogue(
    open=True,
    form=r"[A-Za-z][A-Za-z0-9_() -]{0,255}",
    why='voice_id: "Below is a selection of the latest system voices"; cloned and designed '
    "voices' ids are the account's (8-256, a letter first; letters, digits, -, _)",
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "2013", "invalid params, {detail}"),
    missing_key=SpeechRefusal(401, "1004", "not authorized"),
    bad_key=SpeechRefusal(401, "2049", "invalid api key"),
    unknown_voice=SpeechRefusal(400, "2013", "invalid params, voice id not exist: {detail}"),
    rate_limited=SpeechRefusal(429, "1002", "rate limit"),
    quota=SpeechRefusal(429, "1039", "token limit"),
    not_found=SpeechRefusal(404, "1000", "unknown error: {detail}"),
    busy=SpeechRefusal(500, "1000", "unknown error"),
    server_error=SpeechRefusal(500, "1000", "unknown error"),
)

SLOTS = Slots(
    text="/text",
    voice="/voice_setting/voice_id",
    model="/model",
    format="/audio_setting/format",
    rate="/audio_setting/sample_rate",
)
TRACE_ID = "01b8bf9bb7433cc75c18eee6cfa8fe21"  # the reference's example answer's
SUCCESS = {"status_code": 0, "status_msg": "success"}
SAYS = FormatWords(format="/extra_info/audio_format", rate="/extra_info/audio_sample_rate")  # its extra_info
EXTRA_INFO = {
    "audio_sample_rate": "{rate}",
    "audio_format": "{format}",
    "audio_channel": 1,
    "usage_characters": "{billed_characters}",
}

# The billable characters of a synthesis: in the JSON answer (the reference), in the stream's last event (status 2:
# a gateway reads it there; the reference's streamed example is the same extra_info).
_USAGE = (
    'extra_info.usage_characters: "Number of billable characters used in this synthesis." '
    "(platform.minimax.io/docs/api-reference/speech-t2a-http; the mainland reference's example "
    '"usage_characters": 26, platform.minimaxi.com/document/t2a_http)'
)
BILLED = BilledSignal(unit=Unit.CHARACTERS, at="/extra_info/usage_characters", evidence=_USAGE)
BILLED_STREAM = BilledSignal(
    unit=Unit.CHARACTERS,
    at="/extra_info/usage_characters",
    source="client",
    evidence=(
        _USAGE
        + "; of the stream's last event: \"For internal settlement, the gateway reads extra_info.usage_characters "
        'as the unified input audio character count." (powower.mintlify.app/en/minimax/audio, a third party)'
    ),
)


SERVICE = SpeechService(
    name="minimax",
    title="MiniMax T2A v2 (HTTP and the T2A WebSocket)",
    hosts={HOST: "https://api.minimax.io"},
    auth=Auth(header="Authorization", scheme="Bearer"),  # bearerAuth: "HTTP Authorization Scheme: `Bearer API_key`"
    key_env="MINIMAX_API_KEY",  # the reference names no variable; the one its integrations use
    docs=(REFERENCE, ERRORS_REFERENCE, PRICING, STREAM_REFERENCE, STREAM_CLIENT, STREAM_GATEWAY),
    error_model=ErrorBody,
    errors=ErrorShape({"base_resp": {"status_code": "{code}", "status_msg": "{message}"}}),
    refusals=REFUSALS,
    # Every answer, and every streamed event, carries base_resp; a non-zero status_code is an error whatever the HTTP
    # status and whatever audio comes beside it. The codes the refusals do not name: 1001 "request timeout" and 1042
    # "invisible characters exceed 10%" (the reference's base_resp list).
    answer_errors=BodyErrors(
        "/base_resp/status_code", success=(0,), message_at="/base_resp/status_msg", statuses={"1001": 504, "1042": 400}
    ),
    syntheses=(
        Synthesis(
            endpoint=SYNTHESIZE,
            slots=SLOTS,
            formats=FORMATS,
            default_format="mp3",
            template={
                "output_format": "hex",
                "voice_setting": {"speed": 1, "vol": 1, "pitch": 0},
                "audio_setting": {"channel": 1},
            },
            answer={"data": {"status": 2}, "extra_info": EXTRA_INFO, "trace_id": TRACE_ID, "base_resp": SUCCESS},
            chosen_by=Selector("/stream", (False,), by_default=True),  # "Default is false"
            format_words=SAYS,
            billing=(BILLED,),
        ),
        # The benchmark asks the last event not to repeat the whole audio (as MiniMax's own integrations do);
        # a request that does not is answered with it, the documents' default.
        Synthesis(
            endpoint=SYNTHESIZE_STREAM,
            slots=SLOTS,
            formats=STREAM_FORMATS,
            default_format="mp3",
            template={
                "stream_options": {"exclude_aggregated_audio": True},
                "voice_setting": {"speed": 1, "vol": 1, "pitch": 0},
                "audio_setting": {"channel": 1},
            },
            answer={"data": {"status": 1}, "trace_id": TRACE_ID, "base_resp": SUCCESS},
            last_event={"data": {"status": 2}, "extra_info": EXTRA_INFO, "trace_id": TRACE_ID, "base_resp": SUCCESS},
            whole_audio_last_unless="/stream_options/exclude_aggregated_audio",
            chosen_by=Selector("/stream", (True,)),
            format_words=SAYS,
            billing=(BILLED_STREAM,),
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    known_models=KNOWN_MODELS,
    voice_catalogue=VOICE_CATALOGUE,
    doc_drift=(
        DocDrift(
            "errors in a 200 answer",
            "The reference documents only a 200 answer and puts every error in "
            "its base_resp (status_code non-zero: 1000, 1001, 1002, 1004, 1039, 1042, 2013): a client "
            "that trusts the HTTP status reads an error as a success. The declared 400/401/429/500 are "
            "the family's imitation of those codes, marked inferred.",
            (REFERENCE, ERRORS_REFERENCE),
        ),
        DocDrift(
            "streamed answer",
            "The stored reference's OpenAPI announces streaming and non-streaming "
            "output, but its streamed events are not in the stored excerpt: their fields are declared from "
            "a reseller's copy of the reference's field words, MiniMax's own command-line client (SSE "
            "data lines, hex at data.audio, status 2 last) and a gateway's reference (each event with "
            "data.audio, trace_id and base_resp; extra_info's usage_characters).",
            (REFERENCE, STREAM_REFERENCE, STREAM_CLIENT, STREAM_GATEWAY),
        ),
        DocDrift(
            "GroupId",
            "Older MiniMax pages and integrations append ?GroupId=... to the URL; the current "
            "reference's OpenAPI has no GroupId parameter (the bearer key alone): not declared.",
            (REFERENCE,),
        ),
        DocDrift(
            "hosts",
            "The reference's server is https://api.minimax.io, with https://api-uw.minimax.io "
            'as an alternative endpoint ("Reduced Time to First Audio"); mainland China accounts use '
            "another platform (api.minimaxi.com), not declared.",
            (REFERENCE,),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
