"""The typer application: every command group and command, and `run`, which turns what reaches every
command the same way (an unreadable results database, a path that cannot be used) into one line."""

from __future__ import annotations

import sqlite3
import sys
from typing import NoReturn

import typer

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
    """Run the CLI; input it cannot read ends in one line and exit code 2, never a traceback.

    Each command handles its own usage errors; this is the last line for what reaches every command the
    same way: a results database that is not one (garbage, truncated), a path that is not what the
    option needs (a file where a folder goes) and a path that cannot be created or written (read-only,
    no permission, under /proc, a name too long).
    """
    try:
        app()
    except sqlite3.DatabaseError as error:
        _fail(f"the results database cannot be read ({error}): pass a database written by `tts-harness bench run`")
    except (FileExistsError, NotADirectoryError, IsADirectoryError) as error:
        _fail(f"{error.strerror}: {error.filename} (a folder option names a file, or the other way round)")
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        _fail(f"{error.strerror or error}{where} (the path cannot be created or written: pick another)")
    except UsageError as error:
        _fail(str(error))


def _fail(message: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)
