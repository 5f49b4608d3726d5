"""tts-harness: conformance and benchmarking for hosted text-to-speech and voice-cloning APIs.

The library API (docs/library.md): `BenchConfig` and `run_benchmark` run a benchmark (the use case
`harness.benchmark`, which `tts-harness bench run` calls too) and return a `BenchmarkResult`;
`score_file` scores one audio file; `running_sandbox` serves the local emulator of
every provider for a `with` block (`load_catalogue` reads a team's own catalogue for its `catalogues=`);
`registered_providers` lists the installed providers by name. Names
are imported on first use, so `import harness` stays light and works with any subset of the extras.
(`harness.sandbox` and `harness.providers` are the subpackages, hence the longer names.)
"""

from __future__ import annotations

import importlib

from harness._version import __version__

# `typing.TYPE_CHECKING` without importing typing (mypy reads the name): `python -m harness.cli` runs this
# module before the CLI's Ctrl-C handler is set, so it stays as short as the interpreter's own start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from harness.benchmark import BenchmarkResult
    from harness.core.registry import providers as registered_providers
    from harness.library import run_benchmark, score_file
    from harness.runner.deliver.catalogue import account_catalogues as load_catalogue
    from harness.runner.plan.config import BenchConfig
    from harness.sandbox import running as running_sandbox

__all__ = [
    "BenchConfig",
    "BenchmarkResult",
    "__version__",
    "load_catalogue",
    "registered_providers",
    "run_benchmark",
    "running_sandbox",
    "score_file",
]

# name -> (module, attribute)
_LAZY = {
    "BenchConfig": ("harness.runner.plan.config", "BenchConfig"),
    "BenchmarkResult": ("harness.benchmark", "BenchmarkResult"),
    "load_catalogue": ("harness.runner.deliver.catalogue", "account_catalogues"),
    "registered_providers": ("harness.core.registry", "providers"),
    "run_benchmark": ("harness.library", "run_benchmark"),
    "running_sandbox": ("harness.sandbox", "running"),
    "score_file": ("harness.library", "score_file"),
}


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    value = getattr(importlib.import_module(target[0]), target[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
