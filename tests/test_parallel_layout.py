"""How the repository's conftest lays the suite out over pytest-xdist's workers: a module whose tests share
a fixture of the module's own goes to one worker (built once there, not once per worker); the README's run
is handed out first. The hook is called as a worker calls it, on items pytester collects."""

from __future__ import annotations

import importlib.util
from types import ModuleType, SimpleNamespace

import pytest

from tests.helpers.repo import REPO_ROOT

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


def test_in_one_process_nothing_is_grouped(pytester: pytest.Pytester) -> None:
    items = _items(pytester)
    _root_conftest().pytest_collection_modifyitems(SimpleNamespace(), items)  # no workerinput: not a worker
    assert _groups(items)["test_shares[0]"] == []
