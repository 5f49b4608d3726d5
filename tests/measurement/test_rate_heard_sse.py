"""The rate check on a Server-Sent Events stream (issue 66's acceptance: "the rate check names a 24 kHz stream
labelled 16 kHz on an HTTP stream, an SSE stream and a socket"; the first and the last against the sandbox in
tests/bench/test_seams_sandbox.py, where no SSE offering asks 16 kHz). Made-up audio through the one derivation
(`harness.measurement.audio_findings`): an SSE answer — delivery `stream`, its events' chunk rows — of headerless
samples labelled 16 kHz that are at 24 kHz, beside the same text as three other providers' WAV files; and the same
stream at its true rate, which is named as nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from harness.measurement.audio_findings import audio_findings
from harness.results import ClipRow, JobRow
from tests.helpers.request_rows import chunk_row, clip_row, job_row

ASKED = 16000
EVENT_S = 0.2  # seconds of audio an event carries


def _voice(rate: int, f0: float) -> np.ndarray:
    """Two seconds of a voiced sound (harmonics of `f0` under a syllable envelope, faded in and out) at `rate`."""
    t = np.arange(2 * rate) / rate
    tone = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 12))
    envelope = 0.35 * (0.6 + 0.4 * np.sin(2 * np.pi * 3.0 * t)) * np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.05)
    return tone * envelope / 2.0


def _job(root: Path, provider: str, samples: np.ndarray, delivery: str) -> tuple[JobRow, ClipRow]:
    """A kept answer of the one text and its clip row: WAV files for the whole answers, the SSE stream's decoded
    events as the headerless 16-bit samples it kept."""
    path = root / f"{provider}.{'pcm' if delivery == 'stream' else 'wav'}"
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    if delivery == "stream":
        path.write_bytes(pcm.tobytes())
    else:
        soundfile.write(path, pcm, ASKED, subtype="PCM_16")
    media = f"audio/pcm;rate={ASKED}" if delivery == "stream" else "audio/wav"
    job = job_row(
        job_key=provider,
        provider=provider,
        model="m",
        delivery=delivery,
        outcome="ok",
        audio_path=str(path),
        corpus="en_read",
        item_id="1",
        declared_media_type=media,
        sniffed_media_type="audio/pcm" if delivery == "stream" else "audio/wav",
    )
    return job, clip_row(clip_id=provider, declared_media_type=media, declared_sample_rate=ASKED)


def _judged(root: Path, served: int) -> dict[str, Any]:
    jobs, clips = zip(
        *(_job(root, name, _voice(ASKED, f0), "sync") for name, f0 in (("q", 140.0), ("r", 150.0), ("s", 165.0))),
        strict=True,
    )
    stream, clip = _job(root, "sse", _voice(served, 150.0), "stream")  # read as 16 kHz whatever it is at
    events = int(len(_voice(served, 150.0)) / (EVENT_S * served))
    chunks = [
        chunk_row(
            job_key="sse",
            seq=seq,
            bytes=int(EVENT_S * served) * 2,
            audio_ms=EVENT_S * served / ASKED * 1000,
            header=None,
        )
        for seq in range(events)
    ]
    return audio_findings([*jobs, stream], chunks, [*clips, clip], root)["sse"]


def test_24k_samples_labelled_16k_on_an_sse_stream_are_named(tmp_path: Path) -> None:
    found = _judged(tmp_path, 24000)
    assert found["heard_rate"] == 24000.0, found
    assert found["heard_rate_how"].startswith("samples at about 24,000 Hz, declared 16,000 Hz"), found
    assert json.loads(found["seams_json"])["findings"] == []  # a clean stream at the wrong rate: its seams join


def test_the_same_stream_at_the_rate_asked_is_named_as_nothing(tmp_path: Path) -> None:
    found = _judged(tmp_path, ASKED)
    assert found["heard_rate"] is None and found["seam_findings"] == 0, found
