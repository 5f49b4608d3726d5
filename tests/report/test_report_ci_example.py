"""The example CI gate (examples/ci/gate.sh) runs end to end against its committed baseline.

The gate fails only on what the sandbox's seed fixes (WER, cost, success, contract); latency, which
measures the machine, is compared but not gated. So the gate must pass: if it fails, the sandbox or the
scorer changed and the baseline must be re-recorded (see examples/ci/README.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

ROOT = Path(__file__).resolve().parents[2]
GATE = ROOT / "examples" / "ci" / "gate.sh"


@pytest.mark.slow
def test_gate_against_the_committed_baseline(tmp_path: Path) -> None:
    # The gate calls `$TTS_HARNESS ...`: the helper module, importable from the repository root.
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "TTS_HARNESS": f"{sys.executable} -m tests.helpers.report_cli", "PYTHONPATH": pythonpath,
           "GATE_OUT": str(tmp_path / "ci"), "GATE_SKIP_CONTRACTS": "1"}
    done = subprocess.run(["bash", str(GATE)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    suite = ElementTree.parse(tmp_path / "ci" / "compare.xml").getroot()
    names = [case.get("name", "") for case in suite.iter("testcase")]
    assert suite.get("failures") == "0" and len(names) == 12  # two models, six checks each
    assert "latency p50 (ms)" in names and "pooled WER" in names
    reports = list((tmp_path / "ci").glob("*/index.html"))
    assert len(reports) == 1 and 'id="baseline"' in reports[0].read_text(encoding="utf-8")
    assert (reports[0].parent / "rows" / "requests.json").is_file()
