"""Believe the bytes, check the words (`harness.core.audio.read_as_claimed`): a container is read by its own
header and every claim that disagrees is a mismatch; headerless samples are read at the rate the answer says,
else the rate asked; a container that promises more than it holds, or text taken for samples, is no audio."""

from __future__ import annotations

from harness.core.audio import REQUEST, Claim, inspect, read_as_claimed
from tests.helpers.wav import pcm_wav

WAV_8K = pcm_wav(8000, 8000, sample=b"\x00\x10")


def test_a_wav_is_read_at_its_headers_rate_and_the_request_and_words_checked() -> None:
    reading = read_as_claimed(WAV_8K, Claim(REQUEST, "audio/wav", 24000), [Claim("headers/content-type", "audio/mpeg")])
    assert reading.info.sample_rate == 8000 and reading.info.problem is None
    notes = {m.place: m.note for m in reading.mismatches}
    assert "24000 Hz" in notes[REQUEST] and "8000 Hz" in notes[REQUEST]
    assert "audio/mpeg" in notes["headers/content-type"]


def test_agreeing_words_are_no_mismatch() -> None:
    reading = read_as_claimed(WAV_8K, Claim(REQUEST, "audio/wav", 8000), [Claim("headers/content-type", "audio/wav")])
    assert reading.mismatches == ()


def test_headerless_samples_are_read_at_the_rate_the_answer_says() -> None:
    samples = b"\x00\x10\x30\x08" * 4000
    reading = read_as_claimed(
        samples,
        Claim(REQUEST, "audio/pcm;rate=24000"),
        [Claim("/inlineData/mimeType", "audio/L16;codec=pcm;rate=16000")],
    )
    assert reading.info.sample_rate == 16000 and reading.info.duration_s == 0.5
    assert [m.place for m in reading.mismatches] == ["/inlineData/mimeType"]


def test_a_container_that_promises_more_than_it_holds_is_no_audio() -> None:
    assert "truncated" in str(read_as_claimed(WAV_8K[: len(WAV_8K) // 2]).info.problem)


def test_text_is_never_taken_for_samples() -> None:
    for text in (b"data: {}\n\n", b'{"error": {"message": "no"}}', b"<html><body>busy</body></html>"):
        assert "text, not samples" in str(inspect(text, "audio/pcm;rate=24000").problem)
    assert inspect(bytes(64), "audio/pcm;rate=24000").problem is None  # silence is samples
