"""The results store: the one owner of `runs.db` — every table, every migration, every query.

Writers and readers never write SQL of their own:

* the runner writes through `Store` (`store`; the lease's rows in `leases`), the scorer through
  `write_scores` (`scores`), `read_clips` (`clips`) and the cached model outputs (`score_cache`);
* every reader — the terminal summary, the report, `export`, `compare` — reads a run's raw rows with
  `read_run` / `read_rows` (`reading`) and computes its figures with `model_figures` (`figures`), whose
  error rates come from the one pooling rule (`error_rates`: WER over word-unit clips, CER over
  character-unit clips, never mixed) and whose scores come from the one scoring setup (`setups`).

`schema` documents every table column by column, `ddl` holds the CREATE statements and `migrations` the
columns added since, applied when a writer opens the database. Standard library only: the summary of a
run needs no numpy, and this package imports nothing but `harness.core`.
"""

from harness.results.clips import ClipRow, read_clips
from harness.results.error_rates import ErrorCounts, ErrorRates, PooledErrorRate, Unit, error_rates, pooled_wer
from harness.results.errors import MixedUnitsError, ResultsError, RowError
from harness.results.figures import Cost, Distribution, ModelFigures, RunTally, model_figures, tally
from harness.results.reading import read_rows, read_run
from harness.results.rows import Row, RunRows
from harness.results.schema import SCHEMA_VERSION
from harness.results.scores import ScoreRow, write_scores
from harness.results.setups import AsrSetup, asr_setups, pick_setup
from harness.results.store import Existing, Store

__all__ = [
    "SCHEMA_VERSION",
    "AsrSetup",
    "ClipRow",
    "Cost",
    "Distribution",
    "ErrorCounts",
    "ErrorRates",
    "Existing",
    "MixedUnitsError",
    "ModelFigures",
    "PooledErrorRate",
    "ResultsError",
    "Row",
    "RowError",
    "RunRows",
    "RunTally",
    "ScoreRow",
    "Store",
    "Unit",
    "asr_setups",
    "error_rates",
    "model_figures",
    "pick_setup",
    "pooled_wer",
    "read_clips",
    "read_rows",
    "read_run",
    "tally",
    "write_scores",
]
