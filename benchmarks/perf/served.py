"""`tts-harness serve` in a process of its own, for the perf scripts that time a server which shares no
interpreter (and no GIL) with the client timing it, as a provider's server does not."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

SERVE = "import typer\nfrom harness.cli.serve import serve_command\ntyper.run(serve_command)"


@contextmanager
def served_sandbox(*options: str) -> Iterator[str]:
    """The sandbox on a free port with `options` (`tts-harness serve`'s); its URL, until the block ends."""
    command = [sys.executable, "-c", SERVE, "--port", "0", *options]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        header = server.stdout.readline()  # "tts-harness sandbox (...) on http://127.0.0.1:PORT"
        if " on " not in header:
            raise RuntimeError(f"the sandbox did not start: {header!r}")
        yield header.rsplit(" on ", 1)[1].strip()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
