"""`ended_by`: the errors that ended a run's failed jobs, grouped by offering, class and message, commonest first,
capped per offering and in all (the summary's "What ended the failed jobs")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harness.results import ended_by, read_run
from tests.helpers.report_runs import Model, make_run


def test_messages_are_grouped_counted_and_capped(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    make_run(db, "r", items=8, models=(Model("acme", "a", 900.0, 0.01, failure_rate=1.0),), audio=False)
    rows = read_run(db, "r")
    failed = [r for r in rows.requests if r.outcome == "error"]
    assert len(failed) == 8
    # Five messages: one ended four jobs, the rest one each; one message spaced differently is the same message.
    words = ["404 model  gone", "404 model gone", "404 model gone", "404 model\ngone", "a", "b", "c", "d"]
    requests = tuple(replace(r, error_message=words[failed.index(r)]) if r in failed else r for r in rows.requests)
    found = ended_by(replace(rows, requests=requests))
    assert [(seen.message, seen.jobs) for seen in found] == [("404 model gone", 4), ("a", 1), ("b", 1)]
    assert all(seen.label == "acme/a" and seen.error_class == failed[0].error_class for seen in found)
    assert len(ended_by(replace(rows, requests=requests), per_offering=9, shown=2)) == 2
    assert ended_by(replace(rows, requests=tuple(r for r in rows.requests if r.outcome != "error"))) == ()
