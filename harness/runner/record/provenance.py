"""Where a number came from: harness version, git revision and machine, stamped on every row.

A figure without the code that produced it cannot be compared with another; so every run and job row
carries these, read once per process.
"""

from __future__ import annotations

import hashlib
import os
import platform
import socket
import subprocess
import sys
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from harness._version import __version__

HARNESS_VERSION = __version__
UNKNOWN = "unknown"


@cache
def git_revision(root: Path | None = None) -> str:
    """`git rev-parse HEAD` of the harness's checkout (with `-dirty` when files differ), or "unknown"."""
    where = root or Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=where, capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN
    return f"{head}-dirty" if head and dirty else (head or UNKNOWN)


def machine() -> dict[str, Any]:
    """The machine, without identifying it: the host name is hashed."""
    return {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "cpu_count": os.cpu_count(),
        "hostname_hash": hashlib.sha256(socket.gethostname().encode()).hexdigest()[:12],
    }


def iso_now() -> str:
    return iso(datetime.now(UTC))


def iso(moment: datetime) -> str:
    """`2026-11-22T08:15:00.123Z`: UTC, milliseconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_from_epoch(seconds: float) -> str:
    return iso(datetime.fromtimestamp(seconds, UTC))
