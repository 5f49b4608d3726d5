"""`ended_by`: the errors that ended a run's failed jobs, grouped by offering, class and message, commonest first,
capped per offering and in all (the summary's "What ended the failed jobs")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

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


def test_what_ended_new_jobs_and_no_base_job_is_named(tmp_path: Path) -> None:
    """A provider that changed: NEW's failed jobs end with a message no BASE job ended with (a voice withdrawn).
    Messages both runs met, and offerings only NEW ran (not compared), are not named."""
    from harness.report.compare import compare_runs, render_text
    from harness.results import newly_ended_by

    db = tmp_path / "runs.db"
    models = (Model("acme", "a", 900.0, 0.01, failure_rate=1.0),)
    make_run(db, "base", items=4, models=models, audio=False)
    make_run(
        db, "new", items=4, models=(*models, Model("acme", "only-new", 900.0, 0.01, failure_rate=1.0)), audio=False
    )

    def said(run: str, words: dict[str, list[str]]) -> Any:
        rows, told = read_run(db, run), {model: iter(messages) for model, messages in words.items()}
        return replace(
            rows,
            requests=tuple(
                replace(r, error_message=next(told[r.model])) if r.outcome == "error" else r for r in rows.requests
            ),
        )

    base = said("base", {"a": ["quota"] * 4})
    withdrawn = "voice 'joe' withdrawn"
    new = said("new", {"a": ["quota", withdrawn, withdrawn, "quota"], "only-new": ["x"] * 4})
    (fresh,) = newly_ended_by(base, new)
    assert (fresh.label, fresh.message, fresh.jobs) == ("acme/a", withdrawn, 2)
    assert newly_ended_by(base, base) == ()
    text = render_text(compare_runs(base, new))
    assert "note: NEW ended jobs with what no BASE job ended with: acme/a, 2 jobs, " in text
    assert "voice 'joe' withdrawn" in text and "only-new, " not in text
