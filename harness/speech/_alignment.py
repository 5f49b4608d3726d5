"""Word times by warping a reference voice onto the clip (issue 81), kept beside the voice whose times it knows so
the benchmark's scorer and the contract suite's `onset` rule hear words with one aligner: the sent text is spoken by
the shipped Piper voice, whose phoneme durations say exactly where each written word starts (`WordTime`); both clips
become spectral frames (MFCCs, 10 ms apart, each clip's mean and spread removed so two voices compare), dynamic time
warping pairs the reference's frames with the clip's, and each reference word start is carried through the path.
This is aeneas' way (synthesise the text, warp it on the audio), with a voice whose times are known, not guessed.
A pause is one frame in the warp, however long it lasts in either clip (`PAUSE_FRAMES`): how long a voice pauses is
the voice's, not the words', and a word the path puts on a pause starts where the pause ends.

Where it cannot place a word it says so (`PlacedWord.why`), never guesses: the text the reference voice cannot speak,
a clip with no sound, or a word whose stretch of the path costs far more than the clip's typical frame (the clip
says something else there). Its error on known truth is measured by benchmarks/perf/aligner_error.py
(docs/measurements.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._decode import FloatArray

SAMPLE_RATE = 16000
HOP = 160  # 10 ms: the path's step, and the finest a word start is placed to
WINDOW = 400  # 25 ms
N_FFT = 512
N_MELS = 40
N_MFCC = 13
#: A word whose stretch of the path costs this many times the path's median frame is not the reference's word:
#: not placed (the clip says something else there, or nothing).
MAX_COST_RATIO = 3.0
MODEL_ID = "piper-dtw-2"  # "-2": pauses kept to one frame (2026-11-28); "piper-dtw" before
#: A clip's marks are off where their median onset error, against where this aligner hears the words, passes this
#: (issue 81); recorded with the words it hears (`jobs.heard_words`), so each run is judged by its own aligner's
#: yardstick. The warp hears true marks at a median of 3 ms on a Piper voice and 13 ms on Kokoro, a voice unlike it,
#: p95 10 and 49 ms, signed median 0 and 1 ms (docs/measurements.md, 2026-11-29): 60 ms is over the worse voice's
#: p95, so a clip of true marks holds far under it, and marks 100 ms late or early read about 100 ms, over it
#: (docs/marks.md). Held on the median, so one word the warp misplaces does not fail a clip: its worst words are named.
ONSET_LIMIT_MS = 60.0
#: Its own onset error on known truth, stated beside every figure it heard (docs/measurements.md, 2026-11-29:
#: benchmarks/perf/aligner_error.py, Piper and Kokoro voices); recorded with the words it hears, as the limit is.
OWN_ERROR = "the aligner's own onset error (Piper reference warp, on known truth): median 3–13 ms, p95 10–49 ms"
#: Longer clips are not aligned: the warp's table is frames × frames (30 s: 3,000² costs, 72 MB each).
MAX_CLIP_S = 30.0
#: A clip this many times longer or shorter than the reference is not the text at a pace the warp can follow.
MAX_LENGTH_RATIO = 3.0
SILENT = 1e-4  # a clip whose peak is under this holds no speech
#: The level's weight beside the 13 MFCCs (each of spread 1): measured 2 best on Kokoro before pauses were one frame
#: of the warp (p95 228 ms against 261 at 0 and 260 at 4, 32 clips; the median the same).
ENERGY_WEIGHT = 2.0
#: A pause: this many frames (120 ms) or more in a row at least 36 dB under the clip's loud frames (`_level` -0.9).
#: Each pause, in either clip, is one frame in the warp. A voice that pauses where the reference does not (Kokoro
#: after "window", 0.38 s) left the warp pairing the reference's next word with the pause's start, and the word read
#: 0.4 s early; measured (benchmarks/perf/aligner_error.py, 2026-11-28) on Kokoro p95 261 -> 87 ms over its 32
#: sentences and 192 -> 75 ms over 28 others (en_read 17-44), Piper's the same (p95 9-10 ms, signed median 0).
#: Shorter gaps (a stop's closure) are the words' own and are kept: 80 ms gave Kokoro p95 110, 200 ms 100.
PAUSE_FRAMES = 12
PAUSE_LEVEL = -0.9
#: A word whose first 100 ms (of the reference's own time) the path pairs with a pause of the clip starts where the
#: pause ends, where the reference speaks on there (no pause, or only a stop's closure: "cool"'s k). A pause both make
#: ("looked"'s closure before "beautiful") is left: moving the word past it read "looked" 321 ms late.
ONSET_FRAMES = 10
_WORD = re.compile(r"\S+")
Float64Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacedWord:
    """A written word of the sent text (`text[first:last]`) and where the aligner hears it, in seconds from the
    clip's start; `start_s`/`end_s` None and `why` said where it cannot place it."""

    text: str
    first: int
    last: int
    start_s: float | None
    end_s: float | None
    probability: float
    why: str = ""

    @property
    def placed(self) -> bool:
        return self.start_s is not None


def _mel_filters() -> Float64Array:
    """A triangular mel filterbank (N_MELS × N_FFT/2+1), 60 Hz to 7.6 kHz."""

    def mel(hz: Float64Array) -> Float64Array:
        return np.asarray(2595.0 * np.log10(1.0 + hz / 700.0), dtype=np.float64)

    points = 700.0 * (10.0 ** (np.linspace(mel(np.array(60.0)), mel(np.array(7600.0)), N_MELS + 2) / 2595.0) - 1.0)
    bins = np.fft.rfftfreq(N_FFT, 1.0 / SAMPLE_RATE)
    filters = np.zeros((N_MELS, len(bins)))
    for m in range(N_MELS):
        low, centre, high = points[m], points[m + 1], points[m + 2]
        rising = (bins - low) / (centre - low)
        falling = (high - bins) / (high - centre)
        filters[m] = np.maximum(0.0, np.minimum(rising, falling))
    return filters


_FILTERS = _mel_filters()


def features(clip: FloatArray) -> tuple[Float64Array, Float64Array]:
    """The clip's MFCC frames (frames × N_MFCC, each coefficient's mean and spread over the clip removed) and each
    frame's log energy (dB); frame i is centred at i × 10 ms."""
    from scipy.fft import dct, rfft  # the score extra's (a base sandbox install has no scipy: not aligned there)

    samples = np.asarray(clip, dtype=np.float64)
    samples = np.append(samples[0] if len(samples) else 0.0, samples[1:] - 0.97 * samples[:-1])
    padded = np.pad(samples, (WINDOW // 2, WINDOW // 2 + HOP))
    count = max(1, 1 + (len(padded) - WINDOW) // HOP)
    index = np.arange(WINDOW)[None, :] + HOP * np.arange(count)[:, None]
    frames = padded[index] * np.hamming(WINDOW)
    power = np.abs(rfft(frames, n=N_FFT, axis=1)) ** 2
    energy = 10.0 * np.log10(power.sum(axis=1) + 1e-10)
    logmel = np.log(power @ _FILTERS.T + 1e-8)
    mfcc = dct(logmel, type=2, axis=1, norm="ortho")[:, :N_MFCC]
    mfcc = (mfcc - mfcc.mean(axis=0)) / (mfcc.std(axis=0) + 1e-8)
    return mfcc, energy


def warp_path(cost: Float64Array) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], Float64Array]:
    """The cheapest monotone path through `cost` (reference frames × clip frames) from corner to corner, steps
    (1,0), (0,1), (1,1): each row by a running minimum (the row's horizontal steps are a min-plus scan). Returns the
    path's reference frames, clip frames and each step's own cost."""
    rows, cols = cost.shape
    total = np.full((rows, cols), np.inf)
    first = np.cumsum(cost[0])
    total[0] = first
    for i in range(1, rows):
        above = total[i - 1]
        diagonal = np.concatenate(([np.inf], above[:-1]))
        entered = np.minimum(above, diagonal)
        running = np.cumsum(cost[i])
        before = running - cost[i]
        total[i] = running + np.minimum.accumulate(entered - before)
    i, j = rows - 1, cols - 1
    path = [(i, j)]
    while i > 0 or j > 0:
        if i == 0:
            j -= 1
        elif j == 0:
            i -= 1
        else:
            step = int(np.argmin((total[i - 1, j - 1], total[i - 1, j], total[i, j - 1])))
            i, j = (i - 1, j - 1) if step == 0 else (i - 1, j) if step == 1 else (i, j - 1)
        path.append((i, j))
    path.reverse()
    ref = np.array([p[0] for p in path], dtype=np.intp)
    hyp = np.array([p[1] for p in path], dtype=np.intp)
    return ref, hyp, cost[ref, hyp]


def carried(reference_s: float, ref: npt.NDArray[np.intp], hyp: npt.NDArray[np.intp]) -> float:
    """A reference word's start carried through the path: one past the last clip frame paired with the reference's
    frame before it. A pause longer in the clip than in the reference is one reference frame held over many clip
    frames: the word starts where the hold ends, not where it begins."""
    frame = min(round(reference_s * SAMPLE_RATE / HOP), int(ref[-1]))
    if frame <= 0:
        return float(hyp[0]) * HOP / SAMPLE_RATE
    at = int(np.searchsorted(ref, frame - 1, side="right")) - 1
    return float(min(hyp[at] + 1, hyp[-1])) * HOP / SAMPLE_RATE


def _level(db: Float64Array) -> Float64Array:
    """Each frame's level under the clip's loud frames (its 95th percentile), in [-1, 0]: 0 loud, -1 40 dB under.
    A feature of its own in the warp: MFCCs with their mean removed hardly tell a pause from a soft sound."""
    loud = float(np.percentile(db, 95))
    return np.asarray(np.clip((db - loud) / 40.0, -1.0, 0.0), dtype=np.float64)


def _frames(clip: FloatArray) -> tuple[Float64Array, Float64Array]:
    """The warp's frames of a clip (its MFCCs beside its weighted level) and each frame's level (`_level`)."""
    mfcc, db = features(clip)
    level = _level(db)
    return np.hstack([mfcc, ENERGY_WEIGHT * level[:, None]]), level


def without_pauses(level: Float64Array) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The frames the warp keeps of a clip (`_level`'s per frame): every frame but a pause's (`PAUSE_FRAMES` or more
    at `PAUSE_LEVEL` or under), whose first alone stands for it. Returns the kept frames and, for each, the frame a
    word the path puts there starts at: its own, or, for a pause's stand-in, the first frame after the pause."""
    quiet = np.concatenate(([False], level <= PAUSE_LEVEL, [False]))
    edges = np.flatnonzero(np.diff(quiet.astype(np.int8)))
    kept = np.ones(len(level), dtype=bool)
    starts_at = np.arange(len(level), dtype=np.intp)
    for first, after in zip(edges[::2], edges[1::2], strict=True):
        if after - first >= PAUSE_FRAMES:
            kept[first + 1 : after] = False
            starts_at[first] = after
    frames = np.flatnonzero(kept)
    return frames, starts_at[frames]


def align_on_reference(
    clip: FloatArray,
    reference: FloatArray,
    reference_words: Sequence[tuple[float, float]],
) -> list[tuple[float | None, float, str]]:
    """Each reference word (start, end in the reference, seconds) carried onto `clip` (both mono 16 kHz): (its start
    in the clip or None, the cost ratio of its stretch of the path, why not placed). Each pause of either clip is one
    frame of the warp (`without_pauses`)."""
    (ours_all, our_level), (theirs_all, their_level) = _frames(reference), _frames(clip)
    ours_kept, our_starts = without_pauses(our_level)
    our_pauses = our_starts != ours_kept  # the reference's own pauses' stand-ins
    theirs_kept, starts_at = without_pauses(their_level)
    ours, theirs = ours_all[ours_kept], theirs_all[theirs_kept]
    # squared distances by the dot product: a broadcast difference would hold frames × frames × features at once
    squared = (ours**2).sum(axis=1)[:, None] + (theirs**2).sum(axis=1)[None, :] - 2.0 * ours @ theirs.T
    ref, hyp, steps = warp_path(np.sqrt(np.maximum(squared, 0.0)))
    typical = float(np.median(steps)) or 1e-9
    placed: list[tuple[float | None, float, str]] = []
    for start, end in reference_words:
        # the word's frames among those the warp kept (a word starting in a pause starts where the pause ends)
        first = int(np.searchsorted(ours_kept, round(start * SAMPLE_RATE / HOP)))
        last = max(first, int(np.searchsorted(ours_kept, round(end * SAMPLE_RATE / HOP), side="right")) - 1)
        on = (ref >= first) & (ref <= last)
        ratio = float(steps[on].mean() / typical) if on.any() else float("inf")
        if ratio > MAX_COST_RATIO:
            placed.append(
                (
                    None,
                    ratio,
                    f"the clip does not sound like the reference voice there (its stretch of the "
                    f"warp costs {ratio:.1f} times the path's median)",
                )
            )
        else:
            at = round(carried(first * HOP / SAMPLE_RATE, ref, hyp) * SAMPLE_RATE / HOP)
            # a pause of the clip paired with the word's onset (its first ONSET_FRAMES of the reference's own time, not
            # a pause of the reference's): the reference speaks on there, so the word starts after the pause
            window = ours_kept[min(first, len(ours_kept) - 1)] + ONSET_FRAMES
            onset = (ref >= first) & (ref <= last) & (ours_kept[ref] < window) & ~our_pauses[ref]
            pauses = [int(j) for j in hyp[onset] if starts_at[j] != theirs_kept[j]]
            at = max([at, *pauses])
            frame = int(starts_at[at]) if at < len(starts_at) else int(theirs_kept[-1]) + 1
            placed.append((frame * HOP / SAMPLE_RATE, ratio, ""))
    return placed


class ReferenceAligner:
    """Word times by warping the shipped Piper voice's rendering of the sent text onto the clip (the default aligner
    of `align_marked`); the render comes from the process's speech engine and its disk store of renders
    (`TTS_HARNESS_SPEECH_CACHE`), so a text the sandbox spoke is not rendered twice."""

    model_id = MODEL_ID
    onset_limit_ms = ONSET_LIMIT_MS
    own_error = OWN_ERROR

    def __init__(self, max_clip_s: float = MAX_CLIP_S) -> None:
        self.max_clip_s = max_clip_s

    def align(self, clip: FloatArray, text: str, language: str = "en") -> tuple[PlacedWord, ...]:
        """Each written word of `text` where it is said in `clip` (mono, 16 kHz), or why not."""
        written = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
        reference, why = self._reference(clip, text, language)
        starts = {w.first: (w.start_s, w.end_s) for w in reference.words} if reference is not None else {}
        if reference is not None and not why and not all(first in starts for _, first, _ in written):
            why = "the reference voice's words do not match the text's"
        if reference is None or why:
            return tuple(
                PlacedWord(text=w, first=f, last=la, start_s=None, end_s=None, probability=0.0, why=why)
                for w, f, la in written
            )
        found = align_on_reference(clip, reference.samples, [starts[first] for _, first, _ in written])
        return tuple(
            PlacedWord(text=w, first=f, last=la, start_s=at, end_s=at, probability=1.0 / max(ratio, 1e-9), why=said)
            for (w, f, la), (at, ratio, said) in zip(written, found, strict=True)
        )

    def _reference(self, clip: FloatArray, text: str, language: str) -> tuple[Any, str]:
        """The reference render of `text`, or why there is none to warp."""
        from ._engine import default_engine
        from ._errors import SpeechError
        from ._types import Engine, Rendition

        if not language.lower().startswith("en"):
            return None, f"the reference voice speaks English, not {language!r}: not aligned"
        if len(clip) > self.max_clip_s * SAMPLE_RATE:
            return None, f"the clip is longer than {self.max_clip_s:g} s: not aligned"
        if not len(clip) or float(np.max(np.abs(clip))) < SILENT:
            return None, "the clip is silent: nothing to align"
        try:
            reference = default_engine().render(text, Rendition(engine=Engine.PIPER, sample_rate=SAMPLE_RATE))
        except (SpeechError, ValueError) as error:
            return None, f"the reference voice cannot speak the text: {error}"
        ratio = len(clip) / max(1, len(reference.samples))
        if not 1 / MAX_LENGTH_RATIO <= ratio <= MAX_LENGTH_RATIO:
            return reference, (
                f"the clip is {ratio:.1f} times the reference's length: not the text spoken at any "
                f"pace the warp can follow"
            )
        return reference, ""
