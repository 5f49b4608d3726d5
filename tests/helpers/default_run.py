"""The README's run, made once per test session and shared: `tts-harness bench run` with no option, in a
folder of its own, exactly as a newcomer types it (the sandbox, every provider and model, scoring, the
report). The docs-examples test runs the examples that name a run (`RUN_ID`) against it, and the report's
browser test screenshots its report.

A plugin of the root conftest (`pytest_plugins`), so every test module of one session gets the same run;
under pytest-xdist every worker reads the one run the first worker made (tests.helpers.shared). The run starts in
the background as the session's first test starts, where any test of the session reads it: no worker waits on it
while it is made, and its readers run last (the root conftest orders them), when it is long done.
`TTS_HARNESS_README_RUN=FOLDER` reuses a folder where that command already ran with this checkout (to
iterate on a test without waiting for the run again); unset, as in CI, the run is made.

The run takes minutes of the two cores by itself (its DNSMOS a CPU-second a clip, 159 clips), and the documents'
examples as many again: they are the docs step of .ci/run, after the main test command, as the packaging step is
(opt-in: `TTS_HARNESS_DOCS=1`, which that step sets). Every test that reads the run is marked `docs` here, as the
examples' tests are in their module; without the opt-in they skip saying how to run them, and no run is made.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from threading import Lock, Thread

import pytest

from tests.helpers.shared import built_once

VENV_BIN = Path(sys.executable).parent  # the repository's venv: its `tts-harness` is this checkout's
RUN_TIMEOUT_S = 1800  # minutes on an idle 2-core machine; far more when it is shared


@dataclass(frozen=True, slots=True)
class DefaultRun:
    folder: Path  # where the command ran; its reports/ holds runs.db, audio and the report
    run_id: str
    output: str  # what the command printed (stdout, then stderr)

    @property
    def db(self) -> Path:
        return self.folder / "reports" / "runs.db"

    @property
    def report(self) -> Path:
        return self.folder / "reports" / self.run_id / "index.html"


FIXTURE = "default_run"  # the fixture below: a test that names it reads the run
OPT_IN = "TTS_HARNESS_DOCS"
SKIPPED_WITHOUT = (
    f"opt-in: {OPT_IN}=1 python -m pytest -m docs (the README's run and the documents' examples, "
    "minutes on 2 cores: a step of .ci/run)"
)


def opted_in() -> bool:
    """Whether this session runs the docs step's tests (the README's run is made for them)."""
    return os.environ.get(OPT_IN) == "1"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = None if opted_in() else pytest.mark.skip(reason=SKIPPED_WITHOUT)
    for item in items:
        if FIXTURE in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.docs)
        if skip is not None and item.get_closest_marker("docs") is not None:
            item.add_marker(skip)


def shell_env(**extra: str) -> dict[str, str]:
    """The environment an example runs in: the repository's venv first on PATH, no providers file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTS_HARNESS_PROVIDERS")}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(VENV_BIN.parent)
    return {**env, **extra}


# This process's start of the run (its thread's outcome), or None until the session's first test starts it.
_started: Future[Path] | None = None
_one_build = Lock()  # in one process built_once takes no file lock: the thread and a reader share this
_running: set[subprocess.Popen[str]] = set()  # the command while it runs, stopped if the session ends first
STOP_GRACE_S = 20  # for the command to stop its sandbox after Ctrl-C, before it is killed


def pytest_unconfigure(config: pytest.Config) -> None:
    """A session that ends before the run does (`-x`, Ctrl-C, a narrow selection's last test) stops it, as Ctrl-C
    stops a user's run: the thread making it is a daemon, and the command left behind ran on alone for minutes."""
    for command in list(_running):
        command.send_signal(signal.SIGINT)
        try:
            command.wait(STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            command.kill()


def _made(tmp_path_factory: pytest.TempPathFactory, *, controller: bool = False) -> Path:
    with _one_build:
        return built_once(
            tmp_path_factory, "readme-run", _run_the_readme_command, others_yield=True, controller=controller
        )


def start_making(factory: pytest.TempPathFactory, *, controller: bool = False) -> Future[Path]:
    """Start making the README's run in a thread of this process; the Future holds the run's folder, or the failure
    it met (a reader then fails with the command's output; in the controller, the workers make it again)."""
    # The session's folder is made here, before the thread starts: pytest makes it on first use (an xdist worker's
    # given folder is emptied first) and takes no lock, so a thread making it while this process's first test or
    # pytest-xdist makes it too empties it under them (a first test's SQLite file then read "disk I/O error").
    factory.getbasetemp()
    started: Future[Path] = Future()

    def make() -> None:
        try:
            started.set_result(_made(factory, controller=controller))
        except BaseException as exc:
            started.set_exception(exc)

    Thread(target=make, name="readme-run", daemon=True).start()
    return started


def start_in_the_controller(config: pytest.Config) -> None:
    """Under pytest-xdist, the whole suite (`python -m pytest`, no selection): the controller starts the README's
    run before the workers start, while they start and collect (a third of a minute the cores are half idle); the
    workers' threads then wait on its lock. Any narrower session leaves it to the workers, which know their
    tests (a selection may read no run at all)."""
    global _started
    options = config.option
    if (
        not opted_in()
        or os.environ.get("TTS_HARNESS_README_RUN")
        or config.args_source is not pytest.Config.ArgsSource.TESTPATHS
    ):
        return
    if options.keyword or options.markexpr not in ("", "docs") or getattr(options, "lf", False) or options.collectonly:
        return
    # pytest's own factory, as its tmp_path fixtures use
    _started = start_making(config._tmp_path_factory, controller=True)  # type: ignore[attr-defined]


@pytest.fixture(scope="session", autouse=True)
def _readme_run_started(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The README's run, started in a thread as this process's first test starts, where a test of the session reads
    it. Each xdist worker starts one: the first takes the build's lock and makes the run while its own tests go on,
    the others' threads wait on the lock; a reader takes the thread's outcome (the run, or the failure it met)."""
    global _started
    if _started is not None or os.environ.get("TTS_HARNESS_README_RUN") or not opted_in():
        return
    if not any(FIXTURE in getattr(item, "fixturenames", ()) for item in request.session.items):
        return
    _started = start_making(tmp_path_factory)


@pytest.fixture(scope="session")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> DefaultRun:
    given = os.environ.get("TTS_HARNESS_README_RUN")
    # Made once per session, by whichever xdist worker's thread took the lock first; the others read it.
    folder = Path(given) if given else _started.result() if _started is not None else _made(tmp_path_factory)
    output_file = folder / "output.txt"
    output = output_file.read_text(encoding="utf-8") if output_file.is_file() else ""
    db = sqlite3.connect(f"file:{folder / 'reports' / 'runs.db'}?mode=ro", uri=True)
    try:
        (run_id,) = db.execute("SELECT run_id FROM runs ORDER BY created_at DESC LIMIT 1").fetchone()
    finally:
        db.close()
    return DefaultRun(folder, str(run_id), output)


def _run_the_readme_command(folder: Path) -> None:
    folder.mkdir()
    with subprocess.Popen(
        ["tts-harness", "bench", "run"],
        cwd=folder,
        env=shell_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as command:
        _running.add(command)
        try:
            stdout, stderr = command.communicate(timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            command.kill()
            stdout, stderr = command.communicate()
        finally:
            _running.discard(command)
    output = stdout + stderr
    assert command.returncode == 0, output[-4000:]
    (folder / "output.txt").write_text(output, encoding="utf-8")  # what the command printed, for every worker
    # Readers share this folder (and copy it) while others read it: a database in WAL mode grows and drops
    # -wal and -shm files under every reader, so the published one keeps its rows in the one file.
    db = sqlite3.connect(folder / "reports" / "runs.db")
    try:
        db.execute("PRAGMA journal_mode=DELETE")
    finally:
        db.close()
