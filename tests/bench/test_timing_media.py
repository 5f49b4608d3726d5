"""Timing marks and derived latencies; audio checks; first decodable audio; rate-limit gates."""

from __future__ import annotations

import base64
import hashlib
import io
import time
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from harness.core.timestamps import format_iso
from harness.measurement import ServerStamps
from harness.runner.deliver.admission import ProviderGate
from harness.runner.deliver.media import FirstAudio, inspect_audio, store_audio
from harness.runner.record.timing import JobMoments, Mark, PollRecord
from tests.helpers.evidence import derive, polled
from tests.helpers.wav import pcm_wav

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _ms(moment: datetime) -> str:
    """A millisecond stamp whose fraction is not zeros (so its field reads as millisecond-precise)."""
    return format_iso(moment + timedelta(milliseconds=1))


def _marks() -> JobMoments:
    marks = JobMoments(start=100.0)
    marks.set(Mark.REQUEST_SENT, 100.010)
    marks.set(Mark.RESPONSE_HEADERS, 100.030)
    marks.set(Mark.ACCEPTED, 100.031)
    marks.set(Mark.TERMINAL, 103.0)
    return marks


def _polls() -> list[PollRecord]:
    return [
        polled(0, 101.0, 101.002, "PROCESSING", pending=True),
        polled(1, 102.998, 103.0, "COMPLETED", terminal=True),
    ]


def test_poll_bracket_estimate() -> None:
    metrics = derive(_marks(), _polls(), ServerStamps(), finished=103.5)
    assert metrics["e2e_client_ms"] == pytest.approx(2990.0)
    # Bounds, not midpoints: after the pending poll left, before the done answer arrived.
    assert (metrics["e2e_lo_ms"], metrics["e2e_hi_ms"]) == (pytest.approx(990.0), pytest.approx(2990.0))
    assert metrics["e2e_ms"] == pytest.approx(1990.0)
    assert metrics["e2e_bracket_ms"] == pytest.approx(2000.0)
    assert metrics["e2e_source"] == "poll-bracket" and metrics["submit_ms"] == pytest.approx(20.0)


def test_server_timestamps_narrow_the_window_when_they_agree() -> None:
    server = ServerStamps(_ms(T0), None, _ms(T0 + timedelta(seconds=2.5)))
    metrics = derive(_marks(), _polls(), server, finished=103.5)
    # Each millisecond stamp stands for [printed − 0.5 ms, printed + 1 ms] (truncated or rounded, whichever
    # the server does), so the span is 2.5 s ± 1.5 ms and the completion lies in
    # [sent + 2.5 − 0.0015, received + 2.5 + 0.0015] = [102.5085, 102.5315].
    assert metrics["e2e_source"] == "poll-bracket+server-span"
    assert metrics["e2e_bracket_ms"] == pytest.approx(23.0, abs=0.01)
    assert metrics["e2e_ms"] == pytest.approx(2510.0, abs=0.01)
    assert metrics["e2e_server_ms"] == pytest.approx(2500.0)


def test_server_timestamps_that_contradict_the_polls_are_ignored() -> None:
    server = ServerStamps(_ms(T0), None, _ms(T0 + timedelta(seconds=9)))  # "finished" after it was seen done
    assert derive(_marks(), _polls(), server, finished=103.5)["e2e_source"] == "poll-bracket"


def test_first_mark_wins_unless_overwritten() -> None:
    marks = JobMoments(start=0.0)
    marks.set(Mark.LAST_PENDING, 1.0)
    marks.set(Mark.LAST_PENDING, 2.0)
    marks.set(Mark.TERMINAL, 3.0)
    marks.set(Mark.LAST_PENDING, 2.5, overwrite=True)
    assert (marks.ms(Mark.LAST_PENDING), marks.ms(Mark.TERMINAL)) == (2500.0, 3000.0)


def test_truncated_and_bogus_audio_are_named() -> None:
    wav = pcm_wav(frames=1000)
    assert inspect_audio(wav).problem is None and inspect_audio(wav).sample_rate == 16000
    assert "truncated WAV" in (inspect_audio(wav[: len(wav) // 2]).problem or "")
    assert "not a known audio format" in (inspect_audio(b"<html>502</html>").problem or "")
    assert inspect_audio(b"").problem == "an empty body"


def test_headerless_pcm_is_audio_only_when_declared() -> None:
    pcm = bytes(4800)
    assert inspect_audio(pcm, "audio/pcm;rate=24000").problem is None
    assert inspect_audio(pcm, "audio/pcm;rate=24000").duration_s == pytest.approx(0.1)
    assert "not a known audio format" in (inspect_audio(pcm).problem or "")


def test_stored_audio_keeps_no_metadata(tmp_path: Path) -> None:
    wav = pcm_wav(frames=1000)
    planted = b"sk-planted-in-info-0123"
    name = b"INAM" + (24).to_bytes(4, "little") + planted + b"\0"
    info = b"LIST" + (4 + len(name)).to_bytes(4, "little") + b"INFO" + name
    tagged = b"RIFF" + (len(wav) - 8 + len(info)).to_bytes(4, "little") + wav[8:36] + info + wav[36:]
    facts = inspect_audio(tagged)
    assert facts.problem is None and planted in tagged
    stored = store_audio(tmp_path, tagged, "audio/wav", facts)
    kept = stored.path.read_bytes()
    assert planted not in kept and kept == wav  # the same samples under the same header, nothing else
    assert stored.sha256 == hashlib.sha256(kept).hexdigest() and stored.size == len(kept)


def test_first_audio_is_the_first_decodable_frame_not_the_first_bytes() -> None:
    wav = pcm_wav(frames=1000)
    detector = FirstAudio()
    assert not detector.feed(wav[:30])  # a header fragment is not audio
    assert not detector.feed(wav[30:44])  # a complete header with no sample yet
    assert detector.feed(wav[44:46])  # the first whole frame
    assert not detector.feed(wav[46:])  # only the first time counts


def test_first_audio_in_server_sent_events() -> None:
    from harness.runner.deliver.media import sse_audio as _stream_audio

    wav = pcm_wav(frames=100)
    events = b"".join(b"data: " + base64.b64encode(wav[i : i + 20]) + b"\n\n" for i in range(0, len(wav), 20))
    assert _stream_audio(events) == wav
    json_events = b'data: {"audio": "' + base64.b64encode(wav) + b'"}\n\ndata: [DONE]\n\n'
    assert _stream_audio(json_events) == wav


async def test_gate_honours_retry_after_and_exhausted_windows() -> None:
    gate = ProviderGate(2)
    gate.note(429, {}, 0.05)
    assert gate.closed_until > time.perf_counter()
    await gate.ready()
    assert time.perf_counter() >= gate.closed_until and gate.waits >= 1  # it waited for the Retry-After
    gate.note(200, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30"}, None)
    assert gate.closed_until > time.perf_counter() + 20  # the window is spent: closed until its reset
    other = ProviderGate(2)
    other.note(200, {"X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "60"}, None)
    assert other.closed_until == 0.0  # requests left: no wait


def test_wav_helper_is_a_wav() -> None:
    with wave.open(io.BytesIO(pcm_wav()), "rb") as reader:
        assert reader.getframerate() == 16000
