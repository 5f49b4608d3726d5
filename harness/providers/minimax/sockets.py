"""MiniMax's T2A WebSocket (`wss://api.minimax.io/ws/v1/t2a_v2`) in the WebSocket speech family's terms, with the
messages its reference shows (SOCKET_REFERENCE: the AsyncAPI page and its examples):

    server  connected_success → (client task_start) → task_started → (task_continue × n) → audio messages,
            {"data": {"audio": hex}, "event": "task_continued", "is_final", ...} → (task_finish) → task_finished,
            then the server closes
    errors  task_failed with base_resp {status_code, status_msg}: "the WebSocket connection must be closed"

"Only after receiving this event [task_started] can you send task_continue or task_finish events"; "When the server
receives the task_finish event, it waits for all tasks in the current queue to complete, then closes the WebSocket
connection". The key is the bearer header of the upgrade (the AsyncAPI's server security: http bearer).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from harness.core.answer_errors import BodyErrors
from harness.core.protocols.http_speech import Format, file_pieces, g711
from harness.core.protocols.realtime_grammar import AudioSpec, Kind
from harness.core.protocols.websocket_speech import (
    Answer,
    AudioAnswer,
    Failures,
    KeyIn,
    Match,
    Send,
    Socket,
    SocketAuth,
    Start,
)
from harness.core.spec import AudioAt, DocDrift, RequestModel, ResponseModel

SOCKET_REFERENCE = "https://platform.minimax.io/docs/api-reference/speech-t2a-websocket"
ASYNCAPI = "https://platform.minimax.io/docs/api-reference/speech/t2a/api/asyncapi.json"
RATES = (8000, 16000, 22050, 24000, 32000, 44100)
SESSION = {"session_id": "{id}", "trace_id": "{id}", "base_resp": {"status_code": 0, "status_msg": "success"}}


class VoiceSetting(RequestModel):
    voice_id: str = Field(min_length=1)
    speed: float | None = Field(None, ge=0.5, le=2)
    vol: float | None = Field(None, gt=0, le=10)
    pitch: int | None = Field(None, ge=-12, le=12)
    emotion: str | None = None


class AudioSetting(RequestModel):
    sample_rate: Literal[8000, 16000, 22050, 24000, 32000, 44100] | None = None
    bitrate: Literal[32000, 64000, 128000, 256000] | None = None
    format: Literal["mp3", "pcm", "flac"] | None = None
    channel: Literal[1, 2] | None = None


class TaskStart(RequestModel):
    event: Literal["task_start"]
    model: str
    voice_setting: VoiceSetting
    audio_setting: AudioSetting | None = None
    language_boost: str | None = None
    pronunciation_dict: dict[str, list[str]] | None = None


class TaskContinue(RequestModel):
    event: Literal["task_continue"]
    text: str = Field(max_length=10000)


class TaskFinish(RequestModel):
    event: Literal["task_finish"]


class BaseResp(ResponseModel):
    status_code: int
    status_msg: str


class Notice(ResponseModel):
    """connected_success, task_started, task_finished and task_failed: an event, the session and base_resp."""

    event: Literal["connected_success", "task_started", "task_continued", "task_finished", "task_failed"]
    session_id: str | None = None
    trace_id: str | None = None
    base_resp: BaseResp


class AudioData(BaseModel):
    audio: str


class AudioMessage(ResponseModel):
    """The AsyncAPI's Task Continued Event: "event: Session event type. On success, returns `"task_continued"`"
    (its jsonPayloadSchema); the example beside it leaves the event out."""

    data: AudioData
    event: Literal["task_continued"] | None = None
    is_final: bool
    extra_info: dict[str, object] | None = None
    session_id: str | None = None
    trace_id: str | None = None
    base_resp: BaseResp


# pcmu_raw, pcmu_wav: listed; neither the rate nor pcmu_raw's header is said: answered as assumed, G.711's common
# form, at the asked sample_rate (8000 Hz where none is asked)
PCMU = (
    g711("pcmu_raw", "pcm_mulaw", RATES),
    Format(
        name="pcmu_wav",
        spec=AudioSpec("pcm_mulaw", 8000, "wav"),
        media_type="audio/wav",
        rates=RATES,
        assumed=(
            "the documents do not say its rate; the sandbox answers a WAV file of μ-law samples at 8000 Hz, or at the "
            "rate asked"
        ),
    ),
)
FORMATS = (  # pcm first: headerless chunks the benchmark decodes one by one; mp3 is the reference's example
    Format(name="pcm", spec=AudioSpec("pcm_s16le", 32000, "raw"), media_type="audio/pcm", rates=RATES),
    Format(name="mp3", spec=AudioSpec("mp3", 32000, "mp3"), media_type="audio/mpeg", rates=RATES),
    # wav, flac: listed, how a file arrives in pieces not said: answered as assumed
    file_pieces(Format(name="wav", spec=AudioSpec("pcm_s16le", 32000, "wav"), media_type="audio/wav", rates=RATES)),
    file_pieces(Format(name="flac", spec=AudioSpec("flac", 32000, "flac"), media_type="audio/flac", rates=RATES)),
    *PCMU,
)

T2A_SOCKET = Socket(
    key="t2a.v2.ws",
    path="/ws/v1/t2a_v2",
    summary="T2A over WebSocket: task_start, task_continue, task_finish",
    doc=SOCKET_REFERENCE,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=False),
    start=Start(
        greeting=Answer(
            name="connected_success",
            kind=Kind.OPENED,
            match=Match("/event", "connected_success"),
            model=Notice,
            template={"event": "connected_success", **SESSION},
        ),
        opening=Send(
            "task_start",
            {
                "event": "task_start",
                "model": "{model}",
                "voice_setting": {"voice_id": "{voice}", "speed": 1, "vol": 1, "pitch": 0},
                "audio_setting": {"sample_rate": "{rate}", "format": "{format}", "channel": 1},
            },
            TaskStart,
            Match("/event", "task_start"),
        ),
        ready=Answer(
            name="task_started",
            kind=Kind.READY,
            match=Match("/event", "task_started"),
            model=Notice,
            template={"event": "task_started", **SESSION},
        ),
        waits_for_ready=True,
    ),
    text=Send(
        "task_continue", {"event": "task_continue", "text": "{text}"}, TaskContinue, Match("/event", "task_continue")
    ),
    end=Send("task_finish", {"event": "task_finish"}, TaskFinish, Match("/event", "task_finish")),
    audio_answer=AudioAnswer(
        message=Answer(
            name="audio",
            kind=Kind.AUDIO,
            match=Match("/data/audio"),
            model=AudioMessage,
            template={"data": {"audio": "{audio}"}, "event": "task_continued", "is_final": "{last}", **SESSION},
        ),
        at=AudioAt("/data/audio", "hex"),
    ),
    final=Answer(
        name="task_finished",
        kind=Kind.FINAL,
        match=Match("/event", "task_finished"),
        model=Notice,
        template={"event": "task_finished", **SESSION},
    ),
    failures=Failures(
        error=Answer(
            name="task_failed",
            kind=Kind.ERROR,
            match=Match("/event", "task_failed"),
            model=Notice,
            template={"event": "task_failed", "session_id": "{id}", "trace_id": "{id}", "base_resp": {}},
            code_at="/base_resp/status_code",
            message_at="/base_resp/status_msg",
        ),
        error_close=1000,  # not documented: the client is told to close; the sandbox closes normally after the frame
        # Every server message carries base_resp (the reference's examples: {"status_code": 0, "status_msg":
        # "success"}); a non-zero code is the error the Error Codes page lists (1004 not authorized, 1002 rate limit,
        # ...), audio beside it or not.
        errors=BodyErrors("/base_resp/status_code", (0,), "/base_resp/status_msg"),
    ),
    formats=FORMATS,
    speaks_each_text=True,
    drift=(
        DocDrift(
            "audio message event",
            "The AsyncAPI's Task Continued Event (the audio message) says of its "
            '`event` "On success, returns `task_continued`", but its example, and the page\'s, leave the '
            "event out: the sandbox sends it (LiveKit Agents' MiniMax plugin 1.8.9 reads audio only from "
            "task_continued messages), and audio messages are told apart by data.audio.",
            (SOCKET_REFERENCE, ASYNCAPI),
        ),
    ),
)

SOCKETS = (T2A_SOCKET,)
