"""Markup done wrong by a server written here, not the sandbox (issue 66, item 5): a Rime-like server declared in a
user's providers file (`like = "rime"`), which reads each ` <500> ` pause aloud as its number and makes no pause.
`bench run --corpus markup` sends it the built-in's documented pause and judges the clip not honoured, naming the
break it did not hear; unscored (the pause needs no recogniser), one item, one clip."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness import benchmark
from harness.runner.plan.config import BenchConfig
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import providers_file_in_effect
from tests.helpers.speech import speak

KEY = "loud-rime-test-key"
NUMBER_WORDS = {"500": "five hundred", "1000": "one thousand", "700": "seven hundred"}


class ReadsPausesAloud(QuietHandler):
    """POST /v1/rime-tts: the text's bracketed pauses spoken as their numbers, no silence made; WAV at the rate
    asked."""

    def do_POST(self) -> None:
        if self.headers.get("Authorization") != f"Bearer {KEY}" or self.path != "/v1/rime-tts":
            self.answer(401 if self.path == "/v1/rime-tts" else 404)
            return
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        said = re.sub(r"<(\d+)>", lambda m: NUMBER_WORDS.get(m.group(1), m.group(1)), str(body["text"]))
        self.answer(
            200,
            speak(" ".join(said.split()), sample_rate=int(body.get("samplingRate") or 24000)),
            {"Content-Type": "audio/wav"},
        )


@pytest.mark.slow
def test_a_loopback_server_that_reads_its_pauses_aloud_is_judged_not_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = LoopbackServer(ReadsPausesAloud)
    path = tmp_path / "tts-harness.toml"
    path.write_text(
        f'[providers.loudrime]\nlike = "rime"\nbase_url = "{server.url}"\nkey_env = "LOUD_RIME_KEY"\n'
        'models = ["mistv2"]\nvoices = ["cove"]\nprice_per_million_chars = 30\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("LOUD_RIME_KEY", KEY)
    try:
        with providers_file_in_effect(path):
            result = benchmark.run(
                BenchConfig(
                    out=tmp_path / "out",
                    models=("loudrime/mistv2",),
                    corpus=("markup:1",),
                    report=False,
                    score=False,
                    dnsmos=False,
                    target=server.url,
                    budget=1.0,
                    concurrency=1,
                )
            )
    finally:
        server.close()
    assert result.summary is not None
    (figure,) = [one for one in result.summary.checks if one.check.name == "markup"]
    assert (figure.label, figure.figures["honoured"].value, figure.figures["judged"].value) == ("loudrime/mistv2", 0, 1)
    error = figure.figures.get("break_error_p50_ms")
    assert error is not None and error.value > 125  # 500 ± 125 ms missed
