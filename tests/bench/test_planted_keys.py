"""No key reaches a written file: a hostile provider echoes the key, in every form, into every field it
answers with and every error path; after the run (rows, report, audio) no file holds any form of it.

The provider is the sandbox behind a loopback proxy written here that plants the key (raw, URL-encoded,
JSON-escaped, base64 at three alignments) into every JSON answer: as extra fields (drift), into the
`error` of FAILED/ERROR jobs, into error bodies, and into a response header.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.providers.pixazo import PROVIDER as PIXAZO
from harness.results.store import Store
from tests.helpers.loopback import LoopbackServer, QuietHandler

KEY = "PLANTED/pixazo+key=7f3a9c2e5b1d"


def _forms(key: str) -> list[str]:
    raw = key.encode()
    return [
        key,
        quote(key, safe=""),
        quote_plus(key),
        json.dumps(key)[1:-1].replace("/", "\\/"),
        base64.b64encode(raw).decode(),
        base64.b64encode(b"u:" + raw).decode(),
        base64.urlsafe_b64encode(b"ab" + raw).decode(),
    ]


ECHO = " | ".join(_forms(KEY))


def _plant(body: Any, status: int) -> Any:
    if not isinstance(body, dict):
        return body
    planted = dict(body)
    planted["x_echo"] = f"your key was {ECHO}"
    if str(planted.get("status", "")).upper() in ("FAILED", "ERROR"):
        planted["error"] = f"worker failed for key {ECHO}"
    if status >= 400:
        planted["message"] = f"{planted.get('message', '')} (key {ECHO})"
    return planted


# Submits and polls in turn get these sandbox faults, so every error path carries the planted key.
SUBMIT_FAULTS = ("", "job-failed", "job-error", "http-500", "malformed-json", "", "")
POLL_FAULTS = ("", "", "http-503")


class EchoingProxy(LoopbackServer):
    """Forwards every request to `upstream`, asking for faults in turn, and plants the key into answers."""

    def __init__(self, upstream: str) -> None:
        client = httpx.Client(base_url=upstream, timeout=30.0)
        counts = {"POST": 0, "GET": 0}
        lock = threading.Lock()

        def fault(method: str, path: str) -> str:
            if "/cdn/" in path:
                return ""
            faults = SUBMIT_FAULTS if method == "POST" else POLL_FAULTS
            with lock:
                counts[method] += 1
                return faults[(counts[method] - 1) % len(faults)]

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                if name := fault(self.command, self.path):
                    headers["X-Sandbox-Fault"] = name
                try:
                    answer = client.request(self.command, self.path, content=body, headers=headers)
                except httpx.HTTPError:
                    self.close_connection = True
                    return
                content = answer.content
                if "json" in answer.headers.get("content-type", ""):
                    with contextlib.suppress(ValueError):  # not JSON after all: pass it through
                        content = json.dumps(_plant(answer.json(), answer.status_code)).encode()
                passed = {name: value for name, value in answer.headers.items()
                          if name.lower() not in ("content-length", "transfer-encoding", "connection",
                                                  "content-encoding")}
                self.answer(answer.status_code, content, {**passed, "X-Echo-Key": KEY})

            do_GET = do_POST = _forward

        self.client = client
        super().__init__(Handler)

    def close(self) -> None:
        super().close()
        self.client.close()


@pytest.fixture()
def proxy(sandbox: Any) -> Iterator[EchoingProxy]:
    sandbox.add_key("pixazo", KEY)
    server = EchoingProxy(sandbox.url)
    yield server
    server.close()


@pytest.mark.slow
def test_no_form_of_an_echoed_key_reaches_any_written_file(
        proxy: EchoingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PIXAZO.key_env, KEY)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [
        "bench", "run", "--target", proxy.url, "--providers", "pixazo", "--models", "chatterbox",
        "--corpus", "en_read:14", "--out", str(out), "--no-score", "--report", "--yes", "--job-timeout", "60",
        "--concurrency", "4",
    ])
    store = Store(out / "runs.db")
    outcomes = [row["outcome"] for row in store.query("SELECT outcome FROM jobs")]
    echoed = store.query("SELECT COUNT(*) AS n FROM errors WHERE message LIKE '%[Filtered]%'")[0]["n"]
    store.close()
    assert "ok" in outcomes and "error" in outcomes, (outcomes, result.output[-2000:])
    assert echoed >= 2  # the echoed keys really reached the error paths, and were filtered there

    (out / "terminal.txt").write_text(result.output)  # what the user saw is written output too
    written = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" for p in written) and any(p.suffix == ".html" for p in written)
    needles = set(_forms(KEY)) | {KEY[i:i + 12] for i in range(len(KEY) - 11)}
    leaks = [f"{path.relative_to(out)}: {needle!r} ({encoding})"
             for path in written for needle in needles for encoding in ("utf-8", "utf-16-le", "utf-16-be")
             if needle.encode(encoding) in path.read_bytes()]
    assert leaks == []
