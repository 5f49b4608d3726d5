"""The typer application: every command group and command, and `run`, which turns what reaches every
command the same way (an unreadable results database, a path that cannot be used) into one line."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import typer
import typer.main

from harness.cli import interrupts, usage
from harness.core.errors import UsageError

if TYPE_CHECKING:  # the click typer runs on (its own copy in recent typer: see usage)
    from typer._click.core import Command

# Each top-level name, whether it is a command or a group, and where it lives (module, attribute); a group
# may gain commands that live elsewhere (name, module, attribute). A command line loads only the modules of
# the command it names (`bench run` imports neither the sandbox's server nor scoring before it starts them,
# `report` never imports the benchmark): a second of imports, for every CLI process, is what loading every
# command cost.
_GROUP, _COMMAND = "group", "command"
_Added = tuple[tuple[str, str, str], ...]
_TABLE: tuple[tuple[str, str, str, str, _Added, bool], ...] = (
    ("providers", _COMMAND, "harness.cli.providers", "providers_command", (), False),
    (
        "contracts",
        _GROUP,
        "harness.cli.contract",
        "contract_app",
        (
            ("diff", "harness.cli.report", "contract_diff_command"),
            ("run", "harness.cli.contract_suite", "run_command"),
            ("record", "harness.cli.contract_suite", "record_command"),
        ),
        False,
    ),
    # the group's first name: every command kept under it (`command_for` loads both names together)
    ("contract", _GROUP, "harness.cli.contract", "contract_app", (), True),
    ("serve", _COMMAND, "harness.cli.serve", "serve_command", (), False),
    ("conform", _COMMAND, "harness.cli.conform", "conform_command", (), False),
    ("bench", _GROUP, "harness.cli.bench", "bench_app", (), False),
    ("score", _COMMAND, "harness.cli.score", "score_command", (), False),
    ("asr", _GROUP, "harness.cli.score", "asr_app", (), False),
    ("report", _COMMAND, "harness.cli.report", "report_command", (), False),
    ("compare", _COMMAND, "harness.cli.report", "compare_command", (), False),
    ("baseline", _GROUP, "harness.cli.baseline", "baseline_app", (), False),
    ("export", _COMMAND, "harness.cli.report", "export_command", (), False),
    ("runs", _GROUP, "harness.cli.runs", "runs_app", (), False),
    ("history", _COMMAND, "harness.cli.history", "history_command", (), False),
    ("recompute", _COMMAND, "harness.cli.recompute", "recompute_command", (), False),
)


def application(names: Iterable[str] | None = None) -> typer.Typer:
    """The typer application with the named top-level commands (all of them when `names` is None)."""
    wanted = None if names is None else set(names)
    app = typer.Typer(
        name="tts-harness",
        help="Conformance and benchmarking harness for hosted text-to-speech APIs.",
        no_args_is_help=True,
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,  # click's plain help: no `<bool>` labels, defaults as [default: …]
    )
    # A typer application of one command would be that command itself (no command name to type): the
    # callback keeps it a group whatever the command line loaded.
    app.callback()(_no_options)
    for name, kind, module, attribute, added, hidden in _TABLE:
        if wanted is not None and name not in wanted:
            continue
        face: Any = getattr(importlib.import_module(module), attribute)
        if kind == _COMMAND:
            app.command(name)(face)
            continue
        registered = {info.name for info in face.registered_commands}  # added once: the group is a module's
        for command, added_module, added_attribute in added:
            if command not in registered:
                face.command(command)(getattr(importlib.import_module(added_module), added_attribute))
        app.add_typer(face, name=name, hidden=hidden)
    return app


def _no_options() -> None:
    pass


def command_for(arguments: Sequence[str]) -> Command:
    """The click command for this command line: only the top-level command it names is loaded; help, an
    unknown name or no name at all loads every command (click then lists them, or suggests one)."""
    name = next((argument for argument in arguments if not argument.startswith("-")), None)
    known = {entry[0] for entry in _TABLE}
    # `contract` is the hidden first name of `contracts`: both load the group with every command added
    names = None if name not in known else {name, "contracts"} if name == "contract" else {name}
    return typer.main.get_command(application(names))


def __getattr__(name: str) -> Any:
    """`app`: the whole application, built on first use (`harness.cli.app`, the tests' CliRunner)."""
    if name == "app":
        globals()["app"] = built = application()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run(command: Command | None = None) -> None:
    """Run the CLI; input it cannot read ends in one line and exit code 2, never a traceback or a panel.

    The command line itself is click's to parse; it runs outside click's standalone mode, so a refused
    command line (a bad option value, a missing argument, an unknown option, command or choice) reaches
    this one place and is said in one line (`usage.click_refusal`), not click's multi-line usage block.
    Help is click's own, unchanged. Each command handles its own usage errors; this is also the last line
    for what reaches every command the same way: a results database that is not one (garbage, truncated),
    a path that is not what the option needs (a file where a folder goes) and a path that cannot be
    created or written (read-only, no permission, under /proc, a name too long).
    """
    try:
        code = (command or command_for(sys.argv[1:])).main(standalone_mode=False)
    except usage.NO_ARGS_IS_HELP as error:  # `tts-harness bench`: the help, as click shows it
        assert isinstance(error, usage.clicks.UsageError)
        error.show()
        code = error.exit_code
    except usage.clicks.UsageError as error:
        _fail(usage.click_refusal(error), label="usage error")
    except usage.clicks.ClickException as error:  # a file click could not open (exit 1)
        _fail(usage.click_refusal(error), code=error.exit_code)
    except typer.Abort:  # end of input at a prompt, or (click before 8.2) a Ctrl-C
        if interrupts.interrupted():
            raise KeyboardInterrupt from None  # the entry's one line and exit 130
        _fail("no answer on standard input", label="aborted", code=1)
    except sqlite3.DatabaseError as error:
        _fail(f"the results database cannot be read ({error}): pass a database written by `tts-harness bench run`")
    except (FileExistsError, NotADirectoryError, IsADirectoryError) as error:
        _fail(f"{error.strerror}: {error.filename} (a folder option names a file, or the other way round)")
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        _fail(f"{error.strerror or error}{where} (the path cannot be created or written: pick another)")
    except UsageError as error:
        _fail(error, label="usage error")
    if isinstance(code, int) and code:  # outside standalone mode click returns a command's exit code
        raise SystemExit(code)


def _fail(message: object, label: str = "error", code: int = usage.EXIT_USAGE) -> NoReturn:
    usage.say(label, message)
    raise SystemExit(code)
