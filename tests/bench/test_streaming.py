"""What a listener of a stream experiences, computed from chunks on a known timeline: the first audio,
when speech is heard (leading silence and late chunks included), gaps, real-time factor, underruns."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest
import soundfile as sf

from harness.runner.deliver.streaming import StreamWatch, stream_figures

RATE = 16_000


def _wav(seconds: float, silent_s: float = 0.0) -> bytes:
    tone = 0.3 * np.sin(2 * np.pi * 220 * np.arange(round(seconds * RATE)) / RATE).astype(np.float32)
    tone[: round(silent_s * RATE)] = 0.0
    out = io.BytesIO()
    sf.write(out, tone, RATE, format="WAV", subtype="PCM_16")
    return out.getvalue()


def _event(audio: bytes) -> bytes:
    return b"data: " + json.dumps({"type": "audio", "audio": base64.b64encode(audio).decode()}).encode() + b"\n\n"


def test_a_stream_with_lead_silence_and_a_late_chunk() -> None:
    watch = StreamWatch()
    first = _event(_wav(0.5, silent_s=0.2))
    # The first event arrives split across two reads; its arrival is that of its last byte.
    watch.feed(first[:40], 10.30)
    watch.feed(first[40:], 10.35)
    watch.feed(_event(_wav(0.5)), 10.60)
    watch.feed(_event(_wav(0.5)) + b'data: {"type": "done"}\n\n', 11.90)  # the listener ran dry at 11.35
    figures = stream_figures(watch.arrivals(10.0), 10.0, finished=11.95)
    assert len(watch.chunks) == 3
    assert figures["perceived_ttfa_ms"] == pytest.approx(350.0 + 200.0, abs=0.5)
    assert figures["max_chunk_gap_ms"] == pytest.approx(1300.0)
    assert figures["underruns"] == 1 and figures["underrun_ms"] == pytest.approx(550.0)
    assert figures["audio_ms"] == pytest.approx(1500.0)
    assert figures["real_time_factor"] == pytest.approx(1.95 / 1.5)


def test_speech_that_starts_after_a_late_chunk_waits_for_it() -> None:
    watch = StreamWatch()
    watch.feed(_event(_wav(0.3, silent_s=0.3)), 1.0)  # all silence
    watch.feed(_event(_wav(0.3, silent_s=0.1)), 2.0)
    figures = stream_figures(watch.arrivals(0.5), 0.5, finished=2.1)
    assert figures["perceived_ttfa_ms"] == pytest.approx((2.0 + 0.1 - 0.5) * 1000.0, abs=0.5)
    assert figures["underruns"] == 1


def test_a_stream_of_whole_wav_chunks_is_stored_as_one_decodable_file() -> None:
    import base64
    import io
    import json
    import wave

    from harness.runner.deliver.media import sse_audio
    from harness.scoring.audio import decode_audio

    def chunk(frames: int) -> bytes:
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(24000)
            out.writeframes(b"\x01\x00" * frames)
        return buffer.getvalue()

    events = b"".join(
        b"data: " + json.dumps({"audio": base64.b64encode(chunk(1200)).decode()}).encode() + b"\n\n" for _ in range(3)
    )
    joined = sse_audio(events)
    assert joined.count(b"RIFF") == 1  # one header, not three files end to end
    assert decode_audio(joined).duration_s == 3600 / 24000


def test_speech_onset_is_found_to_the_sample() -> None:
    """Not to the 10 ms frame: a tone that starts 3 samples into a frame is found there."""
    from harness.core.onset import speech_onset_s

    start = 1603  # 100.1875 ms at 16 kHz, inside the eleventh 10 ms frame
    samples = np.zeros(RATE // 2, dtype=np.float32)
    samples[start:] = 0.3 * np.sin(2 * np.pi * 220 * np.arange(len(samples) - start) / RATE + 0.4)
    samples[400] = 0.5  # a click: loud, but not sustained
    assert speech_onset_s(samples, RATE) == pytest.approx(start / RATE, abs=0.5 / RATE)
    assert speech_onset_s(np.full(RATE, 0.004, dtype=np.float32), RATE) is None  # dither is not speech


def test_stream_times_are_intervals_between_reads() -> None:
    """An event reached us after the read before its first byte and by the read that completed it."""
    watch = StreamWatch()
    first = _event(_wav(0.5, silent_s=0.2))
    watch.feed(first[:40], 10.30)
    watch.feed(first[40:], 10.35)
    watch.feed(_event(_wav(0.5)), 10.60)
    figures = stream_figures(watch.arrivals(10.0, opened=10.05), 10.0, finished=10.7)
    assert (figures["ttfa_lo_ms"], figures["ttfa_ms"], figures["ttfa_hi_ms"]) == pytest.approx((50.0, 350.0, 350.0))
    assert figures["perceived_ttfa_lo_ms"] == pytest.approx(50.0 + 200.0, abs=0.5)
    assert figures["perceived_ttfa_hi_ms"] == figures["perceived_ttfa_ms"] == pytest.approx(550.0, abs=0.5)


def test_every_time_figure_is_an_interval_from_the_chunks_arrival_bounds() -> None:
    """Chunks known to have arrived inside [earliest, latest]: each figure's bounds follow from them, and
    the listener's underruns are counted under the earliest and the observed arrivals."""
    from harness.runner.deliver.streaming import Arrival

    def tone(seconds: float) -> tuple[np.ndarray, int]:
        return 0.3 * np.sin(2 * np.pi * 220 * np.arange(round(seconds * RATE)) / RATE), RATE

    chunks = [Arrival(1.00, 1.01, b"a"), Arrival(1.20, 1.21, b"b"), Arrival(1.70, 1.75, b"c")]
    figures = stream_figures(chunks, origin=0.9, decoder=lambda _: tone(0.25))
    assert (figures["ttfa_lo_ms"], figures["ttfa_ms"], figures["ttfa_hi_ms"]) == pytest.approx((100, 110, 110))
    assert (figures["last_audio_lo_ms"], figures["last_audio_ms"]) == pytest.approx((800, 850))
    # gaps observed 200 and 540 ms; at least 190 and 490, at most 210 and 550
    assert (figures["gap_p50_lo_ms"], figures["gap_p50_ms"], figures["gap_p50_hi_ms"]) == pytest.approx((340, 370, 380))
    assert figures["max_chunk_gap_ms"] == pytest.approx(540)
    # observed: plays 1.01-1.26, 1.26-1.51, waits for 1.75 (one underrun); earliest: 1.00-1.25, 1.25-1.50, 1.70
    assert figures["underruns"] == figures["underruns_lo"] == figures["underruns_hi"] == 1
    assert figures["underrun_ms"] == pytest.approx(240)
    assert figures["real_time_factor"] == pytest.approx(0.85 / 0.75)


def test_the_one_listener_places_the_onset_in_its_chunk() -> None:
    from harness.core.playback import listen, onsets_by_chunk

    assert onsets_by_chunk([0.5, 0.5, 0.5], 0.7) == [None, pytest.approx(0.2), None]
    assert onsets_by_chunk([0.5], None) == [None]
    heard = listen([0.0, 0.8], [0.5, 0.5], onsets_by_chunk([0.5, 0.5], 0.7))
    assert heard.underruns == 1 and heard.waited == pytest.approx(0.3) and heard.heard == pytest.approx(1.0)
    assert heard.finished == pytest.approx(1.3)
