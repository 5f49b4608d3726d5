"""`tts-harness baseline refresh|check`: the regression gate against a baseline committed to the repository.

A baseline is an export folder (`tts-harness export RUN --format json`) whose `run.json` keeps the settings of
the run it holds (models, corpus, seed, sandbox profile). `check` runs a fresh benchmark with exactly those
settings, writes the report with a section against the baseline and gates it with `compare`; `refresh` runs
the same benchmark and writes it as the new baseline. So the gate and its baseline cannot drift apart, and
changing the gate's settings is refreshing the baseline with new ones (`refresh DIR --models ... --seed N`).

The default metrics gated are those a fixed sandbox seed makes repeatable (WER, cost, success, contract).
Latency is compared and reported but not gated: against the sandbox it measures the machine (its synthesis
runs on the CI runner's cores), not a provider; gate it against live providers with
`--fail-on latency,wer,cost,success,contract`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from harness.cli.report import compare_command, report_command
from harness.core.errors import UsageError

if TYPE_CHECKING:
    from harness.runner.plan.config import BenchConfig

baseline_app = typer.Typer(
    help="The regression gate against a committed baseline: check a fresh run, refresh it.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
_out = Console(highlight=False, soft_wrap=True)
SANDBOX_FAIL_ON = "wer,cost,success,contract"  # what a fixed sandbox seed repeats; latency measures the machine

_BaselineArgument = Annotated[Path, typer.Argument(metavar="DIR", help="the baseline: an export folder (run.json …)")]
_OutOption = Annotated[
    Path, typer.Option("--out", metavar="DIR", file_okay=False, help="where the fresh run's rows, audio and report go")
]


def _stored_settings(baseline: Path) -> BenchConfig:
    """The settings of the run the baseline holds, from its run.json."""
    from harness.runner.plan.config import BenchConfig

    path = baseline / "run.json"
    try:
        run = json.loads(path.read_text(encoding="utf-8"))
        return BenchConfig.model_validate(json.loads(run["config_json"]))
    except FileNotFoundError:
        raise UsageError(
            f"{path}: no such file; record the baseline first: tts-harness baseline refresh "
            f"{baseline} --models MODEL[,MODEL…] --corpus NAME:N --seed N"
        ) from None
    except (ValueError, KeyError, TypeError) as error:
        raise UsageError(f"{path} is not the run.json of an export ({error})") from None


def _fresh_run(settings: BenchConfig, out: Path) -> tuple[str, Path]:
    """Run the benchmark with the baseline's settings into `out`; the run's id and database. A run that does
    not count as a success (jobs lost, nothing measured) stops here with its reason."""
    from harness import benchmark

    config = settings.updated(out=str(out), resume=None, report=False)
    workload = config.workload
    _out.print(
        f"== benchmark: {', '.join(workload.models or workload.providers) or 'every model'} on "
        f"{', '.join(workload.corpus)}, seed {config.sandbox.seed}, target {config.target.name}"
    )
    result = benchmark.run(config)
    shortfall = result.shortfall()
    if shortfall is not None:
        raise UsageError(shortfall)
    return result.run_id, result.db_path


@baseline_app.command("check")
def check_command(
    baseline: _BaselineArgument,
    out: _OutOption = Path("reports/ci"),
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on", metavar="METRIC,…", help="metrics that fail the gate: latency,wer,cost,success,contract"
        ),
    ] = SANDBOX_FAIL_ON,
    junit: Annotated[Path | None, typer.Option(metavar="FILE", help="also write the comparison as JUnit XML")] = None,
) -> None:
    """Run the baseline's benchmark afresh, report it against the baseline, and gate it (exit 1: a regression)."""
    from harness.report.export import ExportFormat, export_rows
    from harness.results import read_run

    run_id, db = _fresh_run(_stored_settings(baseline), out)
    export_rows(read_run(db, run_id), db.parent / run_id / "rows", ExportFormat.JSON)
    report_command(run_id, baseline=str(baseline), out=None, db=str(db), asr_model=None)
    compare_command(
        str(baseline), run_id, fail_on=fail_on, junit=junit, as_json=False, threshold=None, db=str(db), asr_model=None
    )


@baseline_app.command("refresh")
def refresh_command(
    baseline: _BaselineArgument,
    models: Annotated[
        str | None, typer.Option(metavar="MODEL,…", help="the gate's models [default: the baseline's]")
    ] = None,
    corpus: Annotated[
        str | None, typer.Option(metavar="NAME:N,…", help="the gate's corpus [default: the baseline's]")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="the sandbox's seed [default: the baseline's]")] = None,
    dnsmos: Annotated[
        bool | None,
        typer.Option(
            "--dnsmos/--no-dnsmos",
            help="estimate each clip's DNSMOS quality in the gate's runs [default: the "
            "baseline's; off in a first baseline: no gate reads it, and it costs about a CPU-second a clip]",
        ),
    ] = None,
    out: _OutOption = Path("reports/baseline"),
) -> None:
    """Record the baseline afresh: the benchmark with its settings (or those given), exported into DIR."""
    from harness.report.export import ExportFormat, export_rows
    from harness.results import read_run
    from harness.runner.plan.config import BenchConfig, WorkloadSettings

    workload = WorkloadSettings.given(models=models, corpus=corpus).options()
    given = {**workload, **({} if seed is None else {"seed": seed}), **({} if dnsmos is None else {"dnsmos": dnsmos})}
    if (baseline / "run.json").is_file():
        settings = _stored_settings(baseline).updated(**given)
    elif {"models", "corpus", "seed"} <= given.keys():  # a first baseline: the sandbox's fast profile, no DNSMOS
        settings = BenchConfig.model_validate({"dnsmos": False, **given, "sandbox_profile": "fast"})
    else:
        raise UsageError(f"{baseline} holds no baseline yet: give its settings, --models, --corpus and --seed")
    run_id, db = _fresh_run(settings, out)
    written = export_rows(read_run(db, run_id), baseline, ExportFormat.JSON)  # every table's file replaced
    _out.print(f"baseline {baseline} refreshed from run {run_id} ({len(written)} files)")
