"""`tts-harness conform URL`: is a server that says it speaks a built-in provider's speech API compatible with it?
Every documented behaviour of the endpoint run as a clause against the server (`harness.contracts.conform`), and a
card printed: each clause passed, failed (the one line that shows why, and a curl that reproduces it) or not
offered — a table in the terminal, or `--format markdown|json|junit`; `--junit PATH` and `--badge PATH` (a shields.io
endpoint JSON) written beside it. docs/conform.md lists the clauses.

Exit codes: 0 every clause offered passes, 1 a clause failed (or none is offered), 2 a usage error, a server that
cannot be reached, or one that refuses every request the key goes on (one line: the key to set or check).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from harness.cli import usage
from harness.contracts import ClauseOutcome, ConformCard, ServerUnreachable, conform, declare
from harness.contracts.conform import families_with_clauses
from harness.core.errors import UsageError
from harness.report import conform_card

EXIT_UNREACHABLE = 2
STYLE = {ClauseOutcome.PASSED: "green", ClauseOutcome.FAILED: "red", ClauseOutcome.NOT_OFFERED: "dim"}


class CardFormat(StrEnum):
    TABLE = "table"
    MARKDOWN = "markdown"
    JSON = "json"
    JUNIT = "junit"


def conform_command(
    url: Annotated[
        str, typer.Argument(help="the server's base URL, as its clients are given it (http://127.0.0.1:8000/v1)")
    ],
    like: Annotated[
        str | None,
        typer.Option(
            "--like",
            help="the built-in provider whose API the server speaks (default: the one that declares "
            "clauses, while there is one)",
        ),
    ] = None,
    key_env: Annotated[
        str | None,
        typer.Option(
            "--key-env",
            help="the environment variable holding the server's key (default: the built-in's); unset: no key sent",
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help="the model name the server serves, sent on every request (default: the built-in's models)"
        ),
    ] = None,
    voice: Annotated[
        list[str] | None,
        typer.Option(
            "--voice",
            help="a voice the server speaks (repeat for more; the first is sent on every request; default: "
            "the built-in's voices)",
        ),
    ] = None,
    card_format: Annotated[CardFormat, typer.Option("--format", help="how the card is printed")] = CardFormat.TABLE,
    junit: Annotated[Path | None, typer.Option("--junit", help="also write the card as JUnit XML here")] = None,
    badge: Annotated[
        Path | None, typer.Option("--badge", help="also write a shields.io endpoint badge (JSON) here")
    ] = None,
) -> None:
    """Run every documented behaviour of a speech endpoint against a server as a clause, and print its card."""
    try:
        server = declare(url, like or _only_family(), key_env or "", model=model or "", voices=tuple(voice or ()))
        card = conform(server)
    except UsageError as error:
        raise usage.refuse(error) from None
    except ServerUnreachable as error:
        raise usage.fail("unreachable", error, EXIT_UNREACHABLE) from None
    if card.key_refusal is not None:
        raise usage.fail("key refused", card.key_refusal, EXIT_UNREACHABLE)
    if card.setting_refusal is not None:  # an option to give, not a card of the same refusal once per clause
        raise usage.fail(*card.setting_refusal, EXIT_UNREACHABLE)
    if card_format is CardFormat.TABLE:
        _table(card)
    else:
        typer.echo(conform_card.WRITERS[card_format.value](card), nl=False)
    for path, text in ((junit, conform_card.junit), (badge, conform_card.badge)):
        if path is not None:
            path.write_text(text(card), encoding="utf-8")
    raise typer.Exit(0 if card.conforms else 1)


def _only_family() -> str:
    found = families_with_clauses()
    if len(found) != 1:
        raise UsageError(f"give --like (the built-ins that declare clauses: {', '.join(found) or 'none'})")
    return found[0]


def _table(card: ConformCard) -> None:
    console = Console(highlight=False, soft_wrap=False)
    table = Table(title=conform_card.title(card), title_justify="left", show_lines=False)
    table.add_column("clause", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("what it asks, or why not")
    for result in card.results:
        shown = result.reason if result.outcome is not ClauseOutcome.PASSED else result.clause.asks
        table.add_row(result.clause.name, f"[{STYLE[result.outcome]}]{result.outcome.value}[/]", shown)
    console.print(table)
    for result in card.results:
        if result.outcome is ClauseOutcome.FAILED and result.curl:
            console.print(
                f"[red]{result.clause.name}[/]: {result.reason}\n  reproduce: {result.curl}",
                markup=True,
                highlight=False,
            )
        for finding in result.findings:
            console.print(f"[yellow]finding[/] {result.clause.name}: {finding}")
    console.print(conform_card.summary(card))
