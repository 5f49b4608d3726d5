"""Audio conformance: does the file match what was declared, and does it sound like a finished utterance?

Checks, each a ``Finding`` when it fails:

* container truncation (a WAV shorter than its header promises, an MP3 or ADTS frame, FLAC frames or an
  Ogg page cut short: `harness.core.audio`), declared versus actual media type,
  sample rate and channel count (a 48 kHz file labelled 22.05 kHz plays at the wrong pitch);
* speech duration against what the text predicts: far too short means truncated audio, far too long
  means padding, loops or a wrong rate;
* leading and trailing silence (RMS over 10 ms frames, Coval's perceived-onset method), digital silence;
* clipping (share of samples at full scale).

Integrated loudness (pyloudnorm, ITU-R BS.1770 LUFS) is measured and reported, not judged.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import numpy as np

from harness.core.flags import Finding, Flag
from harness.scoring.audio import DecodedAudio, FloatArray, canonical_media_type, media_type_matches

FRAME_S = 0.010
# Coval's perceived-onset threshold (RMS 0.01), lowered for quiet clips so their speech is not "silence".
SILENCE_RMS = 0.01
SILENCE_RELATIVE = 0.1
# Below this peak frame RMS (-60 dBFS) the clip holds no audible speech at all.
SILENT_RMS = 0.001
MAX_LEADING_SILENCE_S = 1.0
MAX_TRAILING_SILENCE_S = 1.5
CLIP_LEVEL = 0.999
MAX_CLIPPING_RATIO = 0.001
# A WAV missing more than this share of its promised data is a truncated download.
MAX_MISSING_SHARE = 0.001

# Spoken letters per second of natural read speech; Piper's voice reads English at 15-19, espeak 13-19.
# Languages written without spaces pack more speech into each character.
LETTERS_PER_SECOND = {"zh": 4.5, "ja": 7.0, "ko": 6.0}
DEFAULT_LETTERS_PER_SECOND = 14.0
# Speech shorter than this share of the prediction is truncated; longer than the upper factor
# (plus slack for very short texts) is padded or looping.
TOO_SHORT_FACTOR = 0.5
TOO_LONG_FACTOR = 2.5
TOO_LONG_SLACK_S = 1.0


@dataclass(frozen=True, slots=True)
class DeclaredFormat:
    """What the provider said the audio is; ``None`` fields were not declared."""

    media_type: str | None = None
    sample_rate: int | None = None
    channels: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Conformance:
    """Measured properties of one clip and the findings they raise."""

    media_type: str
    sample_rate: int
    channels: int
    duration_s: float
    speech_s: float
    expected_speech_s: float | None
    leading_silence_s: float
    trailing_silence_s: float
    clipping_ratio: float
    loudness_lufs: float | None
    findings: tuple[Finding, ...]


def expected_speech_seconds(text: str, language: str) -> float | None:
    """How long a natural reading of ``text`` lasts, from its count of letters and digits."""
    letters = sum(1 for char in text if unicodedata.category(char)[0] in "LN")
    if not letters:
        return None
    return letters / LETTERS_PER_SECOND.get(language, DEFAULT_LETTERS_PER_SECOND)


def check_conformance(audio: DecodedAudio, declared: DeclaredFormat, text: str | None, language: str) -> Conformance:
    """Measure the clip and compare it with its declaration and its text."""
    findings: list[Finding] = []
    findings.extend(_declaration_findings(audio, declared))
    mono = audio.mono()
    leading, trailing, peak_rms = _silence(mono, audio.sample_rate)
    speech = max(0.0, audio.duration_s - leading - trailing)
    if peak_rms < SILENT_RMS:
        findings.append(Finding(Flag.SILENT, f"loudest 10 ms frame has RMS {peak_rms:.5f} (< {SILENT_RMS})"))
        leading, trailing, speech = audio.duration_s, 0.0, 0.0
    else:
        if leading > MAX_LEADING_SILENCE_S:
            findings.append(
                Finding(Flag.LEADING_SILENCE, f"{leading:.2f} s of silence before speech (> {MAX_LEADING_SILENCE_S} s)")
            )
        if trailing > MAX_TRAILING_SILENCE_S:
            findings.append(
                Finding(
                    Flag.TRAILING_SILENCE, f"{trailing:.2f} s of silence after speech (> {MAX_TRAILING_SILENCE_S} s)"
                )
            )
    expected = expected_speech_seconds(text, language) if text else None
    if expected is not None and peak_rms >= SILENT_RMS:
        findings.extend(_duration_findings(speech, expected))
    clipping = float(np.mean(np.abs(audio.samples) >= CLIP_LEVEL)) if audio.frames else 0.0
    if clipping > MAX_CLIPPING_RATIO:
        findings.append(Finding(Flag.CLIPPING, f"{clipping:.2%} of samples at full scale (> {MAX_CLIPPING_RATIO:.1%})"))
    return Conformance(
        media_type=audio.media_type,
        sample_rate=audio.sample_rate,
        channels=audio.channels,
        duration_s=audio.duration_s,
        speech_s=speech,
        expected_speech_s=expected,
        leading_silence_s=leading,
        trailing_silence_s=trailing,
        clipping_ratio=clipping,
        loudness_lufs=integrated_loudness(audio),
        findings=tuple(findings),
    )


def _declaration_findings(audio: DecodedAudio, declared: DeclaredFormat) -> list[Finding]:
    findings = []
    missing = audio.missing_share
    if missing is not None and missing > MAX_MISSING_SHARE:
        findings.append(
            Finding(Flag.TRUNCATED_FILE, f"the WAV header promises more data than arrived: {missing:.1%} missing")
        )
    elif missing is None and audio.info.truncated:
        findings.append(Finding(Flag.TRUNCATED_FILE, audio.info.problem or "the file is cut short"))
    if not media_type_matches(declared.media_type, audio):
        findings.append(
            Finding(
                Flag.MEDIA_TYPE_MISMATCH,
                f"declared {canonical_media_type(declared.media_type)}, the bytes are {audio.media_type} "
                f"({audio.container}/{audio.subtype})",
            )
        )
    if declared.sample_rate is not None and declared.sample_rate != audio.sample_rate:
        findings.append(
            Finding(
                Flag.SAMPLE_RATE_MISMATCH,
                f"declared {declared.sample_rate} Hz, the file is {audio.sample_rate} Hz",
            )
        )
    if declared.channels is not None and declared.channels != audio.channels:
        findings.append(
            Finding(Flag.CHANNELS_MISMATCH, f"declared {declared.channels} channel(s), the file has {audio.channels}")
        )
    return findings


def _duration_findings(speech: float, expected: float) -> list[Finding]:
    if speech < TOO_SHORT_FACTOR * expected:
        return [
            Finding(
                Flag.TOO_SHORT,
                f"{speech:.2f} s of speech where the text predicts {expected:.2f} s "
                f"(< {TOO_SHORT_FACTOR:.0%}): truncated audio",
            )
        ]
    if speech > TOO_LONG_FACTOR * expected + TOO_LONG_SLACK_S:
        return [
            Finding(
                Flag.TOO_LONG,
                f"{speech:.2f} s of speech where the text predicts {expected:.2f} s "
                f"(> {TOO_LONG_FACTOR}x + {TOO_LONG_SLACK_S} s): padded or looping audio",
            )
        ]
    return []


def _silence(mono: FloatArray, rate: int) -> tuple[float, float, float]:
    """Leading and trailing silence in seconds, and the loudest frame's RMS."""
    frame = max(1, round(rate * FRAME_S))
    count = len(mono) // frame
    if count == 0:
        return len(mono) / rate, 0.0, 0.0
    frames = mono[: count * frame].astype(np.float64).reshape(count, frame)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    peak = float(rms.max())
    threshold = min(SILENCE_RMS, SILENCE_RELATIVE * peak)
    loud = np.flatnonzero(rms > threshold)
    if loud.size == 0:
        return len(mono) / rate, 0.0, peak
    leading = int(loud[0]) * frame / rate
    trailing = (len(mono) - (int(loud[-1]) + 1) * frame) / rate
    return leading, trailing, peak


def integrated_loudness(audio: DecodedAudio) -> float | None:
    """ITU-R BS.1770 integrated loudness in LUFS; ``None`` when the clip is too short or silent."""
    import pyloudnorm

    meter = pyloudnorm.Meter(audio.sample_rate)
    # BS.1770 gates on 400 ms blocks: shorter clips have no defined loudness.
    if audio.duration_s <= meter.block_size:
        return None
    try:
        loudness = float(meter.integrated_loudness(audio.samples.astype(np.float64)))
    except ValueError:
        return None
    return loudness if math.isfinite(loudness) else None
