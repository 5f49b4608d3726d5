"""xAI's wire payloads for `POST /v1/tts`, as its documents write them.

    POST https://api.x.ai/v1/tts      Authorization: Bearer XAI_API_KEY
        {"text", "voice_id", "language", "output_format": {"codec", "sample_rate", "bit_rate"}}
        200: "The response body contains raw audio bytes"

REFERENCE (the REST reference) and GUIDE (the model-capabilities page) give the fields; the output_format object's
own fields are behind the guide's "See Output Formats", which the stored pages do not hold: its codec, sample_rate
and bit_rate are the ones integrations write (INTEGRATION), marked as such.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.core.spec import RequestModel, ResponseModel

REFERENCE = "https://docs.x.ai/developers/rest-api-reference/inference/voice"
GUIDE = "https://docs.x.ai/developers/model-capabilities/audio/text-to-speech"
# codec, sample_rate and bit_rate as integrations pass them:
INTEGRATION = "https://visionagents.ai/integrations/tts/xai"
# "Pricing | $4.20 / 1M characters"; "MP3 / WAV / PCM / μ-law / A-law formats"; "Last updated: April 15, 2026"
PRICING = "https://docs.x.ai/developers/models/text-to-speech"
# The official client (xai-sdk, src/xai_sdk/tts.py, read 2026-11-25): "The public TTS surface is REST-only (`POST
# /v1/tts`, `GET /v1/tts/voices`)"; its codecs `{"mp3", "wav", "pcm", "mulaw", "alaw"}` (source: sdk).
SDK = "https://github.com/xai-org/xai-sdk-python/blob/main/src/xai_sdk/tts.py"

MAX_TEXT_CHARS = 15_000  # "Maximum 15,000 characters."

# language: "Supported values: auto, en, ar-EG, ar-SA, ar-AE, bn, zh, fr, de, hi, id, it, ja, ko, pt-BR, pt-PT, ru,
# es-MX, es-ES, tr, vi. Additional languages may work with varying accuracy." (so not a closed set)


class OutputFormat(BaseModel):
    model_config = ConfigDict(extra="forbid")

    codec: Literal["mp3", "wav", "pcm", "mulaw", "alaw"] | None = None
    sample_rate: Literal[8000, 16000, 22050, 24000, 44100, 48000] | None = None
    bit_rate: int | None = Field(None, gt=0, description="MP3 bit rate (only used when codec is mp3)")


class SpeechRequest(RequestModel):
    text: str = Field(
        min_length=1, max_length=MAX_TEXT_CHARS, description="The text to convert to speech. Maximum 15,000 characters."
    )
    voice_id: str | None = None  # "Defaults to eve"; "Case-insensitive"
    language: str = Field(min_length=2, description="BCP-47 language code ... or auto")  # "required"
    output_format: OutputFormat | None = None  # "Defaults to MP3 at 24 kHz / 128 kbps"
    optimize_streaming_latency: int | None = Field(
        None, ge=0, description="Latency optimization level for streaming synthesis. 0 (default): No optimization"
    )
    text_normalization: bool | None = None


class ErrorBody(ResponseModel):
    """Not documented in the stored pages: the shape xAI's REST API writes elsewhere ({"code", "error"})."""

    code: str
    error: str
