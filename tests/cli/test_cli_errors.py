"""Bad input to the CLI ends in one line and the right exit code (2: usage or unreadable input; 1: a
violation or a failed run), never a traceback.

Each command meets its bad input at least once in a subprocess, as a user or a CI job meets it (the
interpreter's own stderr, encoding and exit status); the other cases call the same entry point,
`harness.cli.main`, in this process (`tests.helpers.cli_runs`), where an escaping exception fails the test.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from harness.cli.serve import exposure_warning
from harness.results.store import Existing, Store
from tests.helpers.cli_runs import CliRun, in_process, in_subprocess
from tests.helpers.store_rows import insert_rows

STATUS = "GET /v2/requests/status/{request_id}"


@pytest.fixture
def here(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliRun]:
    """`harness.cli.main` in this process, with its own argv, environment and working folder."""
    return partial(in_process, monkeypatch=monkeypatch, capsys=capsys)


def _one_line_error(result: CliRun, code: int) -> str:
    assert result.returncode == code, (result.returncode, result.stdout[-1500:], result.stderr[-1500:])
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("dbs")
    garbage = folder / "garbage" / "runs.db"
    garbage.parent.mkdir()
    garbage.write_bytes(os.urandom(4096))
    real = folder / "real" / "runs.db"
    store = Store(real)
    insert_rows(store, "meta", [{"key": f"filler-{i}", "value": "x" * 2000} for i in range(60)], Existing.REPLACE)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    truncated = folder / "truncated" / "runs.db"
    truncated.parent.mkdir()
    truncated.write_bytes(real.read_bytes()[: real.stat().st_size // 3])
    return {"garbage": garbage, "truncated": truncated}


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "how"), [("garbage", "subprocess"), ("truncated", "in-process")])
@pytest.mark.parametrize(
    "command", [("report", "RUN"), ("export", "RUN", "--format", "csv"), ("compare", "RUN", "RUN"), ("score", "RUN")]
)
def test_an_unreadable_results_database_is_one_line(
    databases: dict[str, Path],
    kind: str,
    how: str,
    command: tuple[str, ...],
    tmp_path: Path,
    here: Callable[..., CliRun],
) -> None:
    run = in_subprocess if how == "subprocess" else here
    line = _one_line_error(run(*command, "--db", str(databases[kind]), cwd=tmp_path), 2)
    assert "results database cannot be read" in line


@pytest.mark.parametrize(
    "command",
    [
        ("history", "--db", "reports"),
        ("report", "RUN", "--db", "reports"),
        ("runs", "merge", "reports", "--into", "x.db"),
    ],
)
def test_a_folder_given_as_the_results_database_is_named_so(
    command: tuple[str, ...], tmp_path: Path, here: Callable[..., CliRun]
) -> None:
    """SQLite reads a folder as a "disk I/O error"; the line says it is a folder, and where the database in it is."""
    (tmp_path / "reports").mkdir()
    line = _one_line_error(here(*command, cwd=tmp_path), 2)
    assert line == "usage error: reports is a folder, not a results database", line
    (tmp_path / "reports" / "runs.db").write_bytes(b"")
    line = _one_line_error(here(*command, cwd=tmp_path), 2)
    assert line.endswith("the database `tts-harness bench run` writes there is reports/runs.db"), line


def test_bench_on_an_unreadable_database_is_one_line(
    databases: dict[str, Path], tmp_path: Path, here: Callable[..., CliRun]
) -> None:
    result = here(
        "bench",
        "run",
        "--out",
        str(databases["truncated"].parent),
        "--corpus",
        "en_read:1",
        "--no-score",
        "--no-report",
        cwd=tmp_path,
    )
    assert "results database cannot be read" in _one_line_error(result, 2)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--sandbox-profile", "weird"), "sandbox_profile"),
        (("--out", "afile"), "is a file"),
    ],
)
def test_bad_bench_settings_are_one_line(
    args: tuple[str, ...], expected: str, tmp_path: Path, here: Callable[..., CliRun]
) -> None:
    (tmp_path / "afile").write_text("not a folder")
    result = here("bench", "run", "--corpus", "en_read:1", "--no-score", "--no-report", *args, cwd=tmp_path)
    assert expected in _one_line_error(result, 2)


@pytest.mark.slow
def test_a_non_ascii_key_is_refused_before_anything_starts(tmp_path: Path) -> None:
    # A subprocess: the key reaches the interpreter's own environment and the message its own stderr encoding.
    result = in_subprocess(
        "bench",
        "run",
        "--target",
        "http://127.0.0.1:9",
        "--providers",
        "pixazo",
        "--models",
        "chatterbox",
        "--corpus",
        "en_read:1",
        "--out",
        "out",
        "--no-score",
        "--no-report",
        "--yes",
        cwd=tmp_path,
        env={"PIXAZO_API_KEY": "clé-ünïcode-1234"},
    )
    line = _one_line_error(result, 2)
    assert "PIXAZO_API_KEY" in line and "clé" not in line
    runs = Store(tmp_path / "out" / "runs.db").query("SELECT status FROM runs") if (tmp_path / "out").exists() else []
    assert runs == []  # no run left `running`, no job left `submitting`


@pytest.mark.parametrize(
    ("content", "how"), [(os.urandom(2000), "subprocess"), (("[" * 100_000 + "]" * 100_000).encode(), "in-process")]
)
def test_contract_check_on_unreadable_input_is_a_usage_error(
    content: bytes, how: str, tmp_path: Path, here: Callable[..., CliRun]
) -> None:
    (tmp_path / "body.json").write_bytes(b"\xff\xfe" + content if content[:1] != b"[" else content)
    run = in_subprocess if how == "subprocess" else here
    _one_line_error(run("contract", "check", "pixazo", STATUS, "body.json", cwd=tmp_path), 2)


def test_contract_check_still_reports_a_violation_with_exit_1(tmp_path: Path, here: Callable[..., CliRun]) -> None:
    (tmp_path / "body.json").write_text(json.dumps({"request_id": "r1", "status": "COMPLETED"}))
    result = here("contract", "check", "pixazo", STATUS, "body.json", cwd=tmp_path)
    assert result.returncode == 1 and "violation" in result.stdout


@pytest.mark.slow
def test_serve_on_a_busy_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        line = _one_line_error(in_subprocess("serve", "--port", str(port), cwd=tmp_path), 2)
    assert f"127.0.0.1:{port}" in line and "another server there? try --port 0" in line


@pytest.mark.slow
def test_serve_on_an_address_this_machine_lacks_says_so_not_a_busy_port(tmp_path: Path) -> None:
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): no machine's interface; the bind fails as the address, not as a port taken.
    line = _one_line_error(in_subprocess("serve", "--host", "192.0.2.1", "--port", "0", cwd=tmp_path), 2)
    assert "cannot listen on 192.0.2.1:0" in line and "no interface of this machine has that address" in line
    assert "another server" not in line


@pytest.mark.slow
def test_serve_on_a_busy_origin_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        # The busy port is the first of the providers' own origins: the line names it, the origin and the way out.
        line = _one_line_error(in_subprocess("serve", "--port", "0", "--origin-port", str(port), cwd=tmp_path), 2)
    assert f"127.0.0.1:{port}" in line and "own origin" in line and "--origin-port 0" in line


def test_serving_beyond_loopback_warns() -> None:
    assert exposure_warning("127.0.0.1") is None and exposure_warning("::1") is None
    warning = exposure_warning("0.0.0.0")
    assert warning is not None and "answers the network" in warning


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--corpus", "en_read:0"), "planned no job"),
        (
            ("--corpus", "en_read:2", "--target", "http://127.0.0.1:9", "--yes", "--job-timeout", "5"),
            "no job succeeded",
        ),
    ],
)
def test_a_run_that_measured_nothing_fails(
    args: tuple[str, ...], expected: str, tmp_path: Path, here: Callable[..., CliRun]
) -> None:
    result = here(
        "bench",
        "run",
        "--providers",
        "pixazo",
        "--models",
        "chatterbox",
        "--out",
        "out",
        "--no-score",
        "--no-report",
        *args,
        cwd=tmp_path,
    )
    assert result.returncode == 1, (result.stdout[-1500:], result.stderr[-1500:])
    assert expected in result.stderr and "Traceback" not in result.stderr
