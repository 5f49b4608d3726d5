"""No key reaches a written file: a hostile provider echoes the key, in every form, into every field it
answers with and every error path; after the run (rows, report, exports, audio, what the terminal showed)
no file holds any piece of 8 characters of any form of it.

The provider is the sandbox behind a loopback proxy (`tests.helpers.planted`) that plants the key — raw,
reversed, URL-encoded, JSON-escaped, as a field name (a drift pointer escapes it `~0`/`~1`), as Python
writes its `repr` (the key holds both quote characters), hex, base64 at three alignments, split in two and
20 of its characters — into every JSON answer: as extra fields (drift), into the `error` of FAILED/ERROR
jobs, into error bodies, and into a response header.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.providers.pixazo import PROVIDER as PIXAZO
from harness.results.store import Store
from tests.helpers.planted import KEY, EchoingProxy, cycling_faults, echo, leaks

ECHO = echo(KEY)


def _plant(body: Any, status: int) -> Any:
    if not isinstance(body, dict):
        return body
    planted = dict(body)
    planted["x_echo"] = f"your key was {ECHO}"
    planted[KEY] = "a field named by the key"
    if str(planted.get("status", "")).upper() in ("FAILED", "ERROR"):
        planted["error"] = f"worker failed for key {ECHO}"
    if status >= 400:
        planted["message"] = f"{planted.get('message', '')} (key {ECHO})"
    return planted


# Submits and polls in turn get these sandbox faults, so every error path carries the planted key.
SUBMIT_FAULTS = ("", "job-failed", "job-error", "http-500", "malformed-json", "", "")
POLL_FAULTS = ("", "", "http-503")


@pytest.fixture()
def proxy(sandbox: Any) -> Iterator[EchoingProxy]:
    sandbox.add_key("pixazo", KEY)
    server = EchoingProxy(sandbox.url, KEY, _plant, cycling_faults(SUBMIT_FAULTS, POLL_FAULTS))
    yield server
    server.close()


@pytest.mark.slow
def test_no_form_of_an_echoed_key_reaches_any_written_file(
    proxy: EchoingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PIXAZO.key_env, KEY)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "run",
            "--target",
            proxy.url,
            "--providers",
            "pixazo",
            "--models",
            "chatterbox",
            "--corpus",
            "en_read:14",
            "--out",
            str(out),
            "--no-score",
            "--report",
            "--yes",
            "--job-timeout",
            "60",
            "--concurrency",
            "4",
        ],
    )
    store = Store(out / "runs.db")
    outcomes = [row["outcome"] for row in store.query("SELECT outcome FROM jobs")]
    echoed = store.query("SELECT COUNT(*) AS n FROM errors WHERE message LIKE '%[Filtered]%'")[0]["n"]
    named = store.query("SELECT COUNT(*) AS n FROM drift WHERE pointer LIKE '%[Filtered]%'")[0]["n"]
    run_id = store.query("SELECT run_id FROM runs")[0]["run_id"]
    store.close()
    assert "ok" in outcomes and "error" in outcomes, (outcomes, result.output[-2000:])
    assert echoed >= 2  # the echoed keys really reached the error paths, and were filtered there
    assert named >= 1  # the key as a field name reached the drift table as a pointer, filtered

    (out / "terminal.txt").write_text(result.output)  # what the user saw is written output too
    written = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" for p in written) and any(p.suffix == ".html" for p in written)
    for fmt in ("csv", "json"):
        exported = CliRunner().invoke(
            app, ["export", run_id, "--db", str(out / "runs.db"), "--format", fmt, "--out", str(out / "exports" / fmt)]
        )
        assert exported.exit_code == 0, exported.output
    assert leaks(out, KEY) == []
