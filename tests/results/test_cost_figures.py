"""Cost as planned and as billed, read back from runs.db: which of the two every figure uses, the rates per 1M
characters and per hour of audio, where the price was read, why a model has no price, and a provider that
starts billing more for the same text."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.results import ModelFigures, dearer, model_figures, read_run
from harness.results.cost_figures import cost_of
from harness.results.run_records import RequestRow
from tests.helpers.report_runs import Model, make_run
from tests.helpers.request_rows import request_row

PLANNED = Model("acme", "plain", 900.0, 0.01)
BILLED = Model("acme", "metered", 900.0, 0.01, billed=1.0, stale=True)
NO_PRICE = Model("nopay", "mystery", 900.0, None)


def _figures(db: Path, run_id: str) -> dict[str, ModelFigures]:
    return {f.label: f for f in model_figures(read_run(db, run_id))}


def test_rows_carry_the_plan_the_bill_and_where_the_price_was_read(store_target: str, tmp_path: Path) -> None:
    # on both dialects: the one query that sums a job's costs rows
    make_run(
        store_target,
        "r",
        items=6,
        models=(PLANNED, BILLED, NO_PRICE),
        audio=False,  # type: ignore[arg-type]
        audio_dir=tmp_path,
    )
    rows = {str(r.model): r for r in read_run(store_target, "r").requests}
    billed, planned, unpriced = rows["metered"], rows["plain"], rows["mystery"]
    assert (billed.cost_source, billed.billed_usd, billed.planned_usd) == ("billed", 0.01, 0.01)
    assert billed.billed_units == f'{{"characters": {billed.chars}}}'
    assert (billed.price_plan, billed.price_source, billed.price_read, billed.price_stale) == (
        "pay-as-you-go",
        "https://acme.example/pricing",
        "2026-01-05",
        1,
    )
    assert (planned.cost_source, planned.billed_usd, planned.billed_units) == ("planned", None, None)
    assert (unpriced.no_public_price, unpriced.planned_usd, unpriced.price_source) == (1, None, None)
    assert planned.no_public_price == 0


def test_figures_say_which_cost_they_use_and_give_both_rates(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    make_run(db, "r", items=6, models=(PLANNED, BILLED, NO_PRICE), audio=False)
    found = _figures(db, "r")
    metered = found["acme/metered"].cost
    plain = found["acme/plain"].cost
    mystery = found["nopay/mystery"].cost
    assert (metered.source, metered.billed_jobs, metered.gap) == ("billed", 6, None)
    assert metered.billed_usd == pytest.approx(0.06) and metered.planned_of_billed_usd == pytest.approx(0.06)
    assert metered.provenance.stale and "read 2026-01-05 (stale)" in metered.provenance.words()
    assert (plain.source, plain.billed_jobs, plain.billed_usd, plain.planned_usd) == (
        "planned",
        0,
        None,
        pytest.approx(0.06),
    )
    chars = found["acme/plain"].chars
    assert plain.per_million_chars_usd == pytest.approx(0.06 * 1e6 / chars)
    assert plain.per_1k_chars_usd == pytest.approx(0.06 * 1e3 / chars)
    seconds = sum(r.duration_s or 0.0 for r in read_run(db, "r").requests if r.model == "plain")
    assert plain.per_hour_usd == pytest.approx(0.06 * 3600 / seconds)
    assert (mystery.gap, mystery.no_public_price, mystery.per_1k_chars_usd) == ("no public price", 6, None)


def _row(**values: object) -> RequestRow:
    return request_row(
        **{"job_key": "a", "outcome": "ok", "chars": 100, "cost_unit": "USD", "charged_attempts": 1, **values}
    )


def test_the_bill_prices_a_job_the_plan_could_not_and_audio_gives_a_price_per_hour() -> None:
    # a token-priced offering: no plan before sending, the answer's usage priced it; 90 s of audio streamed
    rows = [
        _row(job_key="a", billed_usd=0.03, cost_source="billed", audio_ms=60_000.0),
        _row(job_key="b", billed_usd=0.03, cost_source="billed", duration_s=30.0),
    ]
    cost = cost_of(rows, rows)
    assert (cost.source, cost.total_usd, cost.gap) == ("billed", pytest.approx(0.06), None)
    assert cost.per_hour_usd == pytest.approx(0.06 * 3600 / 90)
    assert cost.per_audio_minute_usd == pytest.approx(0.06 * 60 / 90)
    assert cost.planned_usd is None  # nothing was planned
    # one answer said nothing: the rates stay over the priced job, the total is unknown
    partial = cost_of([rows[0], _row(job_key="c")], [rows[0]])
    assert (partial.total_usd, partial.unpriced, partial.per_1k_chars_usd) == (None, 1, pytest.approx(0.3))
    assert cost_of([], []).gap == "no data"
    assert cost_of([_row(cost_unit="characters", cost_amount=120.0)], []).gap == "priced in characters"
    assert cost_of([_row()], []).gap == "no USD price"


def test_a_provider_billing_twice_as_much_for_the_same_texts_is_dearer(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    make_run(db, "before", items=6, models=(BILLED, PLANNED), audio=False)
    make_run(db, "after", items=6, models=(Model("acme", "metered", 900.0, 0.01, billed=2.0), PLANNED), audio=False)
    make_run(db, "again", items=6, models=(Model("acme", "metered", 900.0, 0.01, billed=2.0), PLANNED), audio=False)
    before, after, again = (read_run(db, r).requests for r in ("before", "after", "again"))
    (found,) = dearer("before", before, "after", after)
    assert (found.provider, found.model, found.unit, found.requests) == ("acme", "metered", "characters", 6)
    assert found.ratio == pytest.approx(2.0, rel=0.05)
    assert "acme/metered is dearer: billed characters for the same 6 requests" in found.describe()
    assert dearer("after", after, "again", again) == []  # the same bill twice: not dearer
    assert dearer("after", after, "before", before) == []  # cheaper is not dearer


def test_billed_units_written_as_decimal_strings_count_and_a_malformed_bill_is_no_bill(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "runs.db"
    make_run(db, "r", items=3, models=(BILLED,), audio=False)
    with sqlite3.connect(db) as conn:
        first, second, third = (key for (key,) in conn.execute("SELECT job_key FROM costs ORDER BY job_key"))
        conn.execute(
            "UPDATE costs SET billed_units_json = ? WHERE job_key = ?",
            ('{"characters": "40", "audio_tokens": "x", "seconds": null}', first),
        )
        conn.execute("UPDATE costs SET billed_units_json = 'not json' WHERE job_key = ?", (second,))
        conn.execute("UPDATE costs SET billed_units_json = '[1, 2]' WHERE job_key = ?", (third,))
    rows = {str(r.job_key): r for r in read_run(db, "r").requests}
    assert rows[first].billed_units == '{"characters": 40}'
    assert rows[second].billed_units is None and rows[third].billed_units is None


def test_a_store_older_than_the_bill_reads_its_cost_as_planned(tmp_path: Path) -> None:
    """Read-only readers never migrate: a store written before schema 8 has no plan or bill columns, and its
    `usd` was the plan."""
    import sqlite3

    db = tmp_path / "runs.db"
    make_run(db, "r", items=3, models=(PLANNED, NO_PRICE), audio=False)
    with sqlite3.connect(db) as conn:
        for column in (
            "planned_usd",
            "price_how",
            "price_plan",
            "price_source",
            "price_read",
            "price_stale",
            "billed_units_json",
            "billed_usd",
            "cost_source",
        ):
            conn.execute(f"ALTER TABLE costs DROP COLUMN {column}")
        conn.execute("ALTER TABLE jobs DROP COLUMN cost_source")
    found = _figures(db, "r")
    plain, mystery = found["acme/plain"].cost, found["nopay/mystery"].cost
    assert (plain.planned_usd, plain.source, plain.billed_usd, plain.gap) == (
        pytest.approx(0.03),
        "planned",
        None,
        None,
    )
    assert (mystery.gap, mystery.source) == ("no public price", "none")
