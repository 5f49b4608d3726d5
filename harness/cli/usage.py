"""How the CLI refuses what it was given: one line on stderr and an exit code, never a panel or a traceback.

Every refusal goes through `say`: a command's own (`refuse`: `usage error: …`, exit 2; `fail`: another
label and code) and click's (`click_refusal`: a bad option value, a missing argument, an unknown option,
command or choice), which `commands.run` turns into the same one line. The message is printed as plain
text, never as rich markup: a value the user typed may hold `[/x]`, which markup would read as a closing
tag and raise on. Whitespace is collapsed, so a message with a newline in it (a pydantic error, a path)
still ends in one line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from typer._click import exceptions as clicks
else:
    try:  # the click typer runs on: its own copy (recent typer) ...
        from typer._click import exceptions as clicks
    except ImportError:  # ... or the click package (typer before it vendored click)
        from click import exceptions as clicks

# click 8.2 on: `no_args_is_help` raises this (a UsageError) to show the help; before, it showed it itself
NO_ARGS_IS_HELP: type[Exception] | tuple[()] = getattr(clicks, "NoArgsIsHelpError", ())
EXIT_USAGE = 2  # click's and the harness's: the command was called wrongly

_err = Console(stderr=True, soft_wrap=True, highlight=False)


def one_line(message: object) -> str:
    return " ".join(str(message).split())


def say(label: str, message: object, style: str = "red") -> None:
    """`label: message` on stderr as one line (the label coloured on a terminal)."""
    _err.print(Text.assemble((f"{label}:", style), " ", one_line(message)))


def fail(label: str, message: object, code: int) -> typer.Exit:
    """Say it; the caller raises the returned `typer.Exit` (`raise fail(...) from None`)."""
    say(label, message)
    return typer.Exit(code)


def notes_left_out(lines: Iterable[str]) -> None:
    """Each row a reader left out of a store (`RunRows.left_out`: a value its column cannot hold), one `note:` line
    on stderr: the command goes on without it."""
    for line in lines:
        say("note", line, "yellow")


def refuse(message: object) -> typer.Exit:
    """`usage error: message`, exit 2."""
    return fail("usage error", message, EXIT_USAGE)


def click_refusal(error: clicks.ClickException) -> str:
    """click's message for a refused command line, and where its help is: `invalid value for '--port':
    'abc' is not a valid integer (see tts-harness serve --help)`."""
    # typer converts an enum option through pydantic, whose words ("Value error, ") say nothing to a user
    message = one_line(error.format_message()).replace(": Value error, ", ": ")
    message = message[:1].lower() + message[1:]  # "Missing argument 'RUN'." reads as the harness's own lines
    ctx = getattr(error, "ctx", None)
    return f"{message} (see {ctx.command_path} --help)" if ctx is not None else message
