"""Neuphonic's wire payloads for its Server-Sent Events speech endpoint, as its official client `pyneuphonic` 3.1.2
writes and reads them (source: sdk: pyneuphonic/_sse.py, models.py TTSConfig and TTSResponse).

    POST https://api.neuphonic.com/sse/speak/{lang_code}     x-api-key: KEY
        {"text", "lang_code", "voice_id", "speed", "temperature", "sampling_rate", "encoding", "output_format"}
        200 text/event-stream: "event: message" / "data: {"status_code": 200, "data": {"audio": base64, "text",
            "sampling_rate"}}" ("The server returns audio as a base64 encoded string")
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from harness.core.spec import RequestModel, ResponseModel

SDK = "https://pypi.org/project/pyneuphonic/3.1.2/ (pyneuphonic/_sse.py, pyneuphonic/models.py)"
SDK_WEBSOCKET = "https://pypi.org/project/pyneuphonic/3.1.2/ (pyneuphonic/_websocket.py: wss://api.neuphonic.com/speak/en)"


class SpeakRequest(RequestModel):
    text: str = Field(min_length=1)
    lang_code: str = Field(min_length=2, description="Language code for the desired language.")  # in the path
    voice_id: str | None = None
    speed: float | None = Field(None, gt=0, description="Playback speed of the audio.")
    temperature: float | None = Field(None, ge=0, le=1.0, description="Randomness introduced into the "
                                      "text-to-speech model. Range: 0 to 1.0.")
    sampling_rate: Literal[8000, 16000, 22050, 24000] | None = None  # "Default is 24000"
    encoding: Literal["pcm_linear", "pcm_mulaw"] | None = None  # default "pcm_linear"
    output_format: str | None = None


class SpeechChunk(BaseModel):
    audio: str | None = None
    text: str | None = None
    sampling_rate: int | None = None


class SpeakEvent(ResponseModel):
    status_code: int | None = None
    data: SpeechChunk | None = None
    metadata: dict[str, Any] | None = None


class ErrorBody(ResponseModel):
    """`raise_for_status` reads no field of it; the shape the API writes ({"status_code", "errors"}) is inferred."""

    status_code: int | None = None
    errors: Any = None
