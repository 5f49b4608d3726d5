"""A provider's runs over time (`tts-harness history`): every stored figure per provider × model as series (`series`,
`voice`: the same voice over time; `checks`: each registered check's rule on the newest run), change points found
by a stated method with a stated false-alarm rate (`changes`, `analysis`), the page (`page`) and the nightly gate
(`gate`: the terminal summary, JUnit XML). It reads stores through `harness.results` and computes each run's figures
with the report's leaderboard, so a point is the number that run's report shows.
"""

from harness.history.analysis import METHOD, Analysis, Flagged, analyse
from harness.history.changes import ALPHA, ChangePoint, find_changes
from harness.history.gate import print_summary, write_junit
from harness.history.page import render_history, write_history
from harness.history.series import METRICS, read_history
from harness.history.values import History, HistoryFinding, Point, RunInfo, Scale, Series

__all__ = [
    "ALPHA",
    "METHOD",
    "METRICS",
    "Analysis",
    "ChangePoint",
    "Flagged",
    "History",
    "HistoryFinding",
    "Point",
    "RunInfo",
    "Scale",
    "Series",
    "analyse",
    "find_changes",
    "print_summary",
    "read_history",
    "render_history",
    "write_history",
    "write_junit",
]
