"""Every table of `runs.db`, declared once: a frozen, keyword-only record per table, whose fields are its columns —
their types, whether they may be NULL, the schema version that added each (`harness.results.table_spec`) — and
`TABLES`, each record with its key, constraints and indexes. The CREATE statements (`harness.results.ddl`), the
columns each migration adds (`harness.results.migrations`) and the keys a replacing insert conflicts on
(`harness.results.dialect`) all come from here; `tests/results/test_tables.py` holds that a store created anew and an
old store migrated both hold exactly these tables, on SQLite and PostgreSQL. A new column is its field here
(`column(added=N)`), a line in `harness.results.schema`'s documentation, and its version in `migrations.VERSIONS`.

What each column means is documented in `harness.results.schema`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from harness.core.hard_text import HardTextVerdict
from harness.results.row_errors import RowError
from harness.results.table_spec import Index, Table, column

# How a hard-text verdict was reached: by forced choice between the item's readings (docs/hard-text.md), or, in rows
# judged before it, from the free transcript alone.
FORCED_CHOICE, TRANSCRIPT = "forced-choice", "transcript"


@dataclass(frozen=True, slots=True, kw_only=True)
class MetaRow:
    """A row of `meta` (its columns documented in `harness.results.schema`)."""

    key: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RunRow:
    """A row of `runs` (its columns documented in `harness.results.schema`)."""

    run_id: str
    created_at: str
    updated_at: str
    finished_at: str | None = None
    status: str
    harness_version: str
    git_revision: str
    target: str
    target_url: str | None = None
    sandbox_profile: str | None = None
    sandbox_seed: int | None = None
    corpora_json: str
    config_json: str
    providers_json: str
    models_json: str
    repeats: int
    concurrency: int
    polling: str
    budget_usd: float | None = None
    planned_jobs: int
    planned_cost_usd: float | None = None
    planned_unpriced: int = column(default=0, stored_default="0")
    machine_json: str
    resumes: int = column(default=0, stored_default="0")
    global_concurrency: int | None = column(added=5)
    load_levels_json: str | None = column(added=5)
    plans_json: str | None = column(added=8)  # {"provider": "plan"} chosen with --plan
    client_saturated: float | None = column(added=10)  # share of the run's time saturated
    client_lag_p50_ms: float | None = column(added=10)  # the runner's event-loop lag over the run
    client_lag_p95_ms: float | None = column(added=10)
    client_health_json: str | None = column(added=10)  # the windows and the rule they were judged by


@dataclass(frozen=True, slots=True, kw_only=True)
class JobRow:
    """A row of `jobs` (its columns documented in `harness.results.schema`)."""

    job_key: str
    run_id: str
    seq: int
    harness_version: str
    git_revision: str
    provider: str
    model: str
    endpoint: str
    provider_model_id: str | None = None
    params_json: str
    params_sha256: str
    corpus: str
    corpus_version: str
    item_id: str
    language: str | None = None
    text: str
    chars: int
    repeat: int
    state: str = column(default="planned", stored_default="'planned'")
    attempts: int = column(default=0, stored_default="0")
    provider_job_id: str | None = None
    status_url: str | None = None
    delivery: str | None = None
    final_status: str | None = None
    outcome: str | None = None
    error_class: str | None = None
    error_message: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    start_offset_ms: float | None = None
    resumed: int = column(default=0, stored_default="0")
    http_version: str | None = None
    connection_reused: int | None = None
    connect_ms: float | None = None
    polls: int = column(default=0, stored_default="0")
    poll_errors: int = column(default=0, stored_default="0")
    submit_ms: float | None = None
    queue_ms: float | None = None
    processing_ms: float | None = None
    e2e_client_ms: float | None = None
    e2e_ms: float | None = None
    e2e_bracket_ms: float | None = None
    e2e_source: str | None = None
    e2e_server_ms: float | None = None
    server_queue_ms: float | None = None
    server_processing_ms: float | None = None
    download_ms: float | None = None
    ttfa_ms: float | None = None
    total_ms: float | None = None
    server_created_at: str | None = None
    server_started_at: str | None = None
    server_completed_at: str | None = None
    audio_path: str | None = None
    audio_sha256: str | None = None
    audio_bytes: int | None = None
    declared_media_type: str | None = None
    sniffed_media_type: str | None = None
    cost_usd: float | None = None
    e2e_lo_ms: float | None = column(added=2)  # the interval that must hold the true latency
    e2e_hi_ms: float | None = column(added=2)
    perceived_ttfa_ms: float | None = column(added=2)  # streams (see harness.runner.deliver.streaming)
    max_chunk_gap_ms: float | None = column(added=2)
    real_time_factor: float | None = column(added=2)
    underruns: int | None = column(added=2)
    underrun_ms: float | None = column(added=2)
    audio_ms: float | None = column(added=2)
    queue_lo_ms: float | None = column(added=4)
    queue_hi_ms: float | None = column(added=4)
    processing_lo_ms: float | None = column(added=4)
    processing_hi_ms: float | None = column(added=4)
    e2e_server_lo_ms: float | None = column(added=4)
    e2e_server_hi_ms: float | None = column(added=4)
    ttfa_lo_ms: float | None = column(added=4)
    ttfa_hi_ms: float | None = column(added=4)
    perceived_ttfa_lo_ms: float | None = column(added=4)
    perceived_ttfa_hi_ms: float | None = column(added=4)
    stamp_convention: str | None = column(added=4)  # truncate | round, once the run knows; NULL: both covered
    provider_request_id: str | None = column(added=4)  # the job id, or a sync answer's request-id header
    load_level: int | None = column(added=5)
    in_flight_at_submit: int | None = column(added=5)
    text_rate: float | None = column(added=6)
    last_audio_ms: float | None = column(added=6)
    last_audio_lo_ms: float | None = column(added=6)
    last_audio_hi_ms: float | None = column(added=6)
    gap_p50_ms: float | None = column(added=6)
    gap_p50_lo_ms: float | None = column(added=6)
    gap_p50_hi_ms: float | None = column(added=6)
    gap_p95_ms: float | None = column(added=6)
    gap_p95_lo_ms: float | None = column(added=6)
    gap_p95_hi_ms: float | None = column(added=6)
    real_time_factor_lo: float | None = column(added=6)
    real_time_factor_hi: float | None = column(added=6)
    underruns_lo: int | None = column(added=6)
    underruns_hi: int | None = column(added=6)
    clock_origin_s: float | None = column(added=7)
    start_observable: int | None = column(added=7)
    declared_convention: str | None = column(added=7)
    cost_source: str | None = column(added=8)  # billed | planned | mixed | none: what jobs.cost_usd sums
    client_saturated: float | None = column(added=10)  # share of the job's time saturated
    client_lag_ms: float | None = column(added=10)  # the longest lateness of the client's loops while it ran
    seam_findings: int | None = column(added=13)  # seam findings of a streamed answer
    seams_json: str | None = column(added=13)  # [{"kind", "at_s", "detail"}]
    heard_rate: float | None = column(added=13)  # the rate the samples are at, where not the declared one
    heard_rate_how: str | None = column(added=13)  # how that was told
    timing_marks: str | None = column(added=14)  # evidence: {"chars", "marks": [[text, start_s, end_s, part]], ...}
    heard_words: str | None = column(added=14)  # evidence: {"model", "words": [[word, start_s or null]]}
    marks_p50_ms: float | None = column(added=14)  # onset error of the marks against the aligner's, median
    marks_p95_ms: float | None = column(added=14)
    marks_coverage: float | None = column(added=14)  # words marked / words sent
    marks_findings: int | None = column(added=14)  # the invariants' findings (harness.core.timing_marks)
    marks_json: str | None = column(added=14)  # {"errors_ms": [...], "findings": [{"kind", "line"}], "worst": [...]}
    cancel_after_ms: float | None = column(added=15)  # the cancel's moment asked: ms after the first audio
    cancel_to_silence_ms: float | None = column(added=15)  # from the cancel to the last audio of its utterance
    cancel_after_ack_frames: int | None = column(added=15)  # audio frames after the acknowledgement (none: the cancel)
    cancel_after_ack_s: float | None = column(added=15)  # their seconds of audio
    cancel_verdict: str | None = column(added=15)  # kept | violation | finding | unmeasured
    cancel_detail: str | None = column(added=15)  # the verdict in words
    markup_honoured: int | None = column(added=16)  # 1: every pause within tolerance and no tag spoken
    markup_json: str | None = column(added=16)  # {"pauses": [[asked_ms, heard_ms, at_s, honoured]], "findings": [...]}
    asked_media_type: str | None = column(added=17)  # headerless samples asked ("audio/pcm;rate=24000"); NULL: not
    said_transcript: str | None = column(added=18)  # a speech-to-speech socket's words it says it spoke; NULL: none


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadLevelRow:
    """A row of `load_levels` (its columns documented in `harness.results.schema`)."""

    run_id: str
    level: int
    provider: str
    cap: int
    global_cap: int | None = None
    max_in_flight: int
    mean_in_flight: float | None = None
    gate_waits: int
    started_at: str
    finished_at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkRow:
    """A row of `marks` (its columns documented in `harness.results.schema`)."""

    run_id: str
    job_key: str
    provider: str
    model: str
    item_id: str
    name: str
    t_ms: float
    wall_at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PollRow:
    """A row of `polls` (its columns documented in `harness.results.schema`)."""

    run_id: str
    job_key: str
    provider: str
    model: str
    item_id: str
    seq: int
    planned_delay_ms: float | None = None
    reason: str
    sent_ms: float
    received_ms: float | None = None
    http_status: int | None = None
    provider_status: str | None = None
    error_class: str | None = None
    connection_reused: int | None = None
    seen: str | None = column(added=7)
    created_at: str | None = column(added=7)
    started_at: str | None = column(added=7)
    completed_at: str | None = column(added=7)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChunkRow:
    """A row of `chunks` (its columns documented in `harness.results.schema`)."""

    run_id: str
    job_key: str
    provider: str
    model: str
    item_id: str
    seq: int
    earliest_ms: float
    latest_ms: float
    bytes: int
    audio_ms: float | None = None
    onset_ms: float | None = None
    header: str | None = column(added=13)  # "wav@0": a container header or tag in the chunk's bytes, and where


@dataclass(frozen=True, slots=True, kw_only=True)
class CostRow:
    """A row of `costs` (its columns documented in `harness.results.schema`)."""

    cost_id: int | None = None  # the store's own id, given on insert
    run_id: str
    job_key: str
    attempt: int
    harness_version: str
    git_revision: str
    provider: str
    model: str
    params_sha256: str
    corpus: str
    item_id: str
    amount: float | None = None
    unit: str
    usd: float | None = None
    charged: int
    basis: str
    worst_case_usd: float | None = None
    recorded_at: str
    planned_usd: float | None = column(added=8)  # the plan's estimate (counted units exact, estimated ones at theirs)
    price_how: str | None = column(added=8)  # the rates times the quantities, and which are estimates
    price_plan: str | None = column(added=8)  # the price sheet's plan (pay-as-you-go, a named plan, your price)
    price_source: str | None = column(added=8)  # where the price was read (a URL, a stored document, --price)
    price_read: str | None = column(added=8)  # YYYY-MM-DD
    price_stale: int | None = column(added=8)  # 1: read longer ago than the run's --price-max-age
    billed_units_json: str | None = column(added=8)  # {"characters": 42, "audio_tokens": 310}: what the answer said
    billed_usd: float | None = column(added=8)  # those units at the same rates (NULL: the answer said nothing)
    cost_source: str | None = column(added=8)  # billed | planned | none: what `usd` is
    price_weak: str | None = column(added=9)  # a reseller's page | a third party's page | ... (harness.core.prices)
    price_audio_json: str | None = column(added=9)  # [{"unit": "audio_minutes", "usd_per_unit": "0.03", ...}]


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorRow:
    """A row of `errors` (its columns documented in `harness.results.schema`)."""

    error_id: int | None = None  # the store's own id, given on insert
    run_id: str
    job_key: str | None = None
    attempt: int | None = None
    harness_version: str
    git_revision: str
    provider: str
    model: str
    corpus: str | None = None
    item_id: str | None = None
    phase: str
    error_class: str
    http_status: int | None = None
    fatal: int
    message: str
    detail_json: str | None = None
    t_ms: float | None = None
    recorded_at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DriftRow:
    """A row of `drift` (its columns documented in `harness.results.schema`)."""

    drift_id: int | None = None  # the store's own id, given on insert
    run_id: str
    job_key: str | None = None
    harness_version: str
    git_revision: str
    provider: str
    model: str
    corpus: str | None = None
    item_id: str | None = None
    endpoint: str
    phase: str
    pointer: str
    note: str
    kind: str
    recorded_at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogueRow:
    """A row of `catalogues` (its columns documented in `harness.results.schema`)."""

    run_id: str
    provider: str
    endpoint: str
    harness_version: str
    fetched_at: str
    status: int | None = None
    body_json: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClipRow:
    """A row of `clips`: a clip the runner produced, the scorer's input."""

    clip_id: str
    run_id: str
    provider: str
    model: str
    corpus: str | None = None
    item_id: str | None = None
    language: str | None = None
    text: str
    alternatives_json: str | None = None
    reference_audio_path: str | None = None
    audio_path: str
    audio_sha256: str
    declared_media_type: str | None = None
    declared_sample_rate: int | None = None

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any] | Any) -> ClipRow:
        data = dict(row)
        names = {item.name for item in fields(cls)}
        missing = {"clip_id", "run_id", "provider", "model", "text", "audio_path", "audio_sha256"} - set(data)
        if missing:
            raise RowError(f"a clips row needs {sorted(missing)}, got columns {sorted(data)}")
        return cls(**{key: value for key, value in data.items() if key in names})


@dataclass(frozen=True, slots=True, kw_only=True)
class LeaseRow:
    """A row of `leases`: who writes a run (the rule is `harness.runner.record.lease`'s)."""

    run_id: str
    holder: str  # a random token of the writing process
    pid: int
    host: str
    acquired_at: str
    heartbeat_at: float  # unix seconds


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreRow:
    """A row of `scores` (its columns documented in `harness.results.schema`)."""

    clip_id: str
    run_id: str
    asr_backend: str
    asr_model: str
    normalizer_version: str
    normalizer_name: str
    asr_settings: str
    harness_version: str
    audio_sha256: str | None = None
    language: str
    unit: str
    transcript: str | None = None
    normalized_reference: str | None = None
    normalized_transcript: str | None = None
    reference_candidate: int | None = None
    wer: float | None = None
    cer: float | None = None
    hits: int
    substitutions: int
    deletions: int
    insertions: int
    ref_length: int
    ref_words: int
    hyp_length: int
    flags_json: str
    findings_json: str
    similarity: float | None = None
    similarity_model: str | None = None
    media_type: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    duration_s: float | None = None
    speech_s: float | None = None
    expected_speech_s: float | None = None
    leading_silence_s: float | None = None
    trailing_silence_s: float | None = None
    clipping_ratio: float | None = None
    loudness_lufs: float | None = None
    dnsmos_overall: float | None = None
    dnsmos_signal: float | None = None
    dnsmos_background: float | None = None
    dnsmos_p808: float | None = None
    dnsmos_model: str | None = None
    cache_hit: int
    asr_seconds: float | None = None
    error: str | None = None
    scored_at: str
    setup_asr_model: str = column(added=3, backfilled=True)
    heard_language: str | None = column(added=11)
    heard_probability: float | None = column(added=11)


@dataclass(frozen=True, slots=True, kw_only=True)
class SpanScoreRow:
    """A row of `span_scores`: one judged clip of a hard-text item (as written, or as its control) and ASR model.
    A row judged before forced choice reads `method` as "transcript" and `disagree` as False."""

    clip_id: str = ""
    run_id: str = ""
    provider: str
    model: str
    item_id: str  # the item's own id (a control carries its item's id and ``control``)
    category: str
    control: bool
    verdict: HardTextVerdict
    heard: str = ""
    error: str | None = None
    reason: str | None = None
    transcript: str = ""
    asr_model: str = ""  # by content id: tiny.en#1a2b3c4d5e6f
    scored_at: str = ""  # empty until written: the writer stamps the rows it writes
    method: str = column(added=12, default=TRANSCRIPT)  # forced-choice | transcript
    margin: float | None = column(added=12)  # nats: best accepted reading minus best misreading
    free_margin: float | None = column(added=12)  # nats: the free transcript's reading minus the best listed one
    thresholds: str | None = column(added=12)  # the margins held to (harness.scoring.hard_text.Thresholds.key)
    free_heard: str | None = column(added=12)  # the free transcript's reading of the span
    second_opinion: str | None = column(added=12)  # the free-transcription verdict: pass | fail:<error> | unsure
    disagree: bool = column(added=12, default=False)  # both decided, differently

    @property
    def asr_name(self) -> str:
        """The ASR model as a reader knows it (``tiny.en``)."""
        return self.asr_model.split("#")[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreCacheRow:
    """A row of `score_cache` (its columns documented in `harness.results.schema`)."""

    kind: str
    audio_sha256: str
    backend: str
    model: str
    settings: str
    normalizer_version: str
    value_json: str
    created_at: str


# The tables in the order they are created.
TABLES: tuple[Table, ...] = (
    Table(name="meta", record=MetaRow, key=("key",), of_a_run=False),
    Table(name="runs", record=RunRow, key=("run_id",)),
    Table(
        name="jobs",
        record=JobRow,
        key=("job_key",),
        references={"run_id": "runs(run_id)"},
        indexes=(Index("jobs_run", ("run_id", "seq")),),
    ),
    Table(name="marks", record=MarkRow, key=("job_key", "name")),
    Table(name="polls", record=PollRow, key=("job_key", "seq")),
    Table(name="chunks", record=ChunkRow, key=("job_key", "seq")),
    Table(
        name="costs",
        record=CostRow,
        key=("cost_id",),
        surrogate=True,
        unique=(("job_key", "attempt"),),
        indexes=(Index("costs_run", ("run_id",)),),
    ),
    Table(
        name="errors", record=ErrorRow, key=("error_id",), surrogate=True, indexes=(Index("errors_run", ("run_id",)),)
    ),
    Table(name="drift", record=DriftRow, key=("drift_id",), surrogate=True, indexes=(Index("drift_run", ("run_id",)),)),
    Table(name="catalogues", record=CatalogueRow, key=("run_id", "provider", "endpoint")),
    Table(name="clips", record=ClipRow, key=("clip_id",), indexes=(Index("clips_run", ("run_id",)),)),
    Table(name="load_levels", record=LoadLevelRow, key=("run_id", "level", "provider")),
    Table(name="leases", record=LeaseRow, key=("run_id",), of_a_run=False),
    Table(
        name="scores",
        record=ScoreRow,
        key=("clip_id", "asr_backend", "asr_model", "normalizer_version"),
        indexes=(Index("scores_run", ("run_id",)),),
    ),
    Table(
        name="span_scores",
        record=SpanScoreRow,
        key=("clip_id", "asr_model"),
        indexes=(Index("span_scores_run", ("run_id",)),),
    ),
    Table(
        name="score_cache",
        record=ScoreCacheRow,
        key=("kind", "audio_sha256", "backend", "model", "settings", "normalizer_version"),
        of_a_run=False,
    ),
)
TABLE_BY_NAME: Mapping[str, Table] = {table.name: table for table in TABLES}


RecordT = TypeVar("RecordT")


def record_of(record: type[RecordT], raw: Mapping[str, Any] | Any) -> RecordT:
    """A stored row (by name: a database row or a dict) as its table's record: its columns the record declares (a
    column the store lacks, added by a later version, takes the field's default, as its old rows read)."""
    names = {item.name for item in fields(record)}  # type: ignore[arg-type]
    return record(**{name: raw[name] for name in raw.keys() if name in names})  # noqa: SIM118 (a row, not a dict)
