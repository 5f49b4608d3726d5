"""Fixtures of the report tests: synthetic runs in a real results database.

Runs written once per session (three models, 24 items each):
  base       seed 7
  same       seed 7, same configuration: a rerun with the sandbox's seed fixed
  slow       seed 7, every latency × 1.3 (a planted 30% latency regression)
  worse_wer  seed 7, 10% more words misread (a planted WER regression)
  violating  seed 7, contract violations BASE never had
(Every random draw happens whatever the settings, so these runs differ only by what was planted.)
The run writer and the browser driver are `tests.helpers.report_runs` and `tests.helpers.browser`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.report_runs import make_run


@pytest.fixture(scope="session")
def runs_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The results database holding the five runs above; read a run with `read_run(runs_db, run_id)`."""
    db = tmp_path_factory.mktemp("runs") / "reports" / "runs.db"
    make_run(db, "base", seed=7)
    make_run(db, "same", seed=7)
    make_run(db, "slow", seed=7, latency_factor=1.3)
    make_run(db, "worse_wer", seed=7, wer_extra=0.10)
    make_run(db, "violating", seed=7, contract_violation=True)
    return db
