"""The end-of-run summary: per model, how many jobs finished, how fast, how often polled, at what cost;
and how many failed in each error class. Computed from the stored rows, so it shows exactly what the
report and any later analysis will see.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from harness.bench.store import Store
from harness.core.errors import ErrorClass


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100), None for no values."""
    data = sorted(values)
    if not data:
        return None
    position = (len(data) - 1) * q / 100.0
    low, high = math.floor(position), math.ceil(position)
    return data[low] + (data[high] - data[low]) * (position - low)


@dataclass(frozen=True, slots=True)
class ModelLine:
    provider: str
    model: str
    jobs: int
    ok: int
    failed: int
    skipped: int
    e2e_p50: float | None
    e2e_p95: float | None
    ttfa_p50: float | None
    polls_per_job: float | None
    cost_usd: float | None
    unpriced: int


@dataclass(frozen=True, slots=True)
class Summary:
    run_id: str
    status: str
    lines: tuple[ModelLine, ...]
    outcomes: dict[str, int]  # ok, skipped, or an error class -> jobs that ended so
    events: dict[str, int]  # error class -> every error recorded (retried ones included)
    spent_usd: float
    planned_usd: float | None
    budget_usd: float | None


def summarize(store: Store, run_id: str) -> Summary:
    run = store.run(run_id)
    if run is None:
        raise KeyError(run_id)
    lines = []
    groups = store.query("SELECT DISTINCT provider, model FROM jobs WHERE run_id = ? ORDER BY provider, model",
                         (run_id,))
    for group in groups:
        rows = store.query("SELECT * FROM jobs WHERE run_id = ? AND provider = ? AND model = ?",
                           (run_id, group["provider"], group["model"]))
        ok = [r for r in rows if r["outcome"] == "ok"]
        e2e = [r["e2e_ms"] for r in ok if r["e2e_ms"] is not None and not r["resumed"]]
        ttfa = [r["ttfa_ms"] for r in ok if r["ttfa_ms"] is not None]
        polled = [r["polls"] for r in rows if r["delivery"] in ("poll", "webhook")]
        cost = store.query("SELECT SUM(usd) AS usd, SUM(usd IS NULL AND charged = 1) AS unpriced FROM costs "
                           "WHERE run_id = ? AND provider = ? AND model = ?",
                           (run_id, group["provider"], group["model"]))[0]
        lines.append(ModelLine(
            group["provider"], group["model"], len(rows), len(ok),
            sum(1 for r in rows if r["outcome"] == "error"), sum(1 for r in rows if r["outcome"] == "skipped"),
            percentile(e2e, 50), percentile(e2e, 95), percentile(ttfa, 50),
            sum(polled) / len(polled) if polled else None,
            cost["usd"], int(cost["unpriced"] or 0),
        ))
    outcomes = {str(r["k"]): int(r["n"]) for r in store.query(
        "SELECT COALESCE(error_class, outcome, state) AS k, COUNT(*) AS n FROM jobs WHERE run_id = ? GROUP BY k",
        (run_id,))}
    events = {str(r["error_class"]): int(r["n"]) for r in store.query(
        "SELECT error_class, COUNT(*) AS n FROM errors WHERE run_id = ? GROUP BY error_class", (run_id,))}
    return Summary(run_id, run["status"], tuple(lines), outcomes, events, store.spent_usd(run_id),
                   run["planned_cost_usd"], run["budget_usd"])


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def render(summary: Summary, console: Console, db_path: str) -> None:
    table = Table(title=f"Run {summary.run_id} ({summary.status})", title_justify="left")
    for name in ("provider", "model", "jobs", "ok", "failed", "skipped", "e2e p50 ms", "e2e p95 ms",
                 "TTFA p50 ms", "polls/job", "cost USD"):
        table.add_column(name, justify="left" if name in ("provider", "model") else "right")
    for line in summary.lines:
        cost = "—" if line.cost_usd is None else f"{line.cost_usd:.4f}"
        if line.unpriced:
            cost += f" +{line.unpriced} unpriced"
        table.add_row(line.provider, line.model, str(line.jobs), str(line.ok), str(line.failed), str(line.skipped),
                      _ms(line.e2e_p50), _ms(line.e2e_p95), _ms(line.ttfa_p50),
                      "—" if line.polls_per_job is None else f"{line.polls_per_job:.1f}", cost)
    console.print(table)
    classes = Table(title="Jobs by outcome, and errors by class (retried ones included)", title_justify="left")
    classes.add_column("class")
    classes.add_column("jobs ended so", justify="right")
    classes.add_column("errors seen", justify="right")
    names = ["ok", "skipped", *[c.value for c in ErrorClass]]
    for name in names:
        ended, seen = summary.outcomes.get(name, 0), summary.events.get(name, 0)
        if ended or seen:
            classes.add_row(name, str(ended), str(seen))
    console.print(classes)
    budget = f" of a ${summary.budget_usd:.4f} budget" if summary.budget_usd is not None else ""
    planned = f" (planned ${summary.planned_usd:.4f})" if summary.planned_usd is not None else ""
    console.print(f"Spent ${summary.spent_usd:.4f}{budget}{planned}.")
    console.print(f"Run id [bold]{summary.run_id}[/bold]; rows in [bold]{db_path}[/bold] "
                  f"(tables runs, jobs, marks, polls, costs, errors, drift, clips).")
