"""Keeps pytest-xdist's `--dist=loadgroup` grouping on pytest 9.2, where xdist 3.8 loses every group.

xdist groups the tests of one `xdist_group` by a suffix it writes on each test's node id in the worker
(`tests/x.py::test_a@group`), which the controller reads back. pytest 9.2 keeps node ids structured
(`Node._id`), so xdist's write (`item._nodeid = …`) no longer takes: nothing fails, every group is spread over
the workers, and each of them builds the group's module fixtures (a benchmark run, a sandbox, a browser)
again. Upstream: pytest-dev/pytest-xdist#1386, open with its fix (#1388) as of 2026-11.

This writes the same suffix where pytest keeps the id, after xdist's own hook, and only when xdist's write did
not take: with an older pytest, or an xdist that writes it itself, it does nothing.
"""

from __future__ import annotations

import pytest


def group_suffix(item: pytest.Item) -> str | None:
    """xdist's suffix for the item's groups (names sorted and joined, as xdist joins them), or None."""
    names = {
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    }
    return "@" + "_".join(sorted(names)) if names else None


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own hook of this name, which tries to write the suffix
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not hasattr(config, "workerinput") or not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        suffix = group_suffix(item)
        if suffix is None or item.nodeid.endswith(suffix):
            continue  # no group, or xdist's own write took
        structured = getattr(item, "_id", None)
        if structured is not None and hasattr(structured, "parse"):
            item._id = type(structured).parse(item.nodeid + suffix)
