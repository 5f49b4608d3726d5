"""The contract suite ships in the package: `pytest --tts-contracts` collects it anywhere, `tts-harness contracts
run|record` run it in the repository they are called from, and this repository's `contracts/` runs the same
modules (one import each), so the count of tests is the suite's."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from harness.cli.contract_suite import suite_arguments
from harness.contracts.suite import SUITE_DIR
from tests.helpers.child_pytest import pytest_command
from tests.helpers.providers_file import speech_table

REPO = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    """A user's shell: no providers file named, the repository importable only as the installed package is."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTS_HARNESS_")}
    return {**env, **extra}


def _collected(args: list[str], cwd: Path) -> int:
    done = subprocess.run(
        pytest_command("--collect-only", "-q", *args), cwd=cwd, env=_env(), capture_output=True, text=True, timeout=300
    )
    found = re.search(r"(\d+) tests? collected", done.stdout)
    assert found, done.stdout[-2000:] + done.stderr[-2000:]
    return int(found.group(1))


def test_the_packaged_suite_is_what_contracts_runs(tmp_path: Path) -> None:
    """From a folder that is not this repository, `--tts-contracts` collects the packaged suite, the same
    tests as this repository's `contracts/` (whose modules are one import each)."""
    shims = sorted(path.name for path in (REPO / "contracts").glob("test_*.py"))
    assert shims == sorted(path.name for path in SUITE_DIR.glob("test_*.py"))
    for shim in shims:
        assert (REPO / "contracts" / shim).read_text(encoding="utf-8").count("\n") <= 4, shim
    # Isolated from this checkout's pytest configuration, as `tts-harness contracts run` runs it.
    isolated = suite_arguments(None, False, None, None, None, None)
    assert _collected(isolated, tmp_path) == _collected(["contracts"], REPO) > 1000


def test_the_suite_is_collected_beside_the_paths_named(tmp_path: Path) -> None:
    """`pytest --tts-contracts tests/` is the user's tests and the contract suite, in one run."""
    (tmp_path / "test_mine.py").write_text("def test_mine() -> None:\n    assert True\n", encoding="utf-8")
    isolated = suite_arguments(None, False, None, None, None, None)
    assert _collected([*isolated, str(tmp_path / "test_mine.py")], tmp_path) == _collected(isolated, tmp_path) + 1


def test_contracts_run_writes_junit_and_passes_pytest_options_through(tmp_path: Path) -> None:
    junit = tmp_path / "out" / "contracts.xml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "contracts",
            "run",
            "--junit",
            str(junit),
            "--",
            "-k",
            "test_mutations",
            "-q",
        ],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert suite is not None and int(suite.get("tests", 0)) > 10 and suite.get("failures") == "0"
    assert not (tmp_path / ".pytest_cache").exists()  # nothing left in the user's folder but what was asked


def test_a_bad_target_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", "contracts", "run", "--target", "nowhere"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    assert "--tts-target" in done.stderr and "Traceback" not in done.stderr + done.stdout


@pytest.mark.slow
def test_a_consumer_records_its_declared_provider_then_replays_it(tmp_path: Path) -> None:
    """`contracts record` writes the declared provider's answers (from the sandbox's imitation) beside the
    providers file, never into the installed harness; `contracts run` then replays them, nothing skipped."""
    (tmp_path / "tts-harness.toml").write_text(
        speech_table(
            "mybox",
            "http://gpu-box.internal:8000/v1",
            "MYBOX_KEY",
            models=("kokoro",),
            voices=("af_bella",),
            formats=("wav", "mp3"),
        ),
        encoding="utf-8",
    )
    select = ["--", "-k", "mybox and test_scenarios", "-q", "-rs"]
    before = subprocess.run(
        [sys.executable, "-m", "harness.cli", "contracts", "run", *select],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert before.returncode == 0 and "tts-harness contracts record" in before.stdout, before.stdout[-2000:]
    recorded = subprocess.run(
        [sys.executable, "-m", "harness.cli", "contracts", "record", *select],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert recorded.returncode == 0, recorded.stdout[-3000:] + recorded.stderr[-2000:]
    written = list((tmp_path / "tts-harness-fixtures" / "scenarios" / "mybox").rglob("*.json"))
    assert written, recorded.stdout[-2000:]
    replayed = subprocess.run(
        [sys.executable, "-m", "harness.cli", "contracts", "run", *select],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert replayed.returncode == 0, replayed.stdout[-3000:]
    assert f"; {len(written)} passed, 0 failed, 0 skipped" in replayed.stdout, replayed.stdout[-2000:]
