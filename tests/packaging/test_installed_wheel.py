"""tts-harness as a dependency: the built wheel, installed with `[bench]` into a fresh virtual environment
(no system site-packages, nothing of this checkout on its path), works in folders that are not this repository.

- In an empty folder, `tts-harness bench run` benchmarks against the sandbox: every job ok, similarity for
  the cloning models, the report written. The corpora, the reference voices and the built-in providers'
  fixtures are package data.
- Installed with no extra (`pip install tts-harness`), `python -m pytest --tts-contracts` and
  `tts-harness contracts run` in an empty folder are green: the replayed contract suite needs no extra.
- In a folder holding only a providers file and a baseline (examples/ci's), the steps of the example
  workflow (examples/ci/github-actions.yml, read from the file so the example cannot go stale) run as a
  consumer's CI runs them: the packaged contract suite replaying and against the sandbox, and the gate.

The wheel and its environment are built once per session and take about a minute
(the dependencies come from the machine's index and pip cache); the runs take a few more. So these tests
are opt-in: marked `packaging` and run when TTS_HARNESS_PACKAGING=1, which .ci/run sets for its own step
after the main test command (the main command stays within its time budget).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from harness.core.registry import providers

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "ci"
WORKFLOW = EXAMPLE / "github-actions.yml"
OPT_IN = "TTS_HARNESS_PACKAGING"
INSTALL = "pip install 'tts-harness[bench]'"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.packaging,
    pytest.mark.xdist_group("packaging"),  # one worker: it builds the environment once, for all three
    pytest.mark.skipif(os.environ.get(OPT_IN) != "1", reason=f"opt-in: {OPT_IN}=1 (.ci/run sets it for its step)"),
]


def _build(folder: Path, extras: str = "[bench]") -> None:
    """The wheel (`pip wheel --no-deps`), and a fresh venv holding it with the dependencies of `extras`."""
    wheels = folder / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True, timeout=300)
    (wheel,) = wheels.glob("tts_harness-*.whl")
    started = time.monotonic()
    subprocess.run(
        [str(folder / "venv" / "bin" / "pip"), "install", "-q", f"{wheel}{extras}"],
        check=True,
        capture_output=True,
        timeout=900,
    )
    (folder / "install-seconds.txt").write_text(f"{time.monotonic() - started:.0f}\n", encoding="utf-8")


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding `wheels/` and `venv/`, built where it stays: a venv's scripts name their folder,
    so it cannot be built aside and moved (tests.helpers.shared's way). The tests share one xdist group,
    so one worker builds it once."""
    folder = tmp_path_factory.mktemp("installed-wheel")
    _build(folder)
    return folder


@pytest.fixture(scope="session")
def base_installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same, installed as `pip install tts-harness`: no extra (its dependencies take seconds)."""
    folder = tmp_path_factory.mktemp("base-install")
    _build(folder, extras="")
    return folder


def _env(installed: Path) -> dict[str, str]:
    """A consumer's shell: the venv's commands first, nothing of this checkout importable."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTEST_ADDOPTS", "VIRTUAL_ENV") and not k.startswith("TTS_HARNESS_")
    }
    return {**env, "PATH": f"{installed / 'venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"}


def _shell(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=1200
    )


def test_the_wheel_holds_what_a_run_needs(installed: Path) -> None:
    (wheel,) = (installed / "wheels").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = REPO / "harness" / "data"
    shipped = {f"harness/data/{p.relative_to(data)}" for p in data.rglob("*") if p.is_file()}
    assert shipped <= names, sorted(shipped - names)[:10]
    assert {
        "harness/data/corpora/en_read.json",
        "harness/data/voices/joe_reference.wav",
        "harness/data/fixtures/docs/pixazo.json",
        "harness/contracts/suite/test_scenarios.py",
    } <= names
    assert not [n for n in names if n.startswith(("fixtures/", "benchmarks/", "contracts/", "tests/"))]
    # The venv is a fresh one: the installed harness, not this checkout's.
    python = installed / "venv" / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import harness; print(harness.__file__)"],
        cwd=installed,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "site-packages" in where and str(REPO) not in where


def test_bench_run_in_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    cloning = sorted(f"{p.name}/{o.name}" for p in providers().values() for o in p.offerings if o.clones)
    models = [*cloning, "ttsai/piper"]
    done = _shell(
        f"tts-harness bench run --models {','.join(models)} --corpus en_read:2 --sandbox-profile fast",
        tmp_path,
        _env(installed),
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with sqlite3.connect(tmp_path / "reports" / "runs.db") as db:
        outcomes = db.execute("SELECT provider || '/' || model, outcome FROM jobs").fetchall()
        similar = dict(
            db.execute(
                "SELECT c.provider || '/' || c.model, min(s.similarity IS NOT NULL) FROM clips c "
                "JOIN scores s ON s.clip_id = c.clip_id GROUP BY 1"
            ).fetchall()
        )
    assert len(outcomes) == 2 * len(models) and {outcome for _, outcome in outcomes} == {"ok"}, outcomes
    assert {model: similar.get(model) for model in cloning} == dict.fromkeys(cloning, 1), similar
    assert len(list((tmp_path / "reports").glob("*/index.html"))) == 1


@pytest.mark.parametrize("command", ["python -m pytest --tts-contracts -q", "tts-harness contracts run"])
def test_the_base_install_runs_its_contract_suite(base_installed: Path, tmp_path: Path, command: str) -> None:
    """`pip install tts-harness`, then the contract suite in an empty folder: every replayed check passes with
    no extra installed (a check that needs one would skip, naming it)."""
    env = _env(base_installed)
    absent = _shell("python -c 'import numpy'", tmp_path, env)
    assert absent.returncode != 0 and "No module named 'numpy'" in absent.stderr  # the install is a base one
    done = _shell(command, tmp_path, env)
    output = done.stdout + done.stderr
    summary = done.stdout.strip().splitlines()[-1]  # stderr may end with a plugin's warning (pytest-asyncio's)
    assert done.returncode == 0, output[-6000:]
    assert " failed" not in summary and " error" not in summary, summary
    passed = re.search(r"(\d+) passed", summary)
    assert passed is not None and int(passed[1]) > 1000, summary


def _gate_steps() -> list[tuple[str, str]]:
    """The gate job's shell steps after its install step, as the example workflow writes them."""
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["gate"]["steps"]
    runs = [(step.get("name", ""), step["run"]) for step in steps if "run" in step]
    assert runs[0] == ("Install", INSTALL), runs[0]  # done here from the wheel, as the index would
    return runs[1:]


def test_a_consumer_repository_runs_the_example_workflow(installed: Path, tmp_path: Path) -> None:
    repository = tmp_path / "consumer"
    repository.mkdir()
    shutil.copy(EXAMPLE / "tts-harness.toml", repository)
    shutil.copytree(EXAMPLE / "tts-harness-baseline", repository / "tts-harness-baseline")
    env = _env(installed)
    for name, command in _gate_steps():
        done = _shell(command, repository, env)
        assert done.returncode == 0, f"{name}: {command}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    results = repository / "reports" / "ci"
    replay = ElementTree.parse(results / "contracts-replay.xml").getroot().find("testsuite")
    sandbox = ElementTree.parse(results / "contracts-sandbox.xml").getroot().find("testsuite")
    assert replay is not None and int(replay.get("tests", 0)) > 1000 and replay.get("failures") == "0"
    assert sandbox is not None and int(sandbox.get("tests", 0)) > 10 and sandbox.get("failures") == "0"
    compare = ElementTree.parse(results / "compare.xml").getroot()
    # 3 models, 7 checks each (the seventh the check registry's speaking pace: tests/report/test_report_ci_example.py
    # says why the baseline can judge it), and the seams of the two whose answers stream
    names = [case.get("name", "") for case in compare.iter("testcase")]
    assert compare.get("failures") == "0" and len(names) == 23 and names.count("seam findings per minute") == 2, names
    assert names.count("speaking pace: pace wpm (paired ratio)") == 3, names
    (report,) = results.glob("*/index.html")
    assert 'id="baseline"' in report.read_text(encoding="utf-8")
