"""`--dry-run` is the run without sending: the same budget stops the same jobs, the same refusals stop the
run, and its curl lines (key and job id as shell variables, reference files by absolute path) run as
printed against a running sandbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from harness.providers.pixazo import PROVIDER as PIXAZO
from harness.providers.pixelapi import PROVIDER as PIXELAPI
from harness.results.store import Store
from harness.runner.dry_run import dry_run
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from harness.runner.summary.figures import summarize


def test_the_budget_stops_the_jobs_the_run_stops(tmp_path: Path, sandbox: Any) -> None:
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        providers=("pixazo",),
        models=("xtts-v2", "chatterbox"),
        corpus=("en_read:3",),
        target=sandbox.url,
        budget=0.05,
        concurrency=1,
    )
    planned = dry_run(config, {"pixazo": PIXAZO}, environ={})
    assert planned.plan.cost_usd > 0.05 and planned.refusal is None
    assert len(planned.jobs) == 4 and len(planned.not_started) == 2  # 0.015 + 0.01 + 0.015 + 0.01 fit
    assert all("exceeds the remaining budget" in line for line in planned.not_started)
    result = run_bench_session(config, providers={"pixazo": PIXAZO})
    store = Store(result.db_path)
    try:
        outcomes = summarize(store, result.run_id).outcomes
        stopped = [row.error_message for row in store.jobs(result.run_id) if row.error_class == "budget"]
    finally:
        store.close()
    assert result.status == "stopped_budget" and outcomes["ok"] == len(planned.jobs)
    assert sorted(stopped) == sorted(planned.not_started)  # the same jobs, in the same words


def test_a_live_run_without_a_budget_is_refused_as_the_run_refuses(tmp_path: Path) -> None:
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        models=("xtts-v2",),
        corpus=("en_read:1",),
        target="live",
        reference_url="https://voices.example.org/me.wav",
    )
    refused = dry_run(config, {"pixazo": PIXAZO}, environ={"PIXAZO_API_KEY": "a-key-of-the-right-form"})
    assert refused.refusal is not None and "give --budget USD (enforced) or --yes" in refused.refusal
    missing = dry_run(config, {"pixazo": PIXAZO}, environ={})
    assert missing.refusal is not None and "unset: pixazo (PIXAZO_API_KEY)" in missing.refusal
    line = missing.jobs[0].steps[0].curl
    assert line is not None and '-H "Ocp-Apim-Subscription-Key: $PIXAZO_API_KEY"' in line


def _bash(line: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", "-c", line + " --silent --show-error --fail"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_curl_lines_run_as_printed(tmp_path: Path, sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the reference file is named by its absolute path: any folder works
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        models=("chatterbox", "voice-clone"),
        providers=("pixazo", "pixelapi"),
        corpus=("en_read:1",),
        target=sandbox.url,
    )
    planned = dry_run(config, {"pixazo": PIXAZO, "pixelapi": PIXELAPI}, environ={})
    by_model = {job.title.split()[0]: {step.kind: step for step in job.steps} for job in planned.jobs}
    upload = by_model["pixelapi/voice-clone"]["upload"].detail
    assert Path(upload.split(" = ")[1].split(" (")[0]).is_absolute()
    steps = by_model["pixazo/chatterbox"]
    env = {"PIXAZO_API_KEY": sandbox.default_key("pixazo")}
    submit, poll = steps["submit"].curl, steps["poll"].curl
    assert submit is not None and poll is not None and "$JOB_ID" in poll
    job_id = json.loads(_bash(submit, env))["request_id"]
    status = json.loads(_bash(poll, {**env, "JOB_ID": job_id}))
    assert status["request_id"] == job_id


def test_a_signed_provider_is_signed_by_curl_and_a_regional_one_waits_for_its_region(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness.providers.azure import PROVIDER as AZURE
    from harness.providers.polly import PROVIDER as POLLY

    monkeypatch.delenv("AZURE_SPEECH_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    secret = "polly-secret-0123456789"
    env = {
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE",
        "AZURE_SPEECH_KEY": "az-key-0123456789",
    }
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        providers=("polly", "azure"),
        models=("neural",),
        corpus=("en_read:1",),
        target="live",
        budget=1.0,
    )
    planned = dry_run(config, {"polly": POLLY, "azure": AZURE}, environ=env)
    assert planned.refusal is None
    lines = [step.curl for job in planned.jobs for step in job.steps if step.curl]
    assert len(lines) == 1 and lines[0] is not None  # polly only: azure has no region
    assert '--aws-sigv4 aws:amz:us-east-1:polly --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"' in lines[0]
    assert "https://polly.us-east-1.amazonaws.com/v1/speech" in lines[0]
    assert secret not in lines[0] and "Authorization" not in lines[0]  # curl signs; nothing signed here
    assert any("azure left out" in note and "AZURE_SPEECH_REGION" in note for note in planned.notes)
    monkeypatch.setenv("AZURE_SPEECH_REGION", "westeurope")
    regional = dry_run(config, {"polly": POLLY, "azure": AZURE}, environ=env)
    line = next(step.curl for job in regional.jobs for step in job.steps if step.curl and "azure" in job.title)
    assert line is not None and "https://westeurope.tts.speech.microsoft.com/cognitiveservices/v1" in line
    assert 'xml:lang="en-US"' in line and "X-Microsoft-OutputFormat: riff-24khz-16bit-mono-pcm" in line
