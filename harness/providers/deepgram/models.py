"""Deepgram's Aura text-to-speech payloads, as its API reference writes them (read 2026-11-25).

    POST https://api.deepgram.com/v1/speak?model=&encoding=&container=&sample_rate=&bit_rate=
        Authorization: Token KEY      {"text": "..."}      200: the audio
        errors: {"err_code", "err_msg", "request_id"}

REFERENCE ("Single Text Request"): "POST https://api.deepgram.com/v1/speak", "`Authorization` header (required)
(prefixed with `Token`) — Use `Authorization: Token <API_KEY>`", the query parameters `bit_rate` ("default: 48000"),
`callback`, `callback_method`, `mip_opt_out`, `tag`, `container`, `encoding`, `model`, `sample_rate`. MEDIA ("Media
Output Settings"): "REST Defaults encoding: Linear16 container: wav sample_rate: 24000", "Streaming Defaults encoding:
Linear16 container: n/a sample_rate: 24000"; MP3, Opus, FLAC and AAC are "REST" only. SAMPLE_RATE: "Based on encoding
8000 or 24000 are possible defaults. For some encodings sample rate is not configurable."
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

REFERENCE = "https://developers.deepgram.com/reference/text-to-speech/speak-request"
MEDIA = "https://developers.deepgram.com/docs/tts-media-output-settings"
SAMPLE_RATE = "https://developers.deepgram.com/docs/tts-sample-rate"
BIT_RATE = "https://developers.deepgram.com/docs/tts-bit-rate"
GETTING_STARTED = "https://developers.deepgram.com/docs/tts-starter-apps"

# "If you do not specify a model, the default voice model aura-asteria-en will be used." (GETTING_STARTED)
DEFAULT_MODEL = "aura-asteria-en"
Encoding = Literal["linear16", "mulaw", "alaw", "mp3", "opus", "flac", "aac"]  # the reference's `encoding` enum


class SpeakRequest(RequestModel):
    """The body `{"text"}` and the query's settings (`Endpoint.query_fields`)."""

    text: str = Field(min_length=1)
    model: str | None = None  # "default: aura-asteria-en"
    encoding: Encoding | None = None
    container: Literal["none", "wav", "ogg"] | None = None  # "File format wrapper for the output audio"
    # "`sample_rate` *string*", "`bit_rate` *string*" (SAMPLE_RATE, BIT_RATE): numbers, written in the query
    sample_rate: str | None = Field(None, pattern=r"^[0-9]+$")
    bit_rate: str | None = Field(None, pattern=r"^[0-9]+$")  # "When applicable 48000 will be used as the default"


class ErrorBody(ResponseModel):
    err_code: str
    err_msg: str
    request_id: str
