"""Rime's wire payloads for `POST /v1/rime-tts`, as its documents write them (QUICKSTART, CLI, ARCANA_HTTP).

POST https://users.rime.ai/v1/rime-tts    Authorization: Bearer KEY    Accept: audio/mp3 | audio/wav | audio/pcm …
    {"text", "speaker", "modelId", "lang", "samplingRate", "speedAlpha"}
    200: the audio, in the form the Accept header asks for, written as it is made
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

QUICKSTART = "https://docs.rime.ai/api-reference/quickstart"
CUSTOM_PAUSES = "https://docs.rime.ai/docs/custom-pauses"
CLI = "https://docs.rime.ai/cli-reference/rime-tts.md"
# The model pages' "Audio Formats" tables (read 2026-11-25). Arcana's (as Mist v3's): "Set the Accept header to one of
# the following values" — audio/webm;codecs=opus, audio/ogg;codecs=opus, audio/mp3, audio/wav, "PCM | audio/pcm |
# Headerless 16-bit little-endian linear PCM", audio/x-mulaw; samplingRate "default: 24000 ... On-cloud: Accepted
# values: 8000, 16000, 22050, 24000, 44100, 48000, 96000". Mist v2's gives the RFC types with "Deprecated aliases ...
# Still accepted for backwards compatibility": audio/mp3 → audio/mpeg, audio/pcm → audio/L16 ("Headerless 16-bit
# little-endian linear PCM"), audio/x-mulaw → audio/PCMU.
ARCANA_HTTP = "https://docs.rime.ai/api-reference/arcana/http"
MIST_V2_HTTP = "https://docs.rime.ai/api-reference/mistv2/http.md"
MCP = "https://docs.rime.ai/mcp-reference/synthesize-speech.md"  # "lyra on Coda, Rime's flagship model"
MODELS_PAGE = "https://docs.rime.ai/docs/models.md"
# The MCP quickstart: "Generate Pipecat starter code for a voice agent using the astra voice" (read 2026-11-25).
MCP_QUICKSTART = "https://docs.rime.ai/docs/mcp"
# LiveKit's Rime plugin: `DefaultMistVoice = "cove"` for every Mist model (mistv2, mistv3), `DefaultCodaVoice = "lyra"`,
# and "astra" for any other (Arcana) model when no speaker is given (source: client).
LIVEKIT = "livekit-plugins-rime==1.8.9 (livekit/plugins/rime/models.py, tts.py: TTS.__init__ speaker defaults)"

# --sampling-rate: "Arcana: 8000, 16000, 22050, 24000, 44100, 48000, 96000. Mist: 4000–44100"
# The rates samplingRate may ask for, on HTTP and on the sockets: Arcana's "8000, 16000, 22050, 24000, 44100, 48000,
# 96000" (ARCANA_HTTP) and Mist's "4000–44100" (any value between: CLI), so that no model's documented rate is refused.
RATES = (*range(4000, 44101), 48000, 96000)
# An MP3 stream has only the MPEG sample rates: the documented ones among them.
MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
# The models page (MODELS_PAGE, read 2026-11-25): "Rime currently has five models in production: `coda`, `arcanav3`,
# `arcanav2`, `mistv3`, and `mistv2`"; arcana and mist are the older names the CLI reference still lists. Beyond the
# offerings (coda, arcana, mistv2) each is a known model (declaration.KNOWN_MODELS).
ModelId = Literal["coda", "arcana", "arcanav3", "arcanav2", "mistv3", "mistv2", "mist"]
# The Accept values of the formats the declaration answers (ARCANA_HTTP, MIST_V2_HTTP); Opus is documented too and not
# declared (the declaration's DocDrift).
AcceptValue = Literal["audio/mp3", "audio/mpeg", "audio/wav", "audio/pcm", "audio/L16", "audio/x-mulaw", "audio/PCMU"]
# Not in the documents: what a client sends when it names no format (aiohttp's and httpx's default `*/*`). The pages are
# silent on it, so it is taken, not refused, and answered in the default format (the declaration's DocDrift).
MediaRange = Literal["*/*", "audio/*"]


class SpeechRequest(RequestModel):
    text: str = Field(min_length=1)
    speaker: str = Field(min_length=1, description="Voice speaker to use (e.g., astra, celeste, orion)")
    modelId: ModelId
    lang: str | None = None  # "Language code (e.g., eng, es, fra). Valid codes depend on model"; default eng
    samplingRate: int | None = Field(
        None,
        ge=4000,
        le=96000,
        description="Output sampling rate in Hz. Arcana: "
        "8000, 16000, 22050, 24000, 44100, 48000, 96000. Mist: 4000–44100",
    )
    speedAlpha: float | None = Field(None, gt=0, description="Speed multiplier — must be greater than 0")
    # Custom pauses (CUSTOM_PAUSES): "When making an API request, you must set pauseBetweenBrackets to true".
    pauseBetweenBrackets: bool | None = None
    accept: AcceptValue | MediaRange = "audio/mp3"  # the Accept header: the answer's form


class ErrorBody(ResponseModel):
    """Not in the stored pages: the {"message"} body an HTTP error carries, marked inferred."""

    message: str
