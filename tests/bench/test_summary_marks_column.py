"""Where the summary's models table places the timing marks' column: a check's column placed "at the table's end"
(`PlacedColumns(after="")`) stands after every built-in and placed column and before the fields checks declare at the
end (DNSMOS, lead silence, pace), as it stood when it had a place of its own."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from harness.measurement import marks_columns
from harness.results import Store
from harness.runner.summary.figures import summarize
from harness.runner.summary.view import models_table
from tests.helpers.report_runs import make_run
from tests.helpers.request_rows import job_row

WORDS = ["The", "old", "man", "walked", "slowly"]


def _with_marks(db: Path, run_id: str, model: str) -> None:
    """Each of the model's jobs given timing marks a little late, and the words the recogniser heard."""
    job = job_row(
        job_key="k",
        provider="p",
        model="m",
        text=" ".join(WORDS),
        timing_marks=json.dumps(
            {
                "chars": False,
                "advertised": True,
                "duration_s": 2.1,
                "marks": [[w, 0.15 + 0.4 * i, 0.45 + 0.4 * i, 0] for i, w in enumerate(WORDS)],
                "problems": [],
            }
        ),
        heard_words=json.dumps({"model": "tiny.en", "words": [[w, 0.1 + 0.4 * i] for i, w in enumerate(WORDS)]}),
    )
    columns = marks_columns(job)
    conn = sqlite3.connect(db)
    sets = ", ".join(f"{name}=?" for name in columns)
    conn.execute(f"update jobs set {sets} where run_id=? and model=?", (*columns.values(), run_id, model))
    conn.commit()
    conn.close()


def _headings(db: Path, run_id: str) -> list[str]:
    store = Store(db)
    try:
        return [heading.text for heading in models_table(summarize(store, run_id)).headings]
    finally:
        store.close()


def test_the_marks_column_stands_after_the_placed_columns_and_before_those_declared_at_the_end(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    make_run(db, "marked", seed=7, audio=False, items=6)
    make_run(db, "plain", seed=7, audio=False, items=6)
    _with_marks(db, "marked", "kokoro")
    marked = _headings(db, "marked")
    at = marked.index("marks p95")
    assert marked[at - 3 : at + 4] == [
        "$/1M chars",
        "WER",
        "similarity mean",
        "marks p95",
        "DNSMOS mean",
        "lead silence p50",
        "pace gmean",
    ]
    assert "marks p95" not in _headings(db, "plain")  # no marks in the run: no column
