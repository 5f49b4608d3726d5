"""The vocabulary of realtime (WebSocket) speech protocols, shared by `elevenlabs`, `cartesia` and the WebSocket
speech family (`websocket_speech`); it names no provider.

A realtime endpoint is a `Channel`: a path a client opens a socket on, and a `Grammar` that knows the
protocol's messages in both directions. One conversation over it is a `Session`: every frame as it
crossed the wire, in order, with its time since the session began, and how the socket closed. A
grammar reads a session's frames into `Event`s every engine understands:

    Session ── frames: (index, send|recv, t_s, text or bytes) ... ── closing: (code, reason, t_s)
       │  grammar.read(frame) → Event: AUDIO (bytes, context) · MARKS (text spans with times) · FINAL
       │                               FLUSHED · CLEARED · METADATA · WARNING · ERROR
       ▼
    the frame checks (harness.contracts.frame_checks) and the realtime measurements read only these

A session is data: `Session.to_json` keeps it as a fixture (`{"frames": [{"dir", "t_ms", "text"|"b64"}]}`)
and `Session.from_json` gives it back with every frame's offset, so a recorded stream is checked, and
timed, offline exactly as it was live. `run_session` (harness.core.protocols.realtime_session) records one.
"""

from __future__ import annotations

import base64
import json
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from pydantic import BaseModel, ValidationError

from harness.core.answer_errors import BodyErrors, error_in
from harness.core.evidence import DOCUMENTS, Evidence
from harness.core.json_pointer import resolve
from harness.core.verdict import Drift, Violation, pointer

#: Where a message that is not the grammar's own may carry audio (the fields event streams and sockets use for it):
#: a refused message holding text or bytes at one of them may have taken audio with it.
AUDIO_FIELDS = ("audio", "data", "chunk", "delta", "audio_base64", "audio_content", "audioContent", "audio_data")

#: RFC 6455 close codes every protocol may meet (its own table adds what its documents give them).
STANDARD_CLOSE_CODES: Mapping[int, str] = {
    1000: "normal closure",
    1001: "going away",
    1002: "protocol error",
    1003: "unsupported data",
    1007: "invalid payload data",
    1008: "policy violation",
    1009: "message too big",
    1011: "internal error",
}


class Direction(StrEnum):
    SEND = "send"  # client to server
    RECV = "recv"  # server to client


@dataclass(frozen=True, slots=True)
class Frame:
    """One WebSocket message as it crossed the wire: text (JSON for every protocol here) or binary."""

    index: int
    direction: Direction
    t_s: float  # seconds since the session began (the connect call), on the process's monotonic clock
    text: str | None = None
    data: bytes | None = None

    @property
    def is_binary(self) -> bool:
        return self.data is not None

    def json(self) -> Any:
        """The frame's JSON value; ValueError when it is binary or not JSON."""
        if self.text is None:
            raise ValueError("a binary frame carries no JSON")
        return json.loads(self.text)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = (
            {"text": self.text} if self.data is None else {"b64": base64.b64encode(self.data).decode("ascii")}
        )
        return {"dir": self.direction.value, "t_ms": round(self.t_s * 1000, 3), **body}

    @classmethod
    def from_json(cls, index: int, item: Mapping[str, Any]) -> Frame:
        data = base64.b64decode(item["b64"]) if "b64" in item else None
        return cls(index, Direction(item["dir"]), float(item["t_ms"]) / 1000, item.get("text"), data)


@dataclass(frozen=True, slots=True)
class Closing:
    """How a session ended. `code` None: the connection dropped (or timed out) without a close frame."""

    code: int | None
    reason: str
    t_s: float
    by_server: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "reason": self.reason,
            "t_ms": round(self.t_s * 1000, 3),
            "by_server": self.by_server,
        }

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> Closing:
        return cls(
            item.get("code"), str(item.get("reason", "")), float(item["t_ms"]) / 1000, bool(item.get("by_server", True))
        )


@dataclass(slots=True, kw_only=True)
class Session:
    """Everything one WebSocket conversation was: where it went, every frame with its time, its end."""

    url: str  # as opened, secrets filtered
    frames: list[Frame] = field(default_factory=list)
    started_at: float | None = None  # time.monotonic() at the connect call: frames' t_s count from here
    opened_s: float | None = None  # when the handshake completed; None when it never did
    handshake_status: int | None = None  # the HTTP status of a refused upgrade (401, 429, ...)
    handshake_body: str = ""
    closing: Closing | None = None
    # Per received frame (by index): an instant it surely reached this process after — when the client
    # began waiting for it with nothing queued, else the bound of the frame queued before it. Live sessions
    # only (a frame's t_s is the upper end: when `recv` handed it over); not kept in fixtures.
    arrived_after: dict[int, float] = field(default_factory=dict)

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.url).query))

    def sent(self) -> list[Frame]:
        return [f for f in self.frames if f.direction is Direction.SEND]

    def received(self) -> list[Frame]:
        return [f for f in self.frames if f.direction is Direction.RECV]

    def first_token(self, preamble: int) -> Frame | None:
        """The message that carried the first text token: the first sent after the protocol's `preamble`
        (its opening messages: settings, not text). Time to first audio counts from it, in the benchmark
        and in a replayed recording alike."""
        sent = self.sent()[preamble:]
        return sent[0] if sent else None

    def add(self, direction: Direction, t_s: float, message: str | bytes) -> Frame:
        text, data = (message, None) if isinstance(message, str) else (None, bytes(message))
        frame = Frame(len(self.frames), direction, t_s, text, data)
        self.frames.append(frame)
        return frame

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "started_at": self.started_at,
            "opened_ms": None if self.opened_s is None else round(self.opened_s * 1000, 3),
            "handshake_status": self.handshake_status,
            "handshake_body": self.handshake_body,
            "frames": [f.to_json() for f in self.frames],
            "closing": self.closing.to_json() if self.closing else None,
        }

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> Session:
        opened = item.get("opened_ms")
        closing = item.get("closing")
        return cls(
            url=str(item["url"]),
            frames=[Frame.from_json(i, f) for i, f in enumerate(item.get("frames", ()))],
            started_at=item.get("started_at"),
            opened_s=None if opened is None else float(opened) / 1000,
            handshake_status=item.get("handshake_status"),
            handshake_body=str(item.get("handshake_body", "")),
            closing=Closing.from_json(closing) if closing else None,
        )


class Kind(StrEnum):
    AUDIO = "audio"
    MARKS = "marks"  # alignment or timestamps: spans of the text with their times in the audio
    FINAL = "final"  # the utterance (context) is complete: isFinal, done
    OPENED = "opened"  # the server greets a new connection (connected_success, session.created): it may be spoken to
    READY = "ready"  # the server accepted the opening (task_started, contextCreated): text may follow
    FLUSHED = "flushed"
    CLEARED = "cleared"
    METADATA = "metadata"
    WARNING = "warning"
    ERROR = "error"
    # The words the server says it is speaking, beside the audio (a speech-to-speech model's transcript delta): its
    # `message` holds the text; what the ear hears of the audio is judged against them.
    TRANSCRIPT = "transcript"


@dataclass(frozen=True, slots=True)
class SpokenSpan:
    """A span of the text (a character or a word) and where it is spoken, in seconds."""

    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """What one server frame means, in the vocabulary every engine reads (a frame may carry several)."""

    frame: int  # the index of the frame it came in
    t_s: float
    kind: Kind
    context: str = ""  # the context (utterance) it belongs to; "" where the protocol has one per socket
    audio: bytes = b""
    marks: tuple[SpokenSpan, ...] = ()
    chunk_relative: bool = False  # mark times count from this frame's audio, not from the utterance's start
    code: str = ""  # error or warning code
    message: str = ""
    pointer: str = ""  # where in the frame the marks sit (for findings)


@dataclass(frozen=True, slots=True)
class FrameReading:
    """What one frame says, read whole (`Grammar.read`): its message, its events, what in it breaks the contract,
    its unknown fields — and, for a server frame the grammar refused, whether audio may have gone with it."""

    message: BaseModel | None
    events: tuple[Event, ...] = ()
    problems: tuple[Violation, ...] = ()
    drift: tuple[Drift, ...] = ()
    lost: bool = False  # a refused server frame that may have carried audio: what is kept of the audio has a gap


@dataclass(frozen=True, slots=True)
class AudioSpec:
    """What the audio bytes are: a codec, a rate, and the container they travel in."""

    codec: str  # pcm_s16le | pcm_f32le | pcm_mulaw | pcm_alaw | mp3 | opus | flac | aac
    sample_rate: int
    container: str = "raw"  # raw | wav | mp3 | ogg | flac | aac

    def __str__(self) -> str:
        where = "" if self.container == "raw" else f" in {self.container}"
        return f"{self.codec} at {self.sample_rate} Hz{where}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Utterance:
    """What a client asks a realtime endpoint to say, before the protocol's messages carry it."""

    chunks: tuple[str, ...]  # the text as it is fed (one chunk: all at once; many: as a model streams it)
    voice: str
    model: str
    audio_format: str  # the protocol's own name of the output format ("pcm_24000", "linear16:24000", ...)
    timestamps: bool = True
    context: str = "utterance-1"
    rate: int | None = None  # the sample rate asked, where the protocol takes one apart from the format (None: the
    # format's own)
    # The id its request gives, where the protocol's answers carry one back (`Grammar.sent_ids`): numbered from 1,
    # as clients number their requests, so an answer naming a constant 0 of its own is seen.
    request_id: int = 1

    @property
    def text(self) -> str:
        return "".join(self.chunks)


#: Where a client message carries the key (a protocol whose first message authenticates, an `X-API-Key` field):
#: `run_session` puts the key in its place as the message leaves and records the message with this mark,
#: so a kept session never holds the key.
KEY_SLOT = "[[api-key]]"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One client message (text, or bytes for a binary frame) and when to send it, in seconds after the
    socket opened — or, `after` an event of that kind, its `at_s` then counting from the event: text after the
    server said it is ready (READY: a `task_started` event, "only after receiving this event can you send
    task_continue"), an opening after the server's greeting (OPENED: "wait for it before you send anything else")."""

    message: str | bytes
    at_s: float = 0.0
    after: Kind | None = None


class AfterCancel(StrEnum):
    """What a socket's documents promise of the speech a cancel (a clear, a context's cancel or close) meets."""

    DROPPED = "dropped"  # no more audio of it once the cancel is acknowledged (or, with no acknowledgement, sent)
    FINISHED = "finished"  # the generation under way finishes; only what was not yet being spoken is dropped
    SILENT = "silent"  # the documents say what happens to the text, not to the speech: audio after it is a finding


@dataclass(frozen=True, slots=True)
class Cancel:
    """A socket's documented way to stop speech mid-utterance (`harness.core.protocols.cancel` judges a session that
    used it): which of its client messages cancels, the answer that acknowledges it (a kind of event: CLEARED for a
    Cleared, FINAL where the context's final marker says it closed; None: nothing answers), what the documents promise
    of the speech already asked for, and the words and page that promise it."""

    message: str  # the socket's own name of the message: "clear", "cancel" (a context's), "end" (a context's close)
    after: AfterCancel
    quote: str
    doc: str
    ack: Kind | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Opening:
    """How a client starts and ends one utterance: the URL's path and query, then its messages."""

    path_params: Mapping[str, str]
    query: Mapping[str, str]
    messages: tuple[Outgoing, ...]
    closing: tuple[str, ...] = ()  # sent once the grammar says the utterance is complete
    client_closes: bool = True  # after `closing`, the client closes the socket (else it waits for the server)
    headers: Mapping[str, str] = field(default_factory=dict)  # upgrade headers beyond the key (a `model` header)


class Grammar(ABC):
    """A realtime protocol's messages in both directions, and how to read them.

    Subclasses say which model validates each message (`client_model`, `server_model`), what a server
    message means (`events`), what audio a session asked for (`audio_spec`), and how a client says an
    utterance (`opening`). Everything else — validating frames, locating problems — is shared here.
    """

    protocol: str
    binary_audio: bool = False  # audio arrives as binary frames (else base64 inside JSON)
    binary_messages: bool = False  # every message is a binary frame (MessagePack), read by `decode`
    message_words: str = "a JSON message"  # what a frame that `decode` refuses should have been
    close_codes: Mapping[int, str] = STANDARD_CLOSE_CODES
    contexts: bool = False  # several utterances multiplexed on one socket, told apart by id
    timing_marks: bool = False  # the protocol says when each word (or character) is spoken: the marks check runs
    character_marks: bool = False  # its marks name characters, not words (joined into words before they are judged)
    final_kind: Kind = Kind.FINAL  # the event that ends an utterance (FLUSHED: each flush's answer, `flushes_in`)
    # No final message: the server's close with this code, after the client's end, ends the utterance (a socket that
    # closes "after sending the generated audio"); None: a `final_kind` event ends it.
    ending_close: int | None = None
    bare_text: bool = False  # each client text frame is the text itself: any text is well formed, a binary frame not
    preamble: int = 0  # how many of an opening's messages must come before any other (an init)
    voice_is_model: bool = False  # the protocol names a voice by its model (aura-* names)
    key_in_message: bool = False  # the key travels in the opening message (`KEY_SLOT`), not the upgrade's header
    chunk_files: bool = False  # each audio chunk is a whole file of its container (WAV chunks), not a
    # piece of one stream that the chunks make together
    audio_pointers: tuple[str, ...] = ()  # where the protocol's JSON messages carry audio ("/audio"); none: binary
    # The provider's own error codes and the HTTP status each means (its documented refusals): an error frame is
    # classified by them as a non-2xx answer is (`harness.core.answer_errors.status_of`).
    error_statuses: Mapping[str, int] = MappingProxyType({})
    # Where any server message may say it failed (a code at a pointer that is not a success value: a
    # `base_resp`-style status): such a message is that error, audio beside it or not. None: only error frames say so.
    said_errors: BodyErrors | None = None

    cancel: Cancel | None = None  # the documented cancel, where the socket has one (`cancelling` sends it)
    # Each turn's audio ends with a Kind.FLUSHED answer of its own before the final (an is_final_audio_for_turn):
    # the frame rules expect one after the last audio.
    turn_ends: bool = False
    echoes_ids: bool = False  # answers carry back the id a request gave (`sent_ids`, `answered_id`)
    # The attributes above are the protocol's when a subclass writes one protocol (class attributes), or a
    # declaration's when one grammar reads many (the WebSocket family sets them per instance).

    def __init__(self, declaration: BaseModel | None = None) -> None:
        # The provider's declaration (harness.core.protocols.declaration), when it was declared in a file:
        # its voices, models and formats. Typed loosely so the vocabulary needs no declaration module.
        self.declaration = declaration

    @abstractmethod
    def client_model(self, message: Any, position: int) -> type[BaseModel] | None:
        """The model of a client message (`position`: its rank among the client's messages); None: unknown."""

    @abstractmethod
    def server_model(self, message: Any) -> type[BaseModel] | None:
        """The model of a server JSON message; None: a message the protocol does not have."""

    @abstractmethod
    def events(self, frame: Frame, message: BaseModel | None) -> tuple[Event, ...]:
        """What a (validated) server frame means; `message` is None for a binary frame."""

    @abstractmethod
    def audio_spec(self, session: Session) -> AudioSpec:
        """The audio the session asked for, from its URL query and its first messages."""

    @abstractmethod
    def opening(self, utterance: Utterance) -> Opening:
        """The URL parameters and messages that say `utterance` (text chunks paced by the caller)."""

    @abstractmethod
    def complete(self, events: Sequence[Event], opening: Opening) -> bool:
        """The utterance `opening` started is fully answered: the client may send its closing messages."""

    def flushes_in(self, messages: Sequence[Any]) -> int:
        """How many of the client's `messages` (as sent) ask for a Kind.FLUSHED answer each (a grammar whose
        `final_kind` is FLUSHED says which)."""
        return 0

    def other_rate(self, audio_format: str | None = None) -> int | None:
        """A sample rate a client may ask beside `audio_format`'s own (None: the protocol takes none apart from the
        format): the harness's own sessions ask it, so what they judge is what a client that chose a rate hears."""
        return None

    def sent_ids(self, message: Any) -> tuple[Any, ...]:
        """The ids a client message gives its request, which the server's answers to it carry back (none: the
        protocol has no such id)."""
        return ()

    def answered_id(self, message: Any) -> tuple[bool, Any]:
        """Whether a server message carries back a request's id, and the id it names."""
        return False, None

    def cancelling(self, utterance: Utterance, opening: Opening, after_s: float) -> Opening | None:
        """`utterance`'s `opening` with the protocol's cancel sent `after_s` seconds after the first audio, its text
        still asking for speech (None: the protocol declares no cancel)."""
        return None

    def speaker_of(self, offering: str) -> tuple[str, str] | None:
        """The model and voice an offering of this channel names (None: the offering is the model, spoken in
        the declaration's first voice)."""
        return None

    def decode(self, frame: Frame) -> Any:
        """The message a (non-audio) frame carries; ValueError when it is not one. JSON text unless the
        protocol frames its messages otherwise (the WebSocket family's MessagePack sockets)."""
        return frame.json()

    # --- shared ---------------------------------------------------------------------------------------

    def read(self, frame: Frame, position: int = 0) -> FrameReading:
        """The frame read whole: validated by its model, then its events (a server frame's). Audio text that is not
        in its encoding makes the frame a refused one, never a silent gap (see `FrameReading`)."""
        message, problems, drift = self.validate(frame, position)
        if frame.direction is Direction.SEND:
            return FrameReading(message, (), tuple(problems), tuple(drift))
        if problems:
            lost = self.may_lose_audio(frame)
            return FrameReading(None, self._said_error(frame), tuple(problems), tuple(drift), lost=lost)
        try:
            events = self.events(frame, message)
        except ValueError as error:  # AudioFieldError, binascii.Error: audio that cannot be read is lost audio
            problem = Violation(
                pointer("frames", frame.index), "audio in its declared encoding", str(error)[:120], "audio"
            )
            return FrameReading(message, (), (problem,), tuple(drift), lost=True)
        return FrameReading(message, events, (), tuple(drift))

    def may_lose_audio(self, frame: Frame) -> bool:
        """Whether a server frame this grammar refused may have carried audio: a binary frame where the protocol's
        audio is not binary, a frame that cannot be read at all (what it said is unknown), or a message holding text
        or bytes where this protocol or the usual fields carry audio. False only where it provably carried none."""
        if frame.is_binary and not self.binary_messages:
            return not self.binary_audio
        try:
            message = self.decode(frame)
        except ValueError:
            return True
        return holds_audio(message, self.audio_pointers)

    def _said_error(self, frame: Frame) -> tuple[Event, ...]:
        """The error a refused frame says it is, in the form nearly every socket and stream writes one."""
        try:
            message = self.decode(frame)
        except ValueError:
            return ()
        said = error_in(message, self.said_errors)
        if said is None:
            return ()
        return (Event(frame=frame.index, t_s=frame.t_s, kind=Kind.ERROR, code=said.code, message=said.message),)

    def validate(self, frame: Frame, position: int) -> tuple[BaseModel | None, list[Violation], list[Drift]]:
        """The frame's message validated by its model; problems located at `/frames/<index>/...`."""
        at = pointer("frames", frame.index)
        if frame.is_binary and not self.binary_messages:
            if frame.direction is Direction.RECV and self.binary_audio:
                return None, [], []
            what = "server" if frame.direction is Direction.RECV else "client"
            return (
                None,
                [
                    Violation(
                        at,
                        f"a JSON text frame ({self.protocol} {what} messages are JSON)",
                        f"a binary frame of {len(frame.data or b'')} bytes",
                        "protocol",
                    )
                ],
                [],
            )
        try:
            message = self.decode(frame)
        except ValueError as error:
            got = repr((frame.text or "")[:80]) if not self.binary_messages else str(error)[:120]
            return None, [Violation(at, self.message_words, got, "schema")], []
        model = (
            self.server_model(message) if frame.direction is Direction.RECV else self.client_model(message, position)
        )
        if model is None:
            return (
                None,
                [Violation(at, f"a {self.protocol} {frame.direction.value} message", _shape(message), "schema")],
                [],
            )
        try:
            parsed = model.model_validate(message)
        except ValidationError as error:
            return None, [_violation(at, problem) for problem in error.errors(include_url=False)], []
        drift = [
            Drift(at + pointer(name), f"{name} is not in the documents' {model.__name__}", "unknown-field")
            for name in (parsed.model_extra or {})
        ]
        return parsed, [], drift


@dataclass(frozen=True, slots=True, kw_only=True)
class Channel:
    """A documented WebSocket endpoint: the path a socket opens on (beneath a host) and its grammar."""

    key: str  # stable within the provider: "tts.stream-input"
    path: str  # the document's path template: "/v1/text-to-speech/{voice_id}/stream-input"
    summary: str
    grammar: Grammar
    host: str = "api"  # a key of Provider.hosts (the WebSocket origin is that base URL's, ws/wss)
    auth_query: tuple[str, ...] = ()  # query parameters that may carry the key instead of the auth header
    doc: str = ""
    # What the endpoint's declaration rests on: the documents, or (`source: client`) independent clients that speak it
    # where no stored page documents it (the contract suite counts its checks apart).
    evidence: Evidence = DOCUMENTS

    @property
    def signature(self) -> str:
        return f"WS {self.path}"

    def url(self, base_url: str, path_params: Mapping[str, str], query: Mapping[str, str]) -> str:
        path = self.path
        for name, value in path_params.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        encoded = query_string(query)
        return websocket_url(base_url.rstrip("/")) + path + ("?" + encoded if encoded else "")


def holds_audio(message: Any, pointers: Sequence[str] = ()) -> bool:
    """Whether a message (whatever its model) holds audio, or what should have been: any value at one of the
    protocol's own audio `pointers`, text or bytes at a usual audio field. A bare string or a list may be anything
    (audio too); a number, a boolean or null is not audio."""
    if isinstance(message, str | bytes | list):
        return bool(message)
    if not isinstance(message, dict):
        return False
    for at in pointers:
        present, value = resolve(message, at)
        if present and value not in (None, "", b""):
            return True
    for name in AUDIO_FIELDS:
        value = message.get(name)
        if isinstance(value, str | bytes) and value:
            return True
    return False


def _shape(message: Any) -> str:
    if isinstance(message, dict):
        named = message.get("type")  # the event's own name, where it has one: what a renamed event is known by
        kind = f"a {named!r} message, " if isinstance(named, str) else "an object "
        return kind + "with keys " + ", ".join(sorted(map(str, message))[:8])
    return f"a JSON {type(message).__name__}"


def _violation(at: str, problem: Mapping[str, Any]) -> Violation:
    got = problem.get("input")
    shown = "nothing" if problem["type"] == "missing" else repr(got)[:80]
    return Violation(at + pointer(*problem["loc"]), str(problem["msg"]), shown, "schema")


def query_string(query: Mapping[str, str]) -> str:
    return urlencode({k: v for k, v in query.items() if v != ""})


def websocket_url(base_url: str) -> str:
    """The WebSocket origin that stands for an HTTP base URL: http → ws, https → wss (path kept)."""
    scheme, _, rest = base_url.partition("://")
    return {"http": "ws", "https": "wss"}.get(scheme, scheme) + "://" + rest
