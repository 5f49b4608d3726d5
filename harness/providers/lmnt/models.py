"""LMNT's wire payloads for `POST /v1/ai/speech/bytes`, as its API reference writes them (the reference's text is
carried by the official client `lmnt` 2.13.0, generated from it: `SpeechResource.generate`, `ErrorBody`).

    POST https://api.lmnt.com/v1/ai/speech/bytes      X-API-Key: KEY   lmnt-version: 1.2
        {"text", "voice", "model", "format", "language", "sample_rate", "temperature", "top_p", "debug"}
        200: the audio as the body ("streams the audio as binary data chunks in real-time as they are generated")
    errors: {"message", "type"}
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

# "Generate speech stream": POST /v1/ai/speech/bytes (the request fields below).
REFERENCE = "https://docs.lmnt.com/api-reference/speech/generate-speech-stream"
# "Using the API": "a RESTful API at https://api.lmnt.com"; headers X-API-Key (required) and lmnt-version (required).
OVERVIEW = "https://docs.lmnt.com/api/overview"
# Pricing: LMNT's pricing page is not among the stored pages; a transcription of it (api-evangelist/lmnt finops,
# 2026-06-12): Indie 200,000 characters included, overage $0.05 per 1,000; Pro 1,250,000, $0.045; Premium
# 5,700,000, $0.035. No pay-as-you-go rate: the declaration takes the Indie overage, $50 per 1M characters.
PRICING = "https://www.lmnt.com/pricing"

MAX_TEXT_CHARS = 5000  # text: "max 5000 characters per request (including spaces)"

# format: "Streamable formats: mp3 (96kbps MP3 audio), ulaw (8-bit G711 µ-law audio with a WAV header), webm (WebM
# format with Opus audio codec), pcm_s16le, pcm_f32le. Non-streamable formats: aac, wav (16-bit PCM audio in WAV
# container)."
AudioFormat = Literal["aac", "mp3", "ulaw", "wav", "webm", "pcm_s16le", "pcm_f32le"]
Language = Literal["auto", "ar", "as", "bn", "cs", "da", "de", "en", "es", "fi", "fr", "hi", "id", "it", "ja", "ko",
                   "ml", "mr", "nl", "pl", "pt", "ru", "sk", "sv", "ta", "te", "th", "tr", "uk", "ur", "vi", "zh"]


class SpeechRequest(RequestModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="The text to generate speech from; max "
                      "5000 characters per request (including spaces).")
    voice: str = Field(min_length=1, description="The voice id of the voice to use.")
    model: Literal["blizzard"] | None = None
    format: AudioFormat | None = None
    language: Language | None = None  # "Defaults to auto language detection"
    # "Defaults to 24000 for all formats except mulaw which defaults to 8000."
    sample_rate: Literal[8000, 16000, 24000] | None = None
    temperature: float | None = Field(None, ge=0, description="Lower values (like 0.3) ... higher (like 1.0).")
    top_p: float | None = Field(None, ge=0, le=1, description="Controls the stability of the generated speech.")
    debug: bool | None = None


class ErrorBody(ResponseModel):
    """ErrorBody: "message: Human-readable error message; type: Slug identifying the error category"."""

    message: str
    type: Literal["invalid_request_error", "authentication_error", "permission_error", "not_found_error",
                  "payment_required_error", "rate_limit_error", "internal_server_error"]
