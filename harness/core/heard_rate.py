"""The rate heard is the rate declared: the one rule that names headerless or mislabelled samples at another rate
than asked (dograh-hq/pipecat PR #59: 24 kHz samples sent for `pcm_16000`; flowcat #10: 48 kHz declared, 24 kHz
sent). Samples read at the wrong rate play slower or faster and lower or higher by the same factor, so two views
of one answer tell the rate its samples are really at:

* **length** — the same text from the same provider in a format with a header (the contract suite's checks of
  headerless PCM, of every socket and of every SSE or NDJSON stream, and the benchmark's streams alike): the
  seconds the samples last at the declared rate over the header's seconds is the factor (`LENGTH_TOLERANCE`:
  resampling, padding and encoder delay differ between formats by a few per cent, a wrong rate by a third or more);
* **voice** — where no headed answer of the same provider exists: the same text's answers in the run (another
  offering, another provider) give a length and the voice's pitch; a wrong rate moves both by the *same* standard
  ratio (length up, pitch down), which a slower voice or a lower one alone does not (`VOICE_MIN_RATIO` for the
  length, `PITCH_SHARE` for the pitch).

Either way the rate heard is snapped to the nearest standard rate (`STANDARD_RATES`) when one is within the
tolerance, else said as measured. A length is how long the voice sounds (`sounding_s`: the leading and trailing
silence a stream or a socket adds are not the voice's), measured alike by the benchmark (`harness.measurement`) and
the contract suite's `rate` check; the pitch is the benchmark's (`harness.measurement.voice`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from harness.core.checks import FindingKind

#: The rule's one name (the contract suite's violations, `compare --fail-on`, history's JUnit case) and its finding:
#: the check of the rate heard declares them, every judge applying the rule says them.
RULE = "rate"
HEARD_WRONG = FindingKind(
    "heard at another rate than declared",
    "samples at the rate the answer is labelled with (its documented format)",
    named=True,
    kept="every rate heard as declared",
)

FRAME_S = 0.010
SPEECH_RMS = 0.01  # Coval's level, as `harness.core.onset` uses it
STANDARD_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
# Length of the same text, same provider, another format: the HTTP check's tolerance since it was written
# (resampling, padding, encoder delay); the smallest mislabel between standard rates (22.05 vs 24 kHz) is 8.5%.
LENGTH_TOLERANCE = 0.08
# Length and pitch against other offerings' answers: the length must be off by more than `VOICE_MIN_RATIO` (voices
# differ in pace more than formats do: the sandbox's own faster, higher voice lasts 0.79 times the run's median and
# sounds 0.76 times as low, measured) and the voice must sound lower or higher by about the same ratio. The common
# mislabels are 1.38 (22.05 vs 16 kHz, 44.1 vs 32), 1.5 (24 vs 16) and 2 (48 vs 24) either way.
VOICE_MIN_RATIO = 1.3
# The voice must sound lower (or higher) by this share of the length's ratio, in semitones: both move by the same
# ratio when samples are read at another rate. The sandbox's clean voices that differ in pace and register from the
# run's others moved by 0.53 of it (slower and lower, measured) and by 1.16 to 1.33 (faster and higher, measured):
# those are told apart by the rate heard, which must then be a standard one within LENGTH_TOLERANCE.
PITCH_SHARE = (0.75, 1.25)


def sounding_s(samples: Any, rate: int) -> float:
    """Seconds from the first to the last 10 ms frame at speech level (RMS ≥ `SPEECH_RMS`) of mono `samples` at
    `rate` (0.0: none)."""
    import numpy as np

    x = np.asarray(samples, dtype=np.float64)
    frame = max(1, round(FRAME_S * rate))
    count = len(x) // frame
    if count == 0:
        return 0.0
    rms = np.sqrt(np.mean(x[: count * frame].reshape(count, frame) ** 2, axis=1))
    loud = np.flatnonzero(rms >= SPEECH_RMS)
    return 0.0 if len(loud) == 0 else (int(loud[-1]) - int(loud[0]) + 1) * frame / rate


@dataclass(frozen=True, slots=True)
class HeardRate:
    """Samples declared at `declared` Hz that are at about `heard` Hz, and how that was told."""

    declared: int
    heard: float
    how: str

    @property
    def standard(self) -> bool:
        return round(self.heard) in STANDARD_RATES

    def __str__(self) -> str:
        return f"samples at about {self.heard:,.0f} Hz, declared {self.declared:,} Hz ({self.how})"


def _snapped(heard: float, tolerance: float) -> float:
    nearest = min(STANDARD_RATES, key=lambda rate: abs(rate / heard - 1))
    return float(nearest) if abs(nearest / heard - 1) <= tolerance else heard


def rate_by_length(
    seconds: float, declared: int, reference_seconds: float, reference: str, tolerance: float = LENGTH_TOLERANCE
) -> HeardRate | None:
    """`seconds` of samples read at `declared` Hz, against `reference_seconds` of the same text with a header
    (`reference` names it): None when they agree within `tolerance`."""
    if seconds <= 0 or reference_seconds <= 0 or abs(seconds / reference_seconds - 1) <= tolerance:
        return None
    heard = declared * seconds / reference_seconds
    return HeardRate(
        declared,
        _snapped(heard, tolerance),
        f"{seconds:.2f} s at the declared rate; the same text as {reference} lasts {reference_seconds:.2f} s",
    )


def rate_by_voice(
    seconds: float, lower: float, declared: int, reference_seconds: float, reference: str
) -> HeardRate | None:
    """`seconds` of the voice read at `declared` Hz, sounding `lower` times lower than the same text's answers in
    `reference` (which last `reference_seconds`): a wrong rate when the length moved by more than `VOICE_MIN_RATIO`,
    the voice moved the same way by about that ratio (`PITCH_SHARE`, in semitones: voices differ in register), and
    the rate heard is a standard one (`STANDARD_RATES`, within `LENGTH_TOLERANCE`); None otherwise — a slow voice
    keeps its pitch, a low one its length, and a mislabel is between two rates servers use."""
    if min(seconds, lower, reference_seconds) <= 0:
        return None
    longer = seconds / reference_seconds
    if abs(math.log(longer)) <= math.log(VOICE_MIN_RATIO):
        return None
    share = math.log(lower) / math.log(longer)
    heard = _snapped(declared * math.sqrt(longer * lower), LENGTH_TOLERANCE)  # both views of one ratio
    if not PITCH_SHARE[0] <= share <= PITCH_SHARE[1] or round(heard) not in STANDARD_RATES:
        return None
    return HeardRate(declared, heard, f"{longer:.2f}× as long and {lower:.2f}× as low as the same text in {reference}")
