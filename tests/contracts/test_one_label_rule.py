"""One Content-Type rule (issue 59): the generic contract suite (`core.validate.check_response`, which the plans and the
benchmark run) and the wire family's format checks (`contracts.speech_checks`) ask the same module
(`core.audio.judge_label`), so they agree on every label: Ogg Opus sent as `audio/ogg` and PCM as `audio/pcm_s16le`
are findings in both (the bytes decide), a name of other bytes is a violation in both.

The server is written here, unlike the sandbox: an OpenAI-compatible speech endpoint declared in a providers file
that answers `opus` as Ogg Opus labelled `audio/ogg` and `pcm` as little-endian samples labelled `audio/pcm_s16le`.
"""

from __future__ import annotations

import json
import math
import os
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.contracts.speech_checks import FINDING, SpeechTarget, checks_for
from harness.core.audio import LabelVerdict, judge_label
from harness.core.validate import check_response
from tests.helpers.child_pytest import pytest_command
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import declared_providers, speech_table

REPO = Path(__file__).resolve().parents[2]
KEY = "label-test-key-3a9e"
RATE = 24_000
LABELS = {"opus": "audio/ogg", "pcm": "audio/pcm_s16le"}


def _samples(seconds: float, rate: int) -> list[float]:
    return [0.25 * math.sin(2 * math.pi * 220 * n / rate) for n in range(int(seconds * rate))]


def _pcm(seconds: float) -> bytes:
    return b"".join(struct.pack("<h", int(32767 * s)) for s in _samples(seconds, RATE))


def _ogg_opus(seconds: float) -> bytes:
    from harness.speech import encode_as

    return encode_as(_samples(seconds, 48_000), 48_000, "opus", "ogg")


class _LabelledSpeech(QuietHandler):
    """POST /v1/audio/speech: `opus` as Ogg Opus named audio/ogg, `pcm` as samples named audio/pcm_s16le (each label
    set by `labels`: what another name, or the name of other bytes, does)."""

    protocol_version = "HTTP/1.1"
    labels: dict[str, str] = LABELS

    def _error(self, status: int, message: str, param: str | None) -> None:
        body = {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": None}}
        self.answer(status, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            return self._error(401, "Incorrect API key provided.", None)
        if body.get("model") != "box-tts":
            return self._error(404 if body.get("model") else 400, "The model does not exist.", "model")
        if body.get("voice") != "ember":
            return self._error(400, "Invalid voice.", "voice")
        text, fmt = body.get("input") or "", body.get("response_format", "opus")
        if not text or len(text) > 4096 or fmt not in self.labels:
            return self._error(400, "input must be 1 to 4096 characters; opus or pcm.", "input")
        seconds = min(3.0, 0.05 * len(text))
        audio = _ogg_opus(seconds) if fmt == "opus" else _pcm(seconds)
        self.answer(200, audio, {"Content-Type": self.labels[fmt]})
        return None


@pytest.fixture
def box() -> Iterator[str]:
    server = LoopbackServer(_LabelledSpeech)
    try:
        yield f"{server.url}/v1"
    finally:
        server.close()


def _table(url: str) -> str:
    return speech_table("boxed", url, "BOXED_TTS_KEY", ("box-tts",), ("ember",), ("opus", "pcm"))


@pytest.mark.parametrize(
    ("documented", "got", "verdict"),
    [
        ("audio/opus", "audio/ogg", LabelVerdict.ANOTHER_NAME),
        ("audio/pcm", "audio/pcm_s16le; rate=24000", LabelVerdict.RIGHT),  # an alias: the same name, folded
        ("audio/pcm", "application/octet-stream", LabelVerdict.RIGHT),  # headerless samples: bytes is all a name says
        ("audio/pcm", "audio/L16", LabelVerdict.BIG_ENDIAN),
        ("audio/opus", "audio/mpeg", LabelVerdict.WRONG),
    ],
)
def test_the_rule(documented: str, got: str, verdict: LabelVerdict) -> None:
    assert judge_label(documented, got, bytes_right=True) is verdict
    if verdict is LabelVerdict.ANOTHER_NAME:  # a finding only where the bytes are right and the value is not exact
        assert judge_label(documented, got, bytes_right=False) is LabelVerdict.WRONG
        assert judge_label(documented, got, bytes_right=True, exact=True) is LabelVerdict.WRONG


@pytest.mark.parametrize(
    ("fmt", "label", "finding"),
    [
        ("opus", "audio/ogg", True),
        ("pcm", "audio/pcm_s16le", False),  # an alias of the declared audio/pcm: right by name
        ("opus", "audio/mpeg", None),  # a name of other bytes: a violation in both
    ],
)
def test_the_generic_check_and_the_family_check_agree(box: str, fmt: str, label: str, finding: bool | None) -> None:
    """Each label at once through `check_response` (the generic plans' and the benchmark's check) and the family's
    format check, against the loopback server's answer."""
    (provider,) = declared_providers(_table(box))
    _LabelledSpeech.labels = {**LABELS, fmt: label}
    try:
        with httpx.Client(timeout=30) as client:
            target = SpeechTarget(provider, {"v1": box}, KEY)
            family = checks_for(provider)[f"format-{fmt}"].run(target, client)
            synthesis = target.service.syntheses[0]
            response = target.send(client, target.request(synthesis, synthesis.format(fmt)))
    finally:
        _LabelledSpeech.labels = LABELS
    generic = check_response(
        provider,
        synthesis.endpoint,
        response.status_code,
        response.headers,
        response.content,
        asked="audio/pcm;rate=24000" if fmt == "pcm" else None,
    )
    labelled = [v for v in family if "content-type" in v.pointer]
    if finding is None:
        assert [v.rule for v in labelled] == ["content-type"], family
        assert [v.rule for v in generic.violations] == ["content-type"], generic
    else:
        assert generic.violations == (), generic
        assert [v.rule for v in labelled] == ([FINDING] if finding else []), family
        assert [d.kind for d in generic.drift if "content-type" in d.pointer] == (["content-type"] if finding else [])


@pytest.mark.slow
def test_the_contract_suite_and_the_family_checks_pass_the_same_labels(box: str, tmp_path: Path) -> None:
    """`pytest contracts/ --tts-target URL` and the family checks against the server: neither fails a label that
    names the right bytes (before: the generic suite failed audio/ogg and audio/pcm_s16le as content-type)."""
    providers_file = tmp_path / "tts-harness.toml"
    providers_file.write_text(_table(box), encoding="utf-8")
    env = {
        **os.environ,
        "TTS_HARNESS_PROVIDERS_FILE": str(providers_file),
        "BOXED_TTS_KEY": KEY,
        "PYTHONPATH": str(REPO),
        "COLUMNS": "200",
    }

    def pytest_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            pytest_command("-v", "-rs", *args),
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    suite = pytest_run("contracts/", "--tts-target", box, "-k", "boxed/audio.speech")
    checks = pytest_run("contracts/test_speech_family.py", "--tts-target", box, "-k", "format")
    for run in (suite, checks):
        assert run.returncode == 0, run.stdout[-4000:]
        assert "PASSED" in run.stdout and "content-type" not in run.stdout.split("short test summary")[-1]
    for fmt in ("opus", "pcm"):
        assert f"test_contract[boxed/audio.speech/200-format-{fmt}] PASSED" in suite.stdout, suite.stdout[-4000:]
        assert f"test_speech_family[boxed/format-{fmt}] PASSED" in checks.stdout, checks.stdout[-4000:]
