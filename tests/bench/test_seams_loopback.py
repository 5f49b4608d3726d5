"""Seams judged on a server written here, not the sandbox: Polly's SynthesizeSpeech (an HTTP stream of 16 kHz
samples, `URL/polly/api/v1/speech`) answered by a loopback server that breaks its stream its own way — a pop of a
few samples, 10 ms of inserted silence, an ID3 tag in the middle of the samples — on a tone of its own. `bench run`
names each one, and the same server's clean stream gives none. (Its stream's reads are not recorded as chunks: the
seams are judged over the whole clip, `harness.core.seams`.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from harness.providers.polly import PROVIDER as POLLY
from harness.results.store import Store
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from tests.helpers.loopback import LoopbackServer, QuietHandler

RATE = 16000
ID3 = b"ID3\x03\x00\x00\x00\x00\x00\x10" + bytes(16)  # a 16-byte tag, as an MP3 writer starts a file


def _tone() -> np.ndarray:
    t = np.arange(2 * RATE) / RATE
    sound = sum(np.sin(2 * np.pi * 140.0 * k * t) / k for k in range(1, 10)) * 0.15
    return sound * np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.05)


def _pcm(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()


def _stream(breakage: str) -> bytes:
    x = _tone()
    cut = RATE // 2 + 37
    if breakage == "pop":
        x[cut : cut + 3] = (0.95, -0.95, 0.95)
    if breakage == "silence":
        x = np.concatenate([x[:cut], np.zeros(RATE // 100), x[cut:]])
    audio = _pcm(x)
    if breakage == "tag":
        audio = audio[: 2 * cut] + ID3 + audio[2 * cut :]
    return audio


def _server(breakage: str) -> type[QuietHandler]:
    class Polly(QuietHandler):
        def do_POST(self) -> None:
            sent = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            if not self.path.endswith("/polly/api/v1/speech") or sent.get("OutputFormat") != "pcm":
                self.answer(404, b"{}", {"Content-Type": "application/json"})
                return
            self.answer_chunked(200, _stream(breakage), {"Content-Type": "audio/pcm"}, chunk=3200)

    return Polly


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[LoopbackServer]:
    server = LoopbackServer(_server(request.param))
    yield server
    server.close()


def _found(tmp_path: Path, url: str) -> list[set[str]]:
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        providers=("polly",),
        models=("standard",),
        corpus=("en_read:1",),
        target=url,
        concurrency=1,
        budget=1.0,
    )
    result = run_bench_session(config, providers={"polly": POLLY})
    store = Store(result.db_path)
    try:
        rows = [asdict(row) for row in store.jobs(result.run_id)]
    finally:
        store.close()
    assert rows and all(row["outcome"] == "ok" and row["delivery"] == "stream" for row in rows), rows
    return [{f["kind"] for f in json.loads(str(row["seams_json"]))["findings"]} for row in rows]


@pytest.mark.parametrize(
    ("served", "kind"), [("clean", None), ("pop", "click"), ("silence", "gap"), ("tag", "header")], indirect=["served"]
)
def test_a_server_written_apart_is_judged_right(tmp_path: Path, served: LoopbackServer, kind: str | None) -> None:
    found = _found(tmp_path, served.url)
    assert found == [set() if kind is None else {kind} | ({"click"} if kind == "header" else set())], found
