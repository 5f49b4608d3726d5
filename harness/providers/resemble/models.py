"""Resemble's wire payloads for its synthesis servers, as its reference describes them (REFERENCE, STREAM_REFERENCE
and the guides), its official client `resemble` 1.9.0 writes them (source: sdk, `create_direct`) and the WebSocket
guide shows them (SOCKET_GUIDE; the terminal and error frames as pipecat's Resemble service reads them).

    POST https://f.cluster.resemble.ai/synthesize     Authorization: Bearer KEY
        {"voice_uuid", "data", "project_uuid", "title", "model", "precision", "output_format", "sample_rate", "use_hd"}
        200 {"success": true, "audio_content": base64, "audio_timestamps", "duration", "synth_duration",
             "output_format", "sample_rate", "title", "issues"}
    POST https://f.cluster.resemble.ai/stream         Authorization: Bearer KEY
        {"voice_uuid", "data", "project_uuid", "model", "precision", "sample_rate", "use_hd",
         "apply_custom_pronunciations"}
        200 a single-channel PCM WAV stream (chunked), its header first
    wss://websocket.cluster.resemble.ai/stream        Authorization: Bearer KEY on the upgrade
        → {"voice_uuid", "project_uuid", "data", "binary_response", "request_id", "output_format", "sample_rate",
           "precision", "no_audio_header"}
        ← {"type": "audio", "audio_content": base64, "audio_timestamps", "sample_rate", "request_id"} …
        ← {"type": "audio_end", "request_id"}
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

REFERENCE = "https://docs.resemble.ai/api-reference/text-to-speech/synthesize"
STREAM_REFERENCE = "https://docs.resemble.ai/api-reference/text-to-speech/stream-synthesize"
SYNCHRONOUS_GUIDE = "https://docs.resemble.ai/voice-generation/text-to-speech/synchronous"
STREAM_GUIDE = "https://docs.resemble.ai/voice-generation/text-to-speech/streaming-http"
SOCKET_GUIDE = "https://docs.resemble.ai/voice-generation/text-to-speech/streaming-websocket"
# The older stream page: "POST <YOUR_STREAMING_ENDPOINT>" with an x-access-token header (the official client's).
STREAM_PAGE_V1 = "https://docs.app.resemble.ai/docs/1.0.0/resource_clip/create_stream"
# "Clip Timestamps": graph_chars, graph_times ("Array of [start, end] pairs aligned to graph_chars"), phon_chars,
# phon_times; the synchronous answer carries the same object as `audio_timestamps`.
TIMESTAMPS_PAGE = "https://docs.resemble.ai/platform-management/clips/timestamps"
SDK = "https://pypi.org/project/resemble/1.9.0/ (resemble/__init__.py: create_direct)"
# The socket's terminal and error frames as an integration reads them ({"type": "audio_end"}, {"type": "error",
# "message"}): the guide names audio_end and error_name without showing either body.
PIPECAT = "https://github.com/pipecat-ai/pipecat (src/pipecat/services/resembleai/tts.py)"
INTEGRATIONS = "https://docs.pipecat.ai/server/services/tts/resembleai"

Precision = Literal["PCM_32", "PCM_24", "PCM_16", "MULAW"]
SampleRate = Literal[8000, 16000, 22050, 32000, 44100, 48000]


class SynthesizeRequest(RequestModel):
    voice_uuid: str = Field(min_length=1)
    data: str = Field(min_length=1, max_length=3000, description="Text or SSML to synthesize (max 3,000 characters)")
    project_uuid: str | None = None
    title: str | None = None
    model: str | None = None  # "Pass chatterbox-turbo to use the Turbo model"
    precision: Precision | None = None  # "Defaults to PCM_32"
    output_format: Literal["wav", "mp3"] | None = None  # "wav (default) or mp3"
    sample_rate: SampleRate | None = None  # "Defaults to 48000"
    use_hd: bool | None = None


class Timestamps(ResponseModel):
    """The timestamps object (TIMESTAMPS_PAGE): graphemes and phonemes, each with its [start, end] in seconds."""

    graph_chars: list[str]  # "Characters of the synthesized text (SSML stripped, entities unescaped)."
    graph_times: list[list[float]]  # "Array of [start, end] pairs aligned to graph_chars."
    phon_chars: list[str] | None = None  # "IPA phonemes (UTF-8) with diacritics/stress markers."
    phon_times: list[list[float]] | None = None  # "[start, end] pairs aligned to phon_chars."


class SynthesizeResponse(ResponseModel):
    success: bool | None = None
    audio_content: str
    audio_timestamps: Timestamps | None = None
    duration: float | None = None
    synth_duration: float | None = None
    seed: int | None = None
    output_format: str | None = None
    sample_rate: int | None = None
    title: str | None = None
    issues: list[Any] | None = None


class StreamRequest(RequestModel):
    voice_uuid: str = Field(min_length=1)
    data: str = Field(min_length=1, max_length=2000, description="Text or SSML to synthesize (max 2000 characters)")
    project_uuid: str | None = None
    model: str | None = None
    precision: Precision | None = None  # "Defaults to PCM_32"
    sample_rate: SampleRate | None = None
    use_hd: bool | None = None
    apply_custom_pronunciations: bool | None = None


class SocketRequest(RequestModel):
    """The one message a synthesis over the socket sends: the text and every setting together."""

    voice_uuid: str = Field(min_length=1)
    project_uuid: str | None = None
    data: str = Field(min_length=1, max_length=3000, description="Text or SSML (≤ 3,000 characters excluding tags)")
    binary_response: bool | None = None
    request_id: int | None = None
    output_format: Literal["wav", "mp3"] | None = None
    sample_rate: Literal[8000, 16000, 22050, 32000, 44100] | None = None
    precision: Precision | None = None
    no_audio_header: bool | None = None


class SocketFrame(ResponseModel):
    """Every frame the server sends as JSON: audio, the terminal audio_end, or an error."""

    type: str
    audio_content: str | None = None
    audio_timestamps: dict[str, Any] | None = None
    sample_rate: int | None = None
    request_id: int | None = None
    message: str | None = None
    error_name: str | None = None


class ErrorBody(ResponseModel):
    """The reference names a 400 ("Bad Request Error") without its body: {"success": false, "message"} is inferred
    from the answer's own `success` field."""

    success: bool
    message: str
