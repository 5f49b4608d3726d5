"""LMNT's speech session WebSocket in the WebSocket speech family's terms (`harness.core.protocols.websocket_speech`),
as the official client `lmnt` 2.13.0 speaks it (source: sdk; models.SESSION_SDK): the key in the typed init, answered
by `ready`; text; a flush answered by `flush_complete` once its audio is out; `finish`, after which the server closes;
the audio as binary frames."""

from __future__ import annotations

from harness.core.protocols.http_speech import Format, file_pieces
from harness.core.protocols.realtime_grammar import AudioSpec, Kind
from harness.core.protocols.websocket_speech import (
    Answer,
    Ending,
    Failures,
    KeyIn,
    Marks,
    Match,
    Send,
    Socket,
    SocketAuth,
    Start,
)
from harness.core.spec import DocDrift
from harness.providers.lmnt.models import (
    API_VERSION,
    SESSION_GUIDE,
    SESSION_REFERENCE,
    SESSION_SDK,
    SessionError,
    SessionFinish,
    SessionFlush,
    SessionFlushComplete,
    SessionInit,
    SessionReady,
    SessionText,
    SessionTimestamps,
)

RATES = (8000, 16000, 24000)  # sample_rate: Literal[24000, 16000, 8000]

# pcm_s16le first ("PCM signed 16-bit little-endian audio"): headerless chunks the benchmark decodes one by one;
# mp3 ("96kbps MP3 audio") is the server's default when the init names none.
FORMATS = (
    Format(name="pcm_s16le", spec=AudioSpec("pcm_s16le", 24000, "raw"), media_type="audio/pcm", rates=RATES),
    Format(name="mp3", spec=AudioSpec("mp3", 24000, "mp3"), media_type="audio/mpeg", rates=RATES),
    # "pcm_f32le" (the init's format): headerless 32-bit float samples, bytes that name no format
    Format(
        name="pcm_f32le", spec=AudioSpec("pcm_f32le", 24000, "raw"), media_type="application/octet-stream", rates=RATES
    ),
    # "ulaw" ("8-bit G711 µ-law audio with a WAV header", at 8000 Hz where no rate is asked, as on the bytes endpoint):
    # how a file with a header arrives in pieces is not said: answered as assumed
    file_pieces(Format(name="ulaw", spec=AudioSpec("pcm_mulaw", 8000, "wav"), media_type="audio/wav", rates=RATES)),
)

# The times of the spoken text, asked once by the init's `return_timestamps` ("Controls whether the server will return
# timestamps for the generated speech"), in a `timestamps` message of their own: objects {text, start, duration} in
# seconds, "one per generated text token", cumulative within a flush. A token may be a word, a space or punctuation
# (the detailed answer's same objects: "words and non-words like spaces, punctuation, etc."): joined they spell the
# text, so they are read as character marks are, joined at white space into words.
TIMESTAMPS = Marks(
    text_at="/text",
    start_at="/start",
    end_at="/duration",
    durations=True,
    chars=True,
    items_at="/timestamps",
    asked_by="/return_timestamps",
    asked_at_start=True,
    answer=Answer(
        name="timestamps",
        kind=Kind.MARKS,
        match=Match("/type", "timestamps"),
        model=SessionTimestamps,
        template={"type": "timestamps", "timestamps": []},
    ),
    evidence='SpeechSessionInit.return_timestamps: "Controls whether the server will return timestamps for the '
    'generated speech"; SpeechSessionTimestamps {"type": "timestamps", "timestamps": '
    '[Timestamp {"text": "The text segment", "start": "The time at which the text starts, in '
    'seconds", "duration": "The spoken duration of the text segment, in seconds"}]}: "one per '
    'generated text token. Start times are cumulative, and reset to 0.0 after a `flush` or `reset`" ('
    + SESSION_SDK
    + ", lmnt/types/speech_session_timestamps.py, read 2026-11-26)",
)

SESSION = Socket(
    key="speech.session",
    path="/v1/ai/speech/stream",
    summary="Speech session: text streamed in, speech streamed out as binary frames",
    doc=SESSION_REFERENCE,
    auth=SocketAuth(where=KeyIn.MESSAGE, field="X-API-Key", in_handshake=False),
    start=Start(
        opening=Send(
            "init",
            {
                "X-API-Key": "{key}",
                "type": "init",
                "lmnt-version": API_VERSION,
                "voice": "{voice}",
                "format": "{format}",
                "sample_rate": "{rate}",
            },
            SessionInit,
        ),
        ready=Answer(
            name="ready",
            kind=Kind.READY,
            match=Match("/type", "ready"),
            model=SessionReady,
            template={"type": "ready", "request_id": "{id}"},
        ),
    ),
    text=Send("text", {"type": "text", "text": "{text}"}, SessionText, Match("/type", "text")),
    end=Send("flush", {"type": "flush", "nonce": "{nonce}"}, SessionFlush, Match("/type", "flush")),
    final=Answer(
        name="flush_complete",
        kind=Kind.FINAL,
        match=Match("/type", "flush_complete"),
        model=SessionFlushComplete,
        template={"type": "flush_complete", "nonce": "{nonce}"},
    ),
    ending=Ending(after_final=Send("finish", {"type": "finish"}, SessionFinish, Match("/type", "finish"))),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/type", "error"),
            model=SessionError,
            template={"type": "error", "error": {"message": "{message}", "type": "{code}"}, "request_id": "{id}"},
            code_at="/error/type",
            message_at="/error/message",
        ),
        error_close=1008,  # not documented: the socket's policy-violation close
    ),
    marks=TIMESTAMPS,
    formats=FORMATS,
    drift=(
        DocDrift(
            "session grammar",
            'The stored reference page writes untyped messages ({"text"}, flush and eof '
            "flags); the official client 2.13.0, generated from LMNT's AsyncAPI file, sends typed ones "
            "(init, text, flush with a nonce, finish) and reads ready, flush_complete and typed errors: the "
            "declaration follows the client.",
            (SESSION_REFERENCE, SESSION_SDK),
        ),
    ),
)

SOCKETS = (SESSION,)
GUIDES = (SESSION_GUIDE,)
