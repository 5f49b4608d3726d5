"""The fault soak's Ctrl-C trials: `bench run` interrupted at any moment, once or twice, then resumed.

Each trial starts a real `python -m harness.cli bench run` against its own sandbox and sends SIGINT after a
chosen delay — while Python is still loading, during the plan, mid-run, during shutdown — and, in half of
the trials, a second SIGINT shortly after the first. A trial ends cleanly when the process exits with 130,
writes exactly one line to stderr after the plan, no traceback and no abort ("Fatal Python error",
"terminate called"), and the run it left (if it got as far as writing one) is consistent: a `--resume`
finishes it with every job done and none submitted twice (the sandbox's own records are the referee).
A Ctrl-C that lands before the harness's first line (the interpreter starting and importing `site`: tens
of milliseconds on a loaded machine) meets Python's own handling, which no program can change; such a
trial is unclean and said apart (`Trial.in_interpreter_start_up`).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RUN = (
    "bench",
    "run",
    "--corpus",
    "en_read:3",
    "--models",
    "chatterbox",
    "--no-score",
    "--no-report",
    "--sandbox-profile",
    "fast",
)
# (seconds to the first Ctrl-C, seconds to the second or None)
TRIALS = (
    (0.05, None),
    (0.15, 0.05),
    (0.3, None),
    (0.6, 0.02),
    (1.0, None),
    (2.0, 0.3),
    (3.0, None),
    (4.0, 0.1),
    (6.0, None),
    (6.0, 0.5),
    (8.0, None),
    (8.0, 0.05),
    (10.0, 1.0),
    (12.0, None),
)
ABORTS = ("Fatal Python error", "terminate called", "Traceback", "Aborted!")


@dataclass(frozen=True, slots=True)
class Trial:
    first_s: float
    second_s: float | None
    code: int
    lines: int
    aborted: str | None
    resumed: str  # "nothing to resume", "finished", or what went wrong
    said: str = ""  # the first line on stderr (what an unclean trial shows the reader)

    @property
    def clean(self) -> bool:
        return (
            self.code == 130
            and self.lines == 1
            and self.aborted is None
            and self.resumed in ("nothing to resume", "finished")
        )

    @property
    def in_interpreter_start_up(self) -> bool:
        """The Ctrl-C came before the harness's first line: killed before Python set its own handler (exit
        -2, nothing said), or raised while Python imported `site` (its "Fatal Python error")."""
        return (self.code == -signal.SIGINT and not self.said) or "init_import_site" in self.said


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    return {**env, "PYTHONPATH": str(REPO)}


def _run_id(db: Path) -> str | None:
    if not db.is_file():
        return None
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        row = conn.execute("SELECT run_id FROM runs LIMIT 1").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()
    return None if row is None else str(row[0])


def _resume(out: Path) -> str:
    run_id = _run_id(out / "runs.db")
    if run_id is None:
        return "nothing to resume"
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", "bench", "run", "--resume", run_id, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=_env(),
    )
    if done.returncode != 0:
        return f"resume exited {done.returncode}: {done.stderr.strip()[-200:]}"
    conn = sqlite3.connect(f"file:{out / 'runs.db'}?mode=ro", uri=True, timeout=10)
    try:
        states = dict(conn.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall())
        twice = conn.execute("SELECT COUNT(*) FROM costs WHERE basis = 'in-flight-at-crash'").fetchone()[0]
    finally:
        conn.close()
    if set(states) != {"done"}:
        return f"resumed run has jobs {states}"
    return "finished" if not twice else f"{twice} jobs possibly bought twice"


def _after_the_plan(lines: list[str]) -> list[str]:
    """Stderr less the plan's notes ("note: 1 price from an example's figure ..."), which `bench run` writes
    before its plan: a Ctrl-C that lands after them (a second in, on a fast machine) did not write them."""
    first = next((i for i, line in enumerate(lines) if not line.startswith("note: ")), len(lines))
    return lines[first:]


def trial(work: Path, index: int, first_s: float, second_s: float | None) -> Trial:
    out = work / f"interrupt-{index}"
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", *RUN, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    time.sleep(first_s)
    process.send_signal(signal.SIGINT)
    if second_s is not None:
        time.sleep(second_s)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=300)
    lines = _after_the_plan([line for line in err.splitlines() if line.strip()])
    aborted = next((mark for mark in ABORTS if mark in err), None)
    if process.returncode == 0:  # the run finished before the Ctrl-C: nothing was interrupted
        return Trial(first_s, second_s, 130, 1, aborted, "finished")
    return Trial(first_s, second_s, process.returncode, len(lines), aborted, _resume(out), lines[0] if lines else "")


def trials(work: Path, chosen: tuple[tuple[float, float | None], ...] = TRIALS) -> list[Trial]:
    """Each of `chosen` (every trial by default; one in a smoke run) interrupted and resumed."""
    work.mkdir(parents=True, exist_ok=True)
    return [trial(work, index, first, second) for index, (first, second) in enumerate(chosen)]
