"""Together AI's wire payloads for `POST /v1/audio/speech`, as its reference writes them (REFERENCE, STREAMING).

POST https://api.together.xyz/v1/audio/speech      Authorization: Bearer KEY
    {"model", "input", "voice", "response_format", "response_encoding", "sample_rate", "language", "stream"}
    stream: true → text/event-stream: data: {"type": "conversation.item.audio_output.delta", "item_id",
                   "delta": base64} ... data: [DONE]  ("When streaming is enabled, only raw (PCM) format is
                   supported")
    stream: false (the default) → the encoded audio itself ("If false, return the encoded audio as octet stream";
                   mp3, wav, raw, "default: wav")
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

REFERENCE = "https://docs.together.ai/reference/audio-speech"
STREAMING = "https://docs.together.ai/docs/inference/text-to-speech/streaming"
OVERVIEW = "https://docs.together.ai/docs/text-to-speech"
SDK = "https://pypi.org/project/together/3.1.1/ (together/types/audio_speech_stream_chunk.py)"


class SpeechRequest(RequestModel):
    model: str = Field(min_length=1)
    input: str = Field(min_length=1)
    voice: str = Field(min_length=1)
    response_format: Literal["mp3", "wav", "raw"] | None = None  # "default: wav"; streamed: "only ... raw"
    response_encoding: Literal["pcm_f32le", "pcm_s16le", "pcm_mulaw", "pcm_alaw"] | None = None  # default pcm_f32le
    sample_rate: int | None = Field(None, gt=0, description="Sampling rate to use for the output audio")
    language: str | None = None  # "default: en"
    stream: bool | None = None
    bit_rate: Literal[32000, 64000, 96000, 128000, 192000] | None = None  # "Only applies when ... mp3"
    extra_params: dict[str, Any] | None = None
    alignment: Literal["word", "none"] | None = None
    segment: Literal["sentence", "immediate", "never"] | None = None


class AudioDelta(ResponseModel):
    type: Literal["conversation.item.audio_output.delta", "conversation.item.word_timestamps"]
    item_id: str | None = None
    delta: str | None = None


class ErrorBody(ResponseModel):
    """Not in the stored reference: the shape Together's API writes ({"error": {"message", "type", "code"}})."""

    error: dict[str, Any]
