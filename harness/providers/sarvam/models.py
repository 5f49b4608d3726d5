"""Sarvam AI's wire payloads for `POST /text-to-speech`, as its API reference writes them (the reference's text is
carried verbatim by the official client `sarvamai` 0.1.39, generated from it: `TextToSpeechClient.convert`).

    POST https://api.sarvam.ai/text-to-speech      api-subscription-key: KEY
        {"text", "language_code" (older pages: "target_language_code"), "speaker", "model", "pitch", "pace",
         "loudness", "speech_sample_rate", "enable_preprocessing", "output_audio_codec", "temperature", "dict_id",
         "enable_cached_responses"}
        200 {"request_id", "audios": ["<base64>"]}
    errors: {"error": {"message", "code"}}, 400/413/422 invalid_request_error, 403 invalid_api_key_error, 429
    insufficient_quota_error or rate_limit_exceeded_error, 500 internal_server_error
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from harness.core.spec import RequestModel, ResponseModel

# "Text to Speech" (REST): the request fields and limits below.
REFERENCE = "https://docs.sarvam.ai/api-reference-docs/text-to-speech/convert"
# "How to Set the Language": the eleven codes; "The target_language_code parameter is required for every TTS
# request" (the newer copy of the page says language_code).
LANGUAGE_GUIDE = "https://docs.sarvam.ai/api-reference-docs/api-guides-tutorials/text-to-speech/how-to/set-the-language"
# "Errors & Troubleshooting": the error shape {"error": {"message", "code"}} and its codes and statuses ("Auth
# failures use HTTP 403, not 401").
ERRORS_REFERENCE = "https://docs.sarvam.ai/api/errors-troubleshooting"
# Pricing: "Bulbul v3 (Speech Synthesis) ₹30 per 10K characters" (a transcription of the page, read 2026-09-20).
# The page prices in rupees and states no USD basis: no USD price is declared.
PRICING = "https://docs.sarvam.ai/api/getting-started/pricing"

# text: "bulbul:v3: Max 2500 characters; bulbul:v4-flash: Max 2500 characters; bulbul:v2: Max 1500 characters".
MAX_TEXT_CHARS = 2500

Language = Literal["bn-IN", "en-IN", "gu-IN", "hi-IN", "kn-IN", "ml-IN", "mr-IN", "od-IN", "pa-IN", "ta-IN", "te-IN"]
ModelName = Literal["bulbul:v2", "bulbul:v3", "bulbul:v4-flash"]
# "Supported values are 8000, 16000, 22050, 24000, 32000, 44100, 48000 Hz" (the higher three: v3 and v4-flash).
SampleRate = Literal[8000, 16000, 22050, 24000, 32000, 44100, 48000]
Codec = Literal["mp3", "linear16", "mulaw", "alaw", "opus", "flac", "aac", "wav"]


# The streamed synthesis: "Converts the input text into a streamed spoken audio response ... The response is returned
# as a binary audio stream" (source: sdk, sarvamai 0.1.39 TextToSpeechClient.convert_stream, POST
# /text-to-speech/stream: "Returns a streamed audio response in the requested format (e.g., audio/mpeg for MP3,
# audio/wav for WAV)"). Its body is the convert request's, with output_audio_bitrate.
STREAM_SDK = "https://pypi.org/project/sarvamai/0.1.39/ (sarvamai/text_to_speech/raw_client.py, convert_stream)"


class TextToSpeechRequest(RequestModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="The text(s) to be converted into "
                      "speech (bulbul:v3 and v4-flash: max 2500 characters; bulbul:v2: max 1500).")
    language_code: Language | None = Field(None, description="The language code in BCP-47 format.")
    target_language_code: Language | None = Field(None, description="The older pages' name for language_code.")
    speaker: str | None = Field(None, min_length=1, description="The speaker voice (lowercase; it must match the "
                                "model: shubh for bulbul:v3, anushka for bulbul:v2 by default).")
    pitch: float | None = Field(None, ge=-0.75, le=0.75, description="bulbul:v2 only; -0.75 to 0.75.")
    pace: float | None = Field(None, ge=0.3, le=3.0, description="v3/v4-flash 0.5 to 2.0; v2 0.3 to 3.0.")
    loudness: float | None = Field(None, ge=0.3, le=3.0, description="bulbul:v2 only; 0.3 to 3.0.")
    speech_sample_rate: SampleRate | None = None  # "Default: 22050 Hz"
    enable_preprocessing: bool | None = None
    model: ModelName | None = None  # "bulbul:v3: Stable model (API default when model is omitted)"
    output_audio_codec: Codec | None = None
    temperature: float | None = Field(None, ge=0.01, le=1.0, description="0.01 to 1.0, default 0.6 (v3, v4-flash).")
    dict_id: str | None = None
    enable_cached_responses: bool | None = None

    @model_validator(mode="after")
    def _one_language(self) -> TextToSpeechRequest:
        if self.language_code is None and self.target_language_code is None:
            raise ValueError("language_code is required (\"It is a required parameter\")")
        return self


class StreamRequest(TextToSpeechRequest):
    output_audio_bitrate: str | None = None  # source: sdk (SpeechStreamBitrate)


class TextToSpeechResponse(ResponseModel):
    request_id: str | None = None
    audios: list[str] = Field(min_length=1)  # "The output audio files in WAV format, encoded as base64 strings."


class ErrorDetail(ResponseModel):
    message: str
    code: str
    request_id: str | None = None


class ErrorBody(ResponseModel):
    """"Most REST errors return JSON: {"error": {"message": "Human-readable description", "code": ...}}"."""

    error: ErrorDetail
