"""A command line click refuses (a bad option value, a missing argument, an unknown option, command or
choice) is one line, `usage error: … (see COMMAND --help)`, and exit 2 — not click's usage block — and a
value the user typed is printed as text (a `[/x]` once raised rich's MarkupError). Help is unchanged.

One case runs in a subprocess, as a user meets it; the others call the same entry, `harness.cli.main`,
in this process (tests.helpers.cli_runs)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
import typer.main

from harness.cli import app
from tests.cli.test_cli_errors import _one_line_error
from tests.helpers.cli_runs import CliRun, in_process, in_subprocess

BOX = set("╭╮╰╯│─┌┐└┘")


@pytest.fixture
def here(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliRun]:
    return partial(in_process, monkeypatch=monkeypatch, capsys=capsys)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("serve", "--port", "abc"), "invalid value for '--port': "),  # a bad option value
        (("score", "--workers", "0", "x"), "invalid value for '--workers': "),  # out of its range
        (("report",), "missing argument 'RUN'"),
        (("compare", "A"), "missing argument 'NEW'"),
        (("contract", "check"), "missing argument 'provider'"),
        (("bench", "run", "--nope"), "no such option: --nope"),
        (("providers", "--yes"), "no such option: --yes"),
        (("export", "RUN", "--format", "xml"), "invalid value for '--format': "),  # a bad choice
        (("serve", "--profile", "nosuch"), "invalid value for '--profile': 'nosuch' is not one of 'fast'"),  # an enum
        (("score", "x", "--asr", "vosk"), "invalid value for '--asr': "),
        (("nocommand",), "no such command 'nocommand'"),
        (("asr", "convert"), "did you mean 'convert-ct2'?"),
    ],
)
def test_a_refused_command_line_is_one_line_naming_its_help(
    args: tuple[str, ...], expected: str, tmp_path: Path, here: Callable[..., CliRun]
) -> None:
    line = _one_line_error(here(*args, cwd=tmp_path), 2)
    assert line.startswith("usage error: ") and expected.lower() in line.lower(), line
    command = " ".join(
        a
        for a in args
        if a
        in {"serve", "score", "report", "compare", "contract", "check", "bench", "run", "providers", "export", "asr"}
    )
    assert " (see " in line and line.endswith(f"{command} --help)".lstrip()), line  # the program name as run


def test_an_option_without_its_value_is_one_line(tmp_path: Path, here: Callable[..., CliRun]) -> None:
    # click's parser raises this one without its context: the line cannot name the command's help
    line = _one_line_error(here("bench", "run", "--repeats", cwd=tmp_path), 2)
    assert line == "usage error: option '--repeats' requires an argument."


def test_recording_from_replay_is_refused_in_the_commands_words(tmp_path: Path, here: Callable[..., CliRun]) -> None:
    """`contracts record --target replay` said the plugin's words ("--tts-record-mode needs --tts-target …", pytest's
    exit 4); the command now refuses it itself, naming its own options."""
    line = _one_line_error(here("contracts", "record", "--target", "replay", cwd=tmp_path), 2)
    assert line == "usage error: contracts record records answers: --target sandbox (the default), a URL, or --live"


@pytest.mark.slow
def test_a_refused_command_line_is_one_line_for_a_user(tmp_path: Path) -> None:
    result = in_subprocess("serve", "--port", "abc", cwd=tmp_path)
    line = _one_line_error(result, 2)
    assert "'--port'" in line and "serve --help)" in line
    assert not BOX & set(result.stderr) and "Usage:" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("contract", "check", "[/x]", "GET /x"),  # a provider name the refusal repeats
        ("bench", "run", "--models", "[/x]", "--out", "out", "--no-score", "--no-report"),
        ("bench", "run", "--models", "two\nlines", "--out", "out", "--no-score", "--no-report"),
    ],
)
def test_what_the_user_typed_is_printed_as_text_on_one_line(
    args: tuple[str, ...], tmp_path: Path, here: Callable[..., CliRun]
) -> None:
    line = _one_line_error(here(*args, cwd=tmp_path), 2)
    assert line.startswith("usage error: ")
    assert ("[/x]" in line) or ("two lines" in line), line


def _standalone_help(args: tuple[str, ...], prog: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The help as click's standalone mode prints it (how the CLI ran before it took click's errors)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        typer.main.get_command(app).main(list(args), prog_name=prog)
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("args", [("--help",), ("serve", "--help"), ("bench", "run", "--help"), ("asr", "--help")])
def test_help_is_unchanged(
    args: tuple[str, ...],
    tmp_path: Path,
    here: Callable[..., CliRun],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = here(*args, cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    # in this process click names the program after pytest's own __main__: compare from the usage line's end
    standalone = _standalone_help(args, "tts-harness", capsys)
    assert result.stdout.startswith("Usage: ")
    assert result.stdout.split(" [OPTIONS]", 1)[1] == standalone.split(" [OPTIONS]", 1)[1]


def test_help_is_unchanged_for_a_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = in_subprocess("serve", "--help", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == _standalone_help(("serve", "--help"), "python -m harness.cli", capsys)


def test_a_group_without_its_command_shows_its_help(tmp_path: Path, here: Callable[..., CliRun]) -> None:
    result = here("bench", cwd=tmp_path)
    assert result.returncode == 2  # click's no_args_is_help
    assert " bench [OPTIONS] COMMAND" in result.stderr and "Commands:" in result.stderr
