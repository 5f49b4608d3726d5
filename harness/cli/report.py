"""`tts-harness report | compare | contract diff | export`: the faces of the report package.

Exit codes: 0 fine; 1 a regression (`compare`) or a breaking change (`contract diff`); 2 usage error
(unknown run, missing database or folder, bad option). BASE, NEW and `--baseline` take a run id from
the database or an export folder (`tts-harness export`), so a baseline can be committed to a repository.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from harness.cli import usage
from harness.core.errors import UsageError
from harness.report.export import ExportFormat  # light: pyarrow loads only when writing parquet
from harness.runner.summary.format import SummaryFormat  # light: rich only

if TYPE_CHECKING:
    from harness.results import StoreTarget

_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, soft_wrap=True)  # one error, one line
DEFAULT_DB = Path("reports/runs.db")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="FILE|URL",
        help="results store: the SQLite file `bench run` wrote, or a team's PostgreSQL "
        "store (postgresql://…) [default: $TTS_HARNESS_DB, else reports/runs.db]",
    ),
]
AsrOption = Annotated[
    str | None,
    typer.Option(
        "--asr-model", metavar="MODEL", help="use scores from this ASR model [default: the one that scored most]"
    ),
]


_usage = usage.refuse


def _store(db: str | None) -> StoreTarget:
    """The store a command reads (`harness.results.resolve_store`: --db, else TTS_HARNESS_DB, else the default)."""
    from harness.results import resolve_store

    return resolve_store(db, DEFAULT_DB)


def _beside(store: StoreTarget) -> Path:
    """Where a command writes by default: beside a SQLite file, or `reports/` for a PostgreSQL store."""
    return store.parent if isinstance(store, Path) else DEFAULT_DB.parent


def report_command(
    run_id: Annotated[str, typer.Argument(metavar="RUN", help="run id (latest: the newest), or an export folder")],
    baseline: Annotated[
        str | None, typer.Option(metavar="RUN", help="run id or export folder to compare against")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="HTML file to write [default: <folder of --db>/<run>/index.html]"),
    ] = None,
    db: DbOption = None,
    asr_model: AsrOption = None,
    form: Annotated[
        SummaryFormat | None,
        typer.Option(
            "--format",
            help="also print the run's summary, as `bench run` does at its end: text, markdown or json (then "
            "the summary alone on standard output) [default: no summary]",
        ),
    ] = None,
) -> None:
    """Write one self-contained HTML report of a run (audio copied beside it; works offline)."""
    from harness.report.compare import compare_runs
    from harness.report.export import load_run
    from harness.report.render import write_report

    try:
        store = _store(db)
        if form is not None and Path(run_id).is_dir():
            raise UsageError(
                f"--format prints a stored run's summary: {run_id} is an export folder (its spending is "
                "in the store it came from); pass the run id and --db"
            )
        rows = load_run(run_id, store, asr_model)
        base = load_run(baseline, store, asr_model) if baseline else None
        comparison = compare_runs(base, rows) if base is not None else None
    except (UsageError, FileNotFoundError) as error:
        raise _usage(error) from None
    usage.notes_left_out((*(base.left_out if base is not None else ()), *rows.left_out))
    target = out or _beside(store) / rows.run_id / "index.html"
    written = write_report(rows, target, comparison)
    if form is None:
        _out.print(f"report written to {written}")
        return
    _summary(store, rows.run_id, form)
    (_out if form is SummaryFormat.TEXT else _err).print(f"report written to {written}", markup=False)


def _summary(store: StoreTarget, run_id: str, form: SummaryFormat) -> None:
    """The stored run's summary in `form`, on standard output (its text as wide as the terminal, or 200 captured)."""
    import os
    import sys

    from harness.results import Store, store_name
    from harness.runner.summary.figures import summarize
    from harness.runner.summary.view import render

    opened = Store(store)
    try:
        summary = summarize(opened, run_id)
    finally:
        opened.close()
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 200
    render(summary, Console(highlight=False, width=width), store_name(store), form)


def compare_command(
    base: Annotated[
        str, typer.Argument(metavar="BASE", help="BASE run id (latest: the newest), export folder or fixture folder")
    ],
    new: Annotated[
        str, typer.Argument(metavar="NEW", help="NEW run id (latest: the newest), export folder or fixture folder")
    ],
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            metavar="METRIC,…",
            help="metrics that fail the gate: latency,wer,cost,success,contract,stream,language (also: hard-text)",
        ),
    ] = "latency,wer,cost,success,contract,stream,language",
    junit: Annotated[Path | None, typer.Option(metavar="FILE", help="also write a JUnit XML file")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print JSON (with the statistical method) instead of text")
    ] = False,
    threshold: Annotated[
        list[str] | None,
        typer.Option(
            "--threshold",
            metavar="KEY=VALUE",
            help="override a threshold, KEY=VALUE (latency_p50=0.1, wer=0.02, alpha=0.05, first_audio_ms=25)",
        ),
    ] = None,
    db: DbOption = None,
    asr_model: AsrOption = None,
) -> None:
    """Flag regressions of NEW against BASE: beyond a threshold AND statistically significant. Exit 1 if any.
    Two fixture folders (recorded by `pytest contracts/`): their recorded streams are replayed and compared
    (first audio, order, frame rules)."""
    from harness.report.compare import GateThresholds, compare_runs, parse_metrics, render_text, to_junit

    try:
        overrides = dict(item.split("=", 1) for item in threshold or [] if "=" in item)
        if len(overrides) != len(threshold or []):
            raise UsageError(f"--threshold takes KEY=VALUE, got {threshold}")
        thresholds, metrics = GateThresholds().with_overrides(overrides), parse_metrics(fail_on)
        if _fixture_folders(base, new):
            from harness.core.registry import providers
            from harness.report.stream_compare import compare_streams

            comparison = compare_streams(Path(base), Path(new), providers(), metrics, thresholds)
        else:
            from harness.report.export import load_run

            store = _store(db)
            old, young = load_run(base, store, asr_model), load_run(new, store, asr_model)
            usage.notes_left_out((*old.left_out, *young.left_out))
            comparison = compare_runs(old, young, metrics, thresholds)
    except (UsageError, FileNotFoundError) as error:
        raise _usage(error) from None
    if junit is not None:
        junit.parent.mkdir(parents=True, exist_ok=True)
        junit.write_text(to_junit(comparison), encoding="utf-8")
    _out.print(comparison.to_json_text() if as_json else render_text(comparison), markup=False)
    raise typer.Exit(comparison.exit_code)


def _fixture_folders(base: str, new: str) -> bool:
    """Both are fixture folders (compare their streams); one alone is a usage error."""
    from harness.contracts import is_fixture_folder

    kinds = (is_fixture_folder(Path(base)), is_fixture_folder(Path(new)))
    if kinds[0] != kinds[1]:
        raise UsageError(
            f"{base if kinds[0] else new} is a fixture folder and the other is not: compare two runs "
            "(ids or export folders) or two fixture folders"
        )
    return kinds[0]


def contract_diff_command(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="fixture folder recorded first (holds scenarios/)")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="fixture folder recorded later (e.g. a live re-record)")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of text")] = False,
) -> None:
    """Structural diff of two recordings of the same endpoints, graded like oasdiff. Exit 1 on a breaking change."""
    from harness.report.contract_diff import contract_diff, render_text

    try:
        diff = contract_diff(old, new)
    except (FileNotFoundError, ValueError) as error:
        raise _usage(error) from None
    _out.print(json.dumps(diff.to_json(), indent=2) if as_json else render_text(diff), markup=False)
    raise typer.Exit(1 if diff.breaking else 0)


def export_command(
    run_id: Annotated[str, typer.Argument(metavar="RUN", help="run id (latest: the newest)")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="file format")] = ExportFormat.CSV,
    out: Annotated[
        Path | None, typer.Option(metavar="DIR", help="folder to write [default: <folder of --db>/<run>/rows]")
    ] = None,
    db: DbOption = None,
    asr_model: AsrOption = None,
) -> None:
    """Write the run's raw rows (run, requests, errors, drift): the same rows the report computes from."""
    from harness.report.export import export_rows
    from harness.results import read_run

    try:
        store = _store(db)
        rows = read_run(store, run_id, asr_model)
    except UsageError as error:
        raise _usage(error) from None
    usage.notes_left_out(rows.left_out)
    for path in export_rows(rows, out or _beside(store) / rows.run_id / "rows", fmt):
        _out.print(str(path))
