"""benchmarks/perf/hard_text_judge.py on a sample: what a clip costs the hard-text judge, scaled by the machine's pace.

The goal is one offering's en_hard (1,344 clips) in 3 minutes on 2 cores, 1.42 ten-second encodes a clip on the quiet
machine it was set on (`ENCODES_PER_CLIP`). Measured on 2026-11-26 (docs/measurements.md) the judge takes more: this
test holds a sample to what was measured, with room for a busy machine, so a change that makes the judge slower
fails here; the goal itself is the script's line.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

PERF = Path(__file__).resolve().parents[2] / "benchmarks" / "perf"
MEASURED_ENCODES_PER_CLIP = 2.0  # the whole en_hard, 2026-11-26 (docs/measurements.md)
ROOM = 1.5  # a shared machine slows the small decoder passes more than the encode they are scaled by


@pytest.mark.slow
def test_a_sample_of_en_hard_costs_what_the_whole_was_measured_to(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(PERF))
    script = importlib.import_module("hard_text_judge")
    figures = script.measure("en_hard", "tiny.en", 12)  # spread over the corpus: every category in its share
    assert figures["clips"] == 24 and sum(figures["verdicts"].values()) == 24
    assert figures["encodes_per_clip"] <= MEASURED_ENCODES_PER_CLIP * ROOM, figures
    assert script.ENCODES_PER_CLIP == pytest.approx(1.425, abs=0.01)
    sys.modules.pop("hard_text_judge", None)
