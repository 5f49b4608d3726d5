"""The raw rows of one run: what the report reads, what `export` writes, what a test recomputes from.

Every figure of a report is computed from a `RunRows` and nothing else (see ``leaderboard``), so the
exported files are a complete account: anyone can recompute the leaderboard from them. The rows come
from the runner's and the scorer's tables (``harness.bench.store``, ``harness.scoring.store``):

* ``requests`` — one per job: the ``jobs`` row (timings, outcome, cost) joined with the job's summed
  ``costs`` and, when the clip was scored, its ``scores`` row for the run's scoring setup (one ASR
  backend/model and normalizer version; the one that scored most clips unless asked for another);
* ``errors`` and ``drift`` — as stored, for errors by class and contract / documentation drift;
* ``run`` — the run's metadata: versions, git revision, corpora, target, and the scoring setup used.

Two columns are derived here because the scorer stores rates, not counts, for characters:
``ref_chars`` (characters of the normalized reference, as jiwer counts them) and ``char_errors``
(``round(cer * ref_chars)``), so pooled CER is a sum of counts like pooled WER.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from harness.core.errors import UsageError


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    REAL = "real"


Value = str | int | float | None
Row = dict[str, Value]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: Kind
    table: str  # alias of the table it comes from ("" for derived columns)
    expression: str = ""  # SQL when it is not simply `table.name`
    absent: str = "NULL"  # its value when its table does not exist yet (nothing scored)

    @property
    def source(self) -> str:
        return self.expression or (f"{self.table}.{self.name}" if self.table else "NULL")


def _columns(kind: Kind, table: str, names: str) -> tuple[Column, ...]:
    return tuple(Column(name, kind, table) for name in names.split())


T, N, R = Kind.TEXT, Kind.INTEGER, Kind.REAL  # short names keep the column lists readable

REQUEST_COLUMNS: tuple[Column, ...] = (
    *_columns(T, "j", "run_id job_key"),
    *_columns(N, "j", "seq"),
    *_columns(T, "j", "provider model endpoint provider_model_id corpus corpus_version item_id language text"),
    *_columns(N, "j", "chars repeat"),
    *_columns(T, "j", "state outcome error_class error_message final_status delivery"),
    *_columns(N, "j", "attempts resumed polls poll_errors"),
    *_columns(T, "j", "http_version"),
    *_columns(N, "j", "connection_reused"),
    *_columns(
        R,
        "j",
        "connect_ms submit_ms queue_ms processing_ms e2e_client_ms e2e_ms e2e_bracket_ms e2e_server_ms "
        "download_ms ttfa_ms total_ms",
    ),
    # Schema 2 (harness.bench.migrations): NULL when read from an older database.
    *_columns(R, "j", "e2e_lo_ms e2e_hi_ms perceived_ttfa_ms max_chunk_gap_ms real_time_factor"),
    *_columns(N, "j", "underruns"),
    *_columns(R, "j", "underrun_ms audio_ms"),
    # Schema 3: every latency figure's interval, and the ids to join with the provider's own logs.
    *_columns(R, "j", " ".join(f"{figure}_{end}_ms" for figure in (
        "queue", "processing", "e2e_server", "ttfa", "perceived_ttfa") for end in ("lo", "hi"))),
    *_columns(T, "j", "stamp_convention provider_job_id provider_request_id"),
    *_columns(T, "j", "started_at finished_at harness_version git_revision params_sha256"),
    *_columns(R, "j", "cost_usd"),
    Column("cost_amount", R, "c", "c.amount"),
    Column("cost_unit", T, "c", "c.unit"),
    Column("charged_attempts", N, "c", "c.charged"),
    *_columns(T, "j", "audio_path audio_sha256"),
    *_columns(N, "j", "audio_bytes"),
    *_columns(T, "j", "declared_media_type sniffed_media_type"),
    Column("reference_audio_path", T, "k"),
    Column("scored", N, "s", "CASE WHEN s.clip_id IS NULL THEN 0 ELSE 1 END", absent="0"),
    *_columns(T, "s", "asr_backend asr_model normalizer_name normalizer_version unit transcript"),
    *_columns(T, "s", "normalized_reference normalized_transcript"),
    *_columns(R, "s", "wer cer"),
    *_columns(N, "s", "hits substitutions deletions insertions ref_length ref_words hyp_length"),
    Column("ref_chars", N, ""),  # derived in Python, see the module docstring
    Column("char_errors", N, ""),
    Column("flags", T, "s", "s.flags_json", absent="'[]'"),
    Column("findings", T, "s", "s.findings_json", absent="'[]'"),
    *_columns(R, "s", "similarity"),
    *_columns(T, "s", "similarity_model media_type"),
    *_columns(N, "s", "sample_rate channels"),
    *_columns(R, "s", "duration_s speech_s leading_silence_s trailing_silence_s clipping_ratio loudness_lufs"),
    *_columns(R, "s", "dnsmos_overall dnsmos_signal dnsmos_background dnsmos_p808"),
    Column("score_error", T, "s", "s.error"),
)

ERROR_COLUMNS: tuple[Column, ...] = (
    *_columns(T, "e", "run_id job_key"),
    *_columns(N, "e", "attempt"),
    *_columns(T, "e", "provider model corpus item_id phase error_class"),
    *_columns(N, "e", "http_status fatal"),
    *_columns(T, "e", "message detail_json"),
    *_columns(R, "e", "t_ms"),
    *_columns(T, "e", "recorded_at"),
)

DRIFT_COLUMNS: tuple[Column, ...] = (
    *_columns(T, "d", "run_id job_key provider model corpus item_id endpoint phase pointer note kind recorded_at"),
)

RUN_COLUMNS: tuple[Column, ...] = (
    *_columns(T, "r", "run_id created_at finished_at status harness_version git_revision target target_url"),
    *_columns(T, "r", "sandbox_profile"),
    *_columns(N, "r", "sandbox_seed"),
    *_columns(T, "r", "corpora_json config_json polling"),
    *_columns(N, "r", "repeats concurrency planned_jobs"),
    *_columns(R, "r", "budget_usd planned_cost_usd"),
    *_columns(T, "r", "machine_json"),
    # The scoring setup the requests' score columns come from (NULL when nothing was scored).
    Column("asr_backend", T, ""),
    Column("asr_model", T, ""),
    Column("normalizer_name", T, ""),
    Column("normalizer_version", T, ""),
    Column("asr_settings", T, ""),
    Column("scoring_harness_version", T, ""),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "run": RUN_COLUMNS,
    "requests": REQUEST_COLUMNS,
    "errors": ERROR_COLUMNS,
    "drift": DRIFT_COLUMNS,
}


@dataclass(frozen=True, slots=True)
class ScoringSetup:
    asr_backend: str
    asr_model: str
    normalizer_version: str


@dataclass(frozen=True, slots=True)
class RunRows:
    """One run's raw rows; ``source`` is the database or export folder they came from."""

    run: Row
    requests: tuple[Row, ...]
    errors: tuple[Row, ...] = ()
    drift: tuple[Row, ...] = ()
    source: Path | None = field(default=None, compare=False)

    @property
    def run_id(self) -> str:
        return str(self.run["run_id"])

    def table(self, name: str) -> tuple[Row, ...]:
        if name == "run":
            return (self.run,)
        rows: tuple[Row, ...] = getattr(self, name)
        return rows


def coerce(value: Any, kind: Kind) -> Value:
    """A value read from any export format, as the column's type (empty CSV cells are NULL)."""
    if value is None or value == "":
        return None
    if kind is Kind.INTEGER:
        return int(float(value)) if isinstance(value, str) else int(value)
    if kind is Kind.REAL:
        return float(value)
    return str(value)


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    return found is not None


def scoring_setups(conn: sqlite3.Connection, run_id: str) -> list[tuple[ScoringSetup, int]]:
    """The run's scoring setups with how many clips each scored, most first."""
    if not _has_table(conn, "scores"):
        return []
    rows = conn.execute(
        "SELECT asr_backend, asr_model, normalizer_version, COUNT(*) AS n, MAX(scored_at) AS latest "
        "FROM scores WHERE run_id = ? GROUP BY 1, 2, 3 ORDER BY n DESC, latest DESC",
        (run_id,),
    ).fetchall()
    return [(ScoringSetup(r[0], r[1], r[2]), int(r[3])) for r in rows]


def _select(columns: Sequence[Column], absent: frozenset[str] = frozenset(),
            missing: frozenset[str] = frozenset()) -> str:
    """SELECT list; columns whose table alias is absent (a table not created yet) read as NULL, and so do
    `missing` job columns (a database written before they were added)."""
    return ", ".join(f"{c.absent if c.table in absent or (c.table == 'j' and c.name in missing) else c.source} "
                     f"AS {c.name}" for c in columns)


def _typed(row: Mapping[str, Any], columns: Sequence[Column]) -> Row:
    return {c.name: coerce(row[c.name], c.kind) for c in columns}


def _derive_chars(row: Row) -> None:
    if not row["scored"] or row["cer"] is None:
        return
    if row["unit"] == "char":
        row["ref_chars"] = row["ref_length"]
        row["char_errors"] = int(row["substitutions"] or 0) + int(row["deletions"] or 0) + int(row["insertions"] or 0)
        return
    reference = str(row["normalized_reference"] or "").strip()
    row["ref_chars"] = len(reference)
    row["char_errors"] = round(float(row["cer"]) * len(reference))


def _requests(conn: sqlite3.Connection, run_id: str, setup: ScoringSetup | None) -> tuple[Row, ...]:
    absent = frozenset(({"s"} if setup is None else set()) | ({"k"} if not _has_table(conn, "clips") else set()))
    joins = ["LEFT JOIN (SELECT job_key, SUM(amount) AS amount, MAX(unit) AS unit, SUM(charged) AS charged "
             "FROM costs WHERE run_id = :run GROUP BY job_key) c ON c.job_key = j.job_key"]
    if "k" not in absent:
        joins.append("LEFT JOIN clips k ON k.clip_id = j.job_key")
    if setup is not None:
        joins.append("LEFT JOIN scores s ON s.clip_id = j.job_key AND s.asr_backend = :backend "
                     "AND s.asr_model = :model AND s.normalizer_version = :normalizer")
    present = {info[1] for info in conn.execute("PRAGMA table_info(jobs)")}
    select = _select(REQUEST_COLUMNS, absent, frozenset(c.name for c in REQUEST_COLUMNS if c.table == "j") - present)
    sql = f"SELECT {select} FROM jobs j {' '.join(joins)} WHERE j.run_id = :run ORDER BY j.seq"
    params: dict[str, Any] = {"run": run_id}
    if setup is not None:
        params.update(backend=setup.asr_backend, model=setup.asr_model, normalizer=setup.normalizer_version)
    rows = []
    for raw in conn.execute(sql, params):
        row = _typed(raw, REQUEST_COLUMNS)
        _derive_chars(row)
        rows.append(row)
    return tuple(rows)


def _plain(conn: sqlite3.Connection, table: str, alias: str, columns: Sequence[Column], run_id: str) -> tuple[Row, ...]:
    if not _has_table(conn, table):
        return ()
    sql = f"SELECT {_select(columns)} FROM {table} {alias} WHERE {alias}.run_id = ? ORDER BY rowid"
    return tuple(_typed(raw, columns) for raw in conn.execute(sql, (run_id,)))


def _run_row(conn: sqlite3.Connection, run_id: str, setup: ScoringSetup | None) -> Row:
    raw = conn.execute(f"SELECT {_select(RUN_COLUMNS)} FROM runs r WHERE r.run_id = ?", (run_id,)).fetchone()
    if raw is None:
        known = [r[0] for r in conn.execute("SELECT run_id FROM runs ORDER BY created_at DESC LIMIT 5")]
        raise UsageError(f"no run {run_id!r} in the database; latest runs: {', '.join(known) or 'none'}")
    row = _typed(raw, RUN_COLUMNS)
    if setup is not None:
        stamp = conn.execute(
            "SELECT normalizer_name, asr_settings, harness_version FROM scores WHERE run_id = ? AND asr_backend = ? "
            "AND asr_model = ? AND normalizer_version = ? ORDER BY scored_at DESC LIMIT 1",
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
    return row


def open_database(path: Path) -> sqlite3.Connection:
    """Read-only: a report never changes the results it reports."""
    if not path.exists():
        raise UsageError(f"no results database at {path}; run `tts-harness bench run` first or pass --db")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def _pick_setup(conn: sqlite3.Connection, run_id: str, asr_model: str | None) -> ScoringSetup | None:
    setups = scoring_setups(conn, run_id)
    if asr_model is None:
        return setups[0][0] if setups else None
    for setup, _count in setups:
        if asr_model in (setup.asr_model, f"{setup.asr_backend}/{setup.asr_model}"):
            return setup
    known = ", ".join(f"{s.asr_backend}/{s.asr_model}" for s, _ in setups) or "none"
    raise UsageError(f"run {run_id} has no scores from ASR model {asr_model!r}; it has: {known}")


def read_run(db: Path, run_id: str, asr_model: str | None = None) -> RunRows:
    """All raw rows of one run from the results database."""
    conn = open_database(db)
    try:
        setup = _pick_setup(conn, run_id, asr_model)
        return RunRows(
            run=_run_row(conn, run_id, setup),
            requests=_requests(conn, run_id, setup),
            errors=_plain(conn, "errors", "e", ERROR_COLUMNS, run_id),
            drift=_plain(conn, "drift", "d", DRIFT_COLUMNS, run_id),
            source=db,
        )
    finally:
        conn.close()


def json_list(value: Value) -> list[Any]:
    """A JSON-array column (flags, findings) as a list; NULL is empty."""
    if value is None or value == "":
        return []
    loaded = json.loads(str(value))
    return loaded if isinstance(loaded, list) else []


def json_object(value: Value) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    loaded = json.loads(str(value))
    return loaded if isinstance(loaded, dict) else {}
