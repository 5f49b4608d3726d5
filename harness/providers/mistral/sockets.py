"""Mistral's realtime speech WebSocket (`wss://api.mistral.ai/v1/audio/speech/realtime?model=...`) in the WebSocket
speech family's terms. REALTIME_GUIDE's lifecycle: "Open ... session.created, with the default settings: Wait for it
before you send anything else. Configure: session.update ... session.updated ... Send text: input_text.append, one
text delta at a time → speech.audio.delta, with each chunk of audio. Finish: input_text.flush to end a generation, or
input_text.end to end the session → speech.audio.done, with usage". The message fields are the official client's
(source: sdk); the key is the bearer header, the model the URL's `model`.
"""

from __future__ import annotations

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
from harness.providers.mistral.models import (
    REALTIME_GUIDE,
    SDK,
    AudioDelta,
    AudioDone,
    ErrorEvent,
    SessionEvent,
    SessionUpdate,
    TextAppend,
    TextEnd,
    TextFlush,
)

SESSION = {
    "request_id": "{id}",
    "model": "{model}",
    "is_ref_audio": False,
    "streaming_mode": "responsive",
    "response_format": "{format}",
    "expressiveness": 1.0,
    "voice": "{voice}",
}

# pcm: its rate is written nowhere in the stored material; answered at the other formats' 24 kHz, with a finding
PCM = Format(
    name="pcm",
    spec=AudioSpec("pcm_s16le", 24000, "raw"),
    media_type="audio/pcm;rate=24000",
    assumed=(
        "the documents do not say its rate or sample format; the sandbox answers headerless 16-bit little-endian "
        "samples at 24000 Hz, the rate of its other formats"
    ),
)
FORMATS = (  # each chunk a piece of one file: mp3 frames join into one stream; pcm headerless pieces; wav, flac assumed
    Format(name="mp3", spec=AudioSpec("mp3", 24000, "mp3"), media_type="audio/mpeg"),
    PCM,
    file_pieces(Format(name="wav", spec=AudioSpec("pcm_s16le", 24000, "wav"), media_type="audio/wav")),
    file_pieces(Format(name="flac", spec=AudioSpec("flac", 24000, "flac"), media_type="audio/flac")),
)

REALTIME = Socket(
    key="speech.realtime",
    path="/v1/audio/speech/realtime",
    summary="Realtime speech: session.update, input_text.append, input_text.flush, input_text.end",
    doc=REALTIME_GUIDE,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),
    upgrade=Upgrade(query={"model": "{model}"}),
    start=Start(
        greeting=Answer(
            name="session.created",
            kind=Kind.OPENED,
            match=Match("/type", "session.created"),
            model=SessionEvent,
            template={"type": "session.created", "session": {**SESSION, "response_format": "mp3", "voice": None}},
        ),
        opening=Send(
            "session.update",
            {"type": "session.update", "session": {"voice": "{voice}", "response_format": "{format}"}},
            SessionUpdate,
            Match("/type", "session.update"),
        ),
        waits_for_greeting=True,
        ready=Answer(
            name="session.updated",
            kind=Kind.READY,
            match=Match("/type", "session.updated"),
            model=SessionEvent,
            template={"type": "session.updated", "session": SESSION},
        ),
        waits_for_ready=True,
    ),
    text=Send(
        "input_text.append",
        {"type": "input_text.append", "text": "{text}"},
        TextAppend,
        Match("/type", "input_text.append"),
    ),
    end=Send("input_text.flush", {"type": "input_text.flush"}, TextFlush, Match("/type", "input_text.flush")),
    audio_answer=AudioAnswer(
        message=Answer(
            name="speech.audio.delta",
            kind=Kind.AUDIO,
            match=Match("/type", "speech.audio.delta"),
            model=AudioDelta,
            template={"type": "speech.audio.delta", "audio_data": "{audio}"},
        ),
        at=AudioAt("/audio_data"),
    ),
    final=Answer(
        name="speech.audio.done",
        kind=Kind.FINAL,
        match=Match("/type", "speech.audio.done"),
        model=AudioDone,
        template={
            "type": "speech.audio.done",
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        },
    ),
    ending=Ending(
        after_final=Send("input_text.end", {"type": "input_text.end"}, TextEnd, Match("/type", "input_text.end")),
        server_closes=False,  # "close the connection after end": the client closes
    ),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/type", "error"),
            model=ErrorEvent,
            template={"type": "error", "error": {}},
            code_at="/error/code",
            message_at="/error/message",
        ),
        error_close=1008,  # not documented
    ),
    formats=FORMATS,
    drift=(
        DocDrift(
            "socket errors",
            'The guide says "If the API rejects a message, it sends an error event"; its '
            "close code and how a bad key is refused are not in the stored text: the upgrade's 401 and a "
            "1008 close after an error event are the sandbox's reading.",
            (REALTIME_GUIDE, SDK),
        ),
    ),
)

SOCKETS = (REALTIME,)
