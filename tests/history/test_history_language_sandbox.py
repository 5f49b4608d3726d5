"""Issue 60's acceptance on the user's ground: a sandbox run reads Spanish in Spanish, and when the sandbox's drift
control makes one provider answer in English whatever is asked, the run's summary names it (a failure line), the
report shows it in its languages table (in a browser), `compare` flags it, and `history` exits 1 naming that provider
and the language (and the other provider not). Offline: the sandbox speaks Spanish with espeak-ng from pip, the
shipped Whisper base hears it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.console import Console
from typer.testing import CliRunner

from harness import benchmark
from harness.runner.plan.config import BenchConfig
from harness.runner.summary.figures import Summary
from harness.runner.summary.view import render
from tests.helpers import browser

PROVIDERS = ("pixazo", "pixelapi")
MODELS = ("xtts-v2", "voice-design")
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("language-drift")]


@dataclass(frozen=True, slots=True)
class Nights:
    db: Path
    before: Summary  # both providers speak Spanish
    after: Summary  # pixazo answers in English whatever is asked


def _night(sandbox: Any, out: Path) -> Summary:
    """A run of three Spanish sentences on both models, scored (the ear: the shipped base), summarised."""
    result = benchmark.run(
        BenchConfig(
            out=out,
            providers=PROVIDERS,
            models=MODELS,
            corpus=("es_read:3",),
            report=False,
            dnsmos=False,
            target=sandbox.url,
            budget=5.0,
            concurrency=3,
        )
    )
    assert result.summary is not None
    return result.summary


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nights]:
    from harness.sandbox import running
    from harness.scoring.asr.models import shipped_folders

    if shipped_folders("base") is None:
        pytest.skip("the asr-base extra is not installed (pip install 'tts-harness[asr-base]')")
    out = tmp_path_factory.mktemp("language-nights")
    saved = os.environ.get("TTS_HARNESS_CACHE")
    os.environ["TTS_HARNESS_CACHE"] = str(out / "cache")
    try:
        with running("fast", 5, providers=PROVIDERS) as sandbox:
            token = {"X-Sandbox-Token": sandbox.control_token} if sandbox.control_token else {}
            before = _night(sandbox, out)
            answer = httpx.post(
                sandbox.url + "/_sandbox/drift", json={"language_fallback": {"pixazo": "en"}}, headers=token
            )
            assert answer.status_code == 200, answer.text
            after = _night(sandbox, out)
        yield Nights(out / "runs.db", before, after)
    finally:
        if saved is None:
            os.environ.pop("TTS_HARNESS_CACHE", None)
        else:
            os.environ["TTS_HARNESS_CACHE"] = saved


def test_the_summary_names_the_provider_answering_in_english(nights: Nights) -> None:
    before, after = nights.before, nights.after
    assert {(f.label, f.language) for f in before.languages} == {
        ("pixazo/xtts-v2", "es"),
        ("pixelapi/voice-design", "es"),
    }
    assert all(f.rate is not None for f in before.languages)
    ((_, _, _, heard),) = before.own_parts  # the language check's cells, by (provider, model, language)
    assert all(
        shown.value["checked"] == 3 and shown.value["heard_as_asked"] == 3 and not shown.value["falls_back"]
        for shown in heard.values()
    )
    ((_, _, _, heard_after),) = after.own_parts
    fell = [(f"{p}/{m}", shown.value["heard"]) for (p, m, _), shown in heard_after.items() if shown.value["falls_back"]]
    assert fell == [("pixazo/xtts-v2", "en")]
    console = Console(record=True, width=200)
    render(after, console, str(nights.db))
    said = console.export_text()
    assert "Language check failed: pixazo/xtts-v2 answered in en when asked for es" in said
    assert "pixelapi/voice-design answered" not in said


def test_history_exits_1_naming_the_provider_and_the_language(nights: Nights, tmp_path: Path) -> None:
    from harness.cli import app

    result = CliRunner().invoke(app, ["history", "--db", str(nights.db), "--out", str(tmp_path / "history.html")])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "answered in" in line]
    assert any("pixazo/xtts-v2" in line and "asked for es" in line for line in lines), result.output
    assert not any("pixelapi" in line for line in lines), result.output
    assert 'data-fallback="pixazo/xtts-v2:es"' in (tmp_path / "history.html").read_text(encoding="utf-8")


def test_compare_flags_the_fallback(nights: Nights) -> None:
    from harness.cli import app

    compared = CliRunner().invoke(app, ["compare", nights.before.run_id, nights.after.run_id, "--db", str(nights.db)])
    assert compared.exit_code == 1, compared.output
    flagged = [line for line in compared.output.splitlines() if line.startswith("REGRESSION")]
    assert len(flagged) == 1 and "pixazo/xtts-v2" in flagged[0] and "language check (es)" in flagged[0], flagged


def test_the_report_shows_the_languages_table_in_a_browser(nights: Nights, tmp_path: Path) -> None:
    from harness.report.render import write_report
    from harness.results.reading import read_run

    if browser.chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run must apt-get install chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    page = write_report(read_run(nights.db, nights.after.run_id), tmp_path / "report" / "index.html")
    report = browser.inspect_report(page, tmp_path / "report.png")
    assert report.console_errors == []
    cells = {c["key"]: c for c in report.leaderboard_cells if c["key"].startswith("language.")}
    fell, kept = cells["language.pixazo/xtts-v2.es.check"], cells["language.pixelapi/voice-design.es.check"]
    assert fell["text"] == "0/3 heard as es" and fell["value"] == "3"
    assert kept["text"] == "3/3 heard as es" and kept["value"] == "0"
    rate = cells["language.pixelapi/voice-design.es.rate"]
    assert rate["text"].startswith("WER ") and rate["text"].endswith("%") and rate["value"]
    assert "<b>Language check failed:</b> pixazo/xtts-v2 answered in en when asked for es" in page.read_text(
        encoding="utf-8"
    )
