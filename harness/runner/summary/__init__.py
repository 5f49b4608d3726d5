"""The end-of-run summary in the terminal: its figures (`figures`), the sections it shows (`view`; the cancels', marks',
markup's and seams' in `cancel_view`, `marks_view`, `markup_view`, `seam_view`) and their text, Markdown or JSON form
(`format`). It imports only the plan (the prices' notes). What the other phases, the runner's own modules (`run`,
`session`, `dry_run`) and the composers use of it is its surface, `__all__`; the rest is the phase's own.
"""

from __future__ import annotations

from harness.runner.summary.figures import Summary, summarize
from harness.runner.summary.format import SummaryFormat
from harness.runner.summary.view import render

__all__ = [
    "Summary", "SummaryFormat", "render", "summarize",
]
