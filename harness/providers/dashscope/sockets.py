"""DashScope's Qwen-TTS realtime WebSocket (`wss://dashscope-intl.aliyuncs.com/api-ws/v1/realtime?model=...`) in the
WebSocket speech family's terms, with the events its references show (CLIENT_EVENTS, SERVER_EVENTS):

    server  session.created on connect → (session.update) session.updated → (input_text_buffer.append × n,
            input_text_buffer.commit) input_text_buffer.committed, response.created, response.audio.delta × n
            ({"delta": base64 PCM}), response.audio.done, response.done → (session.finish) session.finished, and
            "the server flushes remaining audio and closes the connection"
    errors  {"type": "error", "error": {"code", "message"}}: "Sent for both client-side and server-side errors"

The model is the URL's `model` query parameter and the key the bearer header ("Authorization: Bearer
DASHSCOPE_API_KEY"). The session is put in `commit` mode, where the commit is what starts the synthesis.
"""

from __future__ import annotations

from decimal import Decimal

from harness.core.protocols.http_speech import Format, file_pieces
from harness.core.protocols.realtime_grammar import AudioSpec, Kind
from harness.core.protocols.websocket_speech import (
    Answer,
    AudioAnswer,
    Ending,
    Failures,
    KeyIn,
    Match,
    Send,
    Socket,
    SocketAuth,
    Start,
    Upgrade,
)
from harness.core.spec import AudioAt, DocDrift
from harness.providers.dashscope.models import (
    CLIENT_EVENTS,
    REALTIME_GUIDE,
    SERVER_EVENTS,
    ErrorEvent,
    ServerEvent,
    SessionFinish,
    SessionUpdate,
    TextAppend,
    TextCommit,
)

# "qwen3-tts-flash-realtime ... $0.13 per 10,000 characters" (International, Singapore; REALTIME_GUIDE, "Last
# Updated: Nov 06, 2025").
REALTIME_PRICE = Decimal("13")
RATES = (8000, 16000, 22050, 24000, 44100, 48000)  # sample_rate: "range [8000,16000,22050,24000,44100,48000]" (sdk)
SESSION = {
    "object": "realtime.session",
    "mode": "commit",
    "model": "{model}",
    "voice": "{voice}",
    "response_format": "{format}",
    "sample_rate": "{rate}",
    "id": "sess_{id}",
}


def _event(kind: str, **fields: object) -> dict[str, object]:
    return {"event_id": "event_{id}", "type": kind, **fields}


FORMATS = (
    Format(name="pcm", spec=AudioSpec("pcm_s16le", 24000, "raw"), media_type="audio/pcm;rate=24000", rates=RATES),
    Format(name="mp3", spec=AudioSpec("mp3", 24000, "mp3"), media_type="audio/mpeg", rates=RATES),
    # wav: listed, how a file arrives in pieces not said: answered as assumed
    file_pieces(Format(name="wav", spec=AudioSpec("pcm_s16le", 24000, "wav"), media_type="audio/wav", rates=RATES)),
)

REALTIME = Socket(
    key="qwen_tts.realtime",
    path="/api-ws/v1/realtime",
    summary="Qwen-TTS realtime: session.update, input_text_buffer.append and commit, session.finish",
    doc=CLIENT_EVENTS,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),
    upgrade=Upgrade(query={"model": "{model}"}),
    models={"qwen3-tts-flash": "qwen3-tts-flash-realtime"},
    prices={"qwen3-tts-flash-realtime": REALTIME_PRICE},
    start=Start(
        greeting=Answer(
            name="session.created",
            kind=Kind.OPENED,
            match=Match("/type", "session.created"),
            model=ServerEvent,
            template=_event("session.created", session={**SESSION, "mode": "server_commit"}),
        ),
        opening=Send(
            "session.update",
            {
                "event_id": "event_{seq}",
                "type": "session.update",
                "session": {
                    "voice": "{voice}",
                    "mode": "commit",
                    "response_format": "{format}",
                    "sample_rate": "{rate}",
                },
            },
            SessionUpdate,
            Match("/type", "session.update"),
        ),
        ready=Answer(
            name="session.updated",
            kind=Kind.READY,
            match=Match("/type", "session.updated"),
            model=ServerEvent,
            template=_event("session.updated", session=SESSION),
        ),
    ),
    text=Send(
        "input_text_buffer.append",
        {"event_id": "event_{seq}", "type": "input_text_buffer.append", "text": "{text}"},
        TextAppend,
        Match("/type", "input_text_buffer.append"),
    ),
    end=Send(
        "input_text_buffer.commit",
        {"event_id": "event_{seq}", "type": "input_text_buffer.commit"},
        TextCommit,
        Match("/type", "input_text_buffer.commit"),
    ),
    audio_answer=AudioAnswer(
        message=Answer(
            name="response.audio.delta",
            kind=Kind.AUDIO,
            match=Match("/type", "response.audio.delta"),
            model=ServerEvent,
            template=_event(
                "response.audio.delta",
                response_id="resp_{id}",
                item_id="item_{id}",
                output_index=0,
                content_index=0,
                delta="{audio}",
            ),
        ),
        at=AudioAt("/delta"),
    ),
    final=Answer(
        name="response.done",
        kind=Kind.FINAL,
        match=Match("/type", "response.done"),
        model=ServerEvent,
        template=_event("response.done", response={"id": "resp_{id}", "status": "completed"}),
    ),
    ending=Ending(
        after_final=Send(
            "session.finish",
            {"event_id": "event_{seq}", "type": "session.finish"},
            SessionFinish,
            Match("/type", "session.finish"),
        ),
        closed=Answer(
            name="session.finished",
            kind=Kind.METADATA,
            match=Match("/type", "session.finished"),
            model=ServerEvent,
            template=_event("session.finished"),
        ),
    ),
    others=(
        Answer(
            name="input_text_buffer.committed",
            kind=Kind.METADATA,
            match=Match("/type", "input_text_buffer.committed"),
            model=ServerEvent,
            template=_event("input_text_buffer.committed", item_id=""),
        ),
    ),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/type", "error"),
            model=ErrorEvent,
            template=_event("error", error={}),
            code_at="/error/code",
            message_at="/error/message",
        ),
        error_close=1011,  # not documented
    ),
    formats=FORMATS,
    drift=(
        DocDrift(
            "audio events",
            "The server-events page lists response.audio.delta with response_id, item_id, "
            "output_index and content_index but its stored text shows no example: the audio is read at "
            "/delta, as every realtime API of this shape writes it.",
            (SERVER_EVENTS,),
        ),
        DocDrift(
            "refused key",
            "No stored page says how a bad key is refused on this socket: the declared 401 "
            "on the upgrade is the general status code (InvalidApiKey); check it against the provider.",
            (SERVER_EVENTS, REALTIME_GUIDE),
        ),
    ),
)

SOCKETS = (REALTIME,)
