"""The example CI gate (examples/ci/gate.sh) runs end to end against its committed baseline.

Latency depends on the machine, so this test does not require the gate to pass; it requires the gate's
exit code to agree with its own JUnit verdict, the report to carry the baseline section, and the
deterministic figures (WER, cost, success, contract) not to regress against the committed baseline:
if they do, the sandbox or the scorer changed and the baseline must be re-recorded (see its README).
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
SHIM = Path(__file__).resolve().parent / "report_cli_shim.py"


@pytest.mark.slow
def test_gate_against_the_committed_baseline(tmp_path: Path) -> None:
    env = {**os.environ, "TTS_HARNESS": f"{sys.executable} {SHIM}", "GATE_OUT": str(tmp_path / "ci"),
           "GATE_SKIP_CONTRACTS": "1"}
    done = subprocess.run(["bash", str(GATE)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    suite = ElementTree.parse(tmp_path / "ci" / "compare.xml").getroot()
    failures = [case for case in suite.iter("testcase") if case.find("failure") is not None]
    assert (done.returncode == 1) == bool(failures)
    # Only latency may differ between machines; everything else is fixed by the seed.
    assert all(case.get("name", "").startswith("latency") for case in failures), done.stdout
    reports = list((tmp_path / "ci").glob("*/index.html"))
    assert len(reports) == 1 and 'id="baseline"' in reports[0].read_text(encoding="utf-8")
    assert (reports[0].parent / "rows" / "requests.json").is_file()
