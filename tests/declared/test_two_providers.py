"""Acceptance: a providers file declaring two OpenAI-compatible servers — the sandbox's host and a
loopback server that labels WAV as `audio/mpeg` — is listed by `providers`, checked by the contract
suite (which flags exactly that difference), and benchmarked beside a built-in provider."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _run(args: list[str], env: dict[str, str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from harness.cli import main; main()", *args]


def test_providers_lists_both_declared_providers(declared_servers: Any) -> None:
    done = _run(_cli("providers", "--json"), declared_servers.env)
    assert done.returncode == 0, done.stderr
    listed = {item["name"]: item for item in json.loads(done.stdout)}
    assert {"hosted", "loopy", "ttsai"} <= set(listed)
    assert listed["loopy"]["hosts"] == {"v1": declared_servers.loopback_url}
    assert listed["hosted"]["hosts"] == {"v1": declared_servers.hosted_url}
    assert [m["name"] for m in listed["loopy"]["models"]] == ["loop-tts"]
    assert listed["hosted"]["endpoints"][0]["endpoint"] == "POST /audio/speech"


def test_contract_checks_run_against_both_and_flag_the_wrong_content_type(declared_servers: Any) -> None:
    done = _run([sys.executable, "-m", "pytest", "contracts/test_openai_speech.py", "--tts-live", "-q", "-rf",
                 "-p", "no:cacheprovider"], declared_servers.env)
    out = done.stdout
    # hosted: 5 formats + bad voice + long input + audio stream + SSE stream + speed; loopy: 2 + 4.
    assert "1 failed, 15 passed" in out, out[-3000:]
    assert "FAILED contracts/test_openai_speech.py::test_openai_speech[loopy/format-wav]" in out
    assert "expected audio/wav or audio/x-wav or audio/wave, got audio/mpeg [content-type]" in out


def test_bench_reports_both_beside_a_built_in_provider(declared_servers: Any, tmp_path: Path) -> None:
    done = _run(_cli("bench", "run", "--providers", "ttsai,hosted,loopy",
                     "--models", "ttsai/piper,hosted/tts-1,loopy/loop-tts", "--corpus", "en_read:2",
                     "--sandbox-profile", "fast", "--out", str(tmp_path), "--no-score", "--report"),
                declared_servers.env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    summary = done.stdout
    for label in ("ttsai/piper", "hosted/tts-1", "loopy/loop-tts"):
        assert any(line.split()[:2] == [label, "2/2"] for line in summary.splitlines() if line.strip()), summary
    assert "hosted/tts-1" in summary and "$0.00" in summary
    (report,) = tmp_path.glob("*/index.html")
    html = report.read_text(encoding="utf-8")
    assert "hosted/tts-1" in html and "loopy/loop-tts" in html and "ttsai/piper" in html


def test_bench_reaches_the_loopback_server_itself_live(declared_servers: Any, tmp_path: Path) -> None:
    done = _run(_cli("bench", "run", "--target", "live", "--providers", "loopy", "--corpus", "en_read:2",
                     "--yes", "--out", str(tmp_path), "--no-score", "--no-report"), declared_servers.env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert any(line.split()[:2] == ["loopy/loop-tts", "2/2"] for line in done.stdout.splitlines()), done.stdout
