"""The end-of-run summary in the terminal: its figures (`figures`), the sections it shows (`view`; the
registered checks' in `checks_view` and, for a
counted check, `counted_view`) and their text, Markdown or JSON form (`format`). It imports only the plan (the
prices' notes). What the other phases, the runner's own modules (`run`, `session`, `dry_run`) and the composers use
of it is its surface, `__all__`; the rest is the phase's own.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.runner.summary.figures import Summary, summarize
    from harness.runner.summary.format import SummaryFormat
    from harness.runner.summary.view import render

__all__ = [
    "Summary",
    "SummaryFormat",
    "render",
    "summarize",
]

# Loaded on first use: `report --format` reads only `format` (rich), and a base install (no numpy, which the
# figures need) runs `contracts run`, whose command module shares the report's.
_HOMES = {"Summary": "figures", "summarize": "figures", "SummaryFormat": "format", "render": "view"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
