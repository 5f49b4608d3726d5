"""The WebSocket speech family declared in a providers file: an `http-speech` table (`http_speech_file`) with
sockets beside its HTTP endpoint, each in the terms of `websocket_speech.Socket`:

    [providers.mybox.sockets.live]
    path = "/v1/live"                     # on base_url's WebSocket twin (ws://, wss://)
    key = "header"                        # header: the table's auth on the upgrade (the default) | message: the
                                          #   opening's "{key}" (auth = "none" on the table: no key at all)
    query = { voice = "{voice}" }         # optional: the URL's query, templates as the messages'
    opening = { message = { type = "start", voice = "{voice}", model = "{model}", format = "{format}" } }
    text = { message = { type = "text", text = "{text}" } }
    flush = { message = { type = "flush" } }         # optional: speak the buffer without ending the text
    end = { message = { type = "end" } }             # optional: leave it out when each text message is the utterance
    ready = { message = { type = "ready" } }         # optional: the answer to the opening that the text waits for
    audio = { message = { type = "audio", data = "{audio}" } }   # optional: audio at "{audio}"'s place (else binary
    audio_encoding = "base64"                        #   frames), base64 or hex
    final = { message = { type = "done" } }
    error = { message = { type = "error", code = "{code}", message = "{message}" } }
    formats = { pcm = "pcm_s16le/24000/raw" }        # optional: the socket's own (default: the table's formats)
    unknown_model = "default"                        # optional: refused (the default) | default: a model the
                                                     #   socket does not serve is spoken as the table's default_model
    billing = [{ unit = "characters", at = "/billed", evidence = "..." }]   # optional: what the final message says
                                                     #   was billed (as the table's `billing`, fields only)
    marks = { text = "/words", start = "/start", end = "/end", evidence = "..." }   # optional: word times, in the
                                                     #   audio message, or in a message of their own:
    marks_message = { message = { type = "timestamps" } }   #   (optional) told apart as every answer
    clear = { message = { type = "clear" } }         # optional: drops the text not yet spoken (an interruption's)
    cleared = { message = { type = "cleared" } }     # optional: the answer acknowledging a clear
    cancel = { message = "clear", after = "dropped", quote = "...", doc = "https://..." }   # optional: the socket's
                                                     #   documented cancel (docs/cancel.md): the clear or the end,
                                                     #   what the documents promise of the speech under way
                                                     #   (dropped | finished | silent) in their words; acknowledged
                                                     #   by `cleared` where the cancel is the clear and it is declared

Every message is a template (`{text}`, `{voice}`, `{model}`, `{format}`, `{rate}`, `{key}`, `{context}`, `{seq}`;
answers `{audio}`, `{code}`, `{message}`), and each is told apart by `match`: `{ "/type" = "done" }` (a value at a
JSON pointer) or `"/audio"` (the pointer's presence). Left out, it is the first constant value the message holds
(`type = "done"` above); a client message holding none is told by its first slot (`/text`). The fields a message
holds beyond its template pass as given (the declared server's other parameters). The sandbox imitates the
socket, the frame checks read it and the benchmark drives it, as a built-in provider's `sockets.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from harness.core.protocols import http_speech as family
from harness.core.protocols.http_speech import Format, UnknownModel
from harness.core.protocols.http_speech_file import (
    BillingTable,
    HttpSpeechDeclaration,
    OpenBody,
    format_of,
    service_of,
)
from harness.core.protocols.marks_file import MarksTable
from harness.core.protocols.realtime_grammar import AfterCancel, Cancel, Kind
from harness.core.protocols.websocket_speech import (
    Answer,
    AudioAnswer,
    Clears,
    Ending,
    Failures,
    KeyIn,
    Match,
    Send,
    Socket,
    SocketAuth,
    Start,
    Upgrade,
    slots_of,
    with_sockets,
)
from harness.core.spec import AudioAt, Provider

POINTER = r"^(/[^/]+)+$"


class Message(BaseModel):
    """One message of a socket: its template and what tells it apart."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built on first use, not at import

    message: Mapping[str, Any] = Field(min_length=1)
    match: str | Mapping[str, Any] | None = None

    @model_validator(mode="after")
    def _pointers(self) -> Message:
        import re

        pointers = [self.match] if isinstance(self.match, str) else list(self.match or {})
        if any(not re.match(POINTER, pointer) for pointer in pointers):
            raise ValueError('match: a JSON pointer ("/audio") or one pointer and its value ({ "/type" = "done" })')
        if isinstance(self.match, Mapping) and len(self.match) != 1:
            raise ValueError('match: one pointer and its value ({ "/type" = "done" })')
        return self

    def told(self, fallback: str = "") -> Match | None:
        """What tells the message apart: its `match`, else its first constant value, else `fallback`'s presence."""
        if isinstance(self.match, str):
            return Match(self.match)
        if self.match:
            ((pointer, value),) = self.match.items()
            return Match(pointer, value)
        constant = _constant(self.message)
        if constant is not None:
            return Match(*constant)
        return Match(fallback) if fallback else None


def _constant(template: Any, at: str = "") -> tuple[str, Any] | None:
    """The first value of a template that is not a slot (`type = "done"`): where it is and what it holds."""
    if isinstance(template, Mapping):
        for key, value in template.items():
            found = _constant(value, f"{at}/{str(key).replace('~', '~0').replace('/', '~1')}")
            if found is not None:
                return found
        return None
    if isinstance(template, str | int | float | bool) and at and not (isinstance(template, str) and "{" in template):
        return at, template
    return None


class CancelTable(BaseModel):
    """`cancel = { ... }`: the socket's documented cancel, in `realtime_grammar.Cancel`'s terms, with the documents'
    own words (a promise quoted, never guessed)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built on first use, not at import

    message: Literal["clear", "end"]
    after: AfterCancel
    quote: str = Field(min_length=1)
    doc: str = ""  # the page that says it (default: the providers file's table)


class SocketTable(BaseModel):
    """`[providers.<name>.sockets.<key>]`: one socket, in `Socket`'s terms."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built on first use, not at import

    path: str = Field(pattern=r"^/[^\s?#]*$")
    summary: str = ""
    key: Literal["header", "message"] = "header"
    query: Mapping[str, str] = Field(default_factory=dict)
    headers: Mapping[str, str] = Field(default_factory=dict)
    opening: Message | None = None
    text: Message
    flush: Message | None = None
    end: Message | None = None
    ready: Message | None = None
    audio: Message | None = None
    audio_encoding: Literal["base64", "hex"] = "base64"
    final: Message
    error: Message
    formats: Mapping[str, str] | None = Field(None, min_length=1)
    speaks_each_text: bool = False  # each text message is spoken as it comes (else the buffer, at `end`)
    server_closes: bool = True  # after the final answer the server closes the socket (else the client)
    unknown_model: UnknownModel = UnknownModel.REFUSED  # a model it does not serve: refused, or the default's speech
    billing: list[BillingTable] = Field(default_factory=list)  # what its final message says was billed
    marks: MarksTable | None = None  # word (or character) times: in the audio message, or in `marks_message`
    marks_message: Message | None = None
    clear: Message | None = None  # drops the text not yet spoken
    cleared: Message | None = None  # the answer acknowledging a clear
    cancel: CancelTable | None = None  # the documented cancel (docs/cancel.md)

    @model_validator(mode="after")
    def _slots(self) -> SocketTable:
        if self.cleared is not None and self.clear is None:
            raise ValueError("cleared: the answer to a clear, and the socket declares no clear")
        if self.cancel is not None and getattr(self, self.cancel.message) is None:
            raise ValueError(f'cancel.message: "{self.cancel.message}", a message the socket does not declare')
        if self.marks_message is not None and (self.marks is None or self.marks_message.told() is None):
            raise ValueError("marks_message: with marks, and a match where its message holds no constant value")
        if self.marks is not None and self.marks.asked_at_start and self.opening is None:
            raise ValueError("marks.asked_at_start: its marks are asked in the opening, and it has none")
        if any(table.header for table in self.billing):
            raise ValueError("billing: a socket's billing signals are fields of its final message (at), not headers")
        if "text" not in slots_of(self.text.message):
            raise ValueError('text.message: must hold "{text}" where the text goes')
        if self.key == "message" and (self.opening is None or "key" not in slots_of(self.opening.message)):
            raise ValueError('opening.message: key = "message" puts the key in the opening: hold "{key}" there')
        if self.audio is not None and "audio" not in slots_of(self.audio.message):
            raise ValueError(
                'audio.message: must hold "{audio}" where the audio is (leave audio out for binary frames)'
            )
        for name in ("final", "error", "ready", "cleared"):
            answer: Message | None = getattr(self, name)
            if answer is not None and answer.told() is None:
                raise ValueError(f"{name}.match: required (its message holds no constant value to tell it apart)")
        return self

    def socket(self, key: str, formats: tuple[Format, ...], where: str) -> Socket:
        """The family's `Socket` this table declares (`formats`: the table's HTTP formats, the default)."""
        own = tuple(format_of(name, spec) for name, spec in self.formats.items()) if self.formats else formats
        audio_at = None
        audio = None
        if self.audio is not None:
            pointer = slots_of(self.audio.message)["audio"]
            audio_at = AudioAt(pointer, self.audio_encoding)
            audio = _answer("audio", Kind.AUDIO, self.audio, pointer)
        error_slots = slots_of(self.error.message)
        text_slot = slots_of(self.text.message)["text"]

        def send(name: str, message: Message | None, fallback: str = "") -> Send | None:
            if message is None:
                return None
            return Send(name, dict(message.message), OpenBody, message.told(fallback))

        text = send("text", self.text, text_slot)
        assert text is not None
        auth = (
            SocketAuth(where=KeyIn.MESSAGE, field=slots_of(self.opening.message)["key"].lstrip("/"), in_handshake=False)
            if self.key == "message" and self.opening is not None
            else SocketAuth()
        )
        ready = None if self.ready is None else _answer("ready", Kind.READY, self.ready)
        return Socket(
            key=key,
            path=self.path,
            summary=self.summary or f"speech over the WebSocket {self.path}",
            doc=f"{where}.sockets.{key}",
            auth=auth,
            start=Start(opening=send("opening", self.opening), ready=ready, waits_for_ready=ready is not None),
            text=text,
            end=send("end", self.end),
            final=_answer("final", Kind.FINAL, self.final),
            ending=Ending(server_closes=self.server_closes),
            formats=own,
            failures=Failures(
                error=_answer(
                    "error",
                    Kind.ERROR,
                    self.error,
                    code_at=error_slots.get("code", ""),
                    message_at=error_slots.get("message", ""),
                )
            ),
            audio_answer=AudioAnswer(audio, audio_at),
            flush=send("flush", self.flush),
            upgrade=Upgrade(query=dict(self.query), headers=dict(self.headers)),
            speaks_each_text=self.speaks_each_text,
            unknown_model=self.unknown_model,
            billing=tuple(table.signal() for table in self.billing),
            marks=None
            if self.marks is None
            else self.marks.marks(
                None if self.marks_message is None else _answer("marks", Kind.MARKS, self.marks_message)
            ),
            clear=send("clear", self.clear),
            clears=self._clears(),
            cancel=self._cancel(f"{where}.sockets.{key}"),
        )

    def _clears(self) -> Clears | None:
        """What the clear does beyond dropping the text: its acknowledgement, and the speech under way dropped where
        the documented cancel (the clear) promises so."""
        if self.clear is None:
            return None
        drops = self.cancel is not None and self.cancel.message == "clear" and self.cancel.after is AfterCancel.DROPPED
        return Clears(None if self.cleared is None else _answer("cleared", Kind.CLEARED, self.cleared), drops)

    def _cancel(self, where: str) -> Cancel | None:
        cancel = self.cancel
        if cancel is None:
            return None
        ack = Kind.CLEARED if cancel.message == "clear" and self.cleared is not None else None
        return Cancel(cancel.message, cancel.after, cancel.quote, cancel.doc or where, ack)


def _answer(
    name: str, kind: Kind, message: Message, fallback: str = "", code_at: str = "", message_at: str = ""
) -> Answer:
    told = message.told(fallback)
    assert told is not None  # SocketTable._slots
    return Answer(
        name=name,
        kind=kind,
        match=told,
        model=OpenBody,
        template=dict(message.message),
        code_at=code_at,
        message_at=message_at,
    )


class SocketsDeclaration(HttpSpeechDeclaration):
    """An `http-speech` table, with the sockets beside its HTTP endpoint (none: the HTTP family alone)."""

    sockets: Mapping[str, SocketTable] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _socket_keys(self) -> SocketsDeclaration:
        import re

        bad = [key for key in self.sockets if not re.match(r"^[a-z][a-z0-9_.-]{0,39}$", key)]
        if bad:
            raise ValueError(f"sockets: {', '.join(bad)}: a socket's name is lower-case letters, digits, ., - and _")
        falling = [key for key, table in self.sockets.items() if table.unknown_model is UnknownModel.DEFAULT]
        if falling and self.default_model is None:
            raise ValueError(
                f'sockets.{falling[0]}.unknown_model: "default" speaks an unknown model as the '
                "table's default_model: declare it"
            )
        return self


def build_provider(declaration: SocketsDeclaration, source: str = "") -> Provider:
    """The `Provider` a providers-file table describes: its `SpeechService` with its sockets."""
    service = service_of(declaration, source)
    if not declaration.sockets:
        return family.build_provider(service)
    where = f"{source}: providers.{declaration.name}" if source else f"providers.{declaration.name}"
    formats = service.syntheses[0].formats
    return with_sockets(service, [table.socket(key, formats, where) for key, table in declaration.sockets.items()])
