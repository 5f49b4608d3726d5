"""`tts-harness` with the bench and report commands, for running examples/ci/gate.sh from a test.

The project's own app registers the same functions (harness/cli/__init__.py); this shim keeps the gate
test independent of that wiring, which the CLI's own tests cover. Run as `python -m tests.helpers.report_cli`.
"""

from __future__ import annotations

import typer

from harness.cli.bench import bench_app
from harness.cli.report import compare_command, contract_diff_command, export_command, report_command

app = typer.Typer()
app.add_typer(bench_app, name="bench")
app.command("report")(report_command)
app.command("compare")(compare_command)
app.command("export")(export_command)
contract = typer.Typer()
contract.command("diff")(contract_diff_command)
app.add_typer(contract, name="contract")

if __name__ == "__main__":
    app()
