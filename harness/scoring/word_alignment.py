"""The harness's own word times: where each word of a known text is said in a clip, by forced alignment with the
shipped Whisper — the yardstick a provider's timing marks were measured against (issue 65); since issue 81
`align_marked` hears the clips with the Piper reference's warp (`harness.speech.ReferenceAligner`: a tenth of
this error on a Piper voice, half on Kokoro), and `WordAligner` stays as the measured comparison.

CTranslate2's `Whisper.align` (the call the hard-text judge scores sentences with) takes the encoded clip and the
text's tokens and returns, by dynamic time warping over the decoder's cross-attention, which encoder frame (20 ms)
each token is aligned to, and each token's probability under teacher forcing. faster-whisper's `find_alignment`
turns that into words (Whisper's words: runs of tokens from one leading space to the next); each is mapped back on
the written words of the text by its characters. The clip is encoded in a window fitted to it (its length and a
second, in half seconds), as the hard-text judge's listener does, not in Whisper's 30 s: on 32 clips of two voices
the onset error was the same and the CPU an eighth (docs/measurements.md, 2026-11-26: tiny.en median 60–64 ms, 57 ms
of CPU a clip against 460 ms). Whisper base is no better here (median 96–141 ms, early by about 0.1 s, more words
unheard): tiny.en, the shipped model, is the default.

Where it cannot place a word it says so, never guesses (`PlacedWord.why`): a clip longer than one window (no word
placed), a word the alignment gives no frame of its own, or one the model does not hear (its tokens' mean
probability under `min_probability`): DTW gives every token some frame, heard or not. Its own error on known truth
(the sandbox's voices' word times) is measured by benchmarks/perf/aligner_error.py (docs/measurements.md).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from harness.scoring.asr.base import SAMPLE_RATE, WINDOW_S
from harness.scoring.asr.faster import FasterWhisperBackend
from harness.scoring.audio import FloatArray
from harness.scoring.blas import one_blas_thread
from harness.scoring.scoring_errors import AsrBackendError
from harness.speech import PlacedWord, ReferenceAligner

#: A word whose tokens' mean probability is below this is not heard: its frame would be DTW's guess.
MIN_PROBABILITY = 0.01
#: faster-whisper's own for word timestamps: the alignment's attention smoothed over 7 frames.
MEDIAN_FILTER_WIDTH = 7
_WORD = re.compile(r"\S+")
#: The median onset error past which marks are off, against where tiny.en hears the words: the limit every run was
#: judged by before the reference's warp (issue 81), kept for what this aligner hears (its own median error on true
#: marks 60–64 ms, docs/measurements.md), so a stored run it aligned keeps its figures.
WHISPER_ONSET_LIMIT_MS = 120.0
#: tiny.en's own onset error on known truth (docs/measurements.md, 2026-11-26), stated beside what it heard.
WHISPER_OWN_ERROR = "the aligner's own onset error (tiny.en, on known truth): median 60–64 ms, p95 273–375 ms"


class WordAligner:
    """Forced alignment with a faster-whisper model (the shipped tiny.en by default); loads it on first use."""

    def __init__(
        self, backend: FasterWhisperBackend | None = None, min_probability: float = MIN_PROBABILITY, fitted: bool = True
    ) -> None:
        self.backend = backend or FasterWhisperBackend()
        self.min_probability = min_probability
        # True: the clip encoded in a window fitted to it (its length + 1 s, in half seconds); False: Whisper's 30 s
        # window, as faster-whisper's word timestamps (the same error measured, eight times the CPU).
        self.fitted = fitted

    onset_limit_ms = WHISPER_ONSET_LIMIT_MS
    own_error = WHISPER_OWN_ERROR

    @property
    def model_id(self) -> str:
        return self.backend.model_id

    def align(self, clip: FloatArray, text: str, language: str = "en") -> tuple[PlacedWord, ...]:
        """Each written word of `text` where it is said in `clip` (mono, 16 kHz), or why not."""
        written = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
        if not written:
            return ()
        if len(clip) > WINDOW_S * SAMPLE_RATE:
            why = f"the clip is longer than Whisper's {WINDOW_S:g} s window: not aligned"
            return tuple(
                PlacedWord(text=w, first=f, last=la, start_s=None, end_s=None, probability=0.0, why=why)
                for w, f, la in written
            )
        with one_blas_thread():
            found = self._aligned(np.ascontiguousarray(clip, dtype=np.float32), text, language)
        return _on_written(written, found, self.min_probability)

    def _aligned(self, clip: FloatArray, text: str, language: str) -> list[tuple[str, float, float, float]]:
        """Whisper's words of `text` as (word, start, end, probability), in order."""
        from faster_whisper.tokenizer import Tokenizer

        model = self.backend.whisper_model()
        tokenizer = Tokenizer(
            model.hf_tokenizer,
            model.model.is_multilingual,
            task="transcribe",
            language=language if model.model.is_multilingual else "en",
        )
        features = model.feature_extractor(clip)
        frames = min(features.shape[-1], int(WINDOW_S * 100))
        width = min(int(WINDOW_S * 100), 50 * math.ceil((frames + 100) / 50)) if self.fitted else int(WINDOW_S * 100)
        window = np.zeros((features.shape[0], width), dtype=np.float32)
        window[:, :frames] = features[:, :frames]
        try:
            encoded = model.encode(window)
            words: list[dict[str, Any]] = model.find_alignment(
                tokenizer,
                [tokenizer.encode(" " + text.strip())],
                encoded,
                frames,
                median_filter_width=MEDIAN_FILTER_WIDTH,
            )[0]
        except (RuntimeError, ValueError, IndexError) as exc:
            raise AsrBackendError(f"faster-whisper could not align {text[:40]!r}: {exc}") from exc
        return [(str(w["word"]), float(w["start"]), float(w["end"]), float(w["probability"])) for w in words]


def _on_written(
    written: Sequence[tuple[str, int, int]], found: Sequence[tuple[str, float, float, float]], min_probability: float
) -> tuple[PlacedWord, ...]:
    """Whisper's words laid on the written words by their characters (Whisper's words spell `" " + text`, with
    its white space collapsed); a written word takes the span of the Whisper words whose characters it holds."""
    spans: list[list[tuple[float, float, float]]] = [[] for _ in written]
    ends = np.cumsum([len(w) for w, _, _ in written])  # offsets in the text with its white space removed
    at = 0
    for word, start, end, probability in found:
        bare = "".join(word.split())
        if not bare:
            continue
        index = int(np.searchsorted(ends, at, side="right"))
        if index < len(spans):
            spans[index].append((start, end, probability))
        at += len(bare)
    placed = []
    for (text, first, last), heard in zip(written, spans, strict=True):
        if not heard:
            placed.append(
                PlacedWord(
                    text=text,
                    first=first,
                    last=last,
                    start_s=None,
                    end_s=None,
                    probability=0.0,
                    why="no word of the alignment is this one",
                )
            )
            continue
        start, end = heard[0][0], heard[-1][1]
        probability = float(np.mean([p for _, _, p in heard]))
        if end <= start:
            placed.append(
                PlacedWord(
                    text=text,
                    first=first,
                    last=last,
                    start_s=None,
                    end_s=None,
                    probability=probability,
                    why="the alignment gives it no frame",
                )
            )
        elif probability < min_probability:
            placed.append(
                PlacedWord(
                    text=text,
                    first=first,
                    last=last,
                    start_s=None,
                    end_s=None,
                    probability=probability,
                    why=f"not heard (its tokens' mean probability {probability:.3f})",
                )
            )
        else:
            placed.append(
                PlacedWord(text=text, first=first, last=last, start_s=start, end_s=end, probability=probability)
            )
    return tuple(placed)


def align_marked(db_path: str | Path, run_id: str, aligner: WordAligner | ReferenceAligner | None = None) -> int:
    """Every kept answer of `run_id` that carried timing marks (`jobs.timing_marks`) and is not aligned yet: where the
    aligner hears each sent word, stored as evidence (`jobs.heard_words`); the figures are derived from it
    (`harness.measurement.marks`). Returns the answers aligned; an answer whose audio cannot be read is left. The
    aligner is the Piper reference's warp by default (issue 81: its error on known truth a tenth of tiny.en's on a
    Piper voice, half on Kokoro; docs/measurements.md)."""
    from harness.results import connect_writer, read_evidence, write_figures
    from harness.speech import AudioCodecError, decode_audio

    root = Path(db_path).parent
    conn = connect_writer(db_path)
    try:
        evidence = read_evidence(conn, run_id)
        jobs = [
            j
            for j in evidence.jobs
            if j.timing_marks and not j.heard_words and j.outcome == "ok" and j.audio_path and j.text
        ]
        # headerless samples (an HTTP stream's PCM) are read at the rate the runner kept with the clip
        rates = {c.clip_id: c.declared_sample_rate for c in evidence.clips}
        if not jobs:
            return 0
        aligner = aligner or ReferenceAligner()
        heard: dict[str, dict[str, str]] = {}
        for job in jobs:
            path = Path(job.audio_path or "")
            try:
                clip = decode_audio(
                    (path if path.is_absolute() else root / path).read_bytes(),
                    job.declared_media_type,
                    rates.get(job.job_key),
                ).mono_at(SAMPLE_RATE)
                placed = aligner.align(clip, job.text, (job.language or "en")[:2])
            except (OSError, AudioCodecError, AsrBackendError):
                continue
            # the aligner's limit and own error kept with what it heard: the marks are judged by the yardstick of the
            # ear that placed the words, whatever the default aligner is when the run is recomputed
            heard[job.job_key] = {
                "heard_words": json.dumps(
                    {
                        "model": aligner.model_id,
                        "onset_limit_ms": aligner.onset_limit_ms,
                        "own_error": aligner.own_error,
                        "words": [[w.text, None if w.start_s is None else round(w.start_s, 3)] for w in placed],
                    }
                )
            }
        write_figures(conn, heard)
        return len(heard)
    finally:
        conn.close()
