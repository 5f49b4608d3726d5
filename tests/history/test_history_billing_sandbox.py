"""Issue 51's acceptance on the user's ground: the sandbox bills as documented, a run stores what each answer billed,
and when the sandbox's drift control makes one provider bill twice as much for the same texts, `history` exits 1
naming that provider as dearer (and the others not). Issue 59's: ElevenLabs' `character-cost` (its Create speech
offering) and TTS.ai's `credits_used` (its queued answer) are stored too, and ElevenLabs billing twice as much fails
the history the same way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from harness.results import Store
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session

PROVIDERS = ("polly", "murf")
MODELS = ("standard", "GEN2")
CREDITED = ("elevenlabs", "ttsai")  # bills in credits: a header of Create speech, a field of a queued job's answer
CREDITED_MODELS = ("eleven_flash_v2_5-http", "kokoro")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running("fast", 5, providers=(*PROVIDERS, *CREDITED)) as served:
        yield served


def _night(
    sandbox: Any,
    out: Path,
    providers: tuple[str, ...] = PROVIDERS,
    models: tuple[str, ...] = MODELS,
    budget: float | None = 1.0,
) -> str:
    result = run_bench_session(
        BenchConfig(
            out=out,
            providers=providers,
            models=models,
            corpus=("en_read:2",),
            score=False,
            report=False,
            target=sandbox.url,
            budget=budget,
            yes=budget is None,
            concurrency=2,
        )
    )
    return result.run_id


def test_a_provider_billing_twice_as_much_is_flagged_dearer(sandbox: Any, tmp_path: Path) -> None:
    from harness.cli import app

    token = {"X-Sandbox-Token": sandbox.control_token} if sandbox.control_token else {}
    runs = [_night(sandbox, tmp_path) for _ in range(2)]
    answer = httpx.post(sandbox.url + "/_sandbox/drift", json={"billing": {"murf": 2}}, headers=token)
    assert answer.status_code == 200, answer.text
    try:
        runs.append(_night(sandbox, tmp_path))
    finally:
        httpx.post(sandbox.url + "/_sandbox/drift", json={"billing": {}}, headers=token)
    db = tmp_path / "runs.db"
    rows = Store(db).query("SELECT run_id, provider, billed_units_json, cost_source FROM costs WHERE charged = 1")
    assert {row["cost_source"] for row in rows} == {"billed"}  # both answers say what they billed
    murf = sorted(row["billed_units_json"] for row in rows if row["provider"] == "murf" and row["run_id"] == runs[-1])
    before = sorted(row["billed_units_json"] for row in rows if row["provider"] == "murf" and row["run_id"] == runs[0])
    assert murf != before
    result = CliRunner().invoke(app, ["history", "--db", str(db), "--out", str(tmp_path / "history.html")])
    assert result.exit_code == 1, result.output
    dearer = [line for line in result.output.splitlines() if "dearer" in line]
    assert any("murf/GEN2" in line for line in dearer), result.output
    assert not any("polly" in line for line in dearer), result.output


def test_elevenlabs_billing_twice_as_much_in_credits_is_flagged_dearer(sandbox: Any, tmp_path: Path) -> None:
    from harness.cli import app

    token = {"X-Sandbox-Token": sandbox.control_token} if sandbox.control_token else {}
    # no budget: TTS.ai prices in characters of its allowance, with no USD rate a budget could bound
    runs = [_night(sandbox, tmp_path, CREDITED, CREDITED_MODELS, None) for _ in range(2)]
    answer = httpx.post(sandbox.url + "/_sandbox/drift", json={"billing": {"elevenlabs": 2}}, headers=token)
    assert answer.status_code == 200, answer.text
    try:
        runs.append(_night(sandbox, tmp_path, CREDITED, CREDITED_MODELS, None))
    finally:
        httpx.post(sandbox.url + "/_sandbox/drift", json={"billing": {}}, headers=token)
    db = tmp_path / "runs.db"
    rows = Store(db).query("SELECT run_id, provider, billed_units_json FROM costs WHERE charged = 1")
    assert all(row["billed_units_json"] is not None for row in rows) and len(rows) == 12  # every answer's bill kept
    units = {(row["run_id"], row["provider"]): row["billed_units_json"] for row in rows}
    assert all('"credits"' in text for text in units.values())
    result = CliRunner().invoke(app, ["history", "--db", str(db), "--out", str(tmp_path / "history.html")])
    assert result.exit_code == 1, result.output
    dearer = [line for line in result.output.splitlines() if "dearer" in line]
    assert any("elevenlabs/eleven_flash_v2_5-http" in line for line in dearer), result.output
    assert not any("ttsai" in line for line in dearer), result.output
