"""DashScope (Alibaba Cloud Model Studio) Qwen-TTS as its documents describe it, in the HTTP speech family's terms:
the streaming synthesis (`X-DashScope-SSE: enable`), base64 PCM at `/output/audio/data` in each event, the bearer
key, and the general error body; its realtime WebSocket in `sockets`.
"""

from __future__ import annotations

from typing import get_args

from harness.core.languages import codes_of
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
from harness.core.spec import AudioAt, Auth, BodyKind, DocDrift, Endpoint, EventStreamBody, JsonBody, Response, Role
from harness.providers.dashscope.models import (
    MAX_TEXT_CHARS,
    NON_REALTIME_GUIDE,
    REALTIME_GUIDE,
    REFERENCE,
    STATUS_CODES,
    ErrorBody,
    LanguageType,
    SynthesisEvent,
    SynthesisRequest,
)
from harness.providers.dashscope.sockets import REALTIME, SOCKETS

HOST = "api"
PCM = "audio/pcm;rate=24000"  # "Streaming returns PCM audio data in chunks": 16-bit mono at 24 kHz, little-endian

FORMATS = (Format(name="pcm", spec=AudioSpec("pcm_s16le", 24000, "raw"), media_type=PCM),)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words)


GENERATE = Endpoint(
    key="qwen_tts.generation",
    method="POST",
    path="/api/v1/services/aigc/multimodal-generation/generation",
    summary="Speech synthesis (Qwen-TTS), streaming: base64 PCM chunks as Server-Sent Events",
    host=HOST,
    role=Role.STREAM,
    request=SynthesisRequest,
    body_kind=BodyKind.JSON,
    header_fields={"sse": "X-DashScope-SSE"},
    responses=(
        Response(
            status=200,
            bodies=(EventStreamBody(SynthesisEvent, audio=AudioAt("/output/audio/data", media_type=PCM)),),
            description="The audio, chunk by chunk",
        ),
        _error(400, "InvalidParameter: Required parameter(s) missing or invalid"),
        _error(401, "InvalidApiKey: Invalid API-key provided."),
        _error(429, "Throttling.RateQuota: Requests rate limit exceeded, please try again later."),
        _error(500, "InternalError: An internal error has occured, please try again later"),
    ),
    example={
        "model": "qwen3-tts-flash",
        "sse": "enable",
        "input": {"text": "Let me recommend a T-shirt to everyone.", "voice": "Cherry"},
    },
    doc=REFERENCE,
)

# "The model supports the voices Chelsie, Serena, Ethan and Cherry" (the realtime guide; the same four head every
# Qwen-TTS voice list). No voices endpoint is in the stored material: no listing declared.
# Read again 2026-11-25: "Qwen3-TTS-Flash offers 49 voices" (MODEL_PAGE's Japanese and Chinese copies); the voice list
# page itself is not among the stored pages. The Qwen team's own demo of qwen3-tts-flash (`QWEN_DEMO`, its
# VOICE_OPTIONS: "Cherry / 芊悦", "Serena / 苏瑶", "Ethan / 晨煦", "Chelsie / 千雪", "Momo / 茉兔", "Vivian / 十三",
# "Moon / 月白", "Maia / 四月", "Kai / 凯", "Nofish / 不吃鱼", "Bella / 萌宝", "Jennifer / 詹妮弗", "Ryan / 甜茶",
# "Katerina / 卡捷琳娜", "Elias / 墨讲师", "Rocky / 粤语-阿强", "Kiki / 粤语-阿清", "Sunny / 四川-晴儿", source: client)
# names the ones below beyond the four; the rest of the 49 are not in the stored material.
QWEN_DEMO = "https://huggingface.co/spaces/Qwen/Qwen3-TTS-Demo (app.py, commit 29e22da: VOICE_OPTIONS)"
DEMO_VOICES = (
    "Momo",
    "Vivian",
    "Moon",
    "Maia",
    "Kai",
    "Nofish",
    "Bella",
    "Jennifer",
    "Ryan",
    "Katerina",
    "Elias",
    "Rocky",
    "Kiki",
    "Sunny",
)
VOICE_LIST = (
    Voice("Cherry", "en-US", "female"),
    Voice("Ethan", "en-US", "male"),
    Voice("Serena", "en-US", "female"),
    Voice("Chelsie", "en-US", "female"),
    *(Voice(name, "en-US") for name in DEMO_VOICES),
)

MODELS = (
    Model(
        name="qwen3-tts-flash",
        synthesis=GENERATE.key,
        voice="Cherry",
        max_chars=MAX_TEXT_CHARS,
        languages=codes_of(get_args(LanguageType)),
        languages_source=f"{REFERENCE} (read 2026-11-26): language_type's values (Chinese, English, German, "
        "Italian, Portuguese, Spanish, Japanese, Korean, French, Russian; Auto by default)",
        description="Qwen3-TTS Flash (voice Cherry)",
    ),
)

# The model page's dated snapshots of Qwen3-TTS-Flash (read 2026-11-25): "Qwen3-TTS-Flash: qwen3-tts-flash (stable
# version, currently equivalent to qwen3-tts-flash-2025-11-27), qwen3-tts-flash-2025-11-27 ...,
# qwen3-tts-flash-2025-09-18" (MODEL_PAGE; its Chinese copy: "qwen3-tts-flash-2025-11-27 快照版",
# "qwen3-tts-flash-2025-09-18 快照版", the same price and 600-character limit). The realtime guide names the realtime
# model's snapshots the same way: "qwen3-tts-flash-realtime Current capabilities are equivalent to
# qwen3-tts-flash-realtime-2025-09-18 | Stable", "qwen3-tts-flash-realtime-2025-09-18 | Snapshot" (REALTIME_GUIDE, "Last
# Updated: Nov 06, 2025"); its Japanese copy, newer: "qwen3-tts-flash-realtime(安定版、現在は
# qwen3-tts-flash-realtime-2025-11-27 と同等)、qwen3-tts-flash-realtime-2025-11-27(最新スナップショット版)、
# qwen3-tts-flash-realtime-2025-09-18(スナップショット版)" (REALTIME_GUIDE_JA, "最終更新日:May 09, 2026"). Known
# models, each an alias (priced as the stable name): the pages call each a snapshot of the model its stable name is
# "equivalent to", at the same price. The HTTP snapshots are taken by the SSE synthesis, the realtime ones by the
# realtime socket only (`KnownModel.socket`: the socket names the model `qwen3-tts-flash-realtime`). Not added:
# Qwen-TTS (qwen-tts, qwen-tts-latest, qwen-tts-2025-05-22, qwen-tts-2025-04-10: "up to 7 voices, Chinese and English
# only", priced per token) and Qwen3-TTS-Instruct-Flash, other models with their own voices and prices.
MODEL_PAGE = "https://www.alibabacloud.com/help/en/model-studio/qwen-tts (Supported models)"
REALTIME_GUIDE_JA = "https://www.alibabacloud.com/help/ja/model-studio/realtime-tts-user-guide (サポートされるモデル)"
SNAPSHOTS = ("qwen3-tts-flash-2025-11-27", "qwen3-tts-flash-2025-09-18")
REALTIME_SNAPSHOTS = ("qwen3-tts-flash-realtime-2025-11-27", "qwen3-tts-flash-realtime-2025-09-18")
_SNAPSHOT_WORDS = (
    '"qwen3-tts-flash (stable version, currently equivalent to qwen3-tts-flash-2025-11-27), '
    'qwen3-tts-flash-2025-11-27 ..., qwen3-tts-flash-2025-09-18" (' + MODEL_PAGE + ", read 2026-11-25)"
)
_REALTIME_WORDS = (
    '"qwen3-tts-flash-realtime Current capabilities are equivalent to '
    'qwen3-tts-flash-realtime-2025-09-18 | Stable", "qwen3-tts-flash-realtime-2025-09-18 | '
    'Snapshot" (' + REALTIME_GUIDE + "); "
    '"qwen3-tts-flash-realtime-2025-11-27(最新スナップショット版)" (' + REALTIME_GUIDE_JA + "), read 2026-11-25"
)
KNOWN_MODELS = (
    *(KnownModel(name=name, like="qwen3-tts-flash", words=_SNAPSHOT_WORDS, alias=True) for name in SNAPSHOTS),
    *(
        KnownModel(name=name, like="qwen3-tts-flash-realtime", words=_REALTIME_WORDS, alias=True, socket=REALTIME.key)
        for name in REALTIME_SNAPSHOTS
    ),
)

# The general status codes and their words (STATUS_CODES).
REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(
        400,
        "InvalidParameter",
        "Required parameter(s) missing or invalid, please check the request parameters. {detail}",
    ),
    missing_key=SpeechRefusal(401, "InvalidApiKey", "Invalid API-key provided."),
    bad_key=SpeechRefusal(401, "InvalidApiKey", "Invalid API-key provided."),
    unknown_voice=SpeechRefusal(400, "InvalidParameter", "Invalid voice: {detail}"),
    rate_limited=SpeechRefusal(429, "Throttling.RateQuota", "Requests rate limit exceeded, please try again later."),
    quota=SpeechRefusal(400, "Arrearage", "Access denied, plesase make sure your account is in good standing."),
    unknown_model=SpeechRefusal(400, "InvalidParameter", "Model not exist: {detail}"),
    not_found=SpeechRefusal(404, "NotFound", "Not found: {detail}"),
    busy=SpeechRefusal(503, "ServiceUnavailable", "Service unavailable, please try again later."),
    server_error=SpeechRefusal(
        500, "InternalError", "An internal error has occured, please try again later or contact service support."
    ),
)

# The characters a synthesis was billed (usage.characters, counted as dashscope.toml's rule counts them), read from the
# last event carrying it.
BILLING = (
    BilledSignal(
        unit=Unit.CHARACTERS,
        at="/usage/characters",
        source="client",
        evidence=(
            'independent clients\' tests of qwen3-tts-flash build the answer as {"output": {"audio": {...}}, "usage": '
            '{"characters": 8}, "request_id"} (public code index ids 66374086488, 70601461911, 63295183247); '
            'Alibaba\'s own reference for MiniMax on Model Studio shows "usage":{"characters":34} (help.aliyun.com '
            "minimax-synchronous-speech-synthesis-api)"
        ),
    ),
)


SERVICE = SpeechService(
    name="dashscope",
    title="Alibaba Cloud Model Studio Qwen-TTS (SSE; realtime WebSocket)",
    hosts={HOST: "https://dashscope-intl.aliyuncs.com"},  # the Singapore region; Beijing is dashscope.aliyuncs.com
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="DASHSCOPE_API_KEY",
    docs=(REFERENCE, NON_REALTIME_GUIDE, STATUS_CODES),
    error_model=ErrorBody,
    errors=ErrorShape({"code": "{code}", "message": "{message}", "request_id": "3c4b9e5f-0d3a-4a8e-9f52-0c1d7e6b2a41"}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=GENERATE,
            slots=Slots(text="/input/text", voice="/input/voice", model="/model"),
            formats=FORMATS,
            default_format="pcm",
            template={"sse": "enable"},
            answer={
                "output": {"finish_reason": "null", "audio": {"id": "audio_3c4b9e5f", "expires_at": 0}},
                "request_id": "3c4b9e5f-0d3a-4a8e-9f52-0c1d7e6b2a41",
            },
            billing=BILLING,
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    known_models=KNOWN_MODELS,
    doc_drift=(
        DocDrift(
            "non-streaming answer",
            "Without X-DashScope-SSE the answer carries an audio URL that "
            '"expires after 24 hours", not the audio: the family reads audio it is given, so only the '
            "streaming form is declared.",
            (NON_REALTIME_GUIDE,),
        ),
        DocDrift(
            "regions",
            "The Singapore endpoint is declared; Beijing (dashscope.aliyuncs.com) takes "
            'different keys ("The API keys for Singapore and Beijing regions are different").',
            (REFERENCE,),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
