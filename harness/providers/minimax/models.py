"""MiniMax's wire payloads for `POST /v1/t2a_v2`, as its reference's OpenAPI (`T2aV2Req`, `T2aV2Resp`) writes them.

POST https://api.minimax.io/v1/t2a_v2      Authorization: Bearer KEY
    {"model", "text", "stream", "voice_setting": {"voice_id", "speed", "vol", "pitch", ...},
     "audio_setting": {"sample_rate", "bitrate", "format", "channel"}, "output_format": "hex"|"url", ...}
    200 {"data": {"audio": "<hex>", "status": 2}, "extra_info": {...}, "trace_id",
         "base_resp": {"status_code": 0, "status_msg": "success"}}
    {... "stream": true, "stream_options": {"exclude_aggregated_audio": true}}
    200 text/event-stream: data: {"data": {"audio": "<hex piece>", "status": 1}, "trace_id", "base_resp"} ...
         data: {"data": {"status": 2}, "extra_info": {...}, "trace_id", "base_resp"}  (the whole audio again
         at data.audio unless exclude_aggregated_audio is true)
errors: `base_resp.status_code` non-zero (1000 unknown error, 1001 timeout, 1002 rate limit, 1004 authentication
failed, 1039 TPM rate limit, 1042 invisible characters over 10%, 2013 invalid input parameters)
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

# "Text to Speech (T2A) HTTP": the OpenAPI above (servers: https://api.minimax.io; bearerAuth; the alternative
# endpoint https://api-uw.minimax.io/v1/t2a_v2 "Reduced Time to First Audio").
REFERENCE = "https://platform.minimax.io/docs/api-reference/speech-t2a-http"
# "Error Codes": 1000 unknown error ... 1004 "not authorized / token not match group / cookie is missing",
# 2013 invalid params, 2049 invalid api key.
ERRORS_REFERENCE = "https://platform.minimax.io/docs/api-reference/errorcode"
# "Pay as You Go": the speech rows are not in the stored excerpt of the page; they are read from a transcription
# of it (a research note in a public repository quoting the page: "speech-2.8-hd $100 / 1M characters,
# speech-2.8-turbo $60 / 1M characters", 2.6 and 02 the same), matched by useapi.net's article ("platform.minimax.io
# — pay-as-you-go $100" per 1M characters on speech-2.8-hd). The page shows no date: read 2026-11-24.
PRICING = "https://platform.minimax.io/docs/guides/pricing-paygo"

# The streamed form's words, as reseller copies of the reference transcribe them (STREAM_REFERENCE; the stored
# reference's OpenAPI is titled "MiniMax Text-to-Audio API with support for streaming and non-streaming output", its
# streamed answer not in the stored excerpt): `stream` "Controls whether to enable streaming output. Default is
# false"; `format` "wav is only supported in non-streaming output"; `status` "Current audio stream status: 1 means
# synthesizing, 2 means synthesis completed"; `exclude_aggregated_audio` "Sets whether the last chunk contains the
# concatenated audio hex data. Default is false, meaning the last chunk contains the complete concatenated audio hex
# data". The events' framing (SSE `data:` lines of hex audio at data.audio, ended by status 2) is MiniMax's own
# command-line client's reading of them (STREAM_CLIENT, `decodeAudioStream`); a gateway's reference of the same call
# (STREAM_GATEWAY): "Each data: event can be parsed as a MiniMax response chunk containing data.audio, trace_id, and
# base_resp", the billed characters read from extra_info.usage_characters.
STREAM_GATEWAY = "https://powower.mintlify.app/en/minimax/audio"
STREAM_REFERENCE = "https://novita.ai/docs/api-reference/model-apis-minimax-speech-2.8-turbo.md"
STREAM_CLIENT = "https://github.com/MiniMax-AI/cli (src/utils/audio-stream.ts)"

# text: "Must be less than 10,000 characters."
MAX_TEXT_CHARS = 9999

# The reference's enum, and the 2.5 previews a client offers (declaration.KNOWN_MODELS: source client).
ModelName = Literal[
    "speech-2.8-hd",
    "speech-2.8-turbo",
    "speech-2.6-hd",
    "speech-2.6-turbo",
    "speech-02-hd",
    "speech-02-turbo",
    "speech-01-hd",
    "speech-01-turbo",
    "speech-2.5-hd-preview",
    "speech-2.5-turbo-preview",
]
AudioFormat = Literal["mp3", "pcm", "flac", "wav", "pcmu_raw", "pcmu_wav", "opus"]
SampleRate = Literal[8000, 16000, 22050, 24000, 32000, 44100]
Bitrate = Literal[32000, 64000, 128000, 256000]
Emotion = Literal["happy", "sad", "angry", "fearful", "disgusted", "surprised", "calm", "fluent", "whisper"]
LanguageBoost = Literal[
    "Chinese",
    "Chinese,Yue",
    "English",
    "Arabic",
    "Russian",
    "Spanish",
    "French",
    "Portuguese",
    "German",
    "Turkish",
    "Dutch",
    "Ukrainian",
    "Vietnamese",
    "Indonesian",
    "Japanese",
    "Italian",
    "Korean",
    "Thai",
    "Polish",
    "Romanian",
    "Greek",
    "Czech",
    "Finnish",
    "Hindi",
    "Bulgarian",
    "Danish",
    "Hebrew",
    "Malay",
    "Persian",
    "Slovak",
    "Swedish",
    "Croatian",
    "Filipino",
    "Hungarian",
    "Norwegian",
    "Slovenian",
    "Catalan",
    "Nynorsk",
    "Tamil",
    "Afrikaans",
    "auto",
]


class VoiceSetting(RequestModel):
    """T2AVoiceSetting: `voice_id` required; speed [0.5, 2], vol (0, 10], pitch [-12, 12]."""

    voice_id: str = Field(min_length=1, description="The ID of the target voice.")
    speed: float | None = Field(None, ge=0.5, le=2, description="Speech speed. Range: [0.5, 2] (default: 1.0).")
    vol: float | None = Field(None, gt=0, le=10, description="Speech volume. Range: (0, 10] (default: 1.0).")
    pitch: int | None = Field(None, ge=-12, le=12, description="Speech pitch adjustment. Range: [-12, 12].")
    emotion: Emotion | None = None
    text_normalization: bool | None = None
    latex_read: bool | None = None


class AudioSetting(RequestModel):
    """T2AAudioSetting: sample_rate, bitrate (mp3 only), format (default mp3), channel (1 or 2, default 1)."""

    sample_rate: SampleRate | None = None
    bitrate: Bitrate | None = None
    format: AudioFormat | None = None
    channel: Literal[1, 2] | None = None
    force_cbr: bool | None = None


class StreamOptions(RequestModel):
    exclude_aggregated_audio: bool | None = None


class PronunciationDict(RequestModel):
    tone: list[str] | None = None  # "original/replacement" rules


class TimbreWeight(RequestModel):
    voice_id: str
    weight: int = Field(ge=1, le=100, description="Supported range: [1, 100]. Up to 4 voices can be mixed.")


class VoiceModify(RequestModel):
    pitch: int | None = Field(None, ge=-100, le=100)
    intensity: int | None = Field(None, ge=-100, le=100)
    timbre: int | None = Field(None, ge=-100, le=100)
    sound_effects: Literal["spacious_echo", "auditorium_echo", "lofi_telephone", "robotic"] | None = None


class T2aV2Request(RequestModel):
    """T2aV2Req: `model` and `text` required. `stream` defaults to false (one JSON answer; true: the events, the
    path's other answer form, one request model for both); `output_format` "hex" (the default) or "url" ("Only
    effective in non-streaming scenarios")."""

    model: ModelName
    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description="The text to be converted into speech. Must be less than 10,000 characters.",
    )
    stream: bool | None = None  # true: the streamed answer (SSE), the path's second answer form
    stream_options: StreamOptions | None = None
    voice_setting: VoiceSetting | None = None
    audio_setting: AudioSetting | None = None
    pronunciation_dict: PronunciationDict | None = None
    timbre_weights: list[TimbreWeight] | None = Field(
        None, max_length=4, description="Timbre weights (legacy field). Up to 4 voices can be mixed."
    )
    language_boost: LanguageBoost | None = None
    voice_modify: VoiceModify | None = None
    subtitle_enable: bool | None = None
    subtitle_type: Literal["sentence", "word"] | None = None  # word_streaming: "only valid when stream=true"
    output_format: Literal["hex"] | None = None  # "url" answers a link, not the audio: not declared


class AudioData(ResponseModel):
    audio: str  # "The synthesized audio data, encoded in hexadecimal"
    subtitle_file: str | None = None
    status: int | None = None  # 1: synthesizing, 2: synthesis completed


class ExtraInfo(ResponseModel):
    audio_length: int | None = None
    audio_sample_rate: int | None = None
    audio_size: int | None = None
    bitrate: int | None = None
    audio_format: str | None = None
    audio_channel: int | None = None
    invisible_character_ratio: float | None = None
    usage_characters: int | None = None  # "Number of billable characters used in this synthesis."
    word_count: int | None = None


class BaseResp(ResponseModel):
    status_code: int  # 0: success
    status_msg: str | None = None


class T2aV2Response(ResponseModel):
    """T2aV2Resp. "The returned data object may be null, so a null check is required": only the audio the family
    reads is required here."""

    data: AudioData
    trace_id: str | None = None
    extra_info: ExtraInfo | None = None
    base_resp: BaseResp | None = None


class ChunkData(ResponseModel):
    audio: str | None = None  # a piece of the audio in hex; the last event's is the whole (or none, if excluded)
    status: int | None = None  # 1: synthesizing, 2: synthesis completed


class T2aV2Chunk(ResponseModel):
    """One event of the streamed answer: a T2aV2Resp whose audio is a piece, or the last (status 2, extra_info)."""

    data: ChunkData
    trace_id: str | None = None
    extra_info: ExtraInfo | None = None
    base_resp: BaseResp | None = None


class ErrorBaseResp(ResponseModel):
    # The reference types status_code as an integer; the family's ErrorShape writes a refusal's code as text ("1004"),
    # so the error model takes either (as Inworld's does). A family gap, reported: no numeric code in a template.
    status_code: int | str
    status_msg: str | None = None


class ErrorBody(ResponseModel):
    """An error as MiniMax writes one: `base_resp` with a non-zero `status_code` and its `status_msg`."""

    base_resp: ErrorBaseResp
    trace_id: str | None = None
