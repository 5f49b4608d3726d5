"""`tts-harness bench run`: benchmark every provider and model, against the sandbox by default.

The command only turns its flags into the settings' typed sections, calls the use case
(`harness.benchmark`) and prints what it is told; the scorer, the summary and the report are wired there.

Exit codes: 0 the run finished (jobs may have failed: they are results); 1 the run does not count as a
success (interrupted, stopped by its budget, results lost, nothing planned or nothing succeeded:
`BenchmarkResult.shortfall`); 2 usage error (bad option, unknown provider/model/run, live run refused).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from harness.benchmark import BenchmarkResult, Observer
from harness.core.errors import UsageError

if TYPE_CHECKING:
    from harness.bench.dry_run import DryRun
    from harness.bench.plan import PlannedJob
    from harness.bench.runner import PreparedRun
    from harness.bench.summary import Summary
    from harness.bench.target import Target

bench_app = typer.Typer(help="Latency and cost benchmarks, stored as raw rows in SQLite.", no_args_is_help=True)
# Piped or captured (CI logs), the summary table keeps every column whole instead of cutting to 80.
_out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
if not _out.is_terminal:  # piped or captured: rich would assume 80 columns and squeeze the tables
    _out.width = max(_out.width, 120)
_err = Console(stderr=True, soft_wrap=True)  # one error, one line


def _prices(values: list[str] | None) -> dict[str, float] | None:
    if not values:
        return None
    prices: dict[str, float] = {}
    for value in values:
        label, _, amount = value.partition("=")
        try:
            prices[label.strip()] = float(amount)
        except ValueError:
            raise UsageError(f"--price takes provider/model=USD, got {value!r}") from None
    return prices


def _show_plan(prepared: PreparedRun, target: Target) -> None:
    from harness.bench.target import key_destinations

    plan = prepared.plan
    table = Table(title=f"Plan of run {prepared.run_id}" + (" (resumed)" if prepared.resumed else ""),
                  title_justify="left")
    for name in ("model", "jobs", "price each", "worst case USD"):
        table.add_column(name, justify="left" if name == "model" else "right")
    by_label: dict[str, list[Any]] = {}
    refused: dict[str, list[Any]] = {}
    for job in plan.jobs:
        # A job the documents' hard limits refuse is never sent: it costs nothing and is not in the plan's cost.
        (refused if job.invalid else by_label).setdefault(job.selection.label, []).append(job)
    for label, jobs in by_label.items():
        price = jobs[0].price
        each = "undocumented" if price.amount is None else f"{price.amount} {price.unit}"
        usd = [j.price.usd for j in jobs if j.price.usd is not None]
        table.add_row(label, str(len(jobs)), each, f"{sum(usd):.4f}" if len(usd) == len(jobs) else "unknown")
    _out.print(table)
    for label, jobs in refused.items():
        _err.print(f"[yellow]refused before sending:[/yellow] {label}: {len(jobs)} job(s): {jobs[0].invalid}")
    warned: dict[tuple[str, str], int] = {}
    for job in plan.jobs:
        for warning in job.warnings:
            key = (job.selection.label, f"{warning.pointer.lstrip('/')}: {warning.note}")
            warned[key] = warned.get(key, 0) + 1
    for (label, note), count in sorted(warned.items()):
        _err.print(f"[yellow]warning:[/yellow] {label}: {count} job(s): {note}")
    where = target.url or target.kind
    _out.print(f"Target: [bold]{target.kind}[/bold] ({where}); corpora: "
               + ", ".join(f"{c.name} v{c.version} ({len(c.items)} items)" for c in prepared.corpora))
    _out.print(f"Planned cost: [bold]${plan.cost_usd:.4f}[/bold]"
               + (f" + {plan.unpriced} jobs without a USD price" if plan.unpriced else "")
               + (" — what these requests would cost live" if target.kind == "sandbox" else ""))
    for (label, reason), count in sorted(plan.left_out.items()):
        _out.print(f"  left out: {label}: {count} item(s): {reason}", style="dim")
    for note in prepared.notes:
        _err.print(f"[yellow]note:[/yellow] {note}")
    for line in key_destinations(target, (job.provider for job in plan.jobs)):
        _out.print(line, markup=False, soft_wrap=True)


def _show_dry_run(result: DryRun) -> None:
    for what, line in result.requests:
        _out.print(f"# {what}", style="dim", soft_wrap=True)
        _out.print(line, soft_wrap=True, markup=False)
    plan = result.plan
    for (label, reason), count in sorted(plan.left_out.items()):
        _out.print(f"left out: {label}: {count} item(s): {reason}", soft_wrap=True)
    for job in plan.jobs:
        if job.invalid:
            _err.print(f"[yellow]refused before sending:[/yellow] {job.selection.label} {job.item.id}: {job.invalid}")
    for note in result.notes:
        _err.print(f"[yellow]note:[/yellow] {note}")
    _out.print(f"Dry run: {len(result.requests)} requests, nothing sent. Planned cost: ${plan.cost_usd:.4f}"
               + (f" + {plan.unpriced} jobs without a USD price" if plan.unpriced else ""), soft_wrap=True)


class _Terminal(Observer):
    """The run as the terminal shows it: the plan, a progress bar per model, then the summary table."""

    def __init__(self) -> None:
        self.progress = Progress(TextColumn("{task.description:<36}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(), console=_out)
        self.tasks: dict[str, TaskID] = {}

    def plan(self, prepared: PreparedRun, target: Target) -> None:
        _show_plan(prepared, target)
        counts: dict[str, int] = {}
        for job in prepared.plan.jobs:
            counts[job.selection.label] = counts.get(job.selection.label, 0) + 1
        self.tasks["all"] = self.progress.add_task("all jobs", total=len(prepared.plan.jobs), failed=0)
        for label, total in counts.items():
            self.tasks[label] = self.progress.add_task(label, total=total, failed=0)
        self.progress.start()

    def job_done(self, job: PlannedJob, outcome: str) -> None:
        for key in ("all", job.selection.label):
            task = self.tasks.get(key)
            if task is not None:
                failed = self.progress.tasks[task].fields.get("failed", 0) + (outcome != "ok")
                self.progress.update(task, advance=1, failed=failed)

    def run_ended(self) -> None:
        self.progress.stop()

    def summary(self, summary: Summary, db_path: Path) -> None:
        from harness.bench.summary import render

        render(summary, _out, str(db_path))

    def info(self, message: str) -> None:
        _out.print(message, markup=False)

    def warning(self, message: str) -> None:
        _err.print(f"[yellow]warning:[/yellow] {escape(message)}")


@bench_app.command("run")
def run_command(
    providers: Annotated[list[str] | None, typer.Option("--providers", help="providers (comma list)")] = None,
    models: Annotated[list[str] | None, typer.Option("--models", help="models or provider/model; default all")] = None,
    corpus: Annotated[list[str] | None, typer.Option("--corpus", help="NAME[:N] or FILE[:N]; repeatable")] = None,
    repeats: Annotated[int | None, typer.Option(help="times each text is sent to each model")] = None,
    concurrency: Annotated[int | None, typer.Option(help="jobs in flight at once")] = None,
    ramp_up: Annotated[float | None, typer.Option(
        help="seconds over which each provider's first jobs start (default 1; 0: all at once)")] = None,
    target: Annotated[str | None, typer.Option(
        help="sandbox (default), live, or a URL: a provider's base URL (that provider alone, at its own server), "
             "else a server laid out like the sandbox (URL/<provider>/<host>)")] = None,
    budget: Annotated[float | None, typer.Option(help="USD cap: no job starts whose worst case would pass it")] = None,
    out: Annotated[Path | None, typer.Option(help="folder for runs.db and audio (default reports)")] = None,
    resume: Annotated[str | None, typer.Option(help="finish an interrupted run by its id")] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="TOML settings file")] = None,
    polling: Annotated[str | None, typer.Option(help="adaptive (default), fixed, or webhook")] = None,
    poll_interval: Annotated[float | None, typer.Option(help="seconds between polls for --polling fixed")] = None,
    webhook_url: Annotated[str | None, typer.Option(help="public URL forwarding to the local receiver")] = None,
    sandbox_profile: Annotated[str | None, typer.Option(help="fast, realistic (default) or chaos")] = None,
    seed: Annotated[int | None, typer.Option(help="sandbox random seed")] = None,
    clock_skew: Annotated[float | None, typer.Option(
        help="sandbox: its clock's offset from ours, seconds (default: the profile's, 0.3 s when realistic)")] = None,
    precise_stamps: Annotated[bool | None, typer.Option(
        "--precise-stamps", help="sandbox: millisecond stamps where the documents print whole seconds")] = None,
    usd_per_character: Annotated[float | None, typer.Option(help="USD per billed character (TTS.ai)")] = None,
    price: Annotated[list[str] | None, typer.Option(help="provider/model=USD for undocumented prices")] = None,
    score: Annotated[bool | None, typer.Option("--score/--no-score", help="score clips (WER) while running")] = None,
    report: Annotated[bool | None, typer.Option("--report/--no-report", help="write the HTML report")] = None,
    job_timeout: Annotated[float | None, typer.Option(help="seconds before a job is given up")] = None,
    yes: Annotated[bool | None, typer.Option("--yes", help="allow a live run without a budget")] = None,
    reference: Annotated[Path | None, typer.Option(
        "--reference", help="reference voice FILE, uploaded to models that clone an uploaded voice")] = None,
    reference_url: Annotated[str | None, typer.Option(
        "--reference-url", help="public URL of the reference voice, for models that fetch it (Pixazo XTTS)")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="print every request the run would send (curl, keys filtered) and its cost; send nothing")
    ] = False,
    executor: Annotated[str | None, typer.Option(help="scoring: local (during the run, default) or ray (after it)")
    ] = None,
    address: Annotated[str | None, typer.Option(help="Ray cluster address for --executor ray")] = None,
) -> None:
    """Benchmark latency and cost of every provider and model (the sandbox unless --target says otherwise)."""
    from harness import benchmark
    from harness.bench import config as settings

    try:
        config = settings.load_config([
            settings.WorkloadSettings.given(providers=providers, models=models, corpus=corpus, repeats=repeats),
            settings.TargetSettings.given(name=target),
            settings.CostSettings.given(budget=budget, usd_per_character=usd_per_character, prices=_prices(price),
                                        live_without_budget=yes),
            settings.PollingSettings.given(mode=polling, interval=poll_interval, webhook_url=webhook_url),
            settings.SandboxSettings.given(profile=sandbox_profile, seed=seed, clock_skew=clock_skew,
                                           precise_stamps=precise_stamps),
            settings.ReferenceSettings.given(file=reference, url=reference_url),
            settings.ScoringSettings.given(enabled=score, executor=executor, address=address),
            settings.RunSettings.given(concurrency=concurrency, ramp_up=ramp_up, job_timeout=job_timeout),
            settings.OutputSettings.given(out=out, resume=resume, report=report),
        ], config_file)
        if dry_run:
            _show_dry_run(benchmark.dry_run(config))
            return
        result = benchmark.run(config, _Terminal())
    except UsageError as error:
        _err.print(f"[red]usage error:[/red] {error}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        _err.print("[yellow]interrupted:[/yellow] resume with --resume RUN_ID (the run id is in the plan above)")
        raise typer.Exit(1) from None
    _finish(result, config.output.out)


def _finish(result: BenchmarkResult, out: Path) -> None:
    """The report's path, and exit 1 when the run does not count as a success (CI reads the exit code)."""
    if result.report_path is not None:
        _out.print(f"HTML report: [bold]{result.report_path}[/bold]")
    shortfall = result.shortfall()
    if shortfall is None:
        return
    if result.status != "finished":
        _err.print(f"{shortfall}; finish it with: tts-harness bench run --resume {result.run_id}"
                   + (f" --out {out}" if str(out) != "reports" else ""), markup=False)
    else:
        _err.print(f"[red]{escape(shortfall)}[/red]")
    raise typer.Exit(1)


@bench_app.callback()
def bench_group() -> None:
    """Latency and cost benchmarks, stored as raw rows in SQLite."""


if __name__ == "__main__":  # `python -m harness.cli.bench run …` (the crash-and-resume test runs this)
    bench_app()
