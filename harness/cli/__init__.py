"""`tts-harness`: the command-line face. Each command lives in its own module; heavy imports
(sandbox, ASR, report) happen inside the commands, so `--help` stays instant."""

from __future__ import annotations

import typer

from harness.cli.bench import bench_app
from harness.cli.contract import contract_app
from harness.cli.providers import providers_command
from harness.cli.report import compare_command, contract_diff_command, export_command, report_command
from harness.cli.score import asr_app, score_command
from harness.cli.serve import serve_command

app = typer.Typer(
    name="tts-harness",
    help="Conformance and benchmarking harness for hosted text-to-speech APIs.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command("providers")(providers_command)
app.add_typer(contract_app, name="contract")
contract_app.command("diff")(contract_diff_command)
app.command("serve")(serve_command)
app.add_typer(bench_app, name="bench")
app.command("score")(score_command)
app.add_typer(asr_app, name="asr")
app.command("report")(report_command)
app.command("compare")(compare_command)
app.command("export")(export_command)


def main() -> None:
    app()
