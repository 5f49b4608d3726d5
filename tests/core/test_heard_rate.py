"""The one rate rule (`harness.core.heard_rate`): the HTTP check's length against a headed answer, and for streams and
sockets the length with how low the voice sounds against the same text's other answers; a slow voice or a low one
alone is no wrong rate."""

from __future__ import annotations

from harness.core.heard_rate import LENGTH_TOLERANCE, rate_by_length, rate_by_voice


def test_24k_samples_declared_16k_are_named_by_their_length() -> None:
    heard = rate_by_length(4.5, 16000, 3.0, "wav")
    assert heard is not None and heard.heard == 24000.0 and heard.declared == 16000
    assert "about 24,000 Hz, declared 16,000 Hz" in str(heard)


def test_a_length_within_the_formats_own_differences_is_the_declared_rate() -> None:
    assert rate_by_length(3.0 * (1 + LENGTH_TOLERANCE * 0.9), 16000, 3.0, "wav") is None
    assert rate_by_length(3.0 * (1 - LENGTH_TOLERANCE * 0.9), 16000, 3.0, "wav") is None


def test_a_rate_between_standard_ones_is_said_as_measured() -> None:
    heard = rate_by_length(3.0 * 1.2, 16000, 3.0, "wav")  # 19.2 kHz: no standard rate near
    assert heard is not None and round(heard.heard) == 19200 and not heard.standard


def test_the_voice_rule_names_a_mislabel_where_length_and_pitch_move_together() -> None:
    heard = rate_by_voice(4.5, 1.5, 16000, 3.0, "the run")
    assert heard is not None and heard.heard == 24000.0
    shorter = rate_by_voice(2.0, 1 / 2.0, 48000, 4.0, "the run")  # 24 kHz samples declared 48 kHz (flowcat #10)
    assert shorter is not None and shorter.heard == 24000.0


def test_a_slow_voice_a_low_voice_or_a_rate_no_server_uses_is_not_named() -> None:
    assert rate_by_voice(4.5, 1.0, 16000, 3.0, "the run") is None  # slower, same register
    assert rate_by_voice(3.0, 1.5, 16000, 3.0, "the run") is None  # lower, same pace
    assert rate_by_voice(3.0 * 1.25, 1.25, 16000, 3.0, "the run") is None  # within the voices' own spread (20 kHz)
    assert rate_by_voice(3.0 * 1.2, 1.2, 16000, 3.0, "the run") is None  # 19.2 kHz: no standard rate
