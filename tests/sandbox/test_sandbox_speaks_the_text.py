"""The sandbox speaks what it is asked: a job's audio, transcribed by the bundled Whisper tiny.en,
contains the requested words."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from harness.sandbox import running
from harness.scoring import ClipInput, Scorer

TEXT = "Please bring the yellow umbrella to the garden before the evening rain begins."


def _job_audio(model_path: str, body: dict[str, object]) -> bytes:
    with running(profile="fast", providers=("pixazo",)) as sb, httpx.Client(timeout=60) as client:
        base = sb.base_url("pixazo", "gateway")
        headers = {"Ocp-Apim-Subscription-Key": sb.default_key("pixazo")}
        accepted = client.post(base + model_path, json=body, headers=headers)
        assert accepted.status_code == 202, accepted.text
        request_id = accepted.json()["request_id"]
        sb.wait_produced(request_id)
        status = sb.job(request_id, wait=30.0)
        assert status["state"] == "COMPLETED", status
        final = client.get(f"{base}/v2/requests/status/{request_id}", headers=headers).json()
        return client.get(final["output"]["media_url"][0]).content


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer(similarity=False, dnsmos=False)  # intelligibility only: the other figures cost seconds a clip


def test_a_sandbox_clip_transcribes_to_the_requested_words(scorer: Scorer, tmp_path: Path) -> None:
    audio = _job_audio("/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request", {"text": TEXT})
    path = tmp_path / "chatterbox.wav"
    path.write_bytes(audio)
    score = scorer.score(ClipInput(text=TEXT, path=path, language="en"))
    words = set(score.transcript.lower().replace(",", "").replace(".", "").split())
    assert {"yellow", "umbrella", "garden", "evening", "rain"} <= words, score.transcript
    assert score.wer is not None and score.wer <= 0.15, (score.wer, score.transcript)
