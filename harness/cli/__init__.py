"""`tts-harness`: the command-line face. Each command lives in its own module; heavy imports
(sandbox, ASR, report) happen inside the commands, so `--help` stays instant."""

from __future__ import annotations

import typer

from harness.cli.contract import contract_app
from harness.cli.providers import providers_command

app = typer.Typer(
    name="tts-harness",
    help="Conformance and benchmarking harness for hosted text-to-speech APIs.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command("providers")(providers_command)
app.add_typer(contract_app, name="contract")


def main() -> None:
    app()
