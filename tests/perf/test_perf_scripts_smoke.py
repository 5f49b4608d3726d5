"""Every script in benchmarks/perf/ runs in the suite in its smoke mode (`--smoke`, benchmarks/perf/smoke_mode.py:
the whole measurement path at its smallest size, in seconds): a script whose import, or whose use of the harness's
interfaces, a change breaks fails here, not on the next person who measures with it. Each script checks its stated
goal on what its smoke run measured (benchmarks/perf/goals.py: exit 0 only when every goal judged held), so a goal
missed on the small sample fails here too; a goal about time is judged only where the process was not saturated
while it measured (on a loaded machine it is said as not judged), and a goal the smoke sample cannot judge at all
(a mode it does not run) is said so by the script.

Each script is imported from its folder (its siblings, `served`, `replay_accuracy`, `soak_*`, by their bare names, as
`python benchmarks/perf/<script>.py` finds them) and its `main(["--smoke"])` called in this process. The modules that
are no script (no `__main__`) are imported: the scripts' runs exercise them.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import sys
from pathlib import Path

import pytest

PERF = Path(__file__).resolve().parents[2] / "benchmarks" / "perf"
SCRIPTS = sorted(p.stem for p in PERF.glob("*.py") if 'if __name__ == "__main__":' in p.read_text(encoding="utf-8"))
MODULES = sorted(p.stem for p in PERF.glob("*.py") if p.stem not in SCRIPTS)
# What a script needs beyond the bench extra: (a module, the extra that installs it).
NEEDS = {"similarity_agreement": ("resemblyzer", "score-heavy")}
# Smoke runs that mostly wait on real clocks (the soak's Ctrl-C trials): run with the suite's other `clock` tests.
WAITING = {"fault_soak"}


def _imported(name: str, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.syspath_prepend(str(PERF))
    return importlib.import_module(name)


def test_the_folder_holds_scripts_and_their_modules() -> None:
    """The parametrisation below is the folder's contents: a new script is smoke-run without being listed."""
    assert "realtime_accuracy" in SCRIPTS and "replay_accuracy" in SCRIPTS and "fault_soak" in SCRIPTS
    assert "smoke_mode" in MODULES and "served" in MODULES and "goals" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_a_perf_module_imports(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _imported(name, monkeypatch) is not None


@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=pytest.mark.clock) if name in WAITING else name for name in SCRIPTS]
)
def test_a_perf_script_runs_its_smoke_mode(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if name in NEEDS:
        module, extra = NEEDS[name]
        pytest.importorskip(module, reason=f"{name} needs the {extra} extra: pip install -e .[{extra}]")
    monkeypatch.setattr(sys, "argv", [str(PERF / f"{name}.py"), "--smoke"])
    script = _imported(name, monkeypatch)
    frozen = gc.get_freeze_count()
    code = script.main(["--smoke"])  # type: ignore[attr-defined]
    # The worker's heap, frozen after collection (conftest.py), stays frozen: a script that unfroze it handed every
    # later collection of this worker the whole heap again (corpus_load once did: docs/measurements.md). A frozen
    # object freed by its reference count leaves the count too, so "most of them", not "all".
    assert gc.get_freeze_count() > frozen // 2, f"{name} --smoke unfroze the objects frozen before it ran"
    said = capsys.readouterr()
    # The goal lines, and what the script printed of each part (a flaky miss in CI is read from this alone)
    assert code == 0, f"{name} --smoke missed its goal:\n" + "\n".join(
        [line for line in said.err.splitlines() if line.startswith("goal")] + said.out.splitlines()[-40:]
    )
    assert "goal" in said.err, f"{name} --smoke said nothing of its goal"
