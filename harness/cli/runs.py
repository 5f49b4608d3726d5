"""`tts-harness runs merge A.db B.db … --into X`: unite results stores from several machines.

A store is a SQLite file or a PostgreSQL URL (`postgresql://…`; its password is never printed). Exit codes:
0 merged (or nothing new); 2 a conflicting run (same id, other content: nothing merged), a missing store, a
bad option.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from harness.cli import usage
from harness.core.errors import UsageError

runs_app = typer.Typer(help="Results stores: unite the runs of several machines.", no_args_is_help=True)
_out = Console(highlight=False, soft_wrap=True)


@runs_app.command("merge")
def merge_command(
    sources: Annotated[
        list[str], typer.Argument(metavar="STORE...", help="stores to read: SQLite files or postgresql:// URLs")
    ],
    into: Annotated[
        str,
        typer.Option(
            "--into", metavar="STORE", help="store to write (created when new): a file or a postgresql:// URL"
        ),
    ],
) -> None:
    """Copy every run of the STOREs into --into: idempotent by run id; a run held there with other content is
    refused and nothing is written."""
    from harness.results import as_store, merge_stores, store_name

    target = as_store(into)
    try:
        result = merge_stores([as_store(source) for source in sources], target)
    except UsageError as error:
        raise usage.refuse(error) from None
    present = f", {len(result.present)} already there" if result.present else ""
    _out.print(f"merged into {store_name(target)}: {len(result.added)} runs added{present} ({result.rows} rows)")
