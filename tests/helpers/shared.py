"""Build an expensive test artefact once per test session, even when pytest-xdist runs it in many workers.

Each xdist worker has its own temporary folder; their common parent belongs to this session alone, so the
first worker to ask builds the artefact there under a file lock and the others wait for it and reuse it
(the pattern of pytest-xdist's documentation). In one process the session's own folder is used: the
parent there holds earlier sessions' folders, whose leftovers must never be mistaken for this build.

An artefact many tests wait for (the README's run) is built with `others_yield=True`: while it is built, every
other worker lowers its own priority at its next test (`yield_to_a_shared_build`, the root conftest calls it),
so the build gets the cores first and its readers do not wait behind the whole suite: at equal priority the
workers that need the artefact sit idle while the others take the cores (docs/measurements.md).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

# CFS weights 1024 : 335: each of the build's threads gets three times a worker's share. Not more: the other
# workers' tests keep running, and some measure time (at niceness 10 the README's run ended sooner, but a history
# test that times the sandbox's answers raised a false step while it was made).
YIELDING_NICENESS = 5
_yielded = False


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the platform has one): what the workers share."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def built_once(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    build: Callable[[Path], None],
    *,
    others_yield: bool = False,
    controller: bool = False,
) -> Path:
    """The path `name` in the session's shared folder, made by `build(path)` if no worker made it yet.

    `build` writes `path` (a file or a folder, its name as given); it is published only once `build`
    returns, so a worker never sees a half-built artefact, and a failed build leaves nothing behind.
    `others_yield`: the other workers lower their priority while it is built (`yield_to_a_shared_build`).
    `controller`: called in pytest-xdist's controller, whose folder is the session's: built under the same lock.
    """
    base = tmp_path_factory.getbasetemp()
    # An xdist worker's folder is `popen-<worker id>` inside the session's; a pytest a test started inherits
    # the variable but not that folder.
    worker = base.name == f"popen-{os.environ.get('PYTEST_XDIST_WORKER')}"
    if not worker and not controller:
        path = base / "built-once" / name
        if not path.exists():
            _build(path, build)
        return path
    from filelock import FileLock  # the dev extra's, as pytest-xdist is

    path = (base.parent if worker else base) / "built-once" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{path}.lock"):
        if not path.exists():
            building = _building_marker(path)
            if others_yield:
                building.write_text(os.environ.get("PYTEST_XDIST_WORKER", ""), encoding="utf-8")
            try:
                _build(path, build)
            finally:
                building.unlink(missing_ok=True)
    return path


def _building_marker(path: Path) -> Path:
    return path.parent / f".{path.name}.building"


def yield_to_a_shared_build(tmp_path_factory: pytest.TempPathFactory) -> None:
    """In an xdist worker, before a test: if another worker is building an artefact marked `others_yield`,
    lower this worker's priority (once: an unprivileged process cannot raise it again, and need not; the
    pytest and CLI processes its tests start inherit it)."""
    global _yielded
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if _yielded or worker is None or not hasattr(os, "nice"):
        return
    base = tmp_path_factory.getbasetemp()
    if base.name != f"popen-{worker}":
        return  # a pytest a test started: it runs at its parent's priority already
    for marker in (base.parent / "built-once").glob(".*.building"):
        try:
            builder = marker.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue  # the build ended meanwhile
        if builder != worker:
            _yielded = True
            # A sandbox (seccomp) may refuse even lowering one's own priority: then the tests run as before.
            with contextlib.suppress(OSError):
                os.nice(YIELDING_NICENESS)
            return


def _build(path: Path, build: Callable[[Path], None]) -> None:
    staging = path.parent / f".{path.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        build(staging / path.name)
        (staging / path.name).rename(path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
