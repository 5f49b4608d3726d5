"""A command line loads the modules of the command it names, not every command's: `report` or `export` does
not import the benchmark, the sandbox or scoring (about a second of CPU each time the CLI starts)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main

from harness.cli.commands import application, command_for


def _harness_modules_after(arguments: list[str]) -> set[str]:
    code = (
        "import sys; from harness.cli.commands import command_for; "
        f"command_for({arguments!r}); print(*(m for m in sys.modules if m.startswith('harness.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize(
    ("arguments", "loaded", "not_loaded"),
    [
        (
            ["report", "RUN", "--db", "x.db"],
            "harness.cli.report",
            ("harness.cli.bench", "harness.cli.serve", "harness.sandbox.server", "harness.scoring.scorer"),
        ),
        (["bench", "run", "--help"], "harness.cli.bench", ("harness.cli.serve", "harness.cli.contract_suite")),
    ],
)
def test_a_command_line_loads_its_command_only(arguments: list[str], loaded: str, not_loaded: tuple[str, ...]) -> None:
    modules = _harness_modules_after(arguments)
    assert loaded in modules
    assert not modules & set(not_loaded), sorted(modules & set(not_loaded))


@pytest.mark.parametrize("arguments", [[], ["--help"], ["no-such-command"]])
def test_help_and_an_unknown_name_see_every_command(arguments: list[str]) -> None:
    every = typer.main.get_command(application()).commands
    assert set(command_for(arguments).commands) == set(every)
    assert {"bench", "serve", "report", "contracts", "baseline"} <= set(every)


def test_one_loaded_command_is_still_a_command_of_the_group() -> None:
    """typer makes an application of one command that command itself; the CLI's stays a group, so the
    command line still names the command."""
    group = command_for(["export", "RUN"])
    assert list(group.commands) == ["export"]


def test_the_hidden_first_name_of_contracts_keeps_every_command() -> None:
    group = command_for(["contract", "diff", "a", "b"])
    assert {"diff", "run", "record", "check"} <= set(group.commands["contract"].commands)
