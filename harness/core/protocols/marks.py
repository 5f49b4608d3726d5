"""Messages told apart by a value at a JSON pointer, and the timing marks they may carry: shared by the HTTP speech
family's event streams (`http_speech.Synthesis.marks`) and the WebSocket speech family's sockets (`Socket.marks`).
It names no provider.

`Match` tells a message apart, `Answer` is a server message (what it means, its model, the template the sandbox
writes it from), `Marks` says where a message (an event, a JSON answer, or the lines a request of their own answers)
lists when each word (or character) is spoken, in which unit and form, and how a request asks for them.
`complete_words`, `marks_values` and `read_marks` (with `read_lines`) are the one reading and writing of those marks:
the sandbox writes with the declaration the harness reads with. `answer_messages` is an HTTP answer's messages that
carry them (its JSON, its events or lines that are the marks' answer, or the lines a request of their own answers),
each read as a socket's frame is (`mark_rows`); `settled` keeps of snapshots (`snapshot_at`) each chunk's latest
(`snapshot_values` writes them), and `answer_timing_marks` reads those messages into the utterance's marks, as
`socket_timing_marks` reads a socket's frames: the runner's and the contract suite's one reading.
"""

from __future__ import annotations

import copy
import json
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from harness.core.drift import resolve
from harness.core.json_pointer import put
from harness.core.protocols.realtime_grammar import Event, Kind, SpokenSpan
from harness.core.ssml import mark_places
from harness.core.stream_events import ndjson_events, sse_events
from harness.core.timing_marks import TimingMark
from harness.core.timing_marks import read_marks as read_timing_marks

_PUNCTUATION = "".join(sorted(set(string.punctuation) | set("\u2018\u2019\u201c\u201d\u2013\u2014\u2026")))
CHARS, BYTES = "chars", "bytes"  # what offsets into the text count: characters, or bytes of its UTF-8
JSON, EVENTS, NDJSON = "json", "events", "ndjson"  # an HTTP answer's forms: one document, Server-Sent Events, lines


@dataclass(frozen=True, slots=True)
class Match:
    """What tells a message apart: a value at a JSON pointer (`/type` = "flush"), or the pointer's presence."""

    pointer: str
    value: Any = None  # None: present, whatever its value

    def __call__(self, message: Any) -> bool:
        present, found = resolve(message, self.pointer)
        return present and (self.value is None or found == self.value)


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """A server message: what it means, how it is told apart, its documented model, and the template the sandbox
    writes it from. An ERROR answer says where its code and message are."""

    name: str
    kind: Kind
    match: Match
    model: type[BaseModel]
    template: Mapping[str, Any]
    code_at: str = ""
    message_at: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Marks:
    """Timing marks: when each word (or character) of the text is spoken, where a message (or an answer) lists them.

    Two forms: parallel lists at JSON pointers of the message (`/alignment/chars`, `/alignment/charStartTimesMs`),
    or a list of objects at `items_at`, one a mark, the other pointers then pointing inside each object
    (`/timestamps` of `{"word", "start", "end"}`; "" the message itself: the newline-delimited objects a request of
    their own answers, `lines`). `answer` (kind MARKS) is the message they come in; None: they ride on the audio
    message (an `alignment` field) or on the JSON answer itself."""

    text_at: str  # the words (or characters): "/word_timestamps/words"
    start_at: str  # when each starts: "/word_timestamps/start"
    end_at: str = ""  # when each ends (or how long each lasts: `durations`); "": none given, a mark lasts to the next
    answer: Answer | None = None
    unit_s: float = 1.0  # seconds per unit of the times (milliseconds: 0.001; 100-ns ticks: 1e-7)
    durations: bool = False  # `end_at` holds durations, not ends
    paired: bool = False  # `start_at` lists each mark's [start, end] pair, beside the texts' list; no `end_at`
    chars: bool = False  # a mark per character, not per word
    # Each word written without the punctuation at its ends, as the documents' example shows ("Hello, world! ..."
    # marked ["Hello", "world"]); a word of punctuation alone is no mark (`written_word`). Read words judge them alike
    # (`harness.core.timing_marks.spoken_words`); this says how the sandbox writes them.
    bare_words: bool = False
    chunk_relative: bool = False  # times count from the chunk's own audio, not from the utterance's start
    asked_by: str = ""  # the request's (or a text message's) flag that asks for them ("/add_timestamps"); "": always
    asked_value: Any = True  # what the flag holds when it asks; a list asks where the request's list holds all of it
    also_sets: tuple[tuple[str, Any], ...] = ()  # what else asking sets (an output format of their own)
    # A socket's flag rides on its opening (the session's settings, asked once), not on each text message
    asked_at_start: bool = False
    items_at: str | None = None  # the marks as a list of objects at this pointer; None: parallel lists
    # Inside each object, what kind of mark it is (`/type`): only `kind` marks are the words; the others the documents
    # list beside them (sentence, viseme, ssml, phoneme) are read and set aside, never taken for words.
    kind_at: str = ""
    kind: str = "word"
    offsets_at: tuple[str, ...] = ()  # each mark's start and end offsets into the sent text ("/start", "/end")
    offsets_in: str = CHARS  # those offsets count characters, or BYTES of the text's UTF-8
    # The media type of the answer where a request of their own answers them, as newline-delimited JSON objects, one
    # mark each, in place of audio (`items_at` ""); "": they come with the audio.
    lines: str = ""
    ssml_marks: bool = False  # the marks name the SSML `<mark>`s of the text (their times), not its words
    each: bool = False  # a message for each mark, its one object at `items_at` (`/data` of a word_timestamp frame)
    # Snapshots: each message's marks are the latest whole list for the text chunk whose key is at `snapshot_at`
    # (`/chunk_seq`), replacing the one before for that chunk, never appended to it; "": every message adds its own.
    snapshot_at: str = ""
    offset_at: str = ""  # the chunk's start in the utterance, in the marks' unit, added to its times; "": none
    snapshot_length_at: str = ""  # where a snapshot says its chunk's audio length so far, in the marks' unit
    evidence: str = ""  # the documents' words for where the marks are and how they are asked for, and where read

    def __post_init__(self) -> None:
        if self.offsets_in not in (CHARS, BYTES):
            raise ValueError(f"marks' offsets count {CHARS!r} or {BYTES!r}, not {self.offsets_in!r}")
        if self.lines and self.items_at != "":
            raise ValueError('marks answered as lines are objects of the answer itself: items_at must be ""')
        if self.each and not self.items_at:
            raise ValueError("a mark to a message is an object in it: items_at must point to it")
        if self.durations and not self.end_at:
            raise ValueError("marks with durations need the pointer to them (end_at)")
        if self.paired and (self.end_at or self.items_at is not None):
            raise ValueError("paired marks are [start, end] pairs in a list beside the texts: no end_at, no items_at")
        if (self.offset_at or self.snapshot_length_at) and not self.snapshot_at:
            raise ValueError("a chunk's offset or length belongs to its snapshots: snapshot_at must key them")

    def asked(self, request: Any) -> bool:
        """Whether a request (or a text message) asks for the marks: its flag holds the asking value (or, a list, holds
        it among others); always where no flag asks."""
        if not self.asked_by:
            return True
        present, value = resolve(request, self.asked_by)
        if not present:
            return False
        if isinstance(value, list) and isinstance(self.asked_value, list):
            return all(item in value for item in self.asked_value)
        return bool(value == self.asked_value)

    def ask(self, request: dict[str, Any]) -> None:
        """Make `request` (a JSON body, or a socket's text message) ask for the marks, as the documents say."""
        for at, value in ((self.asked_by, self.asked_value), *self.also_sets):
            if at:
                put(request, at, copy.deepcopy(value))


def complete_words(marks: Sequence[SpokenSpan]) -> tuple[list[SpokenSpan], list[SpokenSpan]]:
    """Character marks joined into word marks (a word: a run of characters ended by white space), and the characters
    of the word not yet ended (its end comes with a later piece)."""
    words: list[SpokenSpan] = []
    current: list[SpokenSpan] = []
    for mark in marks:
        if not mark.text.isspace():
            current.append(mark)
        elif current:
            words.append(SpokenSpan("".join(m.text for m in current), current[0].start_s, current[-1].end_s))
            current = []
    return words, current


def written_word(marks: Marks, word: str) -> str:
    """A sent word as the declaration's marks write it: without the punctuation at its ends where they are bare
    ("" where it is punctuation alone: no mark), else as sent."""
    return word.strip(_PUNCTUATION) if marks.bare_words else word


def marks_values(marks: Marks, spans: Sequence[SpokenSpan], text: str = "") -> dict[str, Any]:
    """What a message carries for `spans`, by pointer, in the declaration's unit and form: the parallel lists, or the
    list of objects at `items_at` (each of kind `kind`, with its offsets into `text`, the text sent, where declared)."""
    unit = marks.unit_s
    if marks.bare_words:
        spans = [SpokenSpan(word, m.start_s, m.end_s) for m in spans if (word := written_word(marks, m.text))]
    texts = [m.text for m in spans]
    starts = [round(m.start_s / unit, 3) for m in spans]
    ends = [round((m.end_s - m.start_s if marks.durations else m.end_s) / unit, 3) for m in spans]
    if marks.unit_s < 0.01:  # milliseconds and finer are whole numbers in every document that uses them
        starts, ends = [round(v) for v in starts], [round(v) for v in ends]
    offsets = _offsets(texts, text, marks.offsets_in) if marks.offsets_at else []
    if marks.paired:
        return {marks.text_at: texts, marks.start_at: [[start, end] for start, end in zip(starts, ends, strict=True)]}
    if marks.items_at is None:
        found: dict[str, Any] = {marks.text_at: texts, marks.start_at: starts}
        if marks.end_at:
            found[marks.end_at] = ends
        for place, at in enumerate(marks.offsets_at):
            found[at] = [pair[place] for pair in offsets]
        return found
    items = []
    for index, word in enumerate(texts):
        item: dict[str, Any] = {}
        if marks.kind_at:
            put(item, marks.kind_at, marks.kind)
        put(item, marks.start_at, starts[index])
        if marks.end_at:
            put(item, marks.end_at, ends[index])
        for at, offset in zip(marks.offsets_at, offsets[index] if offsets else (), strict=False):
            put(item, at, offset)
        put(item, marks.text_at, word)
        items.append(item)
    if marks.each:  # one mark to a message: the writer sends `groups(marks, spans)` one by one
        if len(items) != 1:
            raise ValueError(f"a message carries one mark here, not {len(items)}")
        return {marks.items_at: items[0]}
    return {marks.items_at: items}


def snapshot_values(
    marks: Marks, chunk: int, offset_s: float, spans: Sequence[SpokenSpan], length_s: float, text: str = ""
) -> dict[str, Any]:
    """What a message carries for a text chunk's latest snapshot (`snapshot_at`): its key, its offset, its audio's
    length so far, and `spans` (in the utterance's time) counted from the chunk's start, in the declared form."""
    local = [SpokenSpan(m.text, max(0.0, m.start_s - offset_s), max(0.0, m.end_s - offset_s)) for m in spans]
    found = {marks.snapshot_at: chunk, **marks_values(marks, local, text)}
    if marks.offset_at:
        found[marks.offset_at] = round(offset_s / marks.unit_s, 3)
    if marks.snapshot_length_at:
        found[marks.snapshot_length_at] = round(length_s / marks.unit_s, 3)
    return found


def settled(messages: Sequence[Any], marks: Marks) -> list[tuple[Any, float]]:
    """The messages whose marks stand, each with the seconds to add to its times: every message that lists marks,
    or, where the marks are snapshots (`snapshot_at`), the latest of each chunk's (in the order the chunks first
    came), its chunk's offset (`offset_at`) beside it. A snapshot without a key stands alone, never replaced."""
    if not marks.snapshot_at:
        return [(message, 0.0) for message in messages]
    latest: dict[Any, tuple[Any, float]] = {}
    for place, message in enumerate(messages):
        if mark_rows(message, marks) is None:
            continue  # no snapshot yet (`alignment` null): the one before stands
        present, key = resolve(message, marks.snapshot_at)
        key = key if present and isinstance(key, int | str) and not isinstance(key, bool) else ("unkeyed", place)
        offset = _at(message, marks.offset_at) if marks.offset_at else 0.0
        seconds = (
            float(offset) * marks.unit_s if isinstance(offset, int | float) and not isinstance(offset, bool) else 0.0
        )
        latest[key] = (message, seconds)  # a dict keeps the chunk's first place: the newer snapshot replaces
    return list(latest.values())


def ssml_mark_spans(document: str, words: Sequence[SpokenSpan]) -> tuple[SpokenSpan, ...]:
    """Each `<mark>` of an SSML document timed where the voice reaches it (`ssml_marks`): at the start of the word
    spoken after it, at the end of the last word where none follows; none where the text is no SSML."""
    try:
        places = mark_places(document)
    except ValueError:
        return ()
    found = []
    for name, before in places:
        at = words[before].start_s if before < len(words) else (words[-1].end_s if words else 0.0)
        found.append(SpokenSpan(name, at, at))
    return tuple(found)


def groups(marks: Marks, spans: Sequence[SpokenSpan]) -> list[tuple[SpokenSpan, ...]]:
    """The marks of `spans` as the messages carry them: all in one, or one a message (`each`)."""
    if not spans:
        return []
    return [(span,) for span in spans] if marks.each else [tuple(spans)]


def _offsets(words: Sequence[str], text: str, counted: str) -> list[tuple[int, int]]:
    """Where each word is in the sent text, in order (a word not found there: at the place reached), counted in
    characters or in bytes of the UTF-8."""
    found, at = [], 0
    for word in words:
        place = text.find(word, at)
        start = at if place < 0 else place
        at = start + (len(word) if place >= 0 else 0)
        found.append((start, at) if counted == CHARS else (len(text[:start].encode()), len(text[:at].encode())))
    return found


def read_marks(message: Any, marks: Marks) -> tuple[SpokenSpan, ...] | None:
    """The marks a message (or an answer: its parsed lines, a list, where `lines`) lists, in seconds; None where it
    lists none at the declared pointers. Marks of another kind than `kind` are set aside; where no end is given, a
    mark lasts until the next starts (the last: no time)."""
    rows = mark_rows(message, marks)
    if rows is None:
        return None
    kept = [
        (str(text), float(start), end)
        for text, start, end in rows
        if isinstance(start, int | float) and not isinstance(start, bool)
    ]
    spans = []
    for index, (text, start, end) in enumerate(kept):
        if not marks.end_at and not marks.paired:
            finish = kept[index + 1][1] if index + 1 < len(kept) else start
        elif isinstance(end, int | float) and not isinstance(end, bool):
            finish = start + float(end) if marks.durations else float(end)
        else:
            continue
        spans.append(SpokenSpan(text, start * marks.unit_s, finish * marks.unit_s))
    return tuple(spans)


def mark_rows(message: Any, marks: Marks) -> list[tuple[Any, Any, Any]] | None:
    """(text, start, end) of each mark of the declared kind, as the message lists them; None where it lists none."""
    if marks.items_at is not None:
        present, items = resolve(message, marks.items_at)
        if present and marks.each and isinstance(items, Mapping):
            items = [items]  # the message's one mark
        if not present or not isinstance(items, list):
            return None
        rows = []
        for item in items:
            if marks.kind_at and _at(item, marks.kind_at) != marks.kind:
                continue  # a sentence, viseme, ssml or phoneme mark: not a word's
            rows.append(
                (_at(item, marks.text_at), _at(item, marks.start_at), _at(item, marks.end_at) if marks.end_at else None)
            )
        return rows
    texts, starts = _at(message, marks.text_at), _at(message, marks.start_at)
    ends = _at(message, marks.end_at) if marks.end_at else None
    if not (isinstance(texts, list) and isinstance(starts, list)) or (marks.end_at and not isinstance(ends, list)):
        return None
    if marks.paired:  # [start, end] each; a pair of another shape is no mark's
        pairs = [pair if isinstance(pair, list) and len(pair) == 2 else [None, None] for pair in starts]
        starts, ends = [pair[0] for pair in pairs], [pair[1] for pair in pairs]
    return list(zip(texts, starts, ends if ends is not None else [None] * len(starts), strict=False))


def _at(data: Any, pointer: str) -> Any:
    present, value = resolve(data, pointer)
    return value if present else None


def read_lines(body: bytes | str) -> list[Any]:
    """The objects of a newline-delimited JSON answer (a `lines` declaration's), lines that are no JSON left out."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    found = []
    for line in text.splitlines():
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return found


def answer_messages(body: bytes, marks: Marks, form: str) -> list[Any]:
    """The messages of an HTTP answer (`form`: one JSON document, Server-Sent Events, or NDJSON lines) where the
    declaration says its marks come, in order: the marks' own event (`answer`) where one is declared, else every
    message (they ride on the audio's). A `lines` declaration's answer is one message, the list of its lines. What is
    not JSON is left out: the answer's reading (`harness.core.stream_events`) names it."""
    if marks.lines:
        return [read_lines(body)]
    if form == JSON:
        documents = [_json(body)]
    else:
        events = ndjson_events(body) if form == NDJSON else sse_events(body)
        documents = [_json(b"\n".join(event.data)) for event in events]
    return [d for d in documents if d is not None and (marks.answer is None or marks.answer.match(d))]


def _json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


def answer_timing_marks(declared: Marks, messages: Sequence[Any]) -> tuple[list[TimingMark], list[str]]:
    """An HTTP answer's marks in the utterance's time (each standing message a part: `settled`), and what in them is
    no mark, in one line each naming its message: the one reading of the runner and the contract suite."""
    marks: list[TimingMark] = []
    said_all: list[str] = []
    for part, (message, offset_s) in enumerate(settled(messages, declared)):
        found, said = message_timing_marks(declared, message, offset_s, part)
        marks.extend(found)
        said_all.extend(f"message {part}: {line}" for line in said)
    return marks, said_all


def message_timing_marks(
    declared: Marks, message: Any, offset_s: float, part: int
) -> tuple[list[TimingMark], list[str]]:
    """One message's marks (its raw lists at the declared pointers: a time that is no time is a one-line problem,
    `timing_marks.read_marks`), `offset_s` added, each of part `part`."""
    if declared.items_at is None and not declared.end_at and not declared.paired:
        lists = [resolve(message, at) for at in (declared.text_at, declared.start_at)]
    elif declared.items_at is None and not declared.paired:
        lists = [resolve(message, at) for at in (declared.text_at, declared.start_at, declared.end_at)]
    else:  # objects (or a message's one object), or [start, end] pairs: the declaration's own reading of each mark
        rows = mark_rows(message, declared)
        if rows is None:
            return [], []
        lists = [(True, [row[0] for row in rows]), (True, [row[1] for row in rows])]
        if declared.end_at or declared.paired:
            lists.append((True, [row[2] for row in rows]))
    if not all(present for present, _ in lists):
        return [], []
    texts, starts = lists[0][1], lists[1][1]
    # no end given: a mark lasts until the next starts (the last: no time), as the declaration reads them
    ends = (
        lists[2][1]
        if len(lists) > 2
        else (list(starts[1:]) + list(starts[-1:]) if isinstance(starts, list) else starts)
    )
    marks, findings = read_timing_marks(
        texts,
        starts,
        ends,
        unit_s=declared.unit_s,
        durations=declared.durations and len(lists) > 2,
        offset_s=offset_s,
        part=part,
    )
    return list(marks), [("" if f.index is None else f"mark {f.index}: ") + f.message for f in findings]


def socket_marks_of(grammar: Any) -> Marks | None:
    """The marks a socket's grammar declares its answers carry (None: it declares none, or it is no socket's)."""
    marks = getattr(getattr(grammar, "socket", None), "marks", None)
    return marks if isinstance(marks, Marks) else None


def socket_timing_marks(
    declared: Marks, frames: Mapping[int, str | None], events: Sequence[Event], chunk_seconds: Iterable[float]
) -> tuple[list[TimingMark], list[str]]:
    """One utterance's marks from a socket's frames (`frames`: each received frame's text by index; `events`: the
    utterance's, in order; `chunk_seconds`: each of its audio chunks' seconds, in order, from which a chunk-relative
    time counts), each mark's part the frame it came in, and what in them is no mark, one line each naming its frame.
    The raw lists are read again, not the grammar's parsed spans: a time that is no time is said, never dropped."""
    lengths = iter(chunk_seconds)
    before = last = 0.0  # the utterance's audio before the latest chunk, and that chunk's seconds
    marks: list[TimingMark] = []
    problems: list[str] = []
    for event in events:
        if event.kind is Kind.AUDIO and event.audio:
            before, last = before + last, next(lengths, 0.0)
            continue
        if event.kind is not Kind.MARKS:
            continue
        text = frames.get(event.frame)
        message = _json(text.encode()) if text is not None else None
        if message is None:
            continue
        found, said = message_timing_marks(declared, message, before if declared.chunk_relative else 0.0, event.frame)
        marks.extend(found)
        problems.extend(f"frame {event.frame}: {line}" for line in said)
    return marks, problems
