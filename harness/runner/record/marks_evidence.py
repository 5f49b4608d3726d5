"""An answer's timing marks as evidence (issue 65): the word or character times the provider sent for the
utterance — a socket's frames (`socket_marks`), or an HTTP answer's JSON, events or lines, or the lines a request of
their own answers (`answer_marks`, the messages `harness.core.protocols.marks.answer_messages` finds) — read from the
messages' raw lists at the declaration's pointers (`harness.core.protocols.marks.Marks`,
whatever a declaration says: unit, ends or durations, characters or words, chunk-relative) into the one convention
of `harness.core.timing_marks` — seconds from the utterance's start, each mark's part the frame it came in.

The raw lists are read again here, not the grammar's parsed spans: a time that is no time (a string, NaN, negative),
lists of other lengths or millions of marks are each a one-line problem kept with the evidence
(`timing_marks.read_marks`), never dropped unseen. What is judged of them (the invariants, the onset error against
the aligner) is derived after the run (`harness.measurement.marks`), so a stored run recomputes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from harness.core.protocols.marks import Marks, answer_timing_marks, socket_marks_of, socket_timing_marks
from harness.core.protocols.realtime_grammar import Event, Grammar, Session
from harness.core.timing_marks import TimingMark
from harness.measurement import Chunk


def socket_marks(
    grammar: Grammar,
    session: Session,
    events: Sequence[Event],
    context: str,
    chunks: Sequence[Chunk],
    duration_s: float | None,
) -> str | None:
    """The utterance's marks as JSON evidence (None: the socket declares no marks). `chunks` are the utterance's
    audio chunks in order, each with its decoded seconds: a chunk-relative time counts from its own chunk."""
    declared = socket_marks_of(grammar)
    if declared is None:
        return None
    frames = {frame.index: frame.text for frame in session.received()}
    mine = [event for event in events if event.context in ("", context)]
    marks, problems = socket_timing_marks(declared, frames, mine, [chunk.audio_s or 0.0 for chunk in chunks])
    return _evidence(declared, marks, problems, duration_s, advertised=True)


def answer_marks(
    declared: Marks | None,
    messages: Sequence[Any],
    duration_s: float | None,
    *,
    asked: bool,
    problems: Sequence[str] = (),
) -> str | None:
    """An HTTP answer's marks as JSON evidence, from the messages that carry them in order (each a part: an event,
    a line, or the one JSON answer); None where the endpoint declares none. `asked`: the request asked for them (a
    run asks: `harness.core.protocols.marks_declared.ask_marks`), so none coming is a finding; `problems`: what
    kept them from coming (a marks' request of their own that failed). An answer's times count from the utterance's
    start, or from their text chunk's where the marks are snapshots with an offset (only each chunk's latest read:
    `settled`)."""
    if declared is None:
        return None
    marks: list[TimingMark] = []
    said_all: list[str] = list(problems)
    found, said = answer_timing_marks(declared, messages)
    marks.extend(found)
    said_all.extend(said)
    return _evidence(declared, marks, said_all, duration_s, advertised=asked)


def _evidence(
    declared: Marks, marks: Sequence[TimingMark], problems: Sequence[str], duration_s: float | None, *, advertised: bool
) -> str:
    return json.dumps(
        {
            "chars": declared.chars,
            "advertised": advertised,
            "duration_s": None if duration_s is None else round(duration_s, 4),
            "marks": [[m.text, round(m.start_s, 4), round(m.end_s, 4), m.part] for m in marks],
            "problems": list(problems[:20]),
        }
    )
