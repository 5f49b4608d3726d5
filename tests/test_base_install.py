"""A base install (`pip install -e .`: no numpy, no sandbox or score extra) can run the repository's pytest:
the root conftest and what it imports at configuration time import the extras' modules only where they are
used. Proved in a subprocess that makes numpy and the sandbox extra's modules unimportable (a `None` in
`sys.modules` is how Python itself refuses an import), then configures pytest on the repository and collects
`contracts/`'s smallest module: before the fix, `pytest_configure` stopped the session with INTERNALERROR."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.helpers.repo import REPO_ROOT

# What the base dependencies do not bring: numpy, and the sandbox extra's modules that sit on it.
ABSENT = ("numpy", "soundfile", "soxr", "piper", "scipy")

BASE_INSTALL = f"""
import sys
for name in {ABSENT!r}:
    sys.modules[name] = None  # `import name` now raises ModuleNotFoundError, as where it is not installed
import pytest
sys.exit(pytest.main(["--collect-only", "-q", "-p", "no:xdist", "-p", "no:cacheprovider",
                      "contracts/test_coverage.py"]))
"""


def test_pytest_configures_and_collects_contracts_without_numpy() -> None:
    # Not this session's: its render folder, nor the `-n 0` it hands the pytest runs it starts (no xdist here).
    env = {key: value for key, value in os.environ.items() if key not in ("TTS_HARNESS_SPEECH_CACHE", "PYTEST_ADDOPTS")}
    done = subprocess.run([sys.executable, "-c", BASE_INSTALL], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert "INTERNALERROR" not in output, output
    assert done.returncode == 0, output
    assert "contracts/test_coverage.py::" in done.stdout, output


WITHOUT_AWS = """
import sys
for name in ("botocore", "botocore.auth", "botocore.awsrequest", "botocore.credentials"):
    sys.modules[name] = None  # the aws extra is not installed
import pytest
sys.exit(pytest.main(["-q", "-rs", "-p", "no:xdist", "-p", "no:cacheprovider", "-p", "no:randomly",
                      "contracts/test_scenarios.py", "-k", "polly/"]))
"""


def test_a_signed_providers_contracts_skip_naming_the_extra_when_it_is_absent() -> None:
    """Polly signs with botocore (the aws extra): without it, its plans skip saying what to install — the rest of
    a base install's contract suite is not failed by an extra it did not ask for."""
    env = {key: value for key, value in os.environ.items() if key not in ("TTS_HARNESS_SPEECH_CACHE", "PYTEST_ADDOPTS")}
    done = subprocess.run([sys.executable, "-c", WITHOUT_AWS], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert re.search(r"\b[1-9]\d* failed", output) is None and re.search(r"\b[1-9]\d* skipped", output), output
    assert "pip install 'tts-harness[aws]'" in output, output
