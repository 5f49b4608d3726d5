"""Build an expensive test artefact once per test session, even when pytest-xdist runs it in many workers.

Each xdist worker has its own temporary folder; their common parent belongs to this session alone, so the
first worker to ask builds the artefact there under a file lock and the others wait for it and reuse it
(the pattern of pytest-xdist's documentation). In one process the session's own folder is used: the
parent there holds earlier sessions' folders, whose leftovers must never be mistaken for this build.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The path `name` in the session's shared folder, made by `build(path)` if no worker made it yet.

    `build` writes `path` (a file or a folder, its name as given); it is published only once `build`
    returns, so a worker never sees a half-built artefact, and a failed build leaves nothing behind.
    """
    base = tmp_path_factory.getbasetemp()
    # An xdist worker's folder is `popen-<worker id>` inside the session's; a pytest a test started inherits
    # the variable but not that folder.
    if base.name != f"popen-{os.environ.get('PYTEST_XDIST_WORKER')}":
        path = base / "built-once" / name
        if not path.exists():
            _build(path, build)
        return path
    from filelock import FileLock  # the dev extra's, as pytest-xdist is

    path = base.parent / "built-once" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{path}.lock"):
        if not path.exists():
            _build(path, build)
    return path


def _build(path: Path, build: Callable[[Path], None]) -> None:
    staging = path.parent / f".{path.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        build(staging / path.name)
        (staging / path.name).rename(path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
