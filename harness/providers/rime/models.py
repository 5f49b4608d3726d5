"""Rime's wire payloads for `POST /v1/rime-tts`, as its documents write them (QUICKSTART, CLI).

    POST https://users.rime.ai/v1/rime-tts     Authorization: Bearer KEY    Accept: audio/mp3 | audio/wav | ...
        {"text", "speaker", "modelId", "lang", "samplingRate", "speedAlpha"}
        200: the audio, in the form the Accept header asks for, written as it is made
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

QUICKSTART = "https://docs.rime.ai/api-reference/quickstart"
CLI = "https://docs.rime.ai/cli-reference/rime-tts.md"
MCP = "https://docs.rime.ai/mcp-reference/synthesize-speech.md"  # "lyra on Coda, Rime's flagship model"

# --sampling-rate: "Arcana: 8000, 16000, 22050, 24000, 44100, 48000, 96000. Mist: 4000–44100"
ModelId = Literal["coda", "arcana", "arcanav2", "mistv3", "mistv2", "mist"]


class SpeechRequest(RequestModel):
    text: str = Field(min_length=1)
    speaker: str = Field(min_length=1, description="Voice speaker to use (e.g., astra, celeste, orion)")
    modelId: ModelId
    lang: str | None = None  # "Language code (e.g., eng, es, fra). Valid codes depend on model"; default eng
    samplingRate: int | None = Field(None, ge=4000, le=96000, description="Output sampling rate in Hz. Arcana: "
                                     "8000, 16000, 22050, 24000, 44100, 48000, 96000. Mist: 4000–44100")
    speedAlpha: float | None = Field(None, gt=0, description="Speed multiplier — must be greater than 0")
    accept: Literal["audio/mp3", "audio/wav"] = "audio/mp3"  # the Accept header: the answer's form


class ErrorBody(ResponseModel):
    """Not in the stored pages: the {"message"} body an HTTP error carries, marked inferred."""

    message: str
