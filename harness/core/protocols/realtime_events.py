"""The Realtime event grammar, as data the WebSocket speech family's sockets share: the events a speech-to-speech socket
speaks when it copies one provider's Realtime API (a user message in, a response asked for, audio and its transcript
back as deltas, `response.done`, an `error` event). Three built-in sockets speak it with data of their own — a session
shape, the names their audio and transcript deltas go by, their models — so each declaration says only that, and
reads the rest here; none is named (the core names no provider).

    client   conversation.item.create {"item": {"type": "message", "role": "user", "content": [{"type": "input_text",
             "text"}]}} · response.create · response.cancel
    server   <audio delta> {"delta": base64, "response_id", "item_id", "output_index", "content_index"} ·
             <transcript delta> {"delta": text, ...} · response.done {"response"} · error {"error": {"type", "code",
             "message"}}

Each declaration quotes the documents its data comes from; these shapes are the ones all of them show alike. A
declaration whose documents give a stricter or richer shape (generated types with required ids) passes its own
models to the builders.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel

from harness.core.protocols.marks import Answer, Match
from harness.core.protocols.realtime_grammar import Kind
from harness.core.protocols.websocket_speech import AudioAnswer, Send, TranscriptDeltas
from harness.core.spec import AudioAt, RequestModel, ResponseModel

# The response's ids: one pair per response where the socket declares a `Conversation` (each `end` a new response),
# else the connection's.
DELTA_IDS = {"response_id": "resp_{response}", "item_id": "item_{output}", "output_index": 0, "content_index": 0}


class RealtimeInputText(RequestModel):
    type: Literal["input_text"]
    text: str


class RealtimeUserMessage(RequestModel):
    type: Literal["message"]
    role: Literal["user", "system"]
    content: list[RealtimeInputText]


class RealtimeItemCreate(RequestModel):
    type: Literal["conversation.item.create"]
    item: RealtimeUserMessage
    event_id: str | None = None


class RealtimeResponseCreate(RequestModel):
    type: Literal["response.create"]
    event_id: str | None = None
    response: dict[str, Any] | None = None


class RealtimeResponseCancel(RequestModel):
    type: Literal["response.cancel"]
    event_id: str | None = None
    response_id: str | None = None


class RealtimeEvent(ResponseModel):
    type: str
    event_id: str | None = None


class RealtimeDelta(ResponseModel):
    type: str
    delta: str
    event_id: str | None = None
    response_id: str | None = None
    item_id: str | None = None


class RealtimeErrorEvent(ResponseModel):
    type: Literal["error"]
    error: dict[str, Any]
    event_id: str | None = None


def realtime_event(kind: str, **fields: object) -> dict[str, object]:
    """A server event's template: its type, its own event id ("The unique ID of the server event": `{event}`, new
    for each event sent), its fields."""
    return {"type": kind, "event_id": "event_{event}", **fields}


def user_text(model: type[BaseModel] = RealtimeItemCreate) -> Send:
    """The text, as a user message the model is asked to answer."""
    return Send(
        "conversation.item.create",
        {
            "type": "conversation.item.create",
            "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "{text}"}]},
        },
        model,
        Match("/type", "conversation.item.create"),
    )


def respond(model: type[BaseModel] = RealtimeResponseCreate) -> Send:
    """The end of the text: a response asked for."""
    return Send("response.create", {"type": "response.create"}, model, Match("/type", "response.create"))


def cancel_response(model: type[BaseModel] = RealtimeResponseCancel) -> Send:
    """The response under way cancelled (what answers it is each socket's own)."""
    return Send("response.cancel", {"type": "response.cancel"}, model, Match("/type", "response.cancel"))


def audio_deltas(name: str, model: type[BaseModel] = RealtimeDelta) -> AudioAnswer:
    """The audio, base64 in the `delta` of events named `name`."""
    return AudioAnswer(
        message=Answer(
            name=name,
            kind=Kind.AUDIO,
            match=Match("/type", name),
            model=model,
            template=realtime_event(name, **DELTA_IDS, delta="{audio}"),
        ),
        at=AudioAt("/delta"),
    )


def transcript_deltas(name: str, model: type[BaseModel] = RealtimeDelta) -> TranscriptDeltas:
    """The words of the audio, in the `delta` of events named `name`."""
    return TranscriptDeltas(
        answer=Answer(
            name=name,
            kind=Kind.TRANSCRIPT,
            match=Match("/type", name),
            model=model,
            template=realtime_event(name, **DELTA_IDS, delta=""),
        ),
        at="/delta",
    )


def error_event(model: type[BaseModel] = RealtimeErrorEvent, **error: object) -> Answer:
    """The `error` event, its code and message inside `error` (`error`: further fields of its template)."""
    return Answer(
        name="error",
        kind=Kind.ERROR,
        match=Match("/type", "error"),
        model=model,
        template=realtime_event("error", error={"type": "invalid_request_error", "code": "", "message": "", **error}),
        code_at="/error/code",
        message_at="/error/message",
    )


def metadata(names: Iterable[str], model: type[BaseModel] = RealtimeEvent) -> tuple[Answer, ...]:
    """Events that say how the response goes and carry nothing the harness reads."""
    return tuple(
        Answer(name=name, kind=Kind.METADATA, match=Match("/type", name), model=model, template=realtime_event(name))
        for name in names
    )
