"""Messages told apart by a value at a JSON pointer, and the timing marks they may carry: shared by the HTTP speech
family's event streams (`http_speech.Synthesis.marks`) and the WebSocket speech family's sockets (`Socket.marks`).
It names no provider.

`Match` tells a message apart, `Answer` is a server message (what it means, its model, the template the sandbox
writes it from), `Marks` says where a message lists when each word (or character) is spoken. `complete_words`,
`marks_values` and `read_marks` are the one reading and writing of those lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from harness.core.drift import resolve
from harness.core.protocols.realtime_grammar import Kind, SpokenSpan


@dataclass(frozen=True, slots=True)
class Match:
    """What tells a message apart: a value at a JSON pointer (`/type` = "flush"), or the pointer's presence."""

    pointer: str
    value: Any = None  # None: present, whatever its value

    def __call__(self, message: Any) -> bool:
        present, found = resolve(message, self.pointer)
        return present and (self.value is None or found == self.value)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Marks:
    """Timing marks: when each word (or character) of the text is spoken, as lists at JSON pointers of a message
    (`answer`, kind MARKS; None: they ride on the audio message, as an `alignment` field does)."""

    text_at: str  # the words (or characters): "/word_timestamps/words"
    start_at: str  # when each starts: "/word_timestamps/start"
    end_at: str  # when each ends (or how long each lasts: `durations`)
    answer: Answer | None = None
    unit_s: float = 1.0  # seconds per unit of the times (milliseconds: 0.001)
    durations: bool = False  # `end_at` holds durations, not ends
    chars: bool = False  # a mark per character, not per word
    chunk_relative: bool = False  # times count from the chunk's own audio, not from the utterance's start
    asked_by: str = ""  # the request's (or a text message's) flag that asks for them ("/add_timestamps"); "": always


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


def marks_values(marks: Marks, spans: Sequence[SpokenSpan]) -> dict[str, list[Any]]:
    """The lists a message carries for `spans`, by their pointers, in the declaration's unit (ends or durations)."""
    unit = marks.unit_s
    return {marks.text_at: [m.text for m in spans],
            marks.start_at: [round(m.start_s / unit, 3) for m in spans],
            marks.end_at: [round((m.end_s - m.start_s if marks.durations else m.end_s) / unit, 3) for m in spans]}


def read_marks(message: Any, marks: Marks) -> tuple[SpokenSpan, ...] | None:
    """The marks a message lists, in seconds; None where it lists none at the declared pointers."""
    found = []
    for at in (marks.text_at, marks.start_at, marks.end_at):
        present, value = resolve(message, at)
        found.append(value if present else None)
    texts, starts, ends = found
    if not (isinstance(texts, list) and isinstance(starts, list) and isinstance(ends, list)):
        return None
    return tuple(
        SpokenSpan(str(text), float(start) * marks.unit_s,
                   (float(start) + float(end) if marks.durations else float(end)) * marks.unit_s)
        for text, start, end in zip(texts, starts, ends, strict=False)
        if isinstance(start, int | float) and isinstance(end, int | float))
