"""Shared fixtures for the report tests: synthetic runs in a real results database, and a browser driver.

Runs written once per session (three models, 24 items each):
  base       seed 7
  same       seed 7, same configuration: a rerun with the sandbox's seed fixed
  slow       seed 7, every latency × 1.3 (a planted 30% latency regression)
  worse_wer  seed 7, 10% more words misread (a planted WER regression)
  violating  seed 7, contract violations BASE never had
(Every random draw happens whatever the settings, so these runs differ only by what was planted.)

Tests are imported with --import-mode=importlib, so they cannot import helper modules; the helpers
(``report_synth``, ``report_browser``) are loaded here by path and reach tests through the ``kit`` fixture.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from harness.report.rows import RunRows, read_run

HERE = Path(__file__).resolve().parent


def _helper(name: str) -> ModuleType:
    qualified = f"tests_report_{name}"
    if qualified in sys.modules:
        return sys.modules[qualified]
    spec = importlib.util.spec_from_file_location(qualified, HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[qualified] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


synth = _helper("report_synth")
browser = _helper("report_browser")


@dataclass(frozen=True)
class Kit:
    db: Path
    synth: ModuleType
    browser: ModuleType

    def rows(self, run_id: str) -> RunRows:
        return read_run(self.db, run_id)


@pytest.fixture(scope="session")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    db = tmp_path_factory.mktemp("runs") / "reports" / "runs.db"
    synth.make_run(db, "base", seed=7)
    synth.make_run(db, "same", seed=7)
    synth.make_run(db, "slow", seed=7, latency_factor=1.3)
    synth.make_run(db, "worse_wer", seed=7, wer_extra=0.10)
    synth.make_run(db, "violating", seed=7, contract_violation=True)
    return Kit(db, synth, browser)
