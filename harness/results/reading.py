"""Reading one run's raw rows (`RunRows`) from `runs.db`: the one query every reader goes through.

A database is read as it is: a table not created yet (nothing scored) or a column added by a later
migration reads as NULL, so an old database stays readable by a read-only reader. A row holding a value its column
cannot hold — text in a number column, an amount that is not one (`harness.results.amounts`: `NaN`, an infinity,
`1e309`, a bill of 10**20), written by an older version, by hand or from a hostile answer — is left out of every
figure and named in one line (`RunRows.left_out`, which every face prints), never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from harness.core.errors import UsageError
from harness.core.prices.bills import bill_number, storable
from harness.results.amounts import BILLED_UNITS, STORED, bad_amount, bad_units
from harness.results.database import Connection, StoreTarget, columns_of, has_table, open_read_only
from harness.results.dialect import SURROGATE_IDS
from harness.results.hard_text import read_span_scores
from harness.results.rows import (
    DRIFT_COLUMNS,
    ERROR_COLUMNS,
    REQUEST_COLUMNS,
    RUN_COLUMNS,
    RecordT,
    RowColumn,
    RunRows,
    as_record,
    typed_row,
)
from harness.results.run_records import DriftEntry, ErrorEntry, RequestRow, StoredRun
from harness.results.setups import AsrSetup, pick_setup, setup_model_sql
from harness.results.tables import CatalogueRow, record_of

_TABLE_OF = {"j": "jobs", "s": "scores", "k": "clips", "e": "errors", "d": "drift", "r": "runs"}


def _select(columns: Sequence[RowColumn], conn: Connection, absent: frozenset[str] = frozenset()) -> str:
    """SELECT list; columns of an absent table alias (a table not created yet) read as their `absent`
    value, and plain columns the database lacks (written before a migration added them) as NULL."""
    present = {
        alias: columns_of(conn, _TABLE_OF[alias])
        for alias in {c.table for c in columns}
        if alias in _TABLE_OF and alias not in absent
    }
    parts = []
    for c in columns:
        if c.table in absent:
            source = c.absent
        elif not c.expression and c.table in present and c.name not in present[c.table]:
            source = "NULL"
        else:
            source = c.source
        parts.append(f"{source} AS {c.name}")
    return ", ".join(parts)


def _left_out(run_id: str, raw: Mapping[str, Any], table: str, why: str) -> str:
    """The one line naming a row left out: the run, the row, and why."""
    named = f"job {raw['job_key']}" if raw["job_key"] is not None else f"a {table} row"
    return f"run {run_id}: {named} ({raw['provider']}/{raw['model']}): {why}: left out of every figure"


def _bad_costs(conn: Connection, run_id: str) -> dict[str, str]:
    """Per job, why one of its costs rows holds no amount (the first found): the job is left out, as its summed cost
    would be wrong."""
    present = columns_of(conn, "costs")
    names = [name for name in sorted(STORED) if name in present]
    if not names:
        return {}
    found: dict[str, str] = {}
    sql = f"SELECT job_key, attempt, {', '.join(names)} FROM costs WHERE run_id = ? ORDER BY job_key, attempt"
    for raw in conn.execute(sql, (run_id,)):
        key = str(raw["job_key"])
        for name in names:
            why = bad_amount(raw[name])
            if why is not None and key not in found:
                found[key] = f"its costs row of attempt {raw['attempt']}: {name} {why}"
    return found


NO_PUBLIC_PRICE = "no-documented-price"
# A costs row of the harness's own request, not the offering's synthesis: a negative attempt (schema.py's costs:
# "−n: the marks' request of its own that attempt n sent"). Issue 79: its cost is no part of the offering's price.
OWN_ATTEMPTS = "attempt < 0"


def _costs_summed(conn: Connection) -> str:
    """Each job's costs rows as one: amounts summed; the planned cost (NULL when any row has none: a partial sum
    would understate it); the billed cost (NULL unless every charged row says what it billed); whether the
    offering has no public price (a row so based, with no source a price was read from: an offering priced in a
    unit that cannot be planned keeps its source); where the price was read. A store older than schema 8 has no
    plan columns: its `usd` was the plan."""
    present = set(columns_of(conn, "costs"))
    if "planned_usd" in present:
        # rows migrated from before schema 8 have neither planned_usd nor cost_source: their usd was the plan
        planned = "COALESCE(planned_usd, CASE WHEN cost_source IS NULL THEN usd END)"
        billed = (
            "CASE WHEN COUNT(billed_usd) > 0 AND COUNT(CASE WHEN charged = 1 AND billed_usd IS NULL THEN 1 END)"
            " = 0 THEN SUM(billed_usd) END"
        )
        unpublished = f"CASE WHEN basis = '{NO_PUBLIC_PRICE}' AND price_source IS NULL THEN 1 ELSE 0 END"
        provenance = (
            "MAX(price_plan) AS price_plan, MAX(price_source) AS price_source, "
            "MIN(price_read) AS price_read, MAX(price_stale) AS price_stale, " + _schema_9(present)
        )
    else:
        planned, billed = "usd", "NULL"
        unpublished = f"CASE WHEN basis = '{NO_PUBLIC_PRICE}' THEN 1 ELSE 0 END"
        provenance = (
            "NULL AS price_plan, NULL AS price_source, NULL AS price_read, NULL AS price_stale, "
            "NULL AS price_weak, NULL AS price_audio_json"
        )
    return (
        "SELECT job_key, SUM(amount) AS amount, MAX(unit) AS unit, SUM(charged) AS charged, "
        f"CASE WHEN COUNT(*) = COUNT({planned}) THEN SUM({planned}) END AS planned_usd, {billed} AS billed_usd, "
        f"MAX({unpublished}) AS no_public_price, {provenance}, {_own(planned, present)} "
        "FROM costs WHERE run_id = :run GROUP BY job_key"
    )


def _own(planned: str, present: set[str]) -> str:
    """The harness's own requests among a job's costs rows (`OWN_ATTEMPTS`: the marks asked in a request of their
    own), summed apart: their cost, their plan, their bill (NULL before schema 8, which kept no bill) and how many
    were charged. NULL where the job sent none."""
    own = f"CASE WHEN {OWN_ATTEMPTS} THEN 1 END"
    billed = "billed_usd" if "billed_usd" in present else "NULL"
    return (
        f"CASE WHEN COUNT({own}) > 0 THEN SUM(CASE WHEN {OWN_ATTEMPTS} THEN usd END) END AS own_usd, "
        f"CASE WHEN COUNT({own}) > 0 THEN SUM(CASE WHEN {OWN_ATTEMPTS} THEN {planned} END) END "
        "AS own_planned_usd, "
        f"CASE WHEN COUNT({own}) > 0 THEN SUM(CASE WHEN {OWN_ATTEMPTS} THEN {billed} END) END AS own_billed_usd, "
        f"CASE WHEN COUNT({own}) > 0 THEN SUM(CASE WHEN {OWN_ATTEMPTS} AND charged = 1 THEN 1 ELSE 0 END) END "
        "AS own_requests"
    )


def _schema_9(present: set[str]) -> str:
    """A price's weakness and its audio-metered parts (schema 9; NULL before): the one the job's rows say (its
    attempts share one price), the parts of a charged attempt."""
    if "price_weak" not in present:
        return "NULL AS price_weak, NULL AS price_audio_json"
    return "MAX(price_weak) AS price_weak, MAX(CASE WHEN charged = 1 THEN price_audio_json END) AS price_audio_json"


def _billed_units(conn: Connection, run_id: str, notes: list[str]) -> dict[str, str]:
    """Per job, the units its charged attempts' answers said they billed, summed ({"characters": 42}, as JSON). What a
    row holds that is no bill (not a JSON object, a unit whose amount is none) is read as no bill of that unit, and
    named in `notes`: the job's other figures stand."""
    if BILLED_UNITS not in columns_of(conn, "costs"):
        return {}
    summed: dict[str, dict[str, float]] = {}
    sql = (
        "SELECT job_key, attempt, billed_units_json FROM costs WHERE run_id = ? AND charged = 1 "
        "AND billed_units_json IS NOT NULL"
    )
    for job_key, attempt, text in conn.execute(sql, (run_id,)):
        why = bad_units(text)
        if why is not None:
            notes.append(
                f"run {run_id}: job {job_key}: its costs row of attempt {attempt}: {BILLED_UNITS} {why}: "
                "read as no bill"
            )
        try:
            units = json.loads(str(text))
        except (ValueError, RecursionError):
            continue
        if not isinstance(units, dict):
            continue
        into = summed.setdefault(str(job_key), {})
        for unit, value in units.items():
            amount = _amount(value)
            if amount is not None:
                into[str(unit)] = into.get(str(unit), 0.0) + amount
    return {
        job_key: json.dumps({unit: int(v) if v.is_integer() else v for unit, v in units.items()}, sort_keys=True)
        for job_key, units in summed.items()
        if units
    }


def _amount(value: Any) -> float | None:
    """A billed amount as a number: a JSON number, or a count written as a string ("42", "0.5": `bill_number`'s rule),
    that a store holds (`storable`); None otherwise — never a float made of an unbounded number."""
    if isinstance(value, str):
        parsed, _ = bill_number(value)
        return None if parsed is None or not storable(parsed) else float(parsed)
    if isinstance(value, bool) or not isinstance(value, int | float) or not storable(value):
        return None
    return float(value)


def _requests(
    conn: Connection, run_id: str, setup: AsrSetup | None, left_out: list[str] | None = None
) -> tuple[RequestRow, ...]:
    absent = frozenset(({"s"} if setup is None else set()) | ({"k"} if not has_table(conn, "clips") else set()))
    joins = [f"LEFT JOIN ({_costs_summed(conn)}) c ON c.job_key = j.job_key"]
    if "k" not in absent:
        joins.append("LEFT JOIN clips k ON k.clip_id = j.job_key")
    params: dict[str, Any] = {"run": run_id}
    if setup is not None:
        joins.append(
            f"LEFT JOIN scores s ON s.clip_id = j.job_key AND s.asr_backend = :backend "
            f"AND {setup_model_sql(conn, 's')} = :model AND s.normalizer_version = :normalizer"
        )
        params.update(backend=setup.asr_backend, model=setup.asr_model, normalizer=setup.normalizer_version)
    sql = (
        f"SELECT {_select(REQUEST_COLUMNS, conn, absent)} FROM jobs j {' '.join(joins)} "
        "WHERE j.run_id = :run ORDER BY j.seq"
    )
    left_out = [] if left_out is None else left_out
    billed_units = _billed_units(conn, run_id, left_out)
    bad = _bad_costs(conn, run_id)
    rows: list[RequestRow] = []
    for raw in conn.execute(sql, params):
        row, problems = typed_row(raw, REQUEST_COLUMNS)
        why = bad.get(str(raw["job_key"])) or "; ".join(problems)
        if why:
            left_out.append(_left_out(run_id, raw, "jobs", why))
            continue
        row["billed_units"] = billed_units.get(str(row["job_key"]))
        rows.append(as_record(RequestRow, row))
    return tuple(rows)


def _plain(
    conn: Connection,
    table: str,
    alias: str,
    columns: Sequence[RowColumn],
    record: type[RecordT],
    run_id: str,
    left_out: list[str],
) -> tuple[RecordT, ...]:
    if not has_table(conn, table):
        return ()
    order = SURROGATE_IDS[table]  # in the order they were written
    sql = f"SELECT {_select(columns, conn)} FROM {table} {alias} WHERE {alias}.run_id = ? ORDER BY {alias}.{order}"
    rows: list[RecordT] = []
    for raw in conn.execute(sql, (run_id,)):
        row, problems = typed_row(raw, columns)
        if problems:
            left_out.append(_left_out(run_id, raw, table, f"its {table} row: {'; '.join(problems)}"))
            continue
        rows.append(as_record(record, row))
    return tuple(rows)


def no_such_run(conn: Connection, run_id: str) -> UsageError:
    """The one line for a run id the store does not hold, naming its latest runs: what every command says."""
    known = [r[0] for r in conn.execute("SELECT run_id FROM runs ORDER BY created_at DESC LIMIT 5")]
    return UsageError(f"no run {run_id!r} in the database; latest runs: {', '.join(known) or 'none'}")


LATEST = "latest"  # a run named so on any face is the store's newest run


def run_called(conn: Connection, given: str) -> str:
    """The run id `given` names: itself, or for `latest` the id of the store's newest run (`no_such_run` where it
    holds none). Every face that takes a run id reads it here, so `latest` means the same run on each."""
    if given != LATEST:
        return given
    newest = conn.execute("SELECT run_id FROM runs ORDER BY created_at DESC, run_id DESC LIMIT 1").fetchone()
    if newest is None:
        raise no_such_run(conn, given)
    return str(newest[0])


def require_run(conn: Connection, run_id: str) -> str:
    """The run id `run_id` names (`run_called`); `no_such_run` raised where the store holds no such run."""
    run_id = run_called(conn, run_id)
    if conn.execute("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)).fetchone() is None:
        raise no_such_run(conn, run_id)
    return run_id


def _run_row(conn: Connection, run_id: str, setup: AsrSetup | None, left_out: list[str]) -> StoredRun:
    raw = conn.execute(f"SELECT {_select(RUN_COLUMNS, conn)} FROM runs r WHERE r.run_id = ?", (run_id,)).fetchone()
    if raw is None:
        raise no_such_run(conn, run_id)
    row, problems = typed_row(raw, RUN_COLUMNS)
    left_out += [f"run {run_id}: its runs row: {problem}: read as unknown" for problem in problems]
    if setup is not None:
        stamp = conn.execute(
            "SELECT normalizer_name, asr_settings, harness_version FROM scores WHERE run_id = ? AND asr_backend = ? "
            f"AND {setup_model_sql(conn)} = ? AND normalizer_version = ? ORDER BY scored_at DESC LIMIT 1",
            (run_id, setup.asr_backend, setup.asr_model, setup.normalizer_version),
        ).fetchone()
        row.update(
            asr_backend=setup.asr_backend,
            asr_model=setup.asr_model,
            normalizer_version=setup.normalizer_version,
            normalizer_name=stamp[0],
            asr_settings=stamp[1],
            scoring_harness_version=stamp[2],
        )
    return as_record(StoredRun, row)


def read_rows(conn: Connection, run_id: str, asr_model: str | None = None, source: Path | None = None) -> RunRows:
    """All raw rows of one run (`latest`: the newest), scores from the run's setup (or the one `asr_model` names)."""
    run_id = run_called(conn, run_id)
    setup = pick_setup(conn, run_id, asr_model)
    left_out: list[str] = []
    return RunRows(
        run=_run_row(conn, run_id, setup, left_out),
        requests=_requests(conn, run_id, setup, left_out),
        errors=_plain(conn, "errors", "e", ERROR_COLUMNS, ErrorEntry, run_id, left_out),
        drift=_plain(conn, "drift", "d", DRIFT_COLUMNS, DriftEntry, run_id, left_out),
        source=source,
        spans=read_span_scores(conn, run_id, left_out),
        left_out=tuple(left_out),
    )


def read_run(db: StoreTarget, run_id: str, asr_model: str | None = None) -> RunRows:
    """All raw rows of one run from the results store (a file or a PostgreSQL URL), opened read-only."""
    conn = open_read_only(db)
    try:
        return read_rows(conn, run_id, asr_model, source=db if isinstance(db, Path) else None)
    finally:
        conn.close()


def read_catalogues(conn: Connection, run_id: str) -> tuple[CatalogueRow, ...]:
    """The catalogue listings a run kept (`catalogues`), by provider and endpoint; none in a store older than
    the table."""
    if not has_table(conn, "catalogues"):
        return ()
    rows = conn.execute("SELECT * FROM catalogues WHERE run_id = ? ORDER BY provider, endpoint", (run_id,))
    return tuple(record_of(CatalogueRow, raw) for raw in rows)


def read_latest_catalogues(db: StoreTarget) -> tuple[CatalogueRow, ...]:
    """The catalogue listings of the latest run that kept any (a store's `catalogues`), opened read-only; none where
    no run kept one (or the store is older than the table)."""
    conn = open_read_only(db)
    try:
        if not has_table(conn, "catalogues"):
            return ()
        latest = conn.execute("SELECT run_id FROM catalogues ORDER BY fetched_at DESC LIMIT 1").fetchone()
        return () if latest is None else read_catalogues(conn, str(latest["run_id"]))
    finally:
        conn.close()
