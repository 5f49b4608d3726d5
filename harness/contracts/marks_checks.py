"""The HTTP speech family's timing-marks check (issue 65): an answer whose endpoint declares marks in it (its JSON,
its events or lines) carries marks that keep the invariants of `harness.core.timing_marks` — in order, each message
going on from the one before (no overlap, no restart at a chunk), spelling the text sent — read by the runner's own
reading (`harness.core.protocols.marks.answer_timing_marks`). A broken one fails naming the message and the JSON
pointer of its marks; a time that is no time is a failure too. Marks a request of their own answers (`lines`) are
the runner's (`harness.runner.deliver.marks_request`), not checked here."""

from __future__ import annotations

from typing import Any

from harness.core.audio_fields import carrier
from harness.core.protocols.http_speech import Synthesis
from harness.core.protocols.marks import EVENTS, JSON, NDJSON, Marks, answer_messages, answer_timing_marks
from harness.core.spec import EventStreamBody, JsonBody, NdjsonBody
from harness.core.timing_marks import check_marks
from harness.core.verdict import Violation

NAME = "timing-marks"


def answer_form(synthesis: Synthesis) -> str:
    """How the synthesis' answer carries its marks: one JSON document, events or lines; "" where it carries none."""
    marks = synthesis.marks
    if marks is None or marks.lines:
        return ""
    body = carrier(synthesis.endpoint.response_for(synthesis.endpoint.success_status))
    if isinstance(body, EventStreamBody):
        return EVENTS
    if isinstance(body, NdjsonBody):
        return NDJSON
    return JSON if isinstance(body, JsonBody) else ""


def where_listed(marks: Marks, part: int) -> str:
    """The pointer of a message's marks: the list of objects, or the list of starts."""
    return f"{NAME}/message/{part}{marks.items_at if marks.items_at is not None else marks.start_at}"


def marks_violations(synthesis: Synthesis, body: bytes, sent: str) -> list[Violation]:
    """What an answer's marks break, each naming the message and pointer of its first mark concerned."""
    marks, form = synthesis.marks, answer_form(synthesis)
    assert marks is not None and form
    found, problems = answer_timing_marks(marks, answer_messages(body, marks, form))
    violations = [Violation(f"{NAME}/message", "marks that are times", line, "timestamp") for line in problems]
    if not found:
        return [*violations, Violation(where_listed(marks, 0), "the declared marks", "none", "timestamp")]
    for finding in check_marks(found, None, [sent], chars=marks.chars):
        part = found[finding.index].part if finding.index is not None and finding.index < len(found) else 0
        violations.append(Violation(where_listed(marks, part), f"marks without {finding.kind.value}",
                                    finding.message, "timestamp"))
    return violations


def asked(marks: Marks) -> dict[str, Any]:
    """The request fields that ask for the marks, by pointer (as `Marks.ask` writes them)."""
    return {at: value for at, value in [(marks.asked_by, marks.asked_value), *marks.also_sets] if at}
