"""Cartesia's `/tts/websocket` in the WebSocket speech family's terms (WS_REFERENCE, CONTEXTS_REFERENCE, read
2026-11-25):

    client  {"context_id", "model_id", "voice": {"mode": "id", "id"}, "output_format": {"container": "raw",
             "encoding", "sample_rate"}, "language", "add_timestamps", "transcript", "continue": true} × n →
            the same with "transcript": "" and "continue": false; {"context_id", "cancel": true} drops a context
    server  chunk (base64 `data`), timestamps (`word_timestamps`), done, error — each naming its `context_id`

"The connection supports multiplexing, so you can send multiple requests and receive the corresponding responses in
parallel"; "Responses for a context contain the `context_id` you passed in" (WS_REFERENCE): the socket's
`Contexts`. "To stream in inputs on a context, just pass a `continue` flag (set to `true`) for every input that you
expect will be followed by more inputs. (By default, this flag is set to `false`.) To finish a context, just set
`continue` to `false`. If you do not know the last transcript in advance, you can send an input with an empty
transcript and `continue` set to `false`" (CONTEXTS_REFERENCE): `more` is `/continue`, and the empty transcript
with `continue: false` is the end (what the SDK's `no_more_inputs()` sends). Word timestamps come where
`add_timestamps` is true: the socket's `Marks`, times in seconds from the context's start.

The key: the provider's `Authorization: Bearer` or `X-API-Key` on the handshake ("Cartesia accepts both X-Api-Key
and Authorization headers", AUTH_REFERENCE), or `?api_key=` (the 2024-11-13 conventions: "For WebSocket connections,
authentication is handled by passing in the field ?api_key=<your_api_key>") or `?access_token=` (CONVENTIONS_REFERENCE:
"pass the token as the ?access_token=<access_token> query parameter"). `?cartesia_version=` names the version ("For
WebSockets ... ?cartesia_version ... will take precedence"); the harness sends the official SDK's (cartesia 4.2.0).
The documents say nothing of closing the socket after an error: the family's error frame is followed by its close.
"""

from __future__ import annotations

from harness.core.protocols.http_speech import Format
from harness.core.protocols.realtime_grammar import AfterCancel, AudioSpec, Cancel, Kind
from harness.core.protocols.websocket_speech import (
    Answer,
    AudioAnswer,
    Contexts,
    Ending,
    Failures,
    KeyIn,
    Marks,
    Match,
    Send,
    Socket,
    SocketAuth,
    Upgrade,
)
from harness.core.spec import AudioAt, DocDrift
from harness.providers.cartesia.models import (
    BARE_WORDS,
    CONTEXTS_REFERENCE,
    ENCODINGS,
    ERRORS_REFERENCE,
    SAMPLE_RATES,
    TIMESTAMPS_WORDS,
    WS_REFERENCE,
    CancelContext,
    Chunk,
    Done,
    ErrorEvent,
    FlushDone,
    GenerationRequest,
    PhonemeTimestamps,
    Timestamps,
)

VERSION = "2026-08-14"  # what the official SDK 4.x sends
STREAMING = 206  # "status_code": 206 on chunk, timestamps and done (the reference's examples)

# Raw audio only on the socket ("output_format": {"container": "raw", ...} in every example); the first is the
# benchmark's: 16-bit PCM at 24 kHz.
FORMATS = tuple(
    Format(name=encoding, spec=AudioSpec(encoding, 24000), media_type="application/octet-stream", rates=SAMPLE_RATES)
    for encoding in ("pcm_s16le", *(e for e in ENCODINGS if e != "pcm_s16le"))
)

_REQUEST = {
    "context_id": "{context}",
    "model_id": "{model}",
    "voice": {"mode": "id", "id": "{voice}"},
    "output_format": {"container": "raw", "encoding": "{format}", "sample_rate": "{rate}"},
    "language": "en",
    "add_timestamps": True,
}
_ANSWER = {"done": False, "status_code": STREAMING, "context_id": "{context}"}

TIMESTAMPS = Answer(
    name="timestamps",
    kind=Kind.MARKS,
    match=Match("/type", "timestamps"),
    model=Timestamps,
    template={"type": "timestamps", **_ANSWER},
)

WEBSOCKET = Socket(
    key="tts.websocket",
    path="/tts/websocket",
    summary="Contexts of text in, chunks, timestamps and done out",
    doc=WS_REFERENCE,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True, query=("api_key", "access_token")),
    text=Send(
        "generation request",
        {**_REQUEST, "transcript": "{text}", "continue": True},
        GenerationRequest,
        Match("/transcript"),
    ),
    end=Send(
        "last input", {**_REQUEST, "transcript": "", "continue": False}, GenerationRequest, Match("/continue", False)
    ),
    final=Answer(
        name="done",
        kind=Kind.FINAL,
        match=Match("/type", "done"),
        model=Done,
        template={"type": "done", "done": True, "status_code": STREAMING, "context_id": "{context}"},
    ),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/type", "error"),
            model=ErrorEvent,
            template={
                "type": "error",
                "done": True,
                "status_code": "{status}",
                "error_code": "",
                "message": "",
                "context_id": "{context}",
                "request_id": "{id}",
            },
            code_at="/error_code",
            message_at="/message",
        ),
        error_close=1008,
    ),
    audio_answer=AudioAnswer(
        message=Answer(
            name="chunk",
            kind=Kind.AUDIO,
            match=Match("/type", "chunk"),
            model=Chunk,
            template={"type": "chunk", "data": "", "step_time": "{step_ms}", **_ANSWER},
        ),
        at=AudioAt("/data"),
    ),
    # What the socket answers beyond what the harness asks for: a request's `flush` ("flush_done", with its
    # flush_id) and `add_phoneme_timestamps`; read and checked, never sent by the sandbox.
    others=(
        Answer(
            name="flush_done",
            kind=Kind.FLUSHED,
            match=Match("/type", "flush_done"),
            model=FlushDone,
            template={"type": "flush_done", "flush_done": True, "flush_id": 0, **_ANSWER},
        ),
        Answer(
            name="phoneme_timestamps",
            kind=Kind.METADATA,
            match=Match("/type", "phoneme_timestamps"),
            model=PhonemeTimestamps,
            template={"type": "phoneme_timestamps", **_ANSWER},
        ),
    ),
    formats=FORMATS,
    speaks_each_text=True,  # each input is spoken as it comes, its context keeping the prosody
    ending=Ending(server_closes=False),  # the socket stays open for further contexts: the client closes it
    upgrade=Upgrade(query={"cartesia_version": VERSION}),
    suffix="",  # the benchmark's offering of Sonic 3 is its WebSocket, named `sonic-3` as it always was here
    contexts=Contexts(
        at="/context_id",
        answer_at="/context_id",
        more="/continue",
        cancel=Send("cancel", {"context_id": "{context}", "cancel": True}, CancelContext, Match("/cancel")),
    ),
    # The cancel: a context's cancel, answered by nothing; the Cancel Context Request's description promises no more
    # messages for it (WS_REFERENCE's AsyncAPI).
    cancel=Cancel(
        "cancel",
        AfterCancel.DROPPED,
        doc=WS_REFERENCE,
        quote="Use this to cancel a context, so that no more messages are generated for that context.",
    ),
    marks=Marks(
        text_at="/word_timestamps/words",
        start_at="/word_timestamps/start",
        end_at="/word_timestamps/end",
        answer=TIMESTAMPS,
        asked_by="/add_timestamps",
        bare_words=BARE_WORDS,
        evidence=TIMESTAMPS_WORDS,
    ),
    drift=(
        DocDrift(
            "websocket error shape",
            "Before Cartesia-Version 2026-03-01 an error event carried `error` "
            '("Title: Message"); from it on, `title`, `message` and `error_code`. Both are accepted.',
            (WS_REFERENCE, ERRORS_REFERENCE),
        ),
    ),
)

SOCKETS = (WEBSOCKET,)
__all__ = ["CONTEXTS_REFERENCE", "SOCKETS", "VERSION", "WEBSOCKET"]
