"""Gemini's streamGenerateContent (the built-in `gemini`, its `-stream` offering) answered by a loopback server
written here, through the benchmark's reading path (a `bench run` against a URL target): two streams a real
server can send that no single clip can be made of, beside a good control.

- later events claim another sample rate than the first (each event's `inlineData.mimeType` says its rate: pieces
  of headerless samples at two rates joined are no speech at either);
- audio in an event after the one that carried `finishReason` ("set on the chunk that ends it", Google's own
  Kotlin client's GenerateContentResponse.finishReason: `source: sdk`).

Neither is kept as an ok result: each is the job's protocol error, saying why."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.helpers.loopback import LoopbackServer, QuietHandler

PCM = b"\x00\x10\x30\x08" * 2400  # 0.2 s of headerless 16-bit samples at 24 kHz
HALF = len(PCM) // 2
LABEL = "audio/L16;codec=pcm;rate={rate}"
KEY = "gemini-loopback-key"


def _event(piece: bytes, rate: int = 24000, finish: str | None = None) -> bytes:
    candidate: dict[str, Any] = {
        "content": {
            "role": "model",
            "parts": [{"inlineData": {"mimeType": LABEL.format(rate=rate), "data": base64.b64encode(piece).decode()}}],
        },
        "index": 0,
    }
    if finish is not None:
        candidate["finishReason"] = finish
    return b"data: " + json.dumps({"candidates": [candidate]}).encode() + b"\r\n\r\n"


STREAMS = {
    "good": (_event(PCM[:HALF]), _event(PCM[HALF:], finish="STOP")),
    "another rate later": (_event(PCM[:HALF]), _event(PCM[HALF:], rate=16000, finish="STOP")),
    "audio after finishReason": (_event(PCM[:HALF], finish="STOP"), _event(PCM[HALF:])),
}
TEXTS = {f"The loopback stream number {n} is read as it came.": name for n, name in enumerate(STREAMS)}


class Gemini(QuietHandler):
    """streamGenerateContent?alt=sse answering each text with its stream."""

    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        name = TEXTS.get(body["contents"][0]["parts"][0]["text"])
        if name is None or ":streamGenerateContent" not in self.path or self.headers.get("x-goog-api-key") != KEY:
            self.answer(404, b"{}", {"Content-Type": "application/json", "Connection": "close"})
            return
        Gemini.seen.append(name)
        events = STREAMS[name]
        self.answer_chunked(
            200, b"".join(events), {"Content-Type": "text/event-stream", "Connection": "close"}, chunk=len(events[0])
        )
        self.close_connection = True


@pytest.fixture
def gemini(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    monkeypatch.setenv("GEMINI_API_KEY", KEY)
    Gemini.seen = []
    server = LoopbackServer(Gemini)
    yield server
    server.close()


def test_a_gemini_stream_no_clip_can_be_made_of_is_no_result(gemini: LoopbackServer, tmp_path: Path) -> None:
    from harness.results.store import Store
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session

    corpus = tmp_path / "streams.json"
    corpus.write_text(
        json.dumps(
            {
                "name": "streams",
                "version": "1",
                "language": "en",
                "items": [{"id": f"s{n}", "text": text} for n, text in enumerate(TEXTS)],
            }
        )
    )
    config = BenchConfig(
        out=tmp_path / "run",
        score=False,
        report=False,
        providers=("gemini",),
        models=("gemini/gemini-3.8-flash-tts-stream",),
        corpus=(str(corpus),),
        target=gemini.url,
        concurrency=1,
        yes=True,
    )
    result = run_bench_session(config)
    store = Store(result.db_path)
    try:
        jobs = {TEXTS[str(row.text)]: asdict(row) for row in store.jobs(result.run_id)}
    finally:
        store.close()
    assert sorted(Gemini.seen) == sorted(STREAMS)  # each stream was sent, through the benchmark's own reading
    assert jobs["good"]["outcome"] == "ok", jobs["good"]  # the control: the path reads a good stream whole
    rate, after = jobs["another rate later"], jobs["audio after finishReason"]
    assert rate["outcome"] != "ok" and rate["error_class"] == "protocol", rate
    assert "16000" in rate["error_message"] and "24000" in rate["error_message"], rate["error_message"]
    assert after["outcome"] != "ok" and after["error_class"] == "protocol", after
    assert "after the stream's last event" in after["error_message"], after["error_message"]
