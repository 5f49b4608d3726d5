"""Repository-wide test configuration: pytester drives the plugin's own tests, and the run is laid out in
parallel by default while still runnable in one process.

pyproject's `addopts` asks pytest-xdist for `--numprocesses=auto --dist=loadgroup`, so `python -m pytest` is the fast
command. This file keeps the other ways of running working:
  - without pytest-xdist (a clone installed with only `.[bench]`) or with `-p no:xdist` (debugging), the
    options `--numprocesses` and `--dist` are still accepted, and the header says the tests run in one process;
  - a pytest a test starts itself (a subprocess in this checkout) runs in one process: the suite is already
    spread over the cores, and nested workers would only compete for them;
  - `auto` is three workers per two usable CPUs for the suite or a folder (many tests wait on clocks and
    servers), and one process for named test files;
  - a module whose tests share a fixture of the module's own (a benchmark run, a sandbox, a browser) runs
    on one worker, which builds it once (tests.helpers.xdist_groups keeps that true on pytest 9.2);
  - under xdist, in the docs step (`TTS_HARNESS_DOCS=1`), the README's run (tests.helpers.default_run) is made in
    the background from the session's start, while the other workers run at a lower priority
    (tests.helpers.shared); the work is handed out the tests marked `clock` first, as one group (one worker
    waits on clocks while the others compute), then the slow groups, then the other groups largest first, then
    the single tests in an order that spreads the ones waiting on clocks, and the run's readers last, when it is
    long made (the slow ones first among them);
  - the controller writes the checkout's bytecode once before the workers start (tests.helpers.bytecode),
    instead of each worker compiling the same modules in a fresh clone;
  - a parallel session's summary ends with the machine's pace at its start and end (tests.helpers.machine_pace):
    the suite's time is read beside it.
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import sys
import tempfile
import zlib
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers.bytecode import write_bytecode_once
from tests.helpers.child_pytest import one_process
from tests.helpers.machine_pace import loop_cpu_ms, say
from tests.helpers.shared import usable_cpus, yield_to_a_shared_build
from tests.helpers.shared_tls import share_default_tls_contexts

# Bytecode is written for this session even where PYTHONDONTWRITEBYTECODE is set (as on this machine):
# without it every python the suite starts (the xdist workers, the CLI and pytest runs in subprocesses, the
# sandboxes) compiles and assertion-rewrites the same ~600 modules again (about a fifth of the suite's CPU:
# docs/measurements.md). The bytecode goes to the git-ignored `__pycache__` folders, where Python puts it
# by default.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# default_run: the README run, once; xdist_groups: loadgroup on pytest 9.2
pytest_plugins = ["pytester", "tests.helpers.default_run", "tests.helpers.xdist_groups"]
SHARED_RUN = "default_run"  # the session's one expensive shared fixture (tests.helpers.default_run)
WORKERS_PER_TWO_CPUS = 3  # see pytest_xdist_auto_num_workers
CLOCK_GROUP = "clock"  # the xdist group of the tests marked `clock` (pytest_collection_modifyitems)


def _xdist_active(config: pytest.Config) -> bool:
    return config.pluginmanager.has_plugin("xdist")


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if pluginmanager.has_plugin("xdist"):
        return
    group = parser.getgroup("xdist-absent", "pytest-xdist is not installed or disabled")
    # Only the long names: pytest reserves one-letter options to itself (pyproject spells them out).
    group.addoption(
        "--numprocesses",
        dest="numprocesses",
        default=None,
        help="ignored: pytest-xdist is not installed or disabled (tests run in one process)",
    )
    group.addoption("--dist", dest="dist", default="no", help="ignored: pytest-xdist is not installed or disabled")


def pytest_report_header(config: pytest.Config) -> str | None:
    if not _xdist_active(config) and config.getoption("numprocesses") not in (None, "0", 0):
        return "pytest-xdist is not installed or disabled: the tests run in one process"
    return None


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`--numprocesses=auto`: three workers for every two CPUs this process may use, and none when the command
    names only test files or test ids, where starting the workers costs more than they save.
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides if set.

    Three for two: while the README's run is made in the background (a core's worth of work, from the session's
    start: tests.helpers.default_run), one worker computes while another waits (sockets, subprocesses, timed
    replays, the sandbox's emulated job latency). More workers keep the cores busier but cost more CPU for the same
    tests: each collects the suite and loads the models again, and their thread pools (Piper's, CTranslate2's)
    contend. On 2 cores: four workers 7 min 31 s (785 CPU-seconds), three 7 min 14 s (752) (docs/measurements.md).
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    if config.args and all(Path(arg.split("::")[0]).is_file() for arg in config.args):
        return 0
    return max(1, WORKERS_PER_TWO_CPUS * usable_cpus() // 2)


def _share_renders(config: pytest.Config) -> None:
    """One folder of Piper renders for the whole session: the workers, the sandboxes and every CLI, benchmark
    and example a test starts speak the same corpus, and a render is identical wherever it is made, so about
    half of the suite's Piper passes are repeats a shared folder saves. Tests of rendering itself pass
    `store=None`."""
    if hasattr(config, "workerinput"):
        return  # a worker inherits the controller's folder
    try:  # here, not at the top: harness.speech needs the sandbox extra (numpy, soundfile, soxr)
        from harness.speech._render_store import ENVIRONMENT_VARIABLE
    except ModuleNotFoundError:
        return  # a base install (`pip install -e .`): nothing renders with Piper, so there is nothing to share

    if os.environ.get(ENVIRONMENT_VARIABLE):
        return  # a user's or an outer session's folder is kept
    folder = tempfile.mkdtemp(prefix="tts-harness-renders-")
    os.environ[ENVIRONMENT_VARIABLE] = folder

    def forget() -> None:
        os.environ.pop(ENVIRONMENT_VARIABLE, None)
        shutil.rmtree(folder, ignore_errors=True)

    config.add_cleanup(forget)


_finished_worker = False  # set as an xdist worker unconfigures: its results are with the controller by then


def _end_a_finished_worker_at_once() -> None:
    """An xdist worker that has finished ends without the interpreter's teardown, which frees the whole session's heap
    (models, sandboxes, parsed declarations) object by object: the controller waits for every worker's process to
    end, and measured, the last worker's teardown held the session for about 4 s. Registered as this module is
    imported, before the libraries the tests import register theirs, so it runs after all of them (atexit runs the
    last registered first): only the freeing is skipped."""
    if _finished_worker:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


atexit.register(_end_a_finished_worker_at_once)


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """A finished worker's heap frozen before pytest's unraisable-exception plugin collects the garbage (a full
    collection in its unconfigure and another in its cleanup): over a worker's heap of models, sandboxes and
    arrays, those two took up to 10 s of the session's end (py-spy over a whole session), while the worker then
    ends without freeing anything (`_end_a_finished_worker_at_once`). What that costs: cycles of garbage still
    uncollected at a worker's end are not searched for an exception raised in a finaliser (the automatic collections
    during the session, a run in one process and the controller still search)."""
    global _finished_worker
    _finished_worker = hasattr(config, "workerinput")
    if _finished_worker:
        gc.freeze()


def pytest_configure(config: pytest.Config) -> None:
    _share_renders(config)
    share_default_tls_contexts()  # the tests' own `httpx.get(...)`: one TLS context, not one each (50 ms)
    if not _xdist_active(config):
        config.addinivalue_line("markers", "xdist_group(name): run on one worker under pytest-xdist (ignored here)")
        return
    # xdist hands the groups out in the order the conftest sorts them (pytest_collection_modifyitems), not largest
    # first: its reordering would send the README run's grouped readers out first, to wait for the run.
    config.option.loadscopereorder = False
    # Read by a pytest started in a subprocess; appended after its own addopts, so it wins (tests.helpers.child_pytest:
    # only the options its install has).
    os.environ["PYTEST_ADDOPTS"] = " ".join(filter(None, [os.environ.get("PYTEST_ADDOPTS"), *one_process()]))


_pace_at_start_ms: float | None = None  # the machine's pace when this session started (tests.helpers.machine_pace)


def pytest_sessionstart(session: pytest.Session) -> None:
    global _pace_at_start_ms
    # Before pytest-xdist starts the workers (its own sessionstart runs last): each would compile the same
    # modules at once in a fresh clone (tests.helpers.bytecode).
    if session.config.pluginmanager.has_plugin("dsession"):  # the controller of a parallel session (no child pytest)
        _pace_at_start_ms = loop_cpu_ms()
        write_bytecode_once(session.config)
        from tests.helpers.default_run import start_in_the_controller  # a plugin of this conftest's, registered

        start_in_the_controller(session.config)  # the README's run, while the workers start and collect


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _pace_at_start_ms is not None:
        say(terminalreporter, _pace_at_start_ms, loop_cpu_ms())


@pytest.fixture(autouse=True)
def _yield_to_a_shared_build(tmp_path_factory: pytest.TempPathFactory) -> None:
    """While another worker builds the README's run, this one lowers its priority (tests.helpers.shared)."""
    yield_to_a_shared_build(tmp_path_factory)


def _shares_a_module_fixture(item: pytest.Item) -> bool:
    """Whether the test uses a fixture its own module defines for the whole module (or a class of it): written there,
    or imported into it (the contract suite's `contracts/` modules re-export the packaged suite's, whose fixtures
    pytest registers under the importing module)."""
    info = getattr(item, "_fixtureinfo", None)
    module = getattr(item, "module", None)
    if info is None or module is None:
        return False
    module_id = item.nodeid.split("::")[0]
    return any(
        fixture.scope in ("module", "class")
        and (getattr(fixture.func, "__module__", None) == module.__name__ or fixture.baseid.split("::")[0] == module_id)
        for fixtures in info.name2fixturedefs.values()
        for fixture in fixtures
    )


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (its own hook of this name)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not hasattr(config, "workerinput"):
        return  # one process: collection order (fast tests first give the quickest failure)
    # A module whose tests share a module fixture (a benchmark run, a sandbox, a browser) goes to one worker,
    # which builds the fixture once; spread over the workers, each of them built it again.
    # The tests that wait on real clocks (`clock`: timed servers, deadlines, interrupts) go to one worker, one after
    # another, first: that worker waits while the other two compute, where spread over the workers two or three of
    # them waited at once and the cores sat idle (up to a fifth of a minute at a time, measured).
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        if item.get_closest_marker("clock") is not None:
            item.add_marker(pytest.mark.xdist_group(CLOCK_GROUP))
        elif _shares_a_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    # Every worker sorts the same collection the same way (stable), as xdist requires, and xdist hands the work out
    # in this order (`pytest_configure` turns its own reordering off): the `clock` group, the slow groups, the others,
    # larger first (what xdist's reordering did), then the single tests spread; the README run's readers last, again
    # the slow ones first. That run is made in the background from the first test on (tests.helpers.default_run): by
    # the end it is long done, and no worker sits waiting for it while the others are starved of work.
    from tests.helpers.xdist_groups import group_suffix  # a plugin of this conftest's: imported once registered

    scopes = {item: group_suffix(item) or item.nodeid for item in items}  # what xdist hands out whole
    sizes = Counter(scopes.values())
    first: dict[str, int] = {}
    reads: set[str] = set()  # a group holding a reader goes with the readers
    slow: set[str] = set()
    for index, item in enumerate(items):
        scope = scopes[item]
        first.setdefault(scope, index)
        if SHARED_RUN in getattr(item, "fixturenames", ()):
            reads.add(scope)
        if item.get_closest_marker("slow") is not None:
            slow.add(scope)
    # Readers last, the slow ones first among them: those run while the session's work runs out, so a long one
    # handed out last would end the session alone on one worker (the longest first: what LPT scheduling does).
    # Before them the slow groups, the other groups, then the single tests, slow or not, in an order of their own,
    # the same in every worker (a checksum of the id): in collection order a folder's tests that wait on real
    # clocks (deadlines, outages, recorded timings) ran on every worker at once, and the cores sat idle. Spread,
    # they wait beside other workers' computing, much of it while the README's run is made (the slow singles
    # among them: 6 s less than handing those out first).
    # And after the readers, a reserve: one in eight of the quick single tests (by the same checksum), so while the
    # last readers run (10-20 s each) the other workers still have work; measured, the readers handed out last left
    # one worker alone for the session's last 24 s.
    ranks = {
        scope: (2 if scope in reads else 0) + (0 if scope in slow and (scope in reads or sizes[scope] > 1) else 1)
        for scope in first
    }
    if f"@{CLOCK_GROUP}" in ranks:
        ranks[f"@{CLOCK_GROUP}"] = -1  # before everything: its worker waits beside the others from the start
    for scope in first:
        if sizes[scope] == 1 and scope not in reads and scope not in slow and zlib.crc32(scope.encode()) % 8 == 0:
            ranks[scope] = 4
    spread = {
        scope: zlib.crc32(scope.encode()) if sizes[scope] == 1 and scope not in reads else first[scope]
        for scope in first
    }

    def order(item: pytest.Item) -> tuple[int, int, int]:
        scope = scopes[item]
        return ranks[scope], -sizes[scope], spread[scope]

    items.sort(key=order)


def pytest_collection_finish(session: pytest.Session) -> None:
    # What collection built (modules, items, fixture definitions, parametrized ids) lives until the session
    # ends: frozen, the garbage collector stops walking it at every full collection, where most of the
    # collector's time in a worker goes (docs/measurements.md).
    gc.freeze()
    # And collected less often: a test session allocates in bursts (pydantic models, Hypothesis examples, audio
    # arrays, parsed frames) and keeps a large heap of long-lived objects (models, sandboxes, caches), so Python's
    # default thresholds (700, 10, 10) run a young collection every few hundred allocations and a full one over that
    # heap again and again: measured in one process over tests/bench, 22 s of 89 CPU-s were the collector's, 15 s of
    # them 42 full collections. At (20000, 50, 100): 0.8 s, and 3% more memory at the peak.
    gc.set_threshold(20_000, 50, 100)
