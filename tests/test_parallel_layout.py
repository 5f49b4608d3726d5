"""How the repository's conftest lays the suite out over pytest-xdist's workers: a module whose tests share
a fixture of the module's own goes to one worker (built once there, not once per worker), also on pytest 9.2
(tests.helpers.xdist_groups). The hook is called as a worker calls it, on items pytester collects; the
grouping is also checked end to end, under xdist."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zlib
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from tests.helpers.repo import REPO_ROOT
from tests.helpers.shared import YIELDING_NICENESS

SHARED = """
import pytest

@pytest.fixture(scope="module")
def built():
    return 1

@pytest.fixture
def each():
    return 2

@pytest.mark.parametrize("i", range(3))
def test_shares(built, i):
    pass

def test_alone(each):
    pass

@pytest.mark.xdist_group("named")
def test_named(built):
    pass
"""


def _root_conftest() -> ModuleType:
    """A private copy of the repository's conftest (the session's own stays as pytest loaded it)."""
    spec = importlib.util.spec_from_file_location("root_conftest_copy", REPO_ROOT / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _items(pytester: pytest.Pytester) -> list[pytest.Item]:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    return pytester.getitems(SHARED)


def _groups(items: list[pytest.Item]) -> dict[str, list[str]]:
    return {item.name: [str(mark.args[0]) for mark in item.iter_markers("xdist_group")] for item in items}


def test_a_module_fixture_keeps_its_module_on_one_worker(pytester: pytest.Pytester) -> None:
    items = _items(pytester)
    _root_conftest().pytest_collection_modifyitems(SimpleNamespace(workerinput={}), items)
    groups = _groups(items)
    module = items[0].nodeid.split("::")[0]
    assert [groups[f"test_shares[{i}]"] for i in range(3)] == [[module]] * 3
    assert groups["test_alone"] == []  # a function fixture only: free to go anywhere
    assert groups["test_named"] == ["named"]  # a group the test names itself wins


def test_a_module_fixture_imported_from_elsewhere_keeps_its_module_on_one_worker(pytester: pytest.Pytester) -> None:
    """As `contracts/` re-exports the packaged suite's modules (`from harness.contracts.suite.test_fuzz import *`):
    pytest registers the imported fixture under the importing module, and built once a module it must stay so."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        packaged_suite="import pytest\n\n@pytest.fixture(scope='module')\ndef shared():\n"
        "    return 1\n\ndef test_uses(shared):\n    pass\n"
    )
    pytester.syspathinsert()
    items = pytester.getitems("from packaged_suite import *  # noqa: F403\n")
    _root_conftest().pytest_collection_modifyitems(SimpleNamespace(workerinput={}), items)
    assert [item.name for item in items] == ["test_uses"]
    assert _groups(items)["test_uses"] == [items[0].nodeid.split("::")[0]]


def test_in_one_process_nothing_is_grouped(pytester: pytest.Pytester) -> None:
    items = _items(pytester)
    _root_conftest().pytest_collection_modifyitems(SimpleNamespace(), items)  # no workerinput: not a worker
    assert _groups(items)["test_shares[0]"] == []


ORDERED = """
import pytest

@pytest.fixture(scope="session")
def default_run():
    return 1

@pytest.fixture(scope="module")
def built():
    return 1

def test_first_plain():
    pass

def test_reads_alone(default_run):
    pass

@pytest.mark.slow
def test_slow():
    pass

@pytest.mark.slow
@pytest.mark.parametrize("i", range(2))
@pytest.mark.xdist_group("slow")
def test_slow_group(i):
    pass

@pytest.mark.parametrize("i", range(2))
@pytest.mark.xdist_group("small")
def test_small_group(i):
    pass

@pytest.mark.parametrize("i", range(3))
def test_big_group(built, i):
    pass

@pytest.mark.xdist_group("reading")
def test_grouped_reader(default_run):
    pass

@pytest.mark.xdist_group("reading")
def test_grouped_beside_the_reader():
    pass

@pytest.mark.slow
def test_slow_reader(default_run):
    pass

def test_last_plain():
    pass
"""


def test_slow_groups_first_then_groups_then_singles_spread_and_the_readme_runs_readers_last(
    pytester: pytest.Pytester,
) -> None:
    """The order xdist hands the work out in (its own reordering is off): the README's run is made in the
    background from the first test on (tests.helpers.default_run), so its readers, alone or in a group, come last,
    when it is made, the slow ones first; before them the slow groups, then the other groups largest first, a
    group's tests together, then the single tests, slow or not, spread; after them a reserve of quick single tests.
    """
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\nmarkers =\n    slow: slow\n")
    items = pytester.getitems(ORDERED)
    singles = {
        item.name: item.nodeid for item in items if item.name in ("test_first_plain", "test_last_plain", "test_slow")
    }
    _root_conftest().pytest_collection_modifyitems(SimpleNamespace(workerinput={}), items)
    # The single tests, slow or not, in an order of their own (a checksum of the id, the same in every worker).
    spread = sorted(singles, key=lambda name: zlib.crc32(singles[name].encode()))
    # One in eight quick single tests (by that checksum) kept after the readers, to fill the other workers while
    # the last readers run.
    reserve = [name for name in spread if name != "test_slow" and zlib.crc32(singles[name].encode()) % 8 == 0]
    assert [item.name for item in items] == [
        "test_slow_group[0]",
        "test_slow_group[1]",
        "test_big_group[0]",
        "test_big_group[1]",
        "test_big_group[2]",
        "test_small_group[0]",
        "test_small_group[1]",
        *(name for name in spread if name not in reserve),
        "test_slow_reader",
        "test_grouped_reader",
        "test_grouped_beside_the_reader",
        "test_reads_alone",
        *reserve,
    ]


CLOCKED = """
import pytest

@pytest.fixture(scope="module")
def built():
    return 1

def test_computes():
    pass

@pytest.mark.xdist_group("big")
@pytest.mark.parametrize("i", range(3))
def test_big_group(i):
    pass

@pytest.mark.clock
def test_waits_alone():
    pass

@pytest.mark.clock
@pytest.mark.parametrize("i", range(2))
def test_waits_beside_a_module_fixture(built, i):
    pass

@pytest.mark.clock
@pytest.mark.xdist_group("named")
def test_waits_in_a_named_group():
    pass
"""


def test_the_tests_waiting_on_clocks_go_out_first_as_one_group(pytester: pytest.Pytester) -> None:
    """One worker takes every `clock` test, one after another, before anything else: while it waits, the other
    workers compute. A module fixture among them is still built once (the group is one worker's); a group a test
    names itself keeps it."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\nmarkers =\n    clock: waits\n")
    items = pytester.getitems(CLOCKED)
    conftest = _root_conftest()
    conftest.pytest_collection_modifyitems(SimpleNamespace(workerinput={}), items)
    groups = _groups(items)
    assert groups["test_waits_alone"] == groups["test_waits_beside_a_module_fixture[0]"] == [conftest.CLOCK_GROUP]
    assert groups["test_waits_in_a_named_group"] == ["named"]
    assert [item.name for item in items][:3] == [
        "test_waits_alone",
        "test_waits_beside_a_module_fixture[0]",
        "test_waits_beside_a_module_fixture[1]",
    ]
    assert [item.name for item in items][3:6] == ["test_big_group[0]", "test_big_group[1]", "test_big_group[2]"]


GROUPED = """
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("together")

@pytest.fixture(scope="module")
def built():
    with Path(os.environ["BUILT_LOG"]).open("a") as log:
        log.write(os.environ["PYTEST_XDIST_WORKER"] + "\\n")

@pytest.mark.parametrize("i", range(6))
def test_grouped(built, i):
    pass
"""


def test_a_group_runs_on_one_worker_and_builds_its_fixture_once(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end under pytest-xdist: with pytest 9.2's structured node ids, xdist 3.8's own grouping is lost
    (each worker built the module fixture again); tests.helpers.xdist_groups keeps it."""
    pytest.importorskip("xdist")
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_grouped=GROUPED, test_single="def test_a(): pass\ndef test_b(): pass\n")
    log = pytester.path / "built.log"
    monkeypatch.setenv("BUILT_LOG", str(log))
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    result = pytester.runpytest_subprocess("-n", "3", "--dist=loadgroup", "-p", "tests.helpers.xdist_groups", "-v")
    result.assert_outcomes(passed=8)
    assert log.read_text().split() == [log.read_text().split()[0]]  # built once, on one worker
    workers = {
        line.split()[0]
        for line in result.outlines
        if line.startswith("[gw") and "test_grouped.py::test_grouped" in line
    }
    assert len(workers) == 1, result.outlines


YIELDING = """
import os, sys
from pathlib import Path
from types import SimpleNamespace
from tests.helpers.shared import yield_to_a_shared_build

base = Path(sys.argv[1]) / "popen-gw1"
base.mkdir(exist_ok=True)
factory = SimpleNamespace(getbasetemp=lambda: base)
yield_to_a_shared_build(factory)
print(os.nice(0))
"""


@pytest.mark.parametrize(
    ("builder", "niceness"),
    [("gw0", YIELDING_NICENESS), ("gw1", 0), (None, 0)],
    ids=["another-worker-builds", "this-worker-builds", "nothing-built"],
)
def test_a_worker_yields_to_another_s_shared_build(tmp_path: Path, builder: str | None, niceness: int) -> None:
    """While a worker builds the README's run, the others lower their priority at their next test, so the
    run every reader waits for gets the cores first (tests.helpers.shared); the builder itself does not."""
    if builder is not None:
        (tmp_path / "built-once").mkdir()
        (tmp_path / "built-once" / ".readme-run.building").write_text(builder, encoding="utf-8")
    env = {**os.environ, "PYTEST_XDIST_WORKER": "gw1", "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", YIELDING, str(tmp_path)], env=env, capture_output=True, text=True, check=True
    )
    assert int(done.stdout) == min(os.nice(0) + niceness, 19)  # this test may run in a worker that yielded


def test_the_controller_writes_the_rewritten_bytecode_the_workers_read(pytester: pytest.Pytester) -> None:
    """tests.helpers.bytecode, as the root conftest calls it before the workers start: a test module's
    assertion-rewritten bytecode is written, pytest reads it back as current, and a second call writes none."""
    from _pytest.assertion import rewrite

    from tests.helpers.bytecode import write_bytecode_once

    pytester.makepyprojecttoml(
        '[tool.pytest.ini_options]\ntestpaths = ["checks"]\nasyncio_default_fixture_loop_scope = "function"\n'
    )
    module = pytester.mkpydir("checks") / "test_one.py"
    module.write_text("def test_one():\n    assert 1 + 1 == 2\n", encoding="utf-8")
    config = pytester.parseconfigure()
    pyc = module.parent / "__pycache__" / f"test_one{rewrite.PYC_TAIL}"
    # In this process, not forked: a worker may run threads (the conftest's call forks in the controller).
    assert write_bytecode_once(config, processes=1) >= 1 and pyc.is_file()
    assert rewrite._read_pyc(module, pyc) is not None
    assert (module.parent / "__pycache__" / f"__init__.{sys.implementation.cache_tag}.pyc").is_file()  # plain
    assert write_bytecode_once(config, processes=1) == 0


@pytest.mark.parametrize("controller", [False, True], ids=["worker", "controller"])
def test_the_readme_run_s_thread_starts_once_the_session_folder_is_made(
    tmp_path: Path, controller: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pytest makes the session's folder on first use and takes no lock; a worker's given folder is emptied first.
    The README run's thread asking for it while the first test (or pytest-xdist) makes it emptied that folder under
    the test: so the folder exists before the thread starts (tests.helpers.default_run.start_making)."""
    from tests.helpers import default_run

    factory = pytest.TempPathFactory(tmp_path / "popen-gw0", 3, "all", trace=lambda *_: None, _ispytest=True)
    seen: list[Path | None] = []

    class Recorded:  # the thread, as it starts: the folder pytest would hand out at that moment, then nothing runs
        def __init__(self, **_: object) -> None:
            pass

        def start(self) -> None:
            seen.append(factory._basetemp)

    monkeypatch.setattr(default_run, "Thread", Recorded)
    default_run.start_making(factory, controller=controller)
    assert seen == [tmp_path / "popen-gw0"] and seen[0] is not None and seen[0].is_dir()
