"""The typer application: every command group and command, and `run`, which turns what reaches every
command the same way (an unreadable results database, a path that cannot be used) into one line."""

from __future__ import annotations

import sqlite3
from typing import NoReturn

import typer
import typer.main

from harness.cli import interrupts, usage
from harness.cli.baseline import baseline_app
from harness.cli.bench import bench_app
from harness.cli.contract import contract_app
from harness.cli.contract_suite import record_command as contracts_record_command
from harness.cli.contract_suite import run_command as contracts_run_command
from harness.cli.providers import providers_command
from harness.cli.report import compare_command, contract_diff_command, export_command, report_command
from harness.cli.score import asr_app, score_command
from harness.cli.serve import serve_command
from harness.core.errors import UsageError

app = typer.Typer(
    name="tts-harness",
    help="Conformance and benchmarking harness for hosted text-to-speech APIs.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # click's plain help: no `<bool>` labels, defaults as [default: …]
)
app.command("providers")(providers_command)
app.add_typer(contract_app, name="contracts")
app.add_typer(contract_app, name="contract", hidden=True)  # the group's first name: every command kept under it
contract_app.command("diff")(contract_diff_command)
contract_app.command("run")(contracts_run_command)
contract_app.command("record")(contracts_record_command)
app.command("serve")(serve_command)
app.add_typer(bench_app, name="bench")
app.command("score")(score_command)
app.add_typer(asr_app, name="asr")
app.command("report")(report_command)
app.command("compare")(compare_command)
app.add_typer(baseline_app, name="baseline")
app.command("export")(export_command)


def run() -> None:
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
        code = typer.main.get_command(app).main(standalone_mode=False)
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
