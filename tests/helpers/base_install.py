"""A base install (`pip install tts-harness`, no extras) inside this test environment, for a child process; or an
install with some extras only (`pip install -e .[bench]`, the README's first command).

What the extras bring is read from the project's requirements (pyproject.toml) and the installed
distributions' metadata, never listed by hand: every distribution the extras require (their dependencies'
dependencies too) that the base dependencies do not. A `sitecustomize`
on the child's PYTHONPATH hides them as an uninstalled package is hidden: `import numpy` raises
ModuleNotFoundError, `importlib.util.find_spec("numpy")` is None, and their metadata and pytest plugins
are not found (sys.path is searched by `PathFinder` alone, modules and metadata both). A new extra, or a
new dependency of one, is hidden without this file changing.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers.repo import REPO_ROOT

PROJECT = "tts-harness"

_SITECUSTOMIZE = '''"""Hides the extras' distributions (tests/helpers/base_install.py wrote this)."""
import json
import pathlib
import re
from importlib.machinery import PathFinder

_HIDDEN = json.loads((pathlib.Path(__file__).parent / "hidden.json").read_text(encoding="utf-8"))
_MODULES = frozenset(_HIDDEN["modules"])
_DISTRIBUTIONS = frozenset(_HIDDEN["distributions"])
_find_spec = PathFinder.find_spec
_find_distributions = PathFinder.find_distributions


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()  # packaging.utils.canonicalize_name's rule


def find_spec(cls, fullname, path=None, target=None):
    if fullname.partition(".")[0] in _MODULES:
        return None
    return _find_spec(fullname, path, target)


def find_distributions(cls, *args, **kwargs):
    for found in _find_distributions(*args, **kwargs):
        if _canonical(found.metadata["Name"] or "") not in _DISTRIBUTIONS:
            yield found


PathFinder.find_spec = classmethod(find_spec)
PathFinder.find_distributions = classmethod(find_distributions)
'''


def _project() -> dict[str, Any]:
    """The project table of pyproject.toml: the wheel's metadata is written from it, and an editable
    install's copy is only as new as the last `pip install -e`."""
    return dict(tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"])


def _project_requirements(extras: Iterable[str]) -> list[str]:
    project = _project()
    optional = project.get("optional-dependencies", {})
    return [*project["dependencies"], *(line for extra in extras for line in optional.get(extra, ()))]


def _requirements(name: str, extras: Iterable[str]) -> list[tuple[str, frozenset[str]]]:
    """The distributions `name` requires with these extras, each with the extras it asks of them."""
    if name == PROJECT:
        lines = _project_requirements(extras)
    else:
        try:
            lines = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            return []  # not installed here (another platform's, or left out): nothing to hide
    found: list[tuple[str, frozenset[str]]] = []
    for line in lines:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": extra}) for extra in (*extras, "")):
            found.append((canonicalize_name(requirement.name), frozenset(requirement.extras)))
    return found


def _closure(name: str, extras: Iterable[str]) -> set[str]:
    """`name` and every installed distribution it requires, with these extras, all the way down."""
    seen: set[tuple[str, frozenset[str]]] = set()
    pending: list[tuple[str, frozenset[str]]] = [(canonicalize_name(name), frozenset(extras))]
    while pending:
        node = pending.pop()
        if node not in seen:
            seen.add(node)
            pending.extend(_requirements(*node))
    return {dist for dist, _ in seen}


def extras_only(kept: Iterable[str] = ()) -> tuple[set[str], set[str]]:
    """The distributions only the extras bring (beyond those of the `kept` extras), and the top-level modules only
    they provide."""
    every_extra = list(_project().get("optional-dependencies", {}))
    hidden = _closure(PROJECT, every_extra) - _closure(PROJECT, kept)
    modules = {
        module
        for module, dists in metadata.packages_distributions().items()
        if dists and all(canonicalize_name(dist) in hidden for dist in dists)
    }
    return hidden, modules


def base_install_env(folder: Path, extras: Iterable[str] = ()) -> dict[str, str]:
    """This environment as a base install (with `extras`, where given): the child's PYTHONPATH starts with a
    `sitecustomize` (written to `folder`) hiding what only the other extras bring; this session's own settings are
    left out."""
    distributions, modules = extras_only(extras)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hidden.json").write_text(
        json.dumps({"distributions": sorted(distributions), "modules": sorted(modules)}), encoding="utf-8"
    )
    (folder / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTEST_ADDOPTS", "TTS_HARNESS_SPEECH_CACHE", "VIRTUAL_ENV")
        and not key.startswith("TTS_HARNESS_")
    }
    return {**env, "PYTHONPATH": str(folder)}
