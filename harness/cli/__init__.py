"""`tts-harness`: the command-line face. Each command lives in its own module (assembled in `commands`), and a
command line loads only the modules of the command it names, so `report` or `serve --help` does not wait
for the benchmark's and the sandbox's imports.

This package's own module imports nothing heavy: `main` (`entry`) sets the Ctrl-C handler (`interrupts`)
before typer, rich and the commands load, so a Ctrl-C while the CLI starts is one line too.
"""

from __future__ import annotations

from harness.cli.entry import main

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing before the Ctrl-C handler is set
if TYPE_CHECKING:
    from typing import Any

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    """`from harness.cli import app` (the typer application) loads it on first use."""
    if name == "app":
        from harness.cli.commands import app

        return app
    raise AttributeError(f"module 'harness.cli' has no attribute {name!r}")
