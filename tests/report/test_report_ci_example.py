"""The example CI gate (examples/ci/github-actions.yml's `tts-harness baseline check`) passes against its
committed baseline on a fresh sandbox run, from a folder laid out like a consumer's repository.

The gate fails only on what the sandbox's seed fixes (WER, cost, success, contract); latency, which measures
the machine, is compared but not gated. So the gate must pass: if it fails, the sandbox or the scorer changed
and the baseline must be refreshed (`tts-harness baseline refresh examples/ci/tts-harness-baseline`, from
examples/ci). The same steps, from the installed wheel, are tests/packaging's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "ci"


@pytest.mark.slow
def test_gate_against_the_committed_baseline(tmp_path: Path) -> None:
    # The consumer's repository: its providers file (a declared provider the baseline benchmarks) and baseline.
    shutil.copy(EXAMPLE / "tts-harness.toml", tmp_path)
    shutil.copytree(EXAMPLE / "tts-harness-baseline", tmp_path / "tts-harness-baseline")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "baseline",
            "check",
            "tts-harness-baseline",
            "--out",
            "reports/ci",
            "--junit",
            "reports/ci/compare.xml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    suite = ElementTree.parse(tmp_path / "reports" / "ci" / "compare.xml").getroot()
    names = [case.get("name", "") for case in suite.iter("testcase")]
    # three models, seven checks each, and the seams of the two whose answers stream: the seventh is the check
    # registry's speaking pace (harness.checks), which the baseline can judge — its rows keep the scorer's
    # ref_words and speech_s, 8 clips a model both runs spoke (its rule asks 5) — so it is a passed check, not a gap
    assert suite.get("failures") == "0" and len(names) == 23, "|".join(names)
    assert names.count("seam findings per minute") == 2
    assert names.count("speaking pace: pace wpm (paired ratio)") == 3
    assert "latency p50 (ms)" in names and "pooled WER" in names
    reports = list((tmp_path / "reports" / "ci").glob("*/index.html"))
    assert len(reports) == 1 and 'id="baseline"' in reports[0].read_text(encoding="utf-8")
    rows = json.loads((reports[0].parent / "rows" / "requests.json").read_text(encoding="utf-8"))
    # The baseline's run.json says `dnsmos: false` (no gate reads it): the fresh run scores WER without it.
    assert len(rows) == 24 and all(row["wer"] is not None and row["dnsmos_overall"] is None for row in rows)


def test_a_baseline_without_its_run_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", "baseline", "check", "missing"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "tts-harness baseline refresh missing --models" in done.stderr
