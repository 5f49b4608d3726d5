"""The store's writer holds no amount that is none (`harness.results.amounts`): an infinity, NaN, an amount past
10**12 and a bill's units holding one are written as NULL, whatever the runner handed it; a reader of a store
written otherwise (by hand, by an older version) leaves such a job out and names it in one line."""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from harness.results import RowChange, read_run
from harness.results.store import Store
from tests.helpers.report_runs import Model, make_run
from tests.helpers.store_rows import insert_rows

PRICED = Model("acme", "plain", 800.0, usd=0.03)


@dataclass(frozen=True, slots=True, kw_only=True)
class _JobCost(RowChange):
    """A job's cost alone, as a writer handed it."""

    table: ClassVar[str] = "jobs"
    cost_usd: float


def test_the_writer_writes_an_amount_that_is_none_as_null(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    make_run(db, "r", items=2, models=(PRICED,), audio=False)
    store = Store(db)
    try:
        (first, second) = [str(row.job_key) for row in store.jobs("r")]
        store.update_job(first, _JobCost(cost_usd=math.inf))
        (cost,) = [dict(row) for row in store.query("SELECT * FROM costs WHERE job_key = ?", (second,))]
        cost.pop("cost_id")
        insert_rows(
            store,
            "costs",
            [
                {
                    **cost,
                    "attempt": 2,
                    "usd": 1e20,
                    "amount": math.nan,
                    "planned_usd": 0.03,
                    "billed_units_json": json.dumps({"characters": 1e300}),
                    "billed_usd": 0.02,
                }
            ],
        )
        stored = dict(
            store.query(
                "SELECT usd, amount, planned_usd, billed_units_json, billed_usd FROM costs "
                "WHERE job_key = ? AND attempt = 2",
                (second,),
            )[0]
        )
        assert store.query("SELECT cost_usd FROM jobs WHERE job_key = ?", (first,))[0][0] is None
    finally:
        store.close()
    assert stored == {"usd": None, "amount": None, "planned_usd": 0.03, "billed_units_json": None, "billed_usd": 0.02}
    assert {str(r.job_key) for r in read_run(db, "r").requests} == {first, second}  # NULL is no amount: read


def test_a_reader_names_a_job_whose_amount_is_none_and_leaves_it_out(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    make_run(db, "r", items=4, models=(PRICED,), audio=False)
    with sqlite3.connect(db) as conn:
        keys = [key for (key,) in conn.execute("SELECT job_key FROM jobs ORDER BY seq")]
        conn.execute("UPDATE costs SET usd = '1e309' WHERE job_key = ?", (keys[0],))  # kept as an infinity
        conn.execute("UPDATE costs SET planned_usd = 'NaN' WHERE job_key = ?", (keys[1],))
        conn.execute("UPDATE jobs SET cost_usd = 'abc' WHERE job_key = ?", (keys[2],))
    rows = read_run(db, "r")
    assert [str(r.job_key) for r in rows.requests] == [keys[3]]
    assert [line.split(": ", 2)[1] for line in rows.left_out] == [f"job {key} (acme/plain)" for key in keys[:3]]
    assert "usd holds inf" in rows.left_out[0] and "planned_usd holds 'NaN', not a number" in rows.left_out[1]
    assert "cost_usd holds 'abc', not a number" in rows.left_out[2]
    assert all(line.endswith("left out of every figure") and "\n" not in line for line in rows.left_out)
    store = Store(db)
    try:
        assert store.spent_usd("r") == 0.03 * 3  # what the budget has used: the infinity adds nothing
    finally:
        store.close()
