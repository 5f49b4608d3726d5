"""Issue 79 on a server written here, not the sandbox: an OpenAI-like speech server declared in a providers file
(`like = "openai"`), streaming real speech as SSE deltas of 80 ms, broken its own way — a WAV header at the start of
every chunk of a raw PCM stream (chatterbox-tts-api #14), or a click at every seam — and clean. The contract suite's
`seams-<endpoint>` check, `bench run` and `history` over two stored runs (clean, then broken: exit 1) name each;
the clean server gives no finding."""

from __future__ import annotations

import base64
import functools
import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.contracts.speech_checks import SpeechTarget, checks_for
from harness.core import declared
from harness.core.spec import Provider
from harness.results.store import Store
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from tests.helpers.child_pytest import pytest_command
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import declared_providers
from tests.helpers.speech import render, wav_bytes

REPO = Path(__file__).resolve().parents[2]
RATE = 24000
CHUNK = round(0.08 * RATE)  # 80 ms: 1,920 samples a chunk


@functools.cache
def _speech() -> np.ndarray:
    return render("The quick brown fox jumps over the lazy dog.", sample_rate=RATE).astype(np.float64)


def _chunks(breakage: str) -> list[bytes]:
    x = _speech().copy()
    starts = range(0, len(x), CHUNK)
    if breakage == "click":
        for b in starts[1:]:
            x[b : b + 2] = (0.4, -0.4)  # each chunk after the first starts from a fresh buffer's pop
    pieces = [x[b : b + CHUNK] for b in starts]
    if breakage == "header":
        return [wav_bytes(piece.astype(np.float32), RATE) for piece in pieces]
    return [(np.clip(piece, -1, 1) * 32767).astype("<i2").tobytes() for piece in pieces]


def _wav_stream(breakage: str) -> list[bytes]:
    """A WAV stream as a streaming writer sends it: one header whose sizes say "unknown" opening the first chunk, the
    samples following chunk by chunk (only the first SSE delta decodes on its own)."""
    header = bytearray(wav_bytes(np.zeros(1, dtype=np.float32), RATE)[:44])
    header[4:8] = header[40:44] = b"\xff\xff\xff\xff"
    chunks = _chunks("click" if breakage == "click" else "clean")
    return [bytes(header) + chunks[0], *chunks[1:]]


def _server(breakage: str) -> type[QuietHandler]:
    class Speech(QuietHandler):
        def do_POST(self) -> None:
            sent = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            if not self.path.endswith("/audio/speech"):
                self.answer(404, b"{}", {"Content-Type": "application/json"})
                return
            chunks = _chunks(breakage) if sent.get("response_format") == "pcm" else _wav_stream(breakage)
            if sent.get("stream_format") != "sse":
                self.answer_chunked(200, b"".join(chunks), {"Content-Type": "audio/pcm"})
                return
            events = b"".join(
                b"data: "
                + json.dumps({"type": "speech.audio.delta", "audio": base64.b64encode(chunk).decode()}).encode()
                + b"\n\n"
                for chunk in chunks
            )
            done = {"type": "speech.audio.done", "usage": {"input_tokens": 9, "output_tokens": 90, "total_tokens": 99}}
            self.answer_chunked(
                200, events + b"data: " + json.dumps(done).encode() + b"\n\n", {"Content-Type": "text/event-stream"}
            )

    return Speech


@pytest.fixture
def servers() -> Iterator[dict[str, LoopbackServer]]:
    running = {breakage: LoopbackServer(_server(breakage)) for breakage in ("clean", "header", "click")}
    yield running
    for server in running.values():
        server.close()


def _table(url: str, models: str = '"gpt-4o-mini-tts"', formats: str = '"pcm"', name: str = "labvoice") -> str:
    return (
        f'\n[providers.{name}]\nlike = "openai"\nbase_url = "{url}/v1"\nauth = "none"\n'
        f'models = [{models}]\nvoices = ["alloy"]\nformats = [{formats}]\nprice_per_million_chars = 0\n'
    )


def _provider(url: str, models: str = '"gpt-4o-mini-tts"', formats: str = '"pcm"') -> Provider:
    (provider,) = declared_providers(_table(url, models, formats))
    return provider


def _suite(tmp_path: Path, servers: dict[str, LoopbackServer]) -> subprocess.CompletedProcess[str]:
    """`pytest contracts/` as a user runs it against their own servers (`labclean`, `labheader`): the providers file
    in effect, the servers live, only their seams checks selected (one child pytest: its start is most of its cost)."""
    path = tmp_path / "tts-harness.toml"
    path.write_text(
        _table(servers["clean"].url, name="labclean") + _table(servers["header"].url, name="labheader"),
        encoding="utf-8",
    )
    env = {**os.environ, declared.FILE_ENV: str(path), "COLUMNS": "200"}
    return subprocess.run(
        pytest_command("contracts/test_speech_family.py", "--tts-live", "-q", "-rA", "-k", "lab and seams"),
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _contract(url: str) -> list[str]:
    provider = _provider(url)
    check = checks_for(provider)["seams-audio.speech.sse"]
    with httpx.Client(timeout=30) as client:
        found = check.run(SpeechTarget(provider, {host: f"{url}/v1" for host in ("api", "v1", "")}, None), client)
    assert all(v.rule == "seams" for v in found), found
    return ["header" if "header" in v.got else "click" if "step" in v.got or "spike" in v.got else v.got for v in found]


def _bench(out: Path, url: str, provider: Provider | None = None) -> tuple[set[str], int, Path, list[dict[str, Any]]]:
    provider = provider or _provider(url)
    config = BenchConfig(
        out=out,
        score=False,
        report=False,
        providers=("labvoice",),
        models=tuple(o.name for o in provider.offerings),
        corpus=("en_read:1",),
        target=url,
        concurrency=1,
        budget=1.0,
    )
    result = run_bench_session(config, providers={"labvoice": provider})
    store = Store(result.db_path)
    try:
        rows = [asdict(row) for row in store.jobs(result.run_id)]
    finally:
        store.close()
    assert rows and all(row["outcome"] == "ok" and row["delivery"] == "stream" for row in rows), rows
    findings = [f["kind"] for row in rows for f in json.loads(str(row["seams_json"]))["findings"]]
    return set(findings), len(findings), result.db_path, rows


def test_headers_and_clicks_at_every_seam_of_80_ms_chunks_are_named_in_every_face(
    tmp_path: Path, servers: dict[str, LoopbackServer]
) -> None:
    seams = len(range(0, len(_speech()), CHUNK)) - 1
    assert _contract(servers["clean"].url) == []
    assert _contract(servers["header"].url) == ["header"] * (seams + 1)  # the first chunk's included
    assert _contract(servers["click"].url) == ["click"] * seams
    suite = _suite(tmp_path, servers)
    out = suite.stdout
    assert suite.returncode == 1 and re.search(r"\b1 failed, 1 passed\b", out), out[-2000:]
    assert re.search(r"PASSED \S*labclean/seams-", out) and re.search(r"FAILED \S*labheader/seams-", out), out[-2000:]
    assert "a wav header inside the stream" in out, out[-2000:]
    clean, _, _, _ = _bench(tmp_path, servers["clean"].url)
    assert clean == set()
    headers, count, db, _ = _bench(tmp_path, servers["header"].url)
    assert headers == {"header"} and count >= 10, (headers, count)
    history = CliRunner().invoke(app, ["history", "--db", str(db)])
    assert history.exit_code == 1, history.output
    assert "labvoice/gpt-4o-mini-tts" in history.output and "header" in history.output, history.output
    clicks, count, _, _ = _bench(tmp_path / "clicks", servers["click"].url)
    assert clicks == {"click"} and count >= 10, (clicks, count)


def test_a_wav_framed_sse_streams_seams_are_located_and_its_clicks_named(
    tmp_path: Path, servers: dict[str, LoopbackServer]
) -> None:
    """`response_format: wav` over SSE: only the first delta decodes alone; the seams come from the deltas' bytes."""
    for breakage, expected in (("clean", set()), ("click", {"click"})):
        url = servers[breakage].url
        found, count, _, _ = _bench(tmp_path / breakage, url, _provider(url, formats='"wav"'))
        assert found == expected and (not expected or count >= 10), (breakage, found, count)


def test_openais_chunked_audio_body_of_a_model_declared_whole_is_judged_as_a_stream(
    tmp_path: Path, servers: dict[str, LoopbackServer]
) -> None:
    """`stream_format: "audio"` for a model the file declares non-streaming: the body came chunked, so it is recorded
    as a stream (not `sync`) and its headers — a raw PCM body with a WAV header at every chunk — are named."""
    url = servers["header"].url
    found, count, _, (row,) = _bench(tmp_path, url, _provider(url, models='{ name = "tts-1", stream = false }'))
    # Named once, not at every chunk: its reads are the network's cuts (no chunk rows), and its files are kept joined
    # as one (`join_whole_files`), not as the first file and trailing bytes (docs/seams.md).
    assert found == {"header"} and count == 1, (found, count)
    assert row["audio_bytes"] > 2 * len(_speech()), row["audio_bytes"]  # every chunk's samples, not the first's
