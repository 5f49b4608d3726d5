"""`tts-harness history`: a provider's runs over time — every stored figure per provider × model, changes
found by a stated method, findings by the run they first appeared in — as one HTML page and a terminal
summary.

Exit codes: 0 no change starts at the newest run; 1 the newest run starts a change, a provider billed it more
for the same text than the run before, a model answered in another language than asked where the run before
did not, or a check changed beyond its declared rule
(`harness.checks`: a paired change, a counted check's findings rose or newly appeared, or a check's own rule: a kind
of finding new) (a nightly job fails on it; `--junit` writes one failure per change, per provider billing more, per
language answered in another and per offering a check's rule flags); 2 usage error (no store, no run, bad option).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from harness.cli import usage
from harness.cli.report import DEFAULT_DB
from harness.core.errors import UsageError

_out = Console(highlight=False, soft_wrap=True)


def history_command(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="STORE",
            help="results store: a SQLite file or a postgresql:// URL [default: $TTS_HARNESS_DB, else reports/runs.db]",
        ),
    ] = None,
    models: Annotated[
        list[str] | None,
        typer.Option(
            "--models", metavar="NAME", help="only these models (provider/model, model or provider; repeatable)"
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(metavar="DATE", help="only runs started on or after this ISO date or time")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="HTML file to write [default: <folder of the store>/history.html]"),
    ] = None,
    junit: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="also write JUnit XML: one failure per change the newest run starts"),
    ] = None,
) -> None:
    """Write the history page of a store's runs and print its summary; exit 1 when the newest run starts a
    change, was billed more for the same text, or answered in another language than asked."""
    from harness.history import analyse, print_summary, read_history, write_history, write_junit
    from harness.results import resolve_store, store_name

    store = resolve_store(db, DEFAULT_DB)
    names = [name for given in models or () for name in given.split(",") if name]
    try:
        history = read_history(store, names or None, since)
    except UsageError as error:
        raise usage.refuse(error) from None
    usage.notes_left_out(history.left_out)
    if not history.runs:
        raise usage.refuse(
            f"no run in {store_name(store)}"
            + (f" since {since}" if since else "")
            + (f" of {', '.join(names)}" if names else "")
        )
    analysis = analyse(history)
    target = out or (store.parent if isinstance(store, Path) else Path("reports")) / "history.html"
    print_summary(analysis, _out)
    _out.print(f"history written to {write_history(analysis, store_name(store), target)}")
    if junit is not None:
        _out.print(f"JUnit written to {write_junit(analysis, junit)}")
    if analysis.fails:
        raise typer.Exit(1)
