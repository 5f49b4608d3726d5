"""The user's ground: a server written here, declared in a providers file as a team declares its own provider (the
OpenAI speech family), answers with Piper's speech at a pace the test sets. Two `bench run`s through the harness's
own runner and scorer, the second after the server's voice got slower (length scale 1.0 -> 1.3): `history` exits 1
naming the offering, as the nightly gate a team runs would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import providers_file_in_effect, speech_table
from tests.helpers.speech import speak

KEY = "paced-key-0123456789"


class _Paced(QuietHandler):
    """OpenAI's speech route as a team's own server might serve it: WAV from Piper at the class's length scale."""

    length_scale: ClassVar[float] = 1.0

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            self.answer(401, b'{"error": {"message": "bad key"}}', {"Content-Type": "application/json"})
            return
        audio = speak(str(body["input"]), sample_rate=16000, length_scale=_Paced.length_scale)
        self.answer(200, audio, {"Content-Type": "audio/wav"})


@pytest.fixture
def paced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    server = LoopbackServer(_Paced)
    path = tmp_path / "tts-harness.toml"
    table = speech_table("paced", server.url + "/v1", "PACED_API_KEY", ("paced-1",), ("ember",))
    path.write_text(table + "price_per_million_chars = 15\n", encoding="utf-8")
    monkeypatch.setenv("PACED_API_KEY", KEY)
    with providers_file_in_effect(path):
        yield server
    server.close()


@pytest.mark.slow
def test_history_fails_a_declared_providers_slower_voice(paced: LoopbackServer, tmp_path: Path) -> None:
    from harness.cli import app
    from harness.library import run_benchmark

    runs = []
    for scale in (1.0, 1.3):
        _Paced.length_scale = scale
        result = run_benchmark(
            out=tmp_path / "reports",
            report=False,
            dnsmos=False,
            providers=["paced"],
            corpus=["en_read:5"],
            target=paced.url + "/v1",
            budget=1.0,
            concurrency=2,
        )
        runs.append(result.run_id)
    found = CliRunner().invoke(
        app, ["history", "--db", str(tmp_path / "reports" / "runs.db"), "--out", str(tmp_path / "history.html")]
    )
    assert found.exit_code == 1, found.output
    (line,) = [line for line in found.output.splitlines() if "pace" in line and "->" in line]
    assert line.strip().startswith("paced/paced-1") and f"in run {runs[1]}" in line, line
