"""The user's ground for DNSMOS: a server written here, declared in a providers file as a team declares its own
provider (the OpenAI speech family), answers with Piper's speech; between two `bench run`s its audio gets worse (white
noise at 20 dB SNR, seeded per text). Through the harness's own runner and scorer, with DNSMOS estimated by the
scorer's model: `history` exits 1 naming the offering under the DNSMOS check, as the nightly gate a team runs would.
(tests/checks/test_scored_checks_history.py holds the same rule to a store written directly.)"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import providers_file_in_effect, speech_table
from tests.helpers.speech import render, wav_bytes

KEY = "noisy-key-0123456789"
RATE = 16000
SNR_DB = 20.0

pytest.importorskip("onnxruntime", reason="DNSMOS needs the score-heavy extra: pip install -e .[score-heavy]")


class _Noisy(QuietHandler):
    """OpenAI's speech route as a team's own server might serve it: WAV from Piper, with hiss once `noisy` is set."""

    noisy: ClassVar[bool] = False

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            self.answer(401, b'{"error": {"message": "bad key"}}', {"Content-Type": "application/json"})
            return
        text = str(body["input"])
        samples = render(text, sample_rate=RATE).astype(np.float64)
        if _Noisy.noisy:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")
            noise = np.random.default_rng(seed).normal(0.0, 1.0, samples.size)
            samples = samples + noise * np.sqrt(np.mean(samples**2) / 10 ** (SNR_DB / 10))
        peak = float(np.max(np.abs(samples))) or 1.0
        self.answer(200, wav_bytes((samples / max(peak, 1.0)).astype(np.float32), RATE), {"Content-Type": "audio/wav"})


@pytest.fixture
def noisy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    server = LoopbackServer(_Noisy)
    path = tmp_path / "tts-harness.toml"
    table = speech_table("hissing", server.url + "/v1", "HISSING_API_KEY", ("hiss-1",), ("ember",))
    path.write_text(table + "price_per_million_chars = 15\n", encoding="utf-8")
    monkeypatch.setenv("HISSING_API_KEY", KEY)
    with providers_file_in_effect(path):
        yield server
    server.close()
    _Noisy.noisy = False


@pytest.mark.slow
def test_history_fails_a_declared_providers_noisier_audio_under_dnsmos(noisy: LoopbackServer, tmp_path: Path) -> None:
    from harness.cli import app
    from harness.library import run_benchmark

    runs = []
    for hiss in (False, True):
        _Noisy.noisy = hiss
        result = run_benchmark(
            out=tmp_path / "reports",
            report=False,
            dnsmos=True,
            providers=["hissing"],
            corpus=["en_read:5"],  # five clips both runs spoke: the fewest a paired change is judged on
            target=noisy.url + "/v1",
            budget=1.0,
            concurrency=2,
        )
        runs.append(result.run_id)
    found = CliRunner().invoke(
        app, ["history", "--db", str(tmp_path / "reports" / "runs.db"), "--out", str(tmp_path / "history.html")]
    )
    assert found.exit_code == 1, found.output
    (line,) = [line for line in found.output.splitlines() if "dnsmos: " in line and "->" in line]
    assert line.strip().startswith("hissing/hiss-1") and f"in run {runs[1]}" in line, line
    assert float(line.split(", ")[-1].split("%")[0]) < -5.0, line  # "... -> 2.42 in run B, -26.1% (95% ...)"
