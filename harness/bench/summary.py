"""The end-of-run summary: per model, how many jobs finished, how fast, how often polled, at what cost,
how intelligibly (pooled WER) and, for cloning models, how close to the reference voice (mean speaker
similarity); and how many failed in each error class. Computed from the stored rows, so it shows exactly what the
report and any later analysis will see.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.table import Table

from harness.bench.store import Store
from harness.core.errors import ErrorClass
from harness.core.quantiles import quantile


@dataclass(frozen=True, slots=True)
class Quality:
    """What the scorer measured for one model: pooled WER over its scored clips, mean similarity."""

    clips: int
    pooled_wer: float | None  # errors / reference words, all clips pooled
    similarity: float | None  # mean speaker similarity of the clips cloned from a reference


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
    cost_units: dict[str, float]  # unit -> amount, for prices not in USD (TTS.ai characters)
    e2e_width_p50: float | None = None  # median width of the interval that holds each job's latency
    perceived_ttfa_p50: float | None = None  # streams: when speech is first heard
    quality: Quality | None = None  # None when the run was not scored


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
    downloads_retried: int = 0  # jobs whose audio came only after a retried download
    results_lost: int = 0  # finished jobs whose audio never came
    pending: int = 0  # accepted (charged) jobs whose result is still to fetch: `bench run --resume` fetches them


def model_quality(store: Store, run_id: str) -> dict[tuple[str, str], Quality]:
    """Pooled WER and mean similarity per (provider, model) from the scorer's rows; empty if never scored.

    A run re-scored with another ASR model has rows for both: the summary reads the ASR setup that
    scored the most clips, so two models' figures never mix.
    """
    if not store.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'scores'"):
        return {}
    setups = store.query("SELECT asr_backend, asr_model, normalizer_version, COUNT(*) AS n FROM scores "
                         "WHERE run_id = ? GROUP BY 1, 2, 3 ORDER BY n DESC LIMIT 1", (run_id,))
    if not setups:
        return {}
    setup = setups[0]
    rows = store.query(
        "SELECT c.provider, c.model, COUNT(*) AS clips, "
        "SUM(s.substitutions + s.deletions + s.insertions) AS errors, SUM(s.ref_length) AS words, "
        "AVG(s.similarity) AS similarity FROM scores s JOIN clips c ON c.clip_id = s.clip_id "
        "WHERE s.run_id = ? AND s.asr_backend = ? AND s.asr_model = ? AND s.normalizer_version = ? "
        "AND s.error IS NULL GROUP BY c.provider, c.model",
        (run_id, setup["asr_backend"], setup["asr_model"], setup["normalizer_version"]))
    return {(r["provider"], r["model"]): Quality(
        int(r["clips"]), r["errors"] / r["words"] if r["words"] else None, r["similarity"]) for r in rows}


def summarize(store: Store, run_id: str) -> Summary:
    run = store.run(run_id)
    if run is None:
        raise KeyError(run_id)
    quality = model_quality(store, run_id)
    lines = []
    groups = store.query("SELECT DISTINCT provider, model FROM jobs WHERE run_id = ? ORDER BY provider, model",
                         (run_id,))
    for group in groups:
        rows = store.query("SELECT * FROM jobs WHERE run_id = ? AND provider = ? AND model = ?",
                           (run_id, group["provider"], group["model"]))
        ok = [r for r in rows if r["outcome"] == "ok"]
        e2e = [r["e2e_ms"] for r in ok if r["e2e_ms"] is not None and not r["resumed"]]
        ttfa = [r["ttfa_ms"] for r in ok if r["ttfa_ms"] is not None]
        widths = [r["e2e_bracket_ms"] for r in ok if r["e2e_bracket_ms"] is not None and not r["resumed"]]
        perceived = [r["perceived_ttfa_ms"] for r in ok if r["perceived_ttfa_ms"] is not None]
        polled = [r["polls"] for r in rows if r["delivery"] in ("poll", "webhook")]
        key = (run_id, group["provider"], group["model"])
        cost = store.query("SELECT SUM(usd) AS usd, SUM(usd IS NULL AND charged = 1) AS unpriced FROM costs "
                           "WHERE run_id = ? AND provider = ? AND model = ?", key)[0]
        units = {r["unit"]: float(r["amount"] or 0) for r in store.query(
            "SELECT unit, SUM(amount) AS amount FROM costs WHERE run_id = ? AND provider = ? AND model = ? "
            "AND unit != 'USD' GROUP BY unit", key)}
        lines.append(ModelLine(
            group["provider"], group["model"], len(rows), len(ok),
            sum(1 for r in rows if r["outcome"] == "error"), sum(1 for r in rows if r["outcome"] == "skipped"),
            quantile(e2e, 0.50), quantile(e2e, 0.95), quantile(ttfa, 0.50),
            sum(polled) / len(polled) if polled else None,
            cost["usd"], int(cost["unpriced"] or 0), units,
            quantile(widths, 0.50), quantile(perceived, 0.50), quality.get((group["provider"], group["model"])),
        ))
    outcomes = {str(r["k"]): int(r["n"]) for r in store.query(
        "SELECT COALESCE(error_class, outcome, state) AS k, COUNT(*) AS n FROM jobs WHERE run_id = ? GROUP BY k",
        (run_id,))}
    events = {str(r["error_class"]): int(r["n"]) for r in store.query(
        "SELECT error_class, COUNT(*) AS n FROM errors WHERE run_id = ? GROUP BY error_class", (run_id,))}
    retried = store.query(
        "SELECT COUNT(DISTINCT e.job_key) AS n FROM errors e JOIN jobs j ON j.job_key = e.job_key "
        "WHERE e.run_id = ? AND e.phase = 'download' AND e.fatal = 0 AND j.outcome = 'ok'", (run_id,))[0]["n"]
    return Summary(run_id, run["status"], tuple(lines), outcomes, events, store.spent_usd(run_id),
                   run["planned_cost_usd"], run["budget_usd"], int(retried or 0), outcomes.get(ErrorClass.LOST, 0),
                   outcomes.get("unfetched", 0))


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _width(value: float | None) -> str:
    """The interval's width beside a latency: ±half of it is the most the estimate can be off."""
    return "—" if value is None else f"±{value / 2:,.0f}"


_UNITS = {"characters": "chars"}


def _cost(line: ModelLine) -> str:
    if line.unpriced and line.cost_units:
        return ", ".join(f"{amount:,.0f} {_UNITS.get(unit, unit)}" for unit, amount in line.cost_units.items())
    if line.unpriced:
        return "no price"
    return "—" if line.cost_usd is None else f"${line.cost_usd:.4f}"


def _quality(quality: Quality | None) -> tuple[str, str]:
    if quality is None:
        return "—", "—"
    wer = "—" if quality.pooled_wer is None else f"{quality.pooled_wer:.1%}"
    return wer, "—" if quality.similarity is None else f"{quality.similarity:.3f}"


def render(summary: Summary, console: Console, db_path: str) -> None:
    scored = any(line.quality is not None for line in summary.lines)
    title = f"Run {summary.run_id} ({summary.status}); end-to-end latency in ms"
    if scored:
        title += "; WER pooled over each model's clips; similarity to the reference voice (cloning models)"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    streams = any(line.ttfa_p50 is not None for line in summary.lines)
    skips = any(line.skipped for line in summary.lines)
    names = ["model", "ok/jobs", *(["skipped"] if skips else []), "p50", "p95", "±",
             *(["TTFA p50", "heard p50"] if streams else []), "polls", "cost",
             *(["WER", "similarity"] if scored else [])]
    for name in names:
        table.add_column(name, justify="left" if name == "model" else "right", no_wrap=True)
    for line in summary.lines:
        table.add_row(f"{line.provider}/{line.model}", f"{line.ok}/{line.jobs}",
                      *([str(line.skipped)] if skips else []), _ms(line.e2e_p50), _ms(line.e2e_p95),
                      _width(line.e2e_width_p50),
                      *([_ms(line.ttfa_p50), _ms(line.perceived_ttfa_p50)] if streams else []),
                      "—" if line.polls_per_job is None else f"{line.polls_per_job:.1f}", _cost(line),
                      *(_quality(line.quality) if scored else ()))
    console.print(table)
    classes = Table(title="Jobs by outcome; errors by class (retried ones included)", title_justify="left",
                    box=box.SIMPLE_HEAD)
    classes.add_column("class")
    classes.add_column("jobs ended so", justify="right")
    classes.add_column("errors seen", justify="right")
    names = ["ok", "unfetched", "skipped", *[c.value for c in ErrorClass]]
    for name in names:
        ended, seen = summary.outcomes.get(name, 0), summary.events.get(name, 0)
        if ended or seen:
            classes.add_row(name, str(ended), str(seen))
    console.print(classes)
    budget = f" of a ${summary.budget_usd:.4f} budget" if summary.budget_usd is not None else ""
    planned = f" (planned ${summary.planned_usd:.4f})" if summary.planned_usd is not None else ""
    console.print(f"Spent ${summary.spent_usd:.4f}{budget}{planned}.")
    if summary.downloads_retried or summary.results_lost:
        console.print(f"Downloads: {summary.downloads_retried} jobs needed retries to get their audio; "
                      f"{summary.results_lost} finished jobs lost their audio for good.")
    if summary.pending:
        console.print(f"Pending: {summary.pending} paid results not fetched yet (status or media host down until "
                      f"their deadline); [bold]tts-harness bench run --resume {summary.run_id}[/bold] fetches them.")
    console.print(f"Run id [bold]{summary.run_id}[/bold]; rows in [bold]{db_path}[/bold] "
                  f"(tables runs, jobs, marks, polls, costs, errors, drift, clips).")
