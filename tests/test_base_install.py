"""A base install (`pip install -e .`: no numpy, no sandbox or score extra) can run the repository's pytest:
the root conftest and what it imports at configuration time import the extras' modules only where they are
used. Proved in a subprocess that makes numpy and the sandbox extra's modules unimportable (a `None` in
`sys.modules` is how Python itself refuses an import), then configures pytest on the repository and collects
`contracts/`'s smallest module: before the fix, `pytest_configure` stopped the session with INTERNALERROR.

And the packaged contract suite, replayed, is green in a base install (`pip install tts-harness`, then
`tts-harness contracts run` in an empty folder): run where everything only an extra brings is hidden
(tests.helpers.base_install, read from the requirements, not listed here). Before, the realtime checks read
their audio with numpy: 77 failed. tests/packaging installs the real wheel without extras and runs both
commands (opt-in: minutes), the whole suite; here, where the question is what the checks' code imports, every
check runs once for each provider it checks (tests.helpers.one_check_per_provider): an eighth of the items, each
check's code and each provider's declaration.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.base_install import base_install_env
from tests.helpers.child_pytest import pytest_command_in
from tests.helpers.repo import REPO_ROOT

# Each test is a pytest or a CLI run in a subprocess, a minute of it waiting on timed replays: started early.
pytestmark = pytest.mark.slow

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
    done = subprocess.run(
        [sys.executable, "-c", BASE_INSTALL], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
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
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_AWS], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert re.search(r"\b[1-9]\d* failed", output) is None and re.search(r"\b[1-9]\d* skipped", output), output
    assert "pip install 'tts-harness[aws]'" in output, output


HIDDEN = """
import importlib.util
for name in ("numpy", "soundfile", "soxr", "scipy", "piper", "onnxruntime", "faster_whisper", "plotly", "pyarrow",
             "botocore", "starlette", "xdist"):
    assert importlib.util.find_spec(name) is None, name
    try:
        __import__(name)
    except ModuleNotFoundError:
        continue
    raise AssertionError(f"{name} imported")
import harness.contracts.frame_checks, msgpack, websockets  # the base install's own
"""


@pytest.mark.clock  # the replays keep the recorded streams' timing
def test_the_replayed_contract_suite_is_green_where_no_extra_is_installed(tmp_path: Path) -> None:
    env = base_install_env(tmp_path / "base-install")
    hidden = subprocess.run([sys.executable, "-c", HIDDEN], env=env, capture_output=True, text=True, timeout=60)
    assert hidden.returncode == 0, hidden.stderr  # the extras are hidden as an uninstalled package is
    empty = tmp_path / "empty"
    empty.mkdir()
    env["PYTHONPATH"] += os.pathsep + str(REPO_ROOT)  # for the sampling plugin (tests.helpers), nothing hidden
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "contracts",
            "run",
            "--",
            "-q",
            "-rs",
            "-p",
            "tests.helpers.one_check_per_provider",
        ],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    summary = output.strip().splitlines()[-1]
    assert done.returncode == 0, output[-6000:]
    assert re.search(r"\b(failed|errors?)\b", summary) is None, summary
    passed = re.search(r"(\d+) passed", summary)
    # Every check of the suite, once for each provider it checks (about 300 items of 2,700).
    assert passed is not None and int(passed[1]) > 250 and "deselected" in summary, summary
    # A check that needs an extra skips naming it (Polly's SigV4 signer: the aws extra).
    needing = [line for line in output.splitlines() if line.startswith("SKIPPED") and "pip install" in line]
    assert needing and all("pip install 'tts-harness[" in line for line in needing), needing


NEWCOMER_TESTS = ("tests/providers/test_client_defaults.py", "tests/contracts/test_family_checks_on_the_sandbox.py")


def test_a_bench_install_skips_what_needs_another_extra_naming_it(tmp_path: Path) -> None:
    """The README's first command installs `.[bench]` alone: no official clients (the test and realtime-clients
    extras), no pytest-xdist (dev). There `python -m pytest` skips a test that needs a client, saying which extra
    brings it, and the family check's own pytest runs in one process without xdist. Before, four client tests failed
    on their imports and the family check on `-n` (xdist's option): 5 failed."""
    env = base_install_env(tmp_path / "bench-install", ("bench",))
    env["PYTHONPATH"] += os.pathsep + str(REPO_ROOT)  # this checkout's harness, not an editable install's elsewhere
    needed = "official_client or mistral_speaks or mistral_realtime or family_checks"  # what needed the absent
    # The child's options as that install gives them (no xdist there, so no --numprocesses: pyproject's `auto` is
    # left to the conftest's stand-in option, which says the tests run in one process).
    newcomer = [*pytest_command_in(env, REPO_ROOT), "-rs", *NEWCOMER_TESTS, "-k", needed]
    done = subprocess.run(newcomer, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    summary = output.strip().splitlines()[-1]
    assert "pytest-xdist is not installed or disabled" in output, output[-3000:]  # the dev extra is hidden
    assert done.returncode == 0, output[-6000:]
    assert re.search(r"\b(failed|errors?)\b", summary) is None, summary
    skipped = [line for line in output.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 4 and all(
        "pip install -e .[test]" in line or "pip install -e .[realtime-clients]" in line for line in skipped
    ), skipped
    assert any("realtime-clients" in line for line in skipped), skipped
    passed = re.search(r"(\d+) passed", summary)
    assert passed is not None and int(passed[1]) == 1, summary  # the family check, in one process
