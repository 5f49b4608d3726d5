"""How low a clip sounds (`harness.measurement.voice.lower_by`) compares only the band both spectra hold: 8 kHz audio
has nothing above 4 kHz, and its edge's value held flat up to the spectrum's 6 kHz once read an 8 kHz answer at its
true rate as 1.5 times lower than the same voice at 16 and 24 kHz — and a 12 kHz stream labelled 8 kHz (Speechify's
SSE offering in tests/bench/test_seams_sandbox.py) as 1.30 times lower on one run and 1.46 on the next."""

from __future__ import annotations

import numpy as np

from harness.measurement.voice import lower_by, spectrum
from tests.helpers.speech import render

TEXT = "The quick brown fox jumps over the lazy dog, and then it runs away into the forest."


def _reference() -> np.ndarray:
    """The median spectrum of the same text at 16, 22.05 and 24 kHz (as `audio_findings` pools a run's answers)."""
    spectra = [spectrum(render(TEXT, sample_rate=rate), rate) for rate in (16000, 22050, 24000)]
    with np.errstate(all="ignore"):
        return np.nanmedian(spectra, axis=0)


def test_an_8khz_answer_at_its_true_rate_sounds_as_high_as_the_same_voice_at_wider_rates() -> None:
    assert lower_by(spectrum(render(TEXT, sample_rate=8000), 8000), _reference()) == 1.0


def test_12khz_samples_read_at_8khz_sound_one_and_a_half_times_lower() -> None:
    lower = lower_by(spectrum(render(TEXT, sample_rate=12000), 8000), _reference())
    assert lower is not None and abs(lower / 1.5 - 1) < 0.03, lower


def test_a_spectrum_holds_no_value_above_its_clips_band() -> None:
    from harness.measurement.voice import BAND_SHARE, BINS_PER_OCTAVE, HIGH_HZ, LOW_HZ

    level = spectrum(render(TEXT, sample_rate=8000), 8000)
    grid = LOW_HZ * 2.0 ** (np.arange(len(level)) / BINS_PER_OCTAVE)
    assert np.isnan(level[grid > BAND_SHARE * 4000]).all() and not np.isnan(level[grid <= BAND_SHARE * 4000]).any()
    assert grid[-1] < HIGH_HZ
