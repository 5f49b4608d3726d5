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
SDK_WEBSOCKET = (
    "https://pypi.org/project/pyneuphonic/3.1.2/ (pyneuphonic/_websocket.py: wss://api.neuphonic.com/speak/en)"
)


class SpeakRequest(RequestModel):
    text: str = Field(min_length=1)
    lang_code: str = Field(min_length=2, description="Language code for the desired language.")  # in the path
    voice_id: str | None = None
    speed: float | None = Field(None, gt=0, description="Playback speed of the audio.")
    temperature: float | None = Field(
        None, ge=0, le=1.0, description="Randomness introduced into the text-to-speech model. Range: 0 to 1.0."
    )
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


# The TTS WebSocket (`wss://api.neuphonic.com/speak/{lang_code}`), as the official clients speak it (source: sdk):
# pyneuphonic 3.1.2's AsyncTTSWebsocketClient (the URL and its query from TTSConfig, the x-api-key header, JSON
# {"text"} messages, `complete()` sending {"text": " <STOP>"}, every answer read as APIResponse[TTSResponse]) and
# the official TypeScript client neuphonic-js (src/tts.ts: the last answer of an utterance carries `data.stop`).
SDK_WEBSOCKET_JS = "https://github.com/neuphonic/neuphonic-js (src/tts.ts: websocket, data.stop; src/common.ts)"
WEBSOCKET_DOC = "https://github.com/neuphonic/pyneuphonic/blob/main/docs/source/websocket-api.md"


class SocketText(RequestModel):
    """ "Messages can be sent to the server either word by word, sentence by sentence": {"text": ...}."""

    text: str


class SocketChunk(BaseModel):
    audio: str | None = None  # "base64 encoded audio byte string"
    text: str | None = None
    sampling_rate: int | None = None
    stop: bool | None = None  # the utterance's last answer (neuphonic-js: `if (message.stop) break`)
    context_id: str | None = None  # the client's context, echoed: known from LiveKit's plugin alone (sockets.LIVEKIT)


class SocketEvent(ResponseModel):
    """ "All responses from the server will be JSON and look like this": {version, timestamp, data}; the client reads
    each as APIResponse (status_code and errors are its error fields)."""

    version: str | None = None
    timestamp: str | None = None
    data: SocketChunk | None = None
    metadata: dict[str, Any] | None = None
    status_code: int | None = None
    errors: Any = None
