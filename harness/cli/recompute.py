"""`tts-harness recompute RUN [--check]`: every latency figure of a run re-derived from its stored evidence.

The runner stores what it observed (marks, status answers with their stamps, stream chunks) and, when the
run ends, the figures `harness.measurement` derives from all of it at once. This command derives them again
from the rows alone: without `--check` it stores them (a run recorded before a change to the derivation, or
one interrupted before its end, gets the figures its evidence gives); with `--check` it only compares, and
names every stored figure its evidence does not give.

Exit codes: 0 recomputed, or every figure matches; 1 `--check` found a stored figure that differs; 2 usage
error (unknown run, missing store).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from harness.cli import usage
from harness.cli.report import DEFAULT_DB, DbOption
from harness.core.errors import UsageError

_out = Console(highlight=False, soft_wrap=True)
SHOWN = 20  # mismatches listed before the rest are counted


def recompute_command(
    run_id: Annotated[str, typer.Argument(metavar="RUN", help="run id (latest: the newest)")],
    check: Annotated[
        bool, typer.Option("--check", help="compare only: exit 1 naming each stored figure its evidence does not give")
    ] = False,
    db: DbOption = None,
) -> None:
    """Re-derive every latency figure of RUN from its stored evidence, and store it (or, with --check, compare)."""
    from harness.measurement import recompute
    from harness.results import connect_writer, open_read_only, require_run, resolve_store

    try:
        store = resolve_store(db, DEFAULT_DB)
        conn = open_read_only(store) if check else connect_writer(store)
    except (UsageError, FileNotFoundError) as error:
        raise usage.refuse(error) from None
    try:
        run_id = require_run(conn, run_id)
        found = recompute(
            conn, run_id, write=not check, audio_root=store.parent.resolve() if isinstance(store, Path) else Path.cwd()
        )
    except UsageError as error:
        raise usage.refuse(error) from None
    finally:
        conn.close()
    if not found.figures and not found.differences:
        raise usage.refuse(f"run {run_id!r} has no job with stored evidence in {store}")
    columns = sum(len(values) for values in found.figures.values())
    if not check:
        changed = f"; {len(found.differences)} differed from what was stored" if found.differences else ""
        _out.print(
            f"{run_id}: {columns} figures of {found.written} jobs derived from their evidence and stored{changed}"
        )
        return
    if not found.differences:
        _out.print(f"{run_id}: all {columns} figures of {len(found.figures)} jobs match their evidence")
        return
    for mismatch in found.differences[:SHOWN]:
        _out.print(f"differs: {mismatch}")
    more = len(found.differences) - SHOWN
    _out.print(
        f"{run_id}: {len(found.differences)} stored figures differ from their evidence"
        + (f" ({more} more not shown)" if more > 0 else "")
    )
    raise typer.Exit(1)
