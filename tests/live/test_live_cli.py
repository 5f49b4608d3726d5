"""A live run a user starts with one command, against a small loopback stand-in for the Pixazo gateway
written here (not the sandbox): the reference options reach the wire, a cloning model without its
reference is skipped before anything is sent, only the selected models' providers need keys, the
planned cost is the worst case of what will run, and `--dry-run` prints the requests and sends nothing."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.core.registry import providers
from harness.runner import session

REPO = Path(__file__).resolve().parents[2]
VOICE = REPO / "fixtures" / "voices" / "joe_short.wav"
KEY = "live-key-for-the-stand-in-7f3a"
JOB = "xtts-v2-api_0000-stand-in"


class StandIn(ThreadingHTTPServer):
    """Answers the documented XTTS submit, status and media calls; remembers every request it saw."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[tuple[str, str, dict[str, str], bytes]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: StandIn

    def log_message(self, *args: Any) -> None:  # keep pytest's output clean
        pass

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _record(self) -> bytes:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append((self.command, self.path, dict(self.headers), body))
        return body

    def do_POST(self) -> None:
        self._record()
        if self.headers.get("Ocp-Apim-Subscription-Key") != KEY:
            self._reply(401, json.dumps({"error": "Unauthorized", "message": "bad key"}).encode())
            return
        accepted = {"request_id": JOB, "status": "QUEUED", "polling_url": f"{self.server.url}/v2/requests/status/{JOB}"}
        self._reply(202, json.dumps(accepted).encode())

    def do_GET(self) -> None:
        self._record()
        if self.path.endswith("/output.wav"):
            self._reply(200, VOICE.read_bytes(), "audio/wav")
            return
        done = {
            "request_id": JOB,
            "status": "COMPLETED",
            "model_id": "xtts-v2-api",
            "error": None,
            "output": {"media_url": [f"{self.server.url}/v1/{JOB}/output.wav"], "media_type": "audio/wav"},
            "created_at": "2026-05-22T13:17:32.110Z",
            "updated_at": "2026-05-22T13:17:34.000Z",
            "completed_at": "2026-05-22T13:17:34.000Z",
        }
        self._reply(200, json.dumps(done).encode())


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    server = StandIn()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    known = providers()
    # The live run goes to the documented hosts; here Pixazo's documented host is the stand-in.
    pointed = dict(known) | {"pixazo": dataclasses.replace(known["pixazo"], hosts={"gateway": server.url})}
    monkeypatch.setattr(session, "benchmarkable", lambda: pointed)
    for provider in known.values():
        monkeypatch.delenv(provider.key_env, raising=False)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _bench(tmp_path: Path, *options: str) -> Any:
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "run",
            "--target",
            "live",
            "--models",
            "xtts-v2",
            "--corpus",
            "en_read:1",
            "--budget",
            "0.1",
            "--no-score",
            "--no-report",
            "--out",
            str(tmp_path / "reports"),
            *options,
        ],
    )
    return result


def test_a_live_run_sends_the_reference_url_and_needs_only_its_providers_key(
    stand_in: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIXAZO_API_KEY", KEY)  # PixelAPI's and TTS.ai's keys stay unset
    result = _bench(tmp_path, "--reference-url", "https://voices.example.org/me.wav")
    assert result.exit_code == 0, result.output
    submits = [json.loads(body) for method, _, _, body in stand_in.seen if method == "POST"]
    assert submits == [{"speaker": "https://voices.example.org/me.wav", "text": submits[0]["text"], "language": "en"}]
    assert "Planned cost: $0.0150" in result.output
    assert "PIXELAPI_API_KEY" not in result.output and "TTSAI_API_KEY" not in result.output
    assert [path for method, path, _, _ in stand_in.seen if method == "GET"][-1].endswith("/output.wav")
    assert KEY not in result.output


def test_a_cloning_model_without_its_reference_is_skipped_before_anything_is_sent(
    stand_in: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIXAZO_API_KEY", KEY)
    result = _bench(tmp_path)
    assert "pixazo/xtts-v2: 1 item(s): needs a reference voice: give --reference-url URL" in result.output
    assert "Planned cost: $0.0000" in result.output
    assert stand_in.seen == []


def test_a_live_run_asks_only_for_the_selected_providers_key(stand_in: StandIn, tmp_path: Path) -> None:
    result = _bench(tmp_path, "--reference-url", "https://voices.example.org/me.wav")
    assert result.exit_code == 2
    assert "pixazo (PIXAZO_API_KEY)" in result.output
    assert "PIXELAPI_API_KEY" not in result.output and "TTSAI_API_KEY" not in result.output
    assert stand_in.seen == []


def test_dry_run_prints_every_request_and_the_cost_and_sends_nothing(
    stand_in: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIXAZO_API_KEY", KEY)
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "run",
            "--target",
            "live",
            "--models",
            "xtts-v2,voice-clone",
            "--corpus",
            "en_read:2",
            "--reference-url",
            "https://voices.example.org/me.wav",
            "--reference",
            str(VOICE),
            "--dry-run",
            "--out",
            str(tmp_path / "reports"),
        ],
    )
    assert result.exit_code == 2, result.output  # what the real run would end with: refused
    lines = result.output.splitlines()
    xtts = [line for line in lines if line.startswith(f"curl -X POST {stand_in.url}/voice-clone/v1/xtts-v2/generate")]
    assert len(xtts) == 2
    assert '-H "Ocp-Apim-Subscription-Key: $PIXAZO_API_KEY"' in xtts[0]  # runs as printed, the key from the shell
    assert '"speaker":"https://voices.example.org/me.wav"' in xtts[0]
    clone = [line for line in lines if line.startswith("curl -X POST https://api.pixelapi.dev/v1/tts/generate")]
    assert len(clone) == 2 and f"-F 'voice_ref=@{VOICE};type=audio/wav'" in clone[0]
    polls = [line for line in lines if line.startswith(f'curl -X GET "{stand_in.url}/v2/requests/status/$JOB_ID"')]
    assert len(polls) == 2
    assert "Dry run: 4 submits, nothing sent. Planned cost: $0.2300" in result.output  # 2 × 0.015 + 2 × 0.10
    assert "a real run would refuse to start" in result.output and "unset: pixelapi (PIXELAPI_API_KEY)" in result.output
    assert KEY not in result.output
    assert stand_in.seen == []
    assert not (tmp_path / "reports").exists()  # nothing stored either


def test_a_text_past_the_recommended_length_is_sent_and_the_warning_stored(
    stand_in: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    monkeypatch.setenv("PIXAZO_API_KEY", KEY)
    long_text = "A sentence that keeps going for a while. " * 15  # 615 characters; 500 are recommended
    corpus = tmp_path / "long.json"
    corpus.write_text(
        json.dumps({"name": "long", "version": "1", "language": "en", "items": [{"id": "long-1", "text": long_text}]})
    )
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "run",
            "--target",
            "live",
            "--models",
            "xtts-v2",
            "--corpus",
            str(corpus),
            "--budget",
            "0.1",
            "--reference-url",
            "https://voices.example.org/me.wav",
            "--no-score",
            "--no-report",
            "--out",
            str(tmp_path / "reports"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "warning: pixazo/xtts-v2: 1 job(s): text: 615 characters, beyond the documents' recommendation" in " ".join(
        result.output.split()
    )
    [sent] = [json.loads(body) for method, _, _, body in stand_in.seen if method == "POST"]
    assert sent["text"] == long_text
    with sqlite3.connect(tmp_path / "reports" / "runs.db") as db:
        rows = db.execute("SELECT pointer, kind, note FROM drift WHERE kind = 'soft-limit'").fetchall()
    assert [(pointer, kind) for pointer, kind, _ in rows] == [("/text", "soft-limit")]
    assert '"Text to synthesize (max 500 characters recommended)"' in rows[0][2]
