"""A streamed answer read whole and strictly: every event is audio, an error, the declared end, or another
message — or a named problem. One reading for every engine that keeps a stream's audio as a result.

`harness.core.sse` finds where events end (to time them) and passes over what it cannot read; a result cannot:
an event that is not JSON, audio text that is not base64 or hex, a last line cut mid-way, an error event, a
declared last event that never came, audio after it — each is a `StreamProblem`, and a stream with one is not
a result (a last event the stream may end without says only the last: no audio after it). Where the audio provably
stays whole (a message after the end that carries no audio, a last event that repeats the whole audio the pieces
already gave, a last line that parses though its newline never came) it is a finding instead: recorded, never a
gap.

    sse     events end at a blank line (`\\n`, `\\r\\n` or `\\r` line ends); `data:` lines joined by `\\n`;
            comments, `id:`, `retry:` and events without data carry nothing
    ndjson  one JSON value a line
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from harness.core.answer_errors import SaidError, error_in
from harness.core.audio_fields import AudioFieldError, audio_at
from harness.core.drift import resolve
from harness.core.spec import AudioAt, EventMark, EventStreamBody, NdjsonBody

DONE = b"[DONE]"  # the sentinel `data: [DONE]`-style streams end with
AUDIO_FIELDS = ("audio", "chunk", "data", "audio_base64")  # where an undeclared event's JSON carries base64 audio


class Problem(StrEnum):
    UNREADABLE = "unreadable"  # an event that is not JSON (or not the base64 its declaration expects)
    BAD_AUDIO = "bad-audio"  # audio text that is not in its encoding
    CUT = "cut"  # the last event stops mid-line
    ERROR = "error"  # an event that says the stream failed
    NO_END = "no-end"  # the declared last event never came
    AFTER_END = "after-end"  # audio after the declared last event


@dataclass(frozen=True, slots=True)
class StreamProblem:
    kind: Problem
    end: int  # the offset just past the event it is about
    note: str


@dataclass(frozen=True, slots=True)
class StreamReading:
    """What a stream holds: its audio pieces (each with the offset just past its event), the problems that make
    it no result, the first error it says it is, and findings that leave the audio whole."""

    pieces: tuple[tuple[int, bytes], ...] = ()
    problems: tuple[StreamProblem, ...] = ()
    error: SaidError | None = None
    findings: tuple[str, ...] = ()

    @property
    def audio(self) -> list[bytes]:
        return [piece for _, piece in self.pieces]


@dataclass(slots=True)
class _Event:
    end: int
    name: str = ""
    data: list[bytes] = field(default_factory=list)
    whole: bool = True  # its last line ended with a line break
    closed: bool = True  # the stream says it is over: a blank line after it (SSE's dispatch), its line break (NDJSON)


def sse_events(body: bytes) -> list[_Event]:
    """The events of an event stream, a last one with no blank line after it included (its `whole` says
    whether its last line ended)."""
    found: list[_Event] = []
    current = _Event(0)
    offset = 0
    for line in body.splitlines(keepends=True):
        offset += len(line)
        text = line.rstrip(b"\r\n")
        ended = len(text) != len(line)
        if not text:
            if current.data or current.name:
                current.end = offset
                found.append(current)
            current = _Event(offset)
            continue
        current.whole = ended
        current.end = offset
        field_name, _, value = text.partition(b":")
        value = value[1:] if value.startswith(b" ") else value
        if field_name == b"data":
            current.data.append(value)
        elif field_name == b"event":
            current.name = value.decode("utf-8", "replace")
    if current.data or current.name:
        current.closed = False  # no blank line after it: SSE would not dispatch it
        found.append(current)
    return found


def ndjson_events(body: bytes) -> list[_Event]:
    found = []
    offset = 0
    for line in body.splitlines(keepends=True):
        offset += len(line)
        if line.strip():
            ended = line.endswith((b"\n", b"\r"))
            found.append(_Event(offset, "", [line.strip()], ended, ended))
    return found


def read_stream(body: bytes, carried: EventStreamBody | NdjsonBody | None, *, lines: bool = False) -> StreamReading:
    """Read a whole streamed answer (SSE, or NDJSON `lines`) as `carried` declares it (see the module docstring)."""
    declared = carried if carried is not None else EventStreamBody()
    where = declared.audio
    pieces: list[tuple[int, bytes]] = []
    problems: list[StreamProblem] = []
    findings: list[str] = []
    error: SaidError | None = None
    ended_at: int | None = None
    for event in ndjson_events(body) if lines else sse_events(body):
        data = b"\n".join(event.data)
        if not data.strip():
            continue
        document, readable = _parse(data, expect_json=lines or where is not None)
        if not readable:
            kind = Problem.UNREADABLE if event.whole else Problem.CUT
            problems.append(
                StreamProblem(
                    kind,
                    event.end,
                    f"an event is not {'JSON' if lines else 'readable'}"
                    f"{'' if event.whole else ' (cut mid-line)'}: {data[:60]!r}",
                )
            )
            continue
        if not event.closed:
            missing = "its line break" if lines or not event.whole else "the blank line that closes it"
            findings.append(f"the stream's last event ends without {missing} (it parses whole)")
        said = error_in(document, declared.errors, event=event.name) if document is not None else None
        if said is not None:
            error = error or said
            problems.append(StreamProblem(Problem.ERROR, event.end, f"an error event: {said.code} {said.message}"))
            continue
        try:
            audio = _audio(data, document, where)
        except AudioFieldError as problem:
            problems.append(StreamProblem(Problem.BAD_AUDIO, event.end, f"an event's audio is unreadable: {problem}"))
            continue
        if ended_at is not None:
            if audio:
                problems.append(StreamProblem(Problem.AFTER_END, event.end, "audio after the stream's last event"))
            else:
                findings.append(f"a message after the stream's last event: {data[:60]!r}")
            continue
        last = _is_last(declared.last, event.name, data, document)
        if last and audio and pieces and audio == b"".join(p for _, p in pieces):
            findings.append("the last event repeats the whole audio the events before it gave: read once")
            audio = b""
        if audio:
            pieces.append((event.end, audio))
        if last or (declared.last is None and data.strip() == DONE):
            ended_at = event.end
    if declared.last is not None and declared.last.required and ended_at is None and error is None:
        problems.append(StreamProblem(Problem.NO_END, len(body), "the stream ended before its declared last event"))
    return StreamReading(tuple(pieces), tuple(problems), error, tuple(findings))


def _parse(data: bytes, *, expect_json: bool) -> tuple[Any, bool]:
    """The event's JSON (None for the `[DONE]` sentinel and for raw base64 data), and whether it could be read."""
    text = data.strip()
    if text == DONE:
        return None, True
    if text.startswith((b"{", b"[")) or expect_json:
        try:
            return json.loads(text), True
        except ValueError:
            return None, False
    return None, True


def _audio(data: bytes, document: Any, where: AudioAt | None) -> bytes:
    text = data.strip()
    if text == DONE:
        return b""
    if where is not None:
        present, value = resolve(document, where.pointer)
        return audio_at(document, where) if present and value is not None else b""
    if document is None:  # raw base64 in `data:`
        chunk: Any = text
    elif isinstance(document, dict):
        chunk = next((document[k] for k in AUDIO_FIELDS if isinstance(document.get(k), str)), None)
        if chunk is None:
            return b""
    else:
        return b""
    try:
        return base64.b64decode(chunk, validate=True)
    except (ValueError, binascii.Error) as error:
        raise AudioFieldError(f"not base64: {error}") from None


def _is_last(mark: EventMark | None, name: str, data: bytes, document: Any) -> bool:
    if mark is None or not (mark.name or mark.data or mark.values or mark.present):
        return False
    if any(resolve(document, pointer)[1] is None for pointer in mark.present):
        return False
    if mark.name and name != mark.name:
        return False
    if mark.data and data.strip() != mark.data.encode():
        return False
    return all(resolve(document, pointer) == (True, value) for pointer, value in mark.values.items())
