"""The records a run's readers hand out (`harness.results.reading`, an export read back by `harness.report.export`):
one frozen, keyword-only record per row of `RunRows`, so every reader reads `request.ttfa_ms` and the type checker
knows its type. The records are made from the table records (`harness.results.tables`), never typed twice: a job as
the readers see it (`RequestRow`) is its `jobs` row — every column but the few no reader reads
(`UNREAD_JOB_COLUMNS`) — and the columns joined to it (`JoinedColumns`: its costs summed, its clip's reference voice,
its score for the run's scoring setup); an `errors` or `drift` row is its table's row without the store's own id and
versions. The readers' column lists (`harness.results.rows`: `REQUEST_COLUMNS`, `ERROR_COLUMNS`, `DRIFT_COLUMNS`)
come from these records, so a column a reader reads is its field in its table's record and its migration. A column
the store may hold NULL in (a nullable column, one a later schema version added, one of a joined table) admits None.
"""

from __future__ import annotations

import typing
from dataclasses import MISSING, dataclass, field, fields, make_dataclass
from typing import TYPE_CHECKING, Any

from harness.results.tables import TABLE_BY_NAME, DriftRow, ErrorRow, JobRow

_JOINED = "joined"

# Columns of `jobs` no reader reads (the runner's own bookkeeping, the raw stamps a figure was derived from): left out
# of the readers' record and of an export, as they always were. Every other column of `jobs` is read.
UNREAD_JOB_COLUMNS = frozenset(
    {
        "params_json",
        "status_url",
        "start_offset_ms",
        "e2e_source",
        "server_queue_ms",
        "server_processing_ms",
        "server_created_at",
        "server_started_at",
        "server_completed_at",
        "clock_origin_s",
        "start_observable",
        "declared_convention",
    }
)
# Columns of `errors` and `drift` an export never carried: the store's own id and the versions that wrote the row.
UNREAD_ENTRY_COLUMNS = frozenset({"error_id", "drift_id", "harness_version", "git_revision"})


@dataclass(frozen=True, slots=True)
class Joined:
    """Where a joined column of the readers' query comes from: the alias of its table (`c` the job's costs summed,
    `k` its clip, `s` its score; "" filled after the query), the SQL when it is not `alias.name`, and its value when
    its table does not exist yet (nothing scored)."""

    table: str
    expression: str = ""
    absent: str = "NULL"


def joined(table: str, expression: str = "", *, absent: str = "NULL") -> Any:
    """A field of a column joined to a job's row (NULL where the join finds nothing)."""
    return field(default=None, metadata={_JOINED: Joined(table, expression, absent)})


def joined_from(item: Any) -> Joined | None:
    """Where a field of a reader's record is joined from; None for a column of the record's own table."""
    found = item.metadata.get(_JOINED)
    return found if isinstance(found, Joined) else None


@dataclass(frozen=True, kw_only=True)  # no slots: the type checker's `RequestRow` has it and `JobRow` as bases
class JoinedColumns:
    """The columns the readers join to a job's `jobs` row (`harness.results.reading`)."""

    # Its costs rows summed (schema 8, issue 51: as planned and as billed, and where the price was read; schema 9,
    # issue 61: why the price's source is weak, the plan's audio-metered parts). cost_source (a column of `jobs`)
    # says which of the two cost_usd is.
    cost_amount: float | None = joined("c", "c.amount")
    cost_unit: str | None = joined("c", "c.unit")
    charged_attempts: int | None = joined("c", "c.charged")
    planned_usd: float | None = joined("c", "c.planned_usd")
    billed_usd: float | None = joined("c", "c.billed_usd")
    billed_units: str | None = joined("")  # {"characters": 42}: what the answers said they billed, summed
    no_public_price: int | None = joined("c", "c.no_public_price")
    price_plan: str | None = joined("c", "c.price_plan")
    price_source: str | None = joined("c", "c.price_source")
    price_read: str | None = joined("c", "c.price_read")
    price_stale: int | None = joined("c", "c.price_stale")
    price_weak: str | None = joined("c", "c.price_weak")
    price_audio: str | None = joined("c", "c.price_audio_json")
    # Issue 79: the harness's own requests among the job's costs rows (attempt < 0: the marks asked in a request of
    # their own), apart from the offering's price: what they cost (as cost_usd, as planned, as billed) and how many
    # were charged. cost_usd, planned_usd and billed_usd include them; every price figure takes them out
    # (`harness.results.cost_figures`). NULL: the job sent none.
    own_usd: float | None = joined("c", "c.own_usd")
    own_planned_usd: float | None = joined("c", "c.own_planned_usd")
    own_billed_usd: float | None = joined("c", "c.own_billed_usd")
    own_requests: int | None = joined("c", "c.own_requests")
    reference_audio_path: str | None = joined("k")
    # Its `scores` row for the run's scoring setup, each column as `scores` declares it (asr_model: the model that
    # read this clip, the setup's or its multilingual counterpart for zh/ja); NULL where the clip was not scored.
    scored: int | None = joined("s", "CASE WHEN s.clip_id IS NULL THEN 0 ELSE 1 END", absent="0")
    asr_backend: str | None = joined("s")
    asr_model: str | None = joined("s")
    normalizer_name: str | None = joined("s")
    normalizer_version: str | None = joined("s")
    unit: str | None = joined("s")
    transcript: str | None = joined("s")
    normalized_reference: str | None = joined("s")
    normalized_transcript: str | None = joined("s")
    wer: float | None = joined("s")
    cer: float | None = joined("s")
    hits: int | None = joined("s")
    substitutions: int | None = joined("s")
    deletions: int | None = joined("s")
    insertions: int | None = joined("s")
    ref_length: int | None = joined("s")
    ref_words: int | None = joined("s")
    hyp_length: int | None = joined("s")
    flags: str | None = joined("s", "s.flags_json", absent="'[]'")
    findings: str | None = joined("s", "s.findings_json", absent="'[]'")
    similarity: float | None = joined("s")
    similarity_model: str | None = joined("s")
    media_type: str | None = joined("s")
    sample_rate: int | None = joined("s")
    channels: int | None = joined("s")
    duration_s: float | None = joined("s")
    speech_s: float | None = joined("s")
    leading_silence_s: float | None = joined("s")
    trailing_silence_s: float | None = joined("s")
    clipping_ratio: float | None = joined("s")
    loudness_lufs: float | None = joined("s")
    dnsmos_overall: float | None = joined("s")
    dnsmos_signal: float | None = joined("s")
    dnsmos_background: float | None = joined("s")
    dnsmos_p808: float | None = joined("s")
    score_error: str | None = joined("s", "s.error")
    heard_language: str | None = joined("s")  # schema 11: the language check
    heard_probability: float | None = joined("s")


def _reader_record(name: str, table: str, leave_out: frozenset[str], joined_columns: type | None, doc: str) -> type:
    """A reader's record made from its table's record: the table's columns in the order the database holds them, but
    those left out, each with its type and default, then the joined columns."""
    record = TABLE_BY_NAME[table].record
    hints = typing.get_type_hints(record)
    own = {item.name: item for item in fields(record)}
    specs: list[tuple[str, Any, Any]] = []
    for column in TABLE_BY_NAME[table].columns:
        if column.name in leave_out:
            continue
        item = own[column.name]
        default = field(default=item.default) if item.default is not MISSING else field()
        specs.append((column.name, hints[column.name], default))
    if joined_columns is not None:
        extra = typing.get_type_hints(joined_columns)
        specs += [
            (item.name, extra[item.name], field(default=None, metadata=item.metadata))
            for item in fields(joined_columns)
        ]
    made = make_dataclass(name, specs, frozen=True, slots=True, kw_only=True)
    made.__module__, made.__doc__ = __name__, doc
    return made


_REQUEST_DOC = """One job of a run as the readers see it: its `jobs` row (but `UNREAD_JOB_COLUMNS`), its `costs` rows
summed, its clip's reference voice and its `scores` row for the run's scoring setup (`harness.results.reading`); one
row of an export's `requests`."""
_ERROR_DOC = "An `errors` row as the readers see it (one row of an export's `errors`)."
_DRIFT_DOC = "A `drift` row as the readers see it (one row of an export's `drift`)."

if TYPE_CHECKING:
    # The type checker's view: the table's record and the joined columns. It cannot leave a field out of a
    # record it derives from, so it also sees the few columns the runtime record leaves out (`UNREAD_JOB_COLUMNS`,
    # `UNREAD_ENTRY_COLUMNS`): no reader reads them (`tests/results/test_run_records.py`).
    @dataclass(frozen=True, kw_only=True)
    class RequestRow(JobRow, JoinedColumns):
        pass

    @dataclass(frozen=True, kw_only=True)
    class ErrorEntry(ErrorRow):
        pass

    @dataclass(frozen=True, kw_only=True)
    class DriftEntry(DriftRow):
        pass
else:
    RequestRow = _reader_record("RequestRow", "jobs", UNREAD_JOB_COLUMNS, JoinedColumns, _REQUEST_DOC)
    ErrorEntry = _reader_record("ErrorEntry", "errors", UNREAD_ENTRY_COLUMNS, None, _ERROR_DOC)
    DriftEntry = _reader_record("DriftEntry", "drift", UNREAD_ENTRY_COLUMNS, None, _DRIFT_DOC)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredRun:
    """A run's `runs` row as the readers see it, with the scoring setup its requests' scores come from (None when
    nothing was scored); a value the store holds that its column cannot is read as unknown (None)."""

    run_id: str
    created_at: str | None = None
    finished_at: str | None = None
    status: str | None = None
    harness_version: str | None = None
    git_revision: str | None = None
    target: str | None = None
    target_url: str | None = None
    sandbox_profile: str | None = None
    sandbox_seed: int | None = None
    corpora_json: str | None = None
    config_json: str | None = None
    polling: str | None = None
    repeats: int | None = None
    concurrency: int | None = None
    planned_jobs: int | None = None
    global_concurrency: int | None = None
    load_levels_json: str | None = None
    budget_usd: float | None = None
    planned_cost_usd: float | None = None
    machine_json: str | None = None
    client_saturated: float | None = None
    client_lag_p50_ms: float | None = None
    client_lag_p95_ms: float | None = None
    client_health_json: str | None = None
    asr_backend: str | None = None
    asr_model: str | None = None
    normalizer_name: str | None = None
    normalizer_version: str | None = None
    asr_settings: str | None = None
    scoring_harness_version: str | None = None
