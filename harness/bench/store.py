"""The benchmark's raw rows in SQLite (`reports/runs.db` by default): the single place results live.

The runner writes here, the background scorer reads `clips` and writes its own tables, the report reads
everything. A row is committed before the job's next request goes out (`submitting` before the submit,
`submitted` with the provider's job id before any waiting), so a run killed with SIGKILL resumes from
the database without sending a job twice or paying twice.

Conventions for every table
- Times on the client are REAL milliseconds from a monotonic clock (`time.perf_counter`), relative to
  the job's own start (`jobs.started_at`, the instant before its first request is built); `*_at`
  columns are wall-clock ISO 8601 UTC with milliseconds (`2026-11-22T08:15:00.123Z`).
- Server timestamps are stored as the provider sent them (`server_*_at`) and as derived REAL ms.
- Money: `usd` REAL dollars; `amount` REAL in the price's own `unit` (`USD` or `characters`).
- Context columns carried by rows that stand alone (jobs, costs, errors, drift): `harness_version`
  (`harness._version.__version__`), `git_revision` (`git rev-parse HEAD`, or "unknown"), `provider`,
  `model` (the offering name), `params_json`/`params_sha256` (the request as sent), `corpus`, `item_id`.
  High-volume measurement rows (marks, polls) carry `run_id, job_key, provider, model, item_id`; join
  `jobs` on `job_key` for the rest.

Tables

meta(key, value)
    `schema_version` (this module's SCHEMA_VERSION).

runs — one per `bench run`
    run_id             "20261122T081500Z-3f2a1c": UTC start time plus random suffix.
    created_at, updated_at, finished_at   wall clock; finished_at NULL while running or after a crash.
    status             running | finished | stopped_budget | interrupted (Ctrl-C) | failed (harness error).
    harness_version, git_revision
    target             sandbox | live | url.
    target_url         base URL for target=url; the sandbox's base URL (informational) for sandbox.
    sandbox_profile, sandbox_seed   the sandbox's chaos profile and RNG seed (NULL unless target=sandbox).
    corpora_json       {"en_read": "1", ...}: every corpus used and its version.
    config_json        the resolved configuration (CLI > config file > defaults), secrets never included.
    providers_json, models_json   JSON arrays: the selection as given (empty array = all).
    repeats, concurrency
    polling            adaptive | fixed:<seconds> | webhook.
    budget_usd         NULL when no budget was set.
    planned_jobs       jobs in the plan.
    planned_cost_usd   sum of the plan's worst-case prices in USD (priced jobs only).
    planned_unpriced   jobs whose price is unknown in USD (no documented price or no USD rate).
    machine_json       {"platform", "python", "cpu_count", "hostname_hash"}.
    resumes            how many times `--resume` picked this run up.

jobs — one per planned job (provider × model × corpus item × repeat), inserted when the run is planned
    job_key            24 hex chars: sha256 of (run_id, provider, model, corpus, item_id, repeat); stable
                       across resumes, the idempotency key.
    run_id, seq        seq: position in the plan (items interleaved across models: same texts, same time).
    harness_version, git_revision, provider, model
    endpoint           the endpoint key that serves the model ("xtts-v2.generate").
    provider_model_id  the provider's own model id when documented ("xtts-v2-api").
    params_json        the request payload as sent (uploads as {"filename", "sha256", "bytes"}).
    params_sha256      sha256 of params_json.
    corpus, corpus_version, item_id, language, text, chars (len(text)), repeat (0-based)
    state              planned → submitting → submitted → done | failed; or skipped (never sent).
                       `submitting` is committed before the submit goes out; a job found in it on resume
                       was in flight at the crash (see costs.basis = in-flight-at-crash).
    attempts           submit requests that reached the wire (retries after 429 included).
    provider_job_id    the job id from the submit answer; status_url: the polling URL when given.
    delivery           poll | webhook | sync (audio in the answer) | stream (SSE).
    final_status       the provider's terminal state ("COMPLETED", "ERROR"), or the HTTP status for sync
                       endpoints.
    outcome            ok | error | skipped.
    error_class        NULL when ok; else an ErrorClass value: auth, balance, rate_limit, validation,
                       server, transport, protocol, timeout, contract, budget.
    error_message      redacted, first 500 chars.
    started_at, finished_at   wall clock.
    start_offset_ms    monotonic ms from the run's (process's) start to the job's start.
    resumed            1 when the job was picked up after a crash by --resume: its client latencies span
                       the crash and must be excluded from latency statistics.
    http_version       "HTTP/1.1", "HTTP/2" of the submit answer.
    connection_reused  1 when the submit went over a kept-alive connection; 0 when one was opened.
    connect_ms         connection set-up (TCP + TLS) paid by the submit; excluded from every latency.
    polls              status requests sent; poll_errors: those that failed (retried).
    Derived latencies, ms. Each estimated figure <f> comes with the interval [<f>_lo_ms, <f>_hi_ms] that
    holds the truth (schema 3; see docs/latency.md) and <f>_ms inside it; NULL when nothing bounds it.
    submit_ms          response_headers − request_sent of the submit (set-up excluded; observed).
    queue_ms           created → leaving the queue: after the last poll that saw the job queued was sent,
                       before the first that saw it further on was answered, narrowed by a started stamp;
                       queue_lo_ms, queue_hi_ms its interval.
    processing_ms      leaving the queue → completion; processing_lo_ms, processing_hi_ms.
    e2e_client_ms      terminal seen − request_sent: what a polling client experiences (quantised by
                       the polling schedule).
    e2e_ms             the runner's estimate of request_sent → completion: the middle of the window in
                       which the job must have finished, narrowed by every view it has: the polls (after
                       the last poll that saw it pending, before the one that saw it done), a webhook's
                       arrival, and the server timestamps (completed − created placed by the submit
                       exchange, completed placed by the learned clock offset), each widened by what the
                       run has learned the stamps are worth. For sync/stream deliveries it equals
                       e2e_client_ms.
    e2e_lo_ms, e2e_hi_ms   the window itself (schema 2): the true latency lies inside it; e2e_ms is its
                       middle, or for a webhook the callback's arrival (e2e_hi_ms).
    e2e_bracket_ms     width of that window (e2e_hi_ms − e2e_lo_ms).
    e2e_source         which views made the window: poll-bracket | webhook, each optionally
                       "+server-span", "+server-clock"; direct (sync/stream answers).
    e2e_server_ms      completed − created as the server's clock runs: both stamps placed with the learned
                       zone and widened by their resolution and convention, narrowed by our own view;
                       e2e_server_lo_ms, e2e_server_hi_ms. NULL when the stamps contradict the polls.
    server_queue_ms, server_processing_ms   no longer written (schema 1 point estimates; queue_ms and
                       processing_ms use a started stamp when the provider gives one).
    stamp_convention   truncate | round: how the provider's coarse stamps print an instant, once the run
                       has learned it (or it was declared); NULL while every interval covers both.
    provider_request_id   what the provider's logs and invoices know the request by: the job id, or a
                       sync/stream answer's x-request-id header.
    download_ms        media_last_byte − media_request_sent.
    ttfa_ms            streaming: first decodable audio − request_sent (not the first buffer); observed
                       when the read that completed it returned: ttfa_hi_ms; ttfa_lo_ms is the read before.
    perceived_ttfa_ms  streaming (schema 2): ttfa_ms plus the leading silence inside the stream (to the
                       sample, harness.core.onset), when a listener first hears speech;
                       perceived_ttfa_lo_ms, perceived_ttfa_hi_ms.
    max_chunk_gap_ms   streaming: longest wait between two audio chunks.
    real_time_factor   streaming: total time / seconds of audio (< 1: faster than real time).
    underruns, underrun_ms   streaming: times (and total ms) a listener playing from the first chunk
                       would run out of audio.
    audio_ms           streaming: seconds of audio received, in ms.
    total_ms           job start → finished (everything, connection set-up included).
    server_created_at, server_started_at, server_completed_at   as sent by the provider.
    audio_path         content-addressed file `audio/<sha256[:2]>/<sha256>.<ext>`, relative to the folder of
                       the database (absolute if elsewhere); NULL if none.
    audio_sha256, audio_bytes, declared_media_type (from the status body or Content-Type),
    sniffed_media_type (from the bytes).
    cost_usd           sum of this job's costs rows in USD (NULL when any row is unpriced).

marks — raw timing marks, one row per (job, mark)
    run_id, job_key, provider, model, item_id
    name               request_sent, response_headers, accepted, first_processing, last_pending,
                       terminal, webhook_received, media_request_sent, media_first_byte,
                       media_last_byte, first_audio.
    t_ms               monotonic ms since the job's start; wall_at: wall clock.

polls — every status request, in order
    run_id, job_key, provider, model, item_id, seq (0-based)
    planned_delay_ms   the delay the scheduler chose before this poll.
    reason             explore | predicted | dense | tail | fixed | backoff | webhook-fallback | resume.
    sent_ms, received_ms   monotonic ms since the job's start (received NULL on transport failure).
    http_status, provider_status (the state the body reported), error_class (NULL when fine).
    connection_reused  1/0.

costs — one row per submit attempt that could be charged, and one per job that never reached the wire;
        failed jobs keep their row, so sums are exact totals, not lower bounds
    cost_id, run_id, job_key, attempt (1-based; 0 for jobs never sent)
    harness_version, git_revision, provider, model, params_sha256, corpus, item_id
    amount, unit       the documented price of the request in its own unit (0 when not charged; NULL
                       when the provider documents no price).
    usd                amount in USD (NULL when unpriced or no USD rate is known).
    charged            1 when the provider charges this attempt per its documents.
    basis              documented-price | uncharged-state:<STATE> | rejected:<http status> |
                       not-sent:<reason> | in-flight-at-crash | no-documented-price.
    worst_case_usd     what the budget reserved for it before sending.
    recorded_at

errors — every classified failure, fatal or retried
    error_id, run_id, job_key, attempt, harness_version, git_revision, provider, model, corpus, item_id
    phase              plan | submit | poll | webhook | download | stream | validate.
    error_class        as jobs.error_class.
    http_status, fatal (1 when it ended the job), message (redacted), detail_json (violations as
    [{"pointer", "expected", "got", "rule"}] for contract errors), t_ms, recorded_at.

drift — documentation drift seen in answers (unknown fields, alternate forms); never a failure
    drift_id, run_id, job_key, harness_version, git_revision, provider, model, corpus, item_id,
    endpoint, phase, pointer, note, kind, recorded_at.

leases — one writer per run (harness.bench.lease)
    run_id, holder (a random token of the writing process), pid, host, acquired_at, heartbeat_at (unix
    seconds, renewed while the run goes on; a lease whose heartbeat is older than its time-to-live is stale
    and may be taken over).

clips — one per job that produced audio; the scorer's input (DDL fixed with the scoring package)
    clip_id (= job_key), run_id, provider, model, corpus, item_id, language, text,
    alternatives_json (accepted alternative readings of the text), reference_audio_path (the cloning
    reference, when used), audio_path, audio_sha256, declared_media_type, declared_sample_rate.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from harness.bench.migrations import LATEST, migrate
from harness.core.redact import Redactor

SCHEMA_VERSION = LATEST  # see harness.bench.migrations

DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    harness_version TEXT NOT NULL,
    git_revision TEXT NOT NULL,
    target TEXT NOT NULL,
    target_url TEXT,
    sandbox_profile TEXT,
    sandbox_seed INTEGER,
    corpora_json TEXT NOT NULL,
    config_json TEXT NOT NULL,
    providers_json TEXT NOT NULL,
    models_json TEXT NOT NULL,
    repeats INTEGER NOT NULL,
    concurrency INTEGER NOT NULL,
    polling TEXT NOT NULL,
    budget_usd REAL,
    planned_jobs INTEGER NOT NULL,
    planned_cost_usd REAL,
    planned_unpriced INTEGER NOT NULL DEFAULT 0,
    machine_json TEXT NOT NULL,
    resumes INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS jobs (
    job_key TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    seq INTEGER NOT NULL,
    harness_version TEXT NOT NULL,
    git_revision TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    provider_model_id TEXT,
    params_json TEXT NOT NULL,
    params_sha256 TEXT NOT NULL,
    corpus TEXT NOT NULL,
    corpus_version TEXT NOT NULL,
    item_id TEXT NOT NULL,
    language TEXT,
    text TEXT NOT NULL,
    chars INTEGER NOT NULL,
    repeat INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'planned',
    attempts INTEGER NOT NULL DEFAULT 0,
    provider_job_id TEXT,
    status_url TEXT,
    delivery TEXT,
    final_status TEXT,
    outcome TEXT,
    error_class TEXT,
    error_message TEXT,
    started_at TEXT,
    finished_at TEXT,
    start_offset_ms REAL,
    resumed INTEGER NOT NULL DEFAULT 0,
    http_version TEXT,
    connection_reused INTEGER,
    connect_ms REAL,
    polls INTEGER NOT NULL DEFAULT 0,
    poll_errors INTEGER NOT NULL DEFAULT 0,
    submit_ms REAL,
    queue_ms REAL,
    processing_ms REAL,
    e2e_client_ms REAL,
    e2e_ms REAL,
    e2e_bracket_ms REAL,
    e2e_source TEXT,
    e2e_server_ms REAL,
    server_queue_ms REAL,
    server_processing_ms REAL,
    download_ms REAL,
    ttfa_ms REAL,
    total_ms REAL,
    server_created_at TEXT,
    server_started_at TEXT,
    server_completed_at TEXT,
    audio_path TEXT,
    audio_sha256 TEXT,
    audio_bytes INTEGER,
    declared_media_type TEXT,
    sniffed_media_type TEXT,
    cost_usd REAL
);
CREATE INDEX IF NOT EXISTS jobs_run ON jobs(run_id, seq);

CREATE TABLE IF NOT EXISTS marks (
    run_id TEXT NOT NULL,
    job_key TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    item_id TEXT NOT NULL,
    name TEXT NOT NULL,
    t_ms REAL NOT NULL,
    wall_at TEXT NOT NULL,
    PRIMARY KEY (job_key, name)
);

CREATE TABLE IF NOT EXISTS polls (
    run_id TEXT NOT NULL,
    job_key TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    item_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    planned_delay_ms REAL,
    reason TEXT NOT NULL,
    sent_ms REAL NOT NULL,
    received_ms REAL,
    http_status INTEGER,
    provider_status TEXT,
    error_class TEXT,
    connection_reused INTEGER,
    PRIMARY KEY (job_key, seq)
);

CREATE TABLE IF NOT EXISTS costs (
    cost_id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    job_key TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    harness_version TEXT NOT NULL,
    git_revision TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    params_sha256 TEXT NOT NULL,
    corpus TEXT NOT NULL,
    item_id TEXT NOT NULL,
    amount REAL,
    unit TEXT NOT NULL,
    usd REAL,
    charged INTEGER NOT NULL,
    basis TEXT NOT NULL,
    worst_case_usd REAL,
    recorded_at TEXT NOT NULL,
    UNIQUE (job_key, attempt)
);
CREATE INDEX IF NOT EXISTS costs_run ON costs(run_id);

CREATE TABLE IF NOT EXISTS errors (
    error_id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    job_key TEXT,
    attempt INTEGER,
    harness_version TEXT NOT NULL,
    git_revision TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    corpus TEXT,
    item_id TEXT,
    phase TEXT NOT NULL,
    error_class TEXT NOT NULL,
    http_status INTEGER,
    fatal INTEGER NOT NULL,
    message TEXT NOT NULL,
    detail_json TEXT,
    t_ms REAL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS errors_run ON errors(run_id);

CREATE TABLE IF NOT EXISTS drift (
    drift_id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    job_key TEXT,
    harness_version TEXT NOT NULL,
    git_revision TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    corpus TEXT,
    item_id TEXT,
    endpoint TEXT NOT NULL,
    phase TEXT NOT NULL,
    pointer TEXT NOT NULL,
    note TEXT NOT NULL,
    kind TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS drift_run ON drift(run_id);

CREATE TABLE IF NOT EXISTS clips (
    clip_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    corpus TEXT,
    item_id TEXT,
    language TEXT,
    text TEXT NOT NULL,
    alternatives_json TEXT,
    reference_audio_path TEXT,
    audio_path TEXT NOT NULL,
    audio_sha256 TEXT NOT NULL,
    declared_media_type TEXT,
    declared_sample_rate INTEGER
);
CREATE INDEX IF NOT EXISTS clips_run ON clips(run_id);

CREATE TABLE IF NOT EXISTS leases (
    run_id TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    heartbeat_at REAL NOT NULL
);
"""

Row = Mapping[str, Any]


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection set up for one writer plus concurrent readers (the scorer, the report)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30.0, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL: a commit survives a process kill (the WAL is written before commit returns); only
    # an OS crash could lose the last commits, which a benchmark run tolerates.
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def create_schema(conn: sqlite3.Connection) -> None:
    # Version 1, plus tables added since (IF NOT EXISTS: an old database gains them too, e.g. leases); later
    # columns come by migration, for old and new databases alike.
    conn.executescript(DDL)
    conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '1')")
    migrate(conn)


def _insert_sql(table: str, columns: Sequence[str], verb: str = "INSERT") -> str:
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    return f"{verb} INTO {table} ({names}) VALUES ({marks})"


TEXT_LIMITS = {"error_message": 500, "message": 500}  # characters, after redaction


class Store:
    """Writes and reads the benchmark tables. Every public write is one transaction.

    Used from one thread (the runner's event loop); sqlite's own locking serialises it with the
    scorer's connection.
    """

    def __init__(self, path: Path | str, redactor: Redactor | None = None) -> None:
        self.path = Path(path)
        self.conn = connect(path)
        # Every value written passes through it (keys a server echoed, in any form), then is cut to its
        # column's limit: redacting after a cut could leave part of a key behind.
        self.redactor = redactor or Redactor()
        create_schema(self.conn)

    def _clean(self, row: Row) -> tuple[Any, ...]:
        return tuple(self._clean_value(name, value) for name, value in row.items())

    def _clean_value(self, column: str, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        limit = TEXT_LIMITS.get(column)
        return self.redactor.cut(value, limit) if limit else self.redactor.text(value)

    def close(self) -> None:
        self.conn.close()

    # --- generic -----------------------------------------------------------------------------------

    def insert(self, table: str, rows: Iterable[Row], verb: str = "INSERT") -> None:
        """Insert rows (dicts with the same keys) into one table, in one transaction."""
        batch = list(rows)
        if not batch:
            return
        columns = list(batch[0])
        with self.transaction():
            self.conn.executemany(_insert_sql(table, columns, verb),
                                  [self._clean({c: r[c] for c in columns}) for r in batch])

    def transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    def write(self, writes: Sequence[tuple[str, Sequence[Row]]], job_update: tuple[str, Row] | None = None) -> None:
        """Several tables' rows plus one job update, committed together (a job's result is atomic)."""
        with self.transaction():
            for table, rows in writes:
                if rows:
                    columns = list(rows[0])
                    verb = "INSERT OR REPLACE" if table in ("marks", "polls", "clips") else "INSERT"
                    self.conn.executemany(
                        _insert_sql(table, columns, verb), [self._clean({c: r[c] for c in columns}) for r in rows]
                    )
            if job_update is not None:
                self._update_job(*job_update)

    def update_job(self, job_key: str, values: Row) -> None:
        with self.transaction():
            self._update_job(job_key, values)

    def _update_job(self, job_key: str, values: Row) -> None:
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.conn.execute(f"UPDATE jobs SET {assignments} WHERE job_key = ?", (*self._clean(values), job_key))

    def update_run(self, run_id: str, values: Row) -> None:
        assignments = ", ".join(f"{name} = ?" for name in values)
        with self.transaction():
            self.conn.execute(f"UPDATE runs SET {assignments} WHERE run_id = ?", (*self._clean(values), run_id))

    # --- reads -------------------------------------------------------------------------------------

    def run(self, run_id: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute("SELECT * FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        return row

    def jobs(self, run_id: str, states: Sequence[str] | None = None) -> list[sqlite3.Row]:
        if states:
            marks = ", ".join("?" for _ in states)
            query = f"SELECT * FROM jobs WHERE run_id = ? AND state IN ({marks}) ORDER BY seq"
            return list(self.conn.execute(query, (run_id, *states)))
        return list(self.conn.execute("SELECT * FROM jobs WHERE run_id = ? ORDER BY seq", (run_id,)))

    def spent_usd(self, run_id: str) -> float:
        """Dollars charged (or possibly charged) so far: what the budget has used up."""
        row = self.conn.execute(
            "SELECT COALESCE(SUM(usd), 0) FROM costs WHERE run_id = ? AND charged = 1", (run_id,)
        ).fetchone()
        return float(row[0])

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return list(self.conn.execute(sql, params))


class _Transaction:
    """`BEGIN IMMEDIATE … COMMIT`, or ROLLBACK on error (the connection runs in autocommit mode)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type is not None else "COMMIT")
