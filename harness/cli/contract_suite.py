"""`tts-harness contracts run` and `tts-harness contracts record`: the packaged contract suite, in any repository.

Both are `python -m pytest --tts-contracts` (the suite shipped in harness/contracts/suite, collected by the
pytest plugin) in a child process, so pytest imports and rewrites the suite afresh, with the plugin's
options: where requests go, where fixtures live, whether answers are recorded. The providers are those of
the repository the command runs in: the built-in ones and those its providers file declares
(`tts-harness.toml` or `[tool.tts-harness]` here, or --providers-file). Fixtures are the repository's too: a
declared provider's in `tts-harness-fixtures/` beside the providers file, the built-in providers' shipped
with the package, or all in --fixtures-dir. The project's own pytest configuration is not
read (`-c /dev/null`): the suite runs alike wherever it is installed, and options for pytest itself follow
`--` (`tts-harness contracts run -- -k pixazo -x`).

The nightly drift job is two commands: `contracts record --live --mode all --fixtures-dir nightly` and
`contracts diff tts-harness-fixtures nightly`.

Exit codes are pytest's: 0 every check passed, 1 a check failed, 2 and above a usage or internal error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from harness.cli import usage
from harness.contracts.targets import RecordMode
from harness.core import declared

_TargetOption = Annotated[
    str | None,
    typer.Option(
        "--target",
        metavar="replay|sandbox|live|URL",
        help="where requests go: a provider's base URL is that provider, another URL a server laid out like the "
        "sandbox [default: replay for run, sandbox for record]",
    ),
]
_LiveOption = Annotated[bool, typer.Option("--live", help="the providers' real hosts, keys from their variables")]
_ProvidersFileOption = Annotated[
    Path | None,
    typer.Option(
        "--providers-file",
        metavar="FILE",
        exists=True,
        dir_okay=False,
        help="the providers file declaring the repository's providers [default: tts-harness.toml here, or "
        "[tool.tts-harness] in pyproject.toml]",
    ),
]
_JunitOption = Annotated[Path | None, typer.Option("--junit", metavar="FILE", help="also write a JUnit XML file")]
_PytestArgs = Annotated[
    list[str] | None,
    typer.Argument(metavar="[-- PYTEST_ARGS]", help="options for pytest itself, after --: -k EXPRESSION, -x, -n 2 …"),
]


def suite_arguments(
    target: str | None,
    live: bool,
    fixtures_dir: Path | None,
    record_mode: RecordMode | None,
    junit: Path | None,
    extra: list[str] | None,
) -> list[str]:
    """The pytest command line of one contract run (the plugin's options; no project configuration)."""
    from harness.contracts.suite import SUITE_DIR

    args = [
        "--tts-contracts",
        "-c",
        os.devnull,
        "--rootdir",
        str(SUITE_DIR),
        "--confcutdir",
        str(SUITE_DIR),
        "-p",
        "no:cacheprovider",
        "-o",
        "asyncio_default_fixture_loop_scope=function",
    ]
    if target is not None:
        args += ["--tts-target", target]
    if live:
        args.append("--tts-live")
    if fixtures_dir is not None:
        args += ["--tts-fixtures-dir", str(fixtures_dir.resolve())]
    if record_mode is not None:
        args += ["--tts-record-mode", record_mode.value]
    if junit is not None:
        args.append(f"--junitxml={junit.resolve()}")
    return [*args, *(extra or [])]


def _run_suite(args: list[str], providers_file: Path | None) -> None:
    env = dict(os.environ)
    if providers_file is not None:
        env[declared.FILE_ENV] = str(providers_file.resolve())
    raise typer.Exit(subprocess.run([sys.executable, "-m", "pytest", *args], env=env, check=False).returncode)


def run_command(
    target: _TargetOption = None,
    live: _LiveOption = False,
    providers_file: _ProvidersFileOption = None,
    fixtures_dir: Annotated[
        Path | None,
        typer.Option(
            "--fixtures-dir",
            metavar="DIR",
            file_okay=False,
            help="replay every provider's recordings from DIR [default: the package's for the built-in providers, "
            "tts-harness-fixtures/ beside the providers file for declared ones]",
        ),
    ] = None,
    junit: _JunitOption = None,
    pytest_args: _PytestArgs = None,
) -> None:
    """Run the contract suite: every documented endpoint and status of every provider (replay by default)."""
    _run_suite(suite_arguments(target, live, fixtures_dir, None, junit, pytest_args), providers_file)


def record_command(
    target: _TargetOption = None,
    live: _LiveOption = False,
    providers_file: _ProvidersFileOption = None,
    fixtures_dir: Annotated[
        Path | None,
        typer.Option(
            "--fixtures-dir",
            metavar="DIR",
            file_okay=False,
            help="write the recordings here [default: tts-harness-fixtures/ beside the providers file, or here]",
        ),
    ] = None,
    mode: Annotated[
        RecordMode,
        typer.Option(
            "--mode",
            help="new_episodes or once: what is not recorded yet (the rest replayed); all: everything "
            "again; rewrite: the providers' recordings deleted first",
        ),
    ] = RecordMode.NEW_EPISODES,
    junit: _JunitOption = None,
    pytest_args: _PytestArgs = None,
) -> None:
    """Record the contract suite's answers (the sandbox by default) into the repository's fixture folder."""
    # Into the user's folder, never the installed package's own fixtures.
    environ = {**os.environ, declared.FILE_ENV: str(providers_file)} if providers_file is not None else None
    folder = fixtures_dir or declared.fixtures_dir(environ=environ) or Path.cwd() / declared.FIXTURES_FOLDER
    chosen = target if target is not None or live else "sandbox"
    if chosen == "replay":  # said in this command's words, not the plugin's (--tts-record-mode, --tts-target)
        raise usage.refuse("contracts record records answers: --target sandbox (the default), a URL, or --live")
    _run_suite(suite_arguments(chosen, live, folder, mode, junit, pytest_args), providers_file)
