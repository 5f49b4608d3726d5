"""The families' own checks that need a server (`contracts/test_speech_family.py`: format bytes, error bodies,
SSE, speed; `contracts/test_grpc_speech.py`: speech, a bad key, text before the config) skip in replay, so the
suite's replayed run says nothing of them. Here they run against the sandbox for every built-in provider that
declares the part each needs, as `tts-harness contracts run --target sandbox` runs them: every one passes, and each
family's checks are among them (an empty selection would pass too, so the count and the names are asserted)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from tests.helpers.child_pytest import pytest_command

REPO = Path(__file__).resolve().parents[2]


def test_the_family_checks_pass_against_the_sandbox() -> None:
    # This checkout first, and what this process was given after it (a test's install with some extras hidden).
    path = os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH"))))
    env = {**os.environ, "PYTHONPATH": path, "COLUMNS": "200"}
    env.pop("TTS_HARNESS_PROVIDERS_FILE", None)  # the built-ins only
    run = subprocess.run(
        pytest_command(
            "-q", "-rA", "contracts/test_speech_family.py", "contracts/test_grpc_speech.py", "--tts-target", "sandbox"
        ),
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = run.stdout
    assert run.returncode == 0, out[-3000:]
    passed = re.search(r"(\d+) passed", out)
    assert passed and int(passed.group(1)) >= 150, out[-3000:]
    assert not re.search(r"\b[1-9]\d* (failed|errors?)\b", out), out[-3000:]  # "0 failed" in a summary is none
    # Each kind of check ran somewhere: the format bytes, the error bodies, both stream forms, speed, and the RPC's.
    for check in (
        "format-",
        "error-bad-voice",
        "error-bad-model",
        "stream-audio",
        "stream-sse",
        "seams-",
        "speed",
        "test_grpc_speech.py",
    ):
        assert re.search(rf"PASSED \S*{re.escape(check)}", out), (check, out[-3000:])
