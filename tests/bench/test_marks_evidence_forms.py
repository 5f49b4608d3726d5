"""The runner keeps a socket's marks in every form the vocabulary declares, read as the declaration reads them: a
message per mark (Smallest's `word_timestamp` frames) and a list of objects, not only parallel lists. Before, the
runner read parallel lists only, and the README's run named Smallest's true marks "missing"."""

from __future__ import annotations

import json

from harness.core.protocols.marks import message_timing_marks
from harness.providers.smallest.sockets import WORD_TIMESTAMPS


def test_a_message_per_mark_is_read() -> None:
    frame = json.dumps({"status": "word_timestamp", "data": {"id": 3, "word": "fox", "start": 0.5, "end": 0.8}})
    marks, problems = message_timing_marks(WORD_TIMESTAMPS, json.loads(frame), 0.0, 7)
    assert [(m.text, m.start_s, m.end_s, m.part) for m in marks] == [("fox", 0.5, 0.8, 7)] and problems == []


def test_bad_values_in_an_object_are_one_line_each_never_a_mark() -> None:
    frame = json.dumps({"status": "word_timestamp", "data": {"word": "fox", "start": "soon", "end": 0.8}})
    marks, problems = message_timing_marks(WORD_TIMESTAMPS, json.loads(frame), 0.0, 1)
    assert marks == [] and len(problems) == 1 and "\n" not in problems[0]
