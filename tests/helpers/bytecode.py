"""Bytecode for the checkout, written once by the controller before pytest-xdist starts its workers.

In a fresh clone (CI's) no module has bytecode yet, and the workers start together: each one compiles the
harness and assertion-rewrites every test module itself, the same ~600 files once per worker. Written here
once, every worker reads it, and collection is faster and cheaper (docs/measurements.md).

pytest's assertion rewriting has no public API. Where its internals are not what this module expects,
nothing is written for the test modules and each worker rewrites them as before: slower, never wrong (a
rewritten module's bytecode is only read back when pytest's own check finds it current).
"""

from __future__ import annotations

import compileall
import importlib.util
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from tests.helpers.shared import usable_cpus

_config: pytest.Config | None = None  # the controller's, inherited by the forked processes that rewrite


def write_bytecode_once(config: pytest.Config, processes: int | None = None) -> int:
    """Compile the harness, the root conftest and the test paths, and assertion-rewrite the modules pytest's
    own hook would rewrite, in `processes` (forked; default one per usable CPU). Returns how many modules
    were rewritten here (0 where pytest's internals differ or every rewritten module was current)."""
    spec = importlib.util.find_spec("harness")
    # Each folder with the folder its module names start from (the harness may be installed elsewhere).
    folders = [
        *((Path(p), Path(p).parent) for p in ((spec.submodule_search_locations or []) if spec else [])),
        *((config.rootpath / path, config.rootpath) for path in config.getini("testpaths")),
    ]
    workers = processes or usable_cpus()
    for folder, _base in folders:
        compileall.compile_dir(folder, quiet=2, workers=workers)  # what a plain import writes (subprocesses')
    files = [(path, base) for folder, base in folders for path in folder.rglob("*.py")]
    if (config.rootpath / "conftest.py").is_file():
        files.append((config.rootpath / "conftest.py", config.rootpath))
    global _config
    _config = config
    try:
        rewritten = sorted(_rewritten_by_pytest(config, files))
        if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
            return _rewrite(rewritten)
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return sum(pool.map(_rewrite, [rewritten[index::workers] for index in range(workers)]))
    except Exception:  # pytest's internals changed, or a module does not parse: the workers do as before
        return 0
    finally:
        _config = None


def _rewritten_by_pytest(config: pytest.Config, files: Iterable[tuple[Path, Path]]) -> Iterable[Path]:
    """The files pytest's import hook rewrites when a worker imports them: test modules, conftest files and
    the packages marked for rewriting (plugins: this harness's entry point, the root conftest's)."""
    from _pytest.assertion import rewrite

    state = config.stash[rewrite.assertstate_key]
    hook = state.hook
    if hook is None:
        return  # --assert=plain: nothing is rewritten
    for path, base in files:
        parts = path.relative_to(base).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if hook._should_rewrite(name, str(path), state):
            yield path


def _rewrite(paths: list[Path]) -> int:
    from _pytest.assertion import rewrite

    config = _config
    assert config is not None
    state = config.stash[rewrite.assertstate_key]
    written = 0
    for path in paths:
        cache = rewrite.get_cache_dir(path)
        pyc = cache / (path.name[:-3] + rewrite.PYC_TAIL)
        if not rewrite.try_makedirs(cache) or rewrite._read_pyc(path, pyc) is not None:
            continue  # read-only, or current already
        source_hash, code = rewrite._rewrite_test(path, config)
        written += bool(rewrite._write_pyc(state, code, source_hash, pyc))
    return written
