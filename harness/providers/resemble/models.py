"""Resemble's wire payloads for its synthesis server, as its official client `resemble` 1.9.0 writes them (source:
sdk: `Resemble.v2.clips.create_direct`, POST https://f.cluster.resemble.ai/synthesize with a bearer key) and
integrations read them (INTEGRATIONS: `response.AudioContent`, "output_format: wav or mp3", "sample_rate: 8000, 16000,
22050, 32000, or 44100", "precision: PCM_32, PCM_24, PCM_16, or MULAW").

    POST https://f.cluster.resemble.ai/synthesize     Authorization: Bearer KEY
        {"voice_uuid", "data", "project_uuid", "title", "precision", "output_format", "sample_rate"}
        200 {"success": true, "audio_content": base64, "output_format", "sample_rate", "duration", ...}
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

SDK = "https://pypi.org/project/resemble/1.9.0/ (resemble/__init__.py: create_direct)"
INTEGRATIONS = "https://docs.pipecat.ai/server/services/tts/resembleai"
CSHARP_EXAMPLE = "https://tryagi.github.io/ResembleAI/examples/text-to-speech/"  # response.AudioContent


class SynthesizeRequest(RequestModel):
    voice_uuid: str = Field(min_length=1)
    data: str = Field(min_length=1)  # the text (or SSML)
    project_uuid: str | None = None
    title: str | None = None
    precision: Literal["PCM_32", "PCM_24", "PCM_16", "MULAW"] | None = None
    output_format: Literal["wav", "mp3"] | None = None  # "Audio output format (wav or mp3)"
    sample_rate: Literal[8000, 16000, 22050, 32000, 44100, 48000] | None = None


class SynthesizeResponse(ResponseModel):
    success: bool
    audio_content: str
    output_format: str | None = None
    sample_rate: int | None = None
    duration: float | None = None
    audio_timestamps: dict[str, Any] | None = None
    issues: list[Any] | None = None


class ErrorBody(ResponseModel):
    """Not in the stored material: {"success": false, "message"} is inferred."""

    success: bool
    message: str
