"""The inputs issue 20 found ending in tracebacks, each now one line and its documented exit code, and
Ctrl-C: one line, exit 130, never an abort, and a run that `--resume` finishes. Each command meets its bad
input at least once in a subprocess, as a user meets it; the benchmark's other bad settings call the same
entry point in this process (tests.helpers.cli_runs), and Ctrl-C is a real signal to a real process."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_cli_errors import STATUS, _one_line_error
from tests.helpers.cli_runs import in_process, in_subprocess

SHORT_RUN = (
    "bench",
    "run",
    "--providers",
    "pixazo",
    "--models",
    "chatterbox",
    "--corpus",
    "en_read:1",
    "--no-score",
    "--no-report",
)
UNWRITABLE = "/proc/tts-harness-out"  # not even root may create it


SUBPROCESS, HERE = "subprocess", "in-process"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "expected", "how"),
    [
        ((*SHORT_RUN, "--out", UNWRITABLE), "cannot be created or written", SUBPROCESS),
        (("report", "RUN", "--db", "runs.db", "--out", f"{UNWRITABLE}/r.html"), "runs.db", SUBPROCESS),
        (("export", "RUN", "--db", "runs.db", "--format", "csv", "--out", UNWRITABLE), "runs.db", SUBPROCESS),
        ((*SHORT_RUN, "--config", "unwritable.toml"), "cannot be created or written", HERE),
        # serve configures logging for its process: every case in a process of its own
        (("serve", "--port", "70000"), "--port must be 0", SUBPROCESS),
        (("serve", "--port", "-1"), "--port must be 0", SUBPROCESS),
        (("serve", "--port", "0", "--origin-port", "65530"), "--origin-port must be 0", SUBPROCESS),
        (("serve", "--max-jobs", "0"), "max_jobs must be at least 1", SUBPROCESS),
        (("serve", "--port", "0", "--balance", "nan"), "finite number of USD", SUBPROCESS),
        (("serve", "--port", "0", "--clock-skew", "nan"), "clock skew", SUBPROCESS),
        ((*SHORT_RUN, "--out", "out", "--seed", "99999999999999999999999"), "seed", HERE),
        ((*SHORT_RUN, "--out", "out", "--clock-skew", "nan"), "--clock-skew", HERE),
        ((*SHORT_RUN, "--out", "out", "--clock-skew", "1e300"), "--clock-skew", HERE),
        ((*SHORT_RUN, "--out", "out", "--price", "acme/x=1"), "(--price, [prices]) names no known model: acme/x", HERE),
        ((*SHORT_RUN, "--out", "out", "--yes", "--target", "http://[::1:9"), "not a valid URL", HERE),
        ((*SHORT_RUN, "--out", "out", "--price", "pixazo/chatterbox=nan"), "finite amount of USD", HERE),
    ],
)
def test_a_bad_input_is_one_line(
    args: tuple[str, ...],
    expected: str,
    how: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "unwritable.toml").write_text(f'[bench]\nout = "{UNWRITABLE}"\n')
    result = (
        in_subprocess(*args, cwd=tmp_path)
        if how == SUBPROCESS
        else in_process(*args, cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    )
    line = _one_line_error(result, 2)
    assert expected in line


@pytest.mark.slow
def test_an_unwritable_report_path_is_one_line_for_a_real_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers.report_runs import make_run  # a stored run to report on

    db = tmp_path / "runs.db"
    run_id = make_run(db, "run-a", items=2)
    result = in_process(
        "report",
        run_id,
        "--db",
        str(db),
        "--out",
        f"{UNWRITABLE}/r.html",
        cwd=tmp_path,
        monkeypatch=monkeypatch,
        capsys=capsys,
    )
    line = _one_line_error(result, 2)
    assert "cannot be created or written" in line


@pytest.mark.slow
def test_a_lifecycle_file_whose_items_are_not_objects_is_a_violation_per_item(tmp_path: Path) -> None:
    (tmp_path / "seq.json").write_text(json.dumps([1, "two", {"status": "PENDING"}]))
    result = in_subprocess("contract", "check", "pixazo", STATUS, "--lifecycle", "seq.json", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert "/0: expected a status body" in result.stdout and "/1: expected a status body" in result.stdout


@pytest.mark.slow
@pytest.mark.clock
@pytest.mark.parametrize("twice", [False, True])
def test_ctrl_c_mid_run_is_one_line_exit_130_and_resume_finishes_the_run(tmp_path: Path, twice: bool) -> None:
    """SIGINT once the plan is shown (jobs are on the wire), and a second one at once: the second lands in
    the interpreter's shutdown, which must not abort the process (harness.cli.interrupts)."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "bench",
            "run",
            "--providers",
            "pixazo",
            "--models",
            "chatterbox",
            "--corpus",
            "en_read:4",
            "--sandbox-profile",
            "realistic",
            "--no-score",
            "--no-report",
            "--out",
            "out",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    while not _sent(tmp_path / "out" / "runs.db"):  # the event: a job is on the wire (its row says so)
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    if twice:
        process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "Fatal Python error" not in err and "terminate called" not in err
    # the plan's own notes (a price's weak source) come before any request; the interruption is one line
    assert len([line for line in err.splitlines() if line.strip() and not line.startswith("note:")]) == 1, err
    conn = sqlite3.connect(tmp_path / "out" / "runs.db")
    run_id = conn.execute("SELECT run_id FROM runs").fetchone()[0]
    conn.close()
    resumed = in_subprocess("bench", "run", "--resume", run_id, "--out", "out", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr[-1500:]
    conn = sqlite3.connect(tmp_path / "out" / "runs.db")
    states = dict(conn.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall())
    conn.close()
    assert states == {"done": 4}


def _sent(db: Path) -> bool:
    if not db.is_file():
        return False
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT 1 FROM jobs WHERE state != 'planned' LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:  # the schema is being written
        return False
    finally:
        conn.close()
