"""`tts-harness bench run`: benchmark every provider and model, against the sandbox by default.

Exit codes: 0 the run finished (jobs may have failed: they are results); 1 the run was interrupted or
stopped by its budget; 2 usage error (bad option, unknown provider/model/run, live run refused).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from harness.core.errors import UsageError

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


def _show_plan(prepared: Any, target: Any) -> None:
    from harness.bench.runner import PreparedRun
    from harness.bench.target import key_destinations

    assert isinstance(prepared, PreparedRun)
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


def _show_dry_run(config: Any) -> None:
    from harness.bench.dry_run import dry_run
    from harness.bench.session import benchmarkable

    result = dry_run(config, benchmarkable())
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


def _scorer(enabled: bool, db_path: Path) -> Any:
    if not enabled:
        return None
    try:
        from harness.scoring import BackgroundScorer, Scorer
    except ImportError as error:
        _err.print(f"[yellow]scoring off:[/yellow] the scoring extra is not installed ({error})")
        return None
    from harness.bench.store import Store

    Store(db_path).close()  # the runner's tables (clips) exist before the scorer looks at the database
    return BackgroundScorer(db_path, Scorer())


def _report(run_id: str, db_path: Path) -> Path | None:
    try:
        from harness.report.export import load_run
        from harness.report.render import write_report
    except ImportError:
        return None
    rows = load_run(run_id, db_path, None)
    written: Path = write_report(rows, db_path.parent / run_id / "index.html", None)
    return written


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
    executor: Annotated[str, typer.Option(help="scoring: local (during the run) or ray (after it)")] = "local",
    address: Annotated[str | None, typer.Option(help="Ray cluster address for --executor ray")] = None,
) -> None:
    """Benchmark latency and cost of every provider and model (the sandbox unless --target says otherwise)."""
    from harness.bench.config import load_config
    from harness.bench.session import run_benchmark
    from harness.bench.store import Store
    from harness.bench.summary import render, summarize

    try:
        config = load_config({
            "providers": providers, "models": models, "corpus": corpus, "repeats": repeats,
            "concurrency": concurrency, "ramp_up": ramp_up, "target": target, "budget": budget, "out": out,
            "resume": resume,
            "polling": polling, "poll_interval": poll_interval, "webhook_url": webhook_url,
            "sandbox_profile": sandbox_profile, "seed": seed,
            "clock_skew": clock_skew, "precise_stamps": precise_stamps, "usd_per_character": usd_per_character,
            "prices": _prices(price), "score": score, "report": report, "job_timeout": job_timeout, "yes": yes,
            "reference": reference, "reference_url": reference_url,
        }, config_file)
        config.target_kind  # noqa: B018 - validates --target before anything starts
        if executor not in ("local", "ray") or (address and executor != "ray"):
            raise UsageError(f"--executor must be local or ray (--address only with ray), got {executor!r}")
        if config.resume is not None:
            config = _stored_settings(config)  # --score/--report included: a resume keeps every setting
        if dry_run:
            _show_dry_run(config)
            return
    except UsageError as error:
        _err.print(f"[red]usage error:[/red] {error}")
        raise typer.Exit(2) from None

    progress = Progress(TextColumn("{task.description:<36}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(), console=_out)
    tasks: dict[str, TaskID] = {}

    def on_plan(prepared: Any, target_: Any) -> None:
        _show_plan(prepared, target_)
        counts: dict[str, int] = {}
        for job in prepared.plan.jobs:
            counts[job.selection.label] = counts.get(job.selection.label, 0) + 1
        tasks["all"] = progress.add_task("all jobs", total=len(prepared.plan.jobs), failed=0)
        for label, total in counts.items():
            tasks[label] = progress.add_task(label, total=total, failed=0)
        progress.start()

    def listener(job: Any, outcome: str) -> None:
        for key in ("all", job.selection.label):
            task = tasks.get(key)
            if task is not None:
                failed = progress.tasks[task].fields.get("failed", 0) + (outcome != "ok")
                progress.update(task, advance=1, failed=failed)

    scorer = _scorer(config.score and executor == "local", config.db_path)
    try:
        result = run_benchmark(config, on_plan=on_plan, listener=listener, scorer=scorer)
    except UsageError as error:
        progress.stop()
        _err.print(f"[red]usage error:[/red] {error}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        progress.stop()
        _err.print("[yellow]interrupted:[/yellow] resume with --resume RUN_ID (the run id is in the plan above)")
        raise typer.Exit(1) from None
    finally:
        progress.stop()
        if scorer is not None:
            _out.print("Scoring the remaining clips…")
            stats = scorer.close()
            _out.print(f"Scored {stats.scored} clips ({stats.failed} failed"
                       + (f"; last error: {stats.last_error}" if stats.last_error else "") + ").")
    if config.score and executor != "local":
        from harness.cli.score import score_after_run

        score_after_run(result.db_path, result.run_id, executor, address, _out)
    store = Store(result.db_path)
    try:
        render(summarize(store, result.run_id), _out, str(result.db_path))
    finally:
        store.close()
    if config.report:
        try:
            written = _report(result.run_id, result.db_path)
        except Exception as error:  # the run's rows are safe; a report failure must not hide them
            _err.print(f"[yellow]report not written:[/yellow] {type(error).__name__}: {error}")
        else:
            if written is not None:
                _out.print(f"HTML report: [bold]{written}[/bold]")
    if result.status != "finished":
        _err.print(f"run {result.run_id} {result.status}; finish it with: tts-harness bench run --resume "
                   f"{result.run_id}" + (f" --out {config.out}" if str(config.out) != "reports" else ""))
        raise typer.Exit(1)
    if result.counts.get("lost"):
        _err.print(f"[red]run {result.run_id}: {result.counts['lost']} jobs lost[/red] (accepted, perhaps charged, "
                   "and no result will come); see the errors above")
        raise typer.Exit(1)
    # A CI job reads the exit code: a run that measured nothing must not pass as a success.
    if result.planned == 0:
        _err.print(f"[red]run {result.run_id} planned no job[/red]: check --corpus, --models and --providers")
        raise typer.Exit(1)
    if not result.counts.get("ok"):
        _err.print(f"[red]run {result.run_id}: no job succeeded[/red] ({result.planned} planned); see the errors above")
        raise typer.Exit(1)


def _stored_settings(config: Any) -> Any:
    from harness.bench.runner import resolve_config
    from harness.bench.store import Store

    if not config.db_path.is_file():
        raise UsageError(f"no results database at {config.db_path}: nothing to resume (pass the run's --out)")
    store = Store(config.db_path)
    try:
        return resolve_config(config, store)
    finally:
        store.close()


@bench_app.callback()
def bench_group() -> None:
    """Latency and cost benchmarks, stored as raw rows in SQLite."""


if __name__ == "__main__":  # `python -m harness.cli.bench run …` (the crash-and-resume test runs this)
    bench_app()
