"""Seams judged on the audio (`harness.core.seams`): a clean stream cut anywhere joins as one sound (no
finding); a click, an inserted silence or a first sample far from zero at a seam is found where it is; a pause the
voice makes (a fade to silence) at a seam is not a gap."""

from __future__ import annotations

import numpy as np

from harness.core.seams import GAP_MIN_S, header_findings, seam_findings, step_scale

RATE = 24000


def voice(seconds: float = 3.0, f0: float = 150.0) -> np.ndarray:
    """A voiced sound: harmonics of `f0` under a slow syllable envelope, faded in and out (as speech starts)."""
    t = np.arange(round(seconds * RATE)) / RATE
    tone = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 12))
    envelope = 0.35 * (0.6 + 0.4 * np.sin(2 * np.pi * 3.0 * t)) * np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.05)
    return (tone * envelope / 2.0).astype(np.float64)


def seams_every(samples: np.ndarray, seconds: float = 0.2) -> list[int]:
    step = round(seconds * RATE)
    return list(range(step, len(samples), step))


def test_a_clean_stream_cut_anywhere_has_no_finding() -> None:
    x = voice()
    assert seam_findings(x, RATE, seams_every(x)) == []
    assert seam_findings(x, RATE, None) == []  # its seams not recorded: judged anywhere, nothing either


def test_a_click_at_a_seam_is_found_there() -> None:
    x = voice()
    seams = seams_every(x)
    x[seams[3]], x[seams[3] + 1] = 0.9, -0.9
    found = seam_findings(x, RATE, seams)
    assert [(f.kind, round(f.at_s, 3)) for f in found] == [("click", round(seams[3] / RATE, 3))]


def test_inserted_silence_at_a_seam_is_a_gap_and_a_fade_is_not() -> None:
    x = voice()
    seams = seams_every(x)
    cut = seams[5]
    gapped = np.concatenate([x[:cut], np.zeros(128), x[cut:]])  # 5.33 ms at every seam (cloudflare/agents #1736)
    moved = [s if s <= cut else s + 128 for s in seams]
    found = seam_findings(gapped, RATE, moved)
    assert [f.kind for f in found] == ["gap"] and "5.3" in found[0].detail
    fade = np.concatenate([x[:cut] * np.linspace(1, 0, cut) ** 8, np.zeros(2400), x[cut:] * 0])
    assert [f.kind for f in seam_findings(fade, RATE, [cut])] == []
    assert GAP_MIN_S * RATE < 128


def test_the_first_samples_jump_from_zero_is_found() -> None:
    x = voice()
    x[0] = 0.6
    assert [f.kind for f in seam_findings(x, RATE, [])] == ["first-sample"]


def test_a_whole_answers_steps_raise_the_bar() -> None:
    x = voice()
    seams = seams_every(x)
    x[seams[2]] = x[seams[2] - 1] + 0.12  # a step 3.5 times the clip's own...
    assert [f.kind for f in seam_findings(x, RATE, seams)] == ["click"]
    rough = (step_scale(x)[0] * 10, step_scale(x)[1] * 10)  # ...but the same text's whole answer is rougher
    assert seam_findings(x, RATE, seams, rough) == []


def test_a_header_after_the_start_is_a_finding() -> None:
    found = header_findings([(1.5, "wav")])
    assert [(f.kind, f.at_s) for f in found] == [("header", 1.5)] and "wav header" in found[0].detail
