"""A pytest plugin (`-p tests.helpers.one_check_per_provider`) that keeps, of a contract-suite collection, the
first parametrization of every check for every provider (the provider is the id's first `/` part) and deselects
the rest: every check's code runs once against every provider's declaration, at about an eighth of the suite's
items. For a run whose question is what the code needs (a base install: tests/test_base_install.py), not
whether every endpoint conforms; the whole suite in a base install is the packaging step's (tests/packaging)."""

from __future__ import annotations

import pytest


def _key(item: pytest.Item) -> tuple[str, str, str]:
    callspec = getattr(item, "callspec", None)
    provider = callspec.id.split("/", 1)[0] if callspec is not None else ""
    return item.path.name, getattr(item, "originalname", item.name), provider


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    seen: set[tuple[str, str, str]] = set()
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        key = _key(item)
        (dropped if key in seen else kept).append(item)
        seen.add(key)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
