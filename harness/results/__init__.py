"""The results store: the one owner of `runs.db` — every table, every migration, every query.

Writers and readers never write SQL of their own, and enter through this module only:

* the runner writes through `Store` (the lease's rows: `lease_holder`, `take_lease`, …), the scorer
  through `connect_writer`, `read_clips` (`ClipRow`) and `write_scores` (`ScoreRow`), and keeps model
  outputs in `ScoreCache`;
* every reader — the terminal summary, the report, `export`, `compare` — reads a run's raw rows with
  `read_run` / `read_rows` (`RunRows`: records, `RequestRow`, `StoredRun`, `ErrorEntry`, `DriftEntry`, declared
  in `run_records`; every other reader hands out its table's record from `tables`) and computes its figures
  with `model_figures` (`ModelFigures`) and, for a load sweep, `load_points` (`LoadPoint`: one per model and level),
  whose error rates come from the one pooling rule (`pooled_wer`, `error_rates`: WER over word-unit clips,
  CER over character-unit clips, never mixed) and whose scores come from the one scoring setup
  (`pick_setup`).

A store is a SQLite file (the embedded default) or a PostgreSQL database by URL (`resolve_store`: `--db` or
`TTS_HARNESS_DB`); `merge_stores` unites stores (idempotent by run id, a conflicting run refused).

Inside: `schema` documents every table column by column, `ddl` holds the CREATE statements and
`migrations` the columns added since, applied when a writer opens the database; `database` opens it,
`dialect` holds every difference between SQLite and PostgreSQL, `postgres` the psycopg connection; a finished
job's update is a `JobOutcome` (`job_outcome`).
Standard library only (psycopg, the `postgres` extra, only for a PostgreSQL store): the summary of a run needs
no numpy, and this package imports nothing but `harness.core`.
"""

from harness.results.changes import (
    JobClientHealth,
    JobFirstSubmitting,
    JobSkipped,
    JobSubmitted,
    JobSubmitting,
    RowChange,
    RunClientHealth,
    RunFinished,
    RunResumed,
    RunStatus,
)
from harness.results.client_health import health_of, is_marked, saturation
from harness.results.clips import read_clips
from harness.results.cost_figures import (
    Provenance,
    audio_seconds,
    billed_units,
    job_source,
    job_usd,
    refused_bills,
    source_of,
    unpriced_bills,
)
from harness.results.database import (
    STORE_ENV,
    Connection,
    StoreTarget,
    as_store,
    open_read_only,
    resolve_store,
    store_name,
)
from harness.results.dearer import Dearer, billed_models, dearer, newest_dearer
from harness.results.dialect import Existing
from harness.results.evidence_rows import EvidenceRows, read_evidence, write_figures
from harness.results.figures import (
    QUANTILES,
    CostFigures,
    EndedBy,
    ModelFigures,
    RunTally,
    ended_by,
    floats,
    group,
    model_figures,
    newly_ended_by,
    polled,
    scored,
    sent,
    tally,
    timed,
)
from harness.results.hard_text import (
    Judgeability,
    ModelJudgeability,
    read_judgeability,
    read_span_scores,
    shipped_judgeability,
    span_of_row,
    spans_of_rows,
    write_span_scores,
)
from harness.results.job_outcome import JobCancel, JobOutcome, KeptAudio
from harness.results.languages import LanguageVerdict, LanguageVerdicts, model_name, shipped_language_verdicts
from harness.results.leases import lease_holder, release_lease, renew_lease, take_lease
from harness.results.load import LoadPoint, at_level, load_points, sweep_levels
from harness.results.merge import MergeResult, RunConflict, merge_stores, run_ids
from harness.results.pooling import ErrorCounts, ErrorRates, ErrorUnit, PooledErrorRate, error_rates, pooled_wer
from harness.results.reading import (
    LATEST,
    no_such_run,
    read_catalogues,
    read_latest_catalogues,
    read_rows,
    read_run,
    require_run,
    run_called,
)
from harness.results.row_errors import MixedUnitsError, ResultsError, RowError
from harness.results.rows import (
    OPTIONAL_TABLES,
    REQUEST_COLUMNS,
    ROW_TABLES,
    Row,
    RowColumn,
    RowKind,
    RunRows,
    as_record,
    coerce,
    json_list,
    json_object,
    run_region,
    stored_corpora,
    typed_row,
)
from harness.results.run_records import DriftEntry, ErrorEntry, RequestRow, StoredRun
from harness.results.schema import SCHEMA_VERSION, connect_writer
from harness.results.score_cache import (
    CachedDnsmos,
    CachedSimilarity,
    CachedTranscript,
    CacheKey,
    CacheKind,
    HeardTranscript,
    ScoreCache,
)
from harness.results.scores import now_iso, write_scores
from harness.results.setups import AsrSetup, asr_setups, pick_setup
from harness.results.store import UNFETCHED, UNFINISHED_STATES, Store
from harness.results.tables import (
    FORCED_CHOICE,
    TRANSCRIPT,
    CatalogueRow,
    ChunkRow,
    ClipRow,
    CostRow,
    DriftRow,
    ErrorRow,
    JobRow,
    LeaseRow,
    LoadLevelRow,
    MarkRow,
    PollRow,
    RunRow,
    ScoreRow,
    SpanScoreRow,
)

__all__ = [
    "FORCED_CHOICE",
    "LATEST",
    "OPTIONAL_TABLES",
    "QUANTILES",
    "REQUEST_COLUMNS",
    "ROW_TABLES",
    "SCHEMA_VERSION",
    "STORE_ENV",
    "TRANSCRIPT",
    "UNFETCHED",
    "UNFINISHED_STATES",
    "AsrSetup",
    "CacheKey",
    "CacheKind",
    "CachedDnsmos",
    "CachedSimilarity",
    "CachedTranscript",
    "CatalogueRow",
    "ChunkRow",
    "ClipRow",
    "Connection",
    "CostFigures",
    "CostRow",
    "Dearer",
    "DriftEntry",
    "DriftRow",
    "EndedBy",
    "ErrorCounts",
    "ErrorEntry",
    "ErrorRates",
    "ErrorRow",
    "ErrorUnit",
    "EvidenceRows",
    "Existing",
    "HeardTranscript",
    "JobCancel",
    "JobClientHealth",
    "JobFirstSubmitting",
    "JobOutcome",
    "JobRow",
    "JobSkipped",
    "JobSubmitted",
    "JobSubmitting",
    "Judgeability",
    "KeptAudio",
    "LanguageVerdict",
    "LanguageVerdicts",
    "LeaseRow",
    "LoadLevelRow",
    "LoadPoint",
    "MarkRow",
    "MergeResult",
    "MixedUnitsError",
    "ModelFigures",
    "ModelJudgeability",
    "PollRow",
    "PooledErrorRate",
    "Provenance",
    "RequestRow",
    "ResultsError",
    "Row",
    "RowChange",
    "RowColumn",
    "RowError",
    "RowKind",
    "RunClientHealth",
    "RunConflict",
    "RunFinished",
    "RunResumed",
    "RunRow",
    "RunRows",
    "RunStatus",
    "RunTally",
    "ScoreCache",
    "ScoreRow",
    "SpanScoreRow",
    "Store",
    "StoreTarget",
    "StoredRun",
    "as_record",
    "as_store",
    "asr_setups",
    "at_level",
    "audio_seconds",
    "billed_models",
    "billed_units",
    "coerce",
    "connect_writer",
    "dearer",
    "ended_by",
    "error_rates",
    "floats",
    "group",
    "health_of",
    "is_marked",
    "job_source",
    "job_usd",
    "json_list",
    "json_object",
    "lease_holder",
    "load_points",
    "merge_stores",
    "model_figures",
    "model_name",
    "newest_dearer",
    "newly_ended_by",
    "no_such_run",
    "now_iso",
    "open_read_only",
    "pick_setup",
    "polled",
    "pooled_wer",
    "read_catalogues",
    "read_clips",
    "read_evidence",
    "read_judgeability",
    "read_latest_catalogues",
    "read_rows",
    "read_run",
    "read_span_scores",
    "refused_bills",
    "release_lease",
    "renew_lease",
    "require_run",
    "resolve_store",
    "run_called",
    "run_ids",
    "run_region",
    "saturation",
    "scored",
    "sent",
    "shipped_judgeability",
    "shipped_language_verdicts",
    "source_of",
    "span_of_row",
    "spans_of_rows",
    "store_name",
    "stored_corpora",
    "sweep_levels",
    "take_lease",
    "tally",
    "timed",
    "typed_row",
    "unpriced_bills",
    "write_figures",
    "write_scores",
    "write_span_scores",
]
