"""Skip a test module whose client library is not installed, without importing the library while collecting.

`pytest.importorskip` at a module's top imports the library in every process that collects the module: each
pytest-xdist worker collects the whole suite, so an SDK that takes a second to import (LiveKit's agents, the OpenAI
Agents SDK) cost every worker that second, though one worker runs its tests. `find_spec` only looks the module up;
its tests import it where they use it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util

import pytest


def installed(module: str) -> bool:
    """Whether `module` (a dotted name) can be imported here, looked up without importing it or its parents:
    `importlib.util.find_spec("agents.voice")` imports `agents` (a second and more), so each submodule is looked up
    in its parent's folders by the path finder instead."""
    top, *rest = module.split(".")
    spec = importlib.util.find_spec(top)
    for part in rest:
        if spec is None or spec.submodule_search_locations is None:
            return False
        spec = importlib.machinery.PathFinder.find_spec(f"{spec.name}.{part}", list(spec.submodule_search_locations))
    return spec is not None


def skip_unless_installed(*modules: str, reason: str) -> pytest.MarkDecorator:
    """A module's `pytestmark`: its tests skip, saying `reason`, where any of `modules` is not installed."""
    return pytest.mark.skipif(not all(installed(module) for module in modules), reason=reason)
