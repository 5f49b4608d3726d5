"""Speechmatics' wire payloads for its text to speech, as its quickstart writes them (QUICKSTART) and its official
client `speechmatics-tts` 0.1.2 sends them (source: sdk: speechmatics/tts/_async_client.py generate, _models.py).

    POST https://preview.tts.speechmatics.com/generate/{voice}?output_format=wav_16000   Authorization: Bearer KEY
        {"text"}                                             → the audio as the body (16 kHz, 16-bit mono)
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

QUICKSTART = "https://docs.speechmatics.com/text-to-speech/quickstart"
SDK = "https://pypi.org/project/speechmatics-tts/0.1.2/ (speechmatics/tts/_async_client.py, _models.py)"
# Pipecat's Speechmatics service: output_format=pcm_16000 ("only supports 16000Hz"), and a 503 "Service unavailable"
# retried with backoff.
PIPECAT = "https://github.com/pipecat-ai/pipecat (src/pipecat/services/speechmatics/tts.py)"


class GenerateRequest(RequestModel):
    voice: Literal["sarah", "theo", "megan"]  # in the path: /generate/{voice} (the client's Voice enum)
    output_format: Literal["wav_16000", "pcm_16000"] | None = None  # in the query (the client's OutputFormat enum)
    text: str = Field(min_length=1)


class ErrorBody(ResponseModel):
    """Not in the stored material: the client reads an error's text only ("HTTP {status}: {reason} - {text}");
    {"detail"} is inferred."""

    detail: str
