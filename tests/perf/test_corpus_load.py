"""The corpus loader's goal (issue 59: 150,000 valid items in under 30 s, benchmarks/perf/corpus_load.py) on a
tenth of it: 15,000 items in under 3 s of this process's time, read-speech items and hard-text items whose every
form is its own (each compiled and compared anew). A quadratic step (the old duplicate-id check, a form expanded
to its readings) misses it by far; CPU time, not wall time, so a shared machine does not fail it."""

from __future__ import annotations

from pathlib import Path

import pytest

PERF = Path(__file__).resolve().parents[2] / "benchmarks" / "perf"


@pytest.mark.parametrize("kind", ["plain", "hard-distinct"])
def test_fifteen_thousand_items_load_in_a_tenth_of_the_goal(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(PERF))
    import corpus_load

    figures = corpus_load.run(kind, 15_000, tmp_path, fresh_process=False)
    assert figures["items"] == 15_000
    assert figures["cpu_seconds"] < 3, figures
