"""faster-whisper (CTranslate2) backend: the default, batched across clips for throughput on a CPU.

Whisper pads every input to a 30 s window, so a 3 s clip costs nearly as much as a 30 s one. Two levers:

- **An adaptive window** (``DecodingSettings.windows``): a short clip is encoded in the shortest of a few
  fixed windows (10, 20 s) that it fills to at most half (CTranslate2 accepts fewer mel frames; the
  encoder's cost falls about in proportion), then decoded exactly as faster-whisper's pipeline does. Clips
  in one window are batched together. ``benchmarks/perf/asr_throughput.py`` measures speed and WER
  against openai-whisper on a noisy two-voice set.
- **Batching full windows**: clips that need Whisper's 30 s window are laid end to end with a gap and
  passed to ``BatchedInferencePipeline`` with their boundaries as ``clip_timestamps``; it decodes every
  chunk independently (no conditioning on the previous chunk), and each returned segment is mapped back
  to its clip by start time. Clips longer than one window go through the long-form ``transcribe``.

``transcribe_heard`` also asks a multilingual model which language it hears in each clip (CTranslate2's
``Whisper.detect_language``: one decoder step on the encoder's output). In a shortened window the encoding that
is decoded is the one detected on; clips of the 30 s and long-form paths are encoded once more (their first
30 s), since faster-whisper's pipeline keeps its encoding to itself.
"""

from __future__ import annotations

import bisect
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from harness.scoring.asr.base import (
    DEFAULT_MODEL,
    SAMPLE_RATE,
    WINDOW_S,
    AsrBackendName,
    DecodingSettings,
    Transcript,
    english_only,
)
from harness.scoring.asr.models import resolve_ct2_model
from harness.scoring.asr.spoken_form import written_form_tokens
from harness.scoring.audio import FloatArray
from harness.scoring.blas import one_blas_thread
from harness.scoring.lazy import LazyModel
from harness.scoring.scoring_errors import AsrBackendError

# Silence between concatenated clips: keeps boundaries apart after the library's float -> sample rounding.
_GAP = np.zeros(SAMPLE_RATE // 10, dtype=np.float32)


@dataclass(frozen=True, slots=True)
class _Loaded:
    model: Any  # faster_whisper.WhisperModel
    pipeline: Any  # faster_whisper.BatchedInferencePipeline over the same model


# A process that makes several scorers (the library called again, a notebook, `bench run`s in one test session)
# loads each model once: loading reads and converts the weights (a second or two of CPU each time), and a loaded
# `WhisperModel` keeps no state between calls (CTranslate2 queues concurrent ones on its replicas), so backends and
# threads share it. A few kept, the last used: a run's model and the multilingual ear it may fall back to.
LOADED_MODELS_KEPT = 3


@functools.lru_cache(maxsize=LOADED_MODELS_KEPT)
def _loaded_model(path: str, compute_type: str, cpu_threads: int, replicas: int) -> Any:
    """The `faster_whisper.WhisperModel` at `path` with these settings, loaded once in this process."""
    from faster_whisper import WhisperModel

    try:
        return WhisperModel(
            path, device="cpu", compute_type=compute_type, cpu_threads=cpu_threads, num_workers=replicas
        )
    except (RuntimeError, ValueError, OSError) as exc:
        raise AsrBackendError(f"faster-whisper could not load {path}: {exc}") from exc


class FasterWhisperBackend:
    """Whisper through CTranslate2 (int8 on CPU by default)."""

    def __init__(self, model: str = DEFAULT_MODEL, settings: DecodingSettings | None = None) -> None:
        self._spec = model
        self._ct2 = resolve_ct2_model(model)
        self._settings = settings or DecodingSettings()
        self._lazy = LazyModel(self._build, extra="score")

    @property
    def name(self) -> AsrBackendName:
        return AsrBackendName.FASTER_WHISPER

    @property
    def model_id(self) -> str:
        return self._ct2.model_id

    @property
    def spec(self) -> str:
        return self._spec

    @property
    def settings(self) -> DecodingSettings:
        return self._settings

    def supports_language(self, language: str) -> bool:
        if language == "en":
            return True
        if english_only(self._ct2.name):
            return False
        return bool(self._load().model.is_multilingual)

    def load(self) -> None:
        self._lazy.get()

    def whisper_model(self) -> Any:
        """The loaded ``faster_whisper.WhisperModel`` (loading it now if needed), for a caller that asks the model
        more than a transcript: the hard-text judge's likelihoods (`harness.scoring.hard_text.listener`)."""
        return self._load()

    def _load(self) -> Any:
        """The loaded ``WhisperModel``."""
        return self._lazy.get().model

    def _build(self) -> _Loaded:
        from faster_whisper import BatchedInferencePipeline

        settings = self._settings
        model = _loaded_model(str(self._ct2.path), settings.compute_type, settings.cpu_threads, settings.replicas)
        # A pipeline of this backend's own: it keeps state between calls (the last speech time of word timings).
        return _Loaded(model, BatchedInferencePipeline(model))

    def transcribe(self, audio: Sequence[FloatArray], language: str) -> list[str]:
        # The features on one BLAS thread, so the transcript is not the machine's (harness.scoring.blas).
        with one_blas_thread():
            return [transcript.text for transcript in self._transcribe(audio, language, hear=False)]

    def transcribe_heard(self, audio: Sequence[FloatArray], language: str) -> list[Transcript]:
        with one_blas_thread():
            return self._transcribe(audio, language, hear=bool(self._load().model.is_multilingual))

    def _transcribe(self, audio: Sequence[FloatArray], language: str, *, hear: bool) -> list[Transcript]:
        self._lazy.get()
        texts = [Transcript("")] * len(audio)
        by_window: dict[float, list[int]] = defaultdict(list)
        apart: list[int] = []  # clips whose language is heard on an encoding of their own
        for index, clip in enumerate(audio):
            if len(clip) > WINDOW_S * SAMPLE_RATE:
                texts[index] = Transcript(self._long_form(clip, language))
                apart.append(index)
            elif len(clip):
                by_window[self._settings.window_for(len(clip) / SAMPLE_RATE)].append(index)
        for window, indices in sorted(by_window.items()):
            clips = [audio[index] for index in indices]
            if window >= WINDOW_S:
                results = [Transcript(text) for text in self._batched(clips, language)]
                apart.extend(indices)
            else:
                results = self._windowed(clips, language, window, hear)
            for index, text in zip(indices, results, strict=True):
                texts[index] = text
        if hear and apart:
            for index, (heard, probability) in zip(apart, self._heard([audio[i] for i in apart]), strict=True):
                texts[index] = Transcript(texts[index].text, heard, probability)
        return texts

    def _heard(self, clips: list[FloatArray]) -> list[tuple[str, float]]:
        """The language heard in each clip's first 30 s, on an encoding of its own."""
        from faster_whisper.audio import pad_or_trim

        model = self._load()
        heard: list[tuple[str, float]] = []
        try:
            for start in range(0, len(clips), self._settings.batch_size):
                batch = clips[start : start + self._settings.batch_size]
                features = np.stack(
                    [
                        pad_or_trim(model.feature_extractor(clip[: int(WINDOW_S * SAMPLE_RATE)])[..., :-1])
                        for clip in batch
                    ]
                )
                heard.extend(_most_likely(found) for found in model.model.detect_language(model.encode(features)))
        except (RuntimeError, ValueError) as exc:
            raise AsrBackendError(f"faster-whisper could not hear the language of {len(clips)} clips: {exc}") from exc
        return heard

    def _suppressed(self, tokenizer: Any = None) -> list[int]:
        """Whisper's own suppressed tokens (-1), and in spoken-form decoding every written-form token."""
        if not self._settings.spoken_form:
            return [-1]
        if tokenizer is None:
            from faster_whisper.tokenizer import Tokenizer

            model = self._load()
            tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")
        return [-1, *written_form_tokens(tokenizer, self.model_id)]

    def _windowed(
        self, clips: list[FloatArray], language: str, window_s: float, hear: bool = False
    ) -> list[Transcript]:
        """Encode clips in a ``window_s`` window instead of Whisper's 30 s, then decode as the pipeline does (and, with
        ``hear``, ask the same encoding which language it holds)."""
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        model = self._load()
        tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=language)
        prompt = model.get_prompt(tokenizer, [], without_timestamps=True)
        frames = int(window_s * model.frames_per_second)
        texts: list[Transcript] = []
        try:
            for start in range(0, len(clips), self._settings.batch_size):
                batch = clips[start : start + self._settings.batch_size]
                features = np.stack([pad_or_trim(model.feature_extractor(clip)[..., :-1], frames) for clip in batch])
                encoded = model.encode(features)
                heard: list[tuple[str | None, float | None]] = (
                    [_most_likely(found) for found in model.model.detect_language(encoded)]
                    if hear
                    else [(None, None)] * len(batch)
                )
                results = model.model.generate(
                    encoded,
                    [list(prompt) for _ in batch],
                    beam_size=self._settings.beam_size,
                    max_length=model.max_length,
                    suppress_blank=True,
                    suppress_tokens=get_suppressed_tokens(tokenizer, self._suppressed(tokenizer)),
                    sampling_temperature=self._settings.temperature,
                )
                texts.extend(
                    Transcript(tokenizer.decode(result.sequences_ids[0]).strip(), language_heard, probability)
                    for result, (language_heard, probability) in zip(results, heard, strict=True)
                )
        except (RuntimeError, ValueError) as exc:
            raise AsrBackendError(f"faster-whisper failed on a batch of {len(clips)} clips: {exc}") from exc
        return texts

    def _batched(self, clips: list[FloatArray], language: str) -> list[str]:
        pieces: list[FloatArray] = []
        starts: list[float] = []
        stamps: list[dict[str, float]] = []
        cursor = 0
        for clip in clips:
            starts.append(cursor / SAMPLE_RATE)
            stamps.append({"start": cursor / SAMPLE_RATE, "end": (cursor + len(clip)) / SAMPLE_RATE})
            pieces.extend((clip.astype(np.float32, copy=False), _GAP))
            cursor += len(clip) + len(_GAP)
        try:
            segments, _info = self._lazy.get().pipeline.transcribe(
                np.concatenate(pieces),
                language=language,
                beam_size=self._settings.beam_size,
                temperature=self._settings.temperature,
                without_timestamps=True,
                vad_filter=False,
                clip_timestamps=stamps,
                suppress_tokens=self._suppressed(),
                batch_size=self._settings.batch_size,
            )
            texts: list[list[str]] = [[] for _ in clips]
            for segment in segments:
                # A segment starts at its chunk's offset; the gap absorbs rounding either way.
                owner = bisect.bisect_right(starts, segment.start + len(_GAP) / SAMPLE_RATE / 2) - 1
                texts[max(owner, 0)].append(segment.text)
        except (RuntimeError, ValueError) as exc:
            raise AsrBackendError(f"faster-whisper failed on a batch of {len(clips)} clips: {exc}") from exc
        return ["".join(parts).strip() for parts in texts]

    def _long_form(self, clip: FloatArray, language: str) -> str:
        try:
            segments, _info = self._load().transcribe(
                clip,
                language=language,
                beam_size=self._settings.beam_size,
                temperature=self._settings.temperature,
                condition_on_previous_text=False,
                vad_filter=False,
                suppress_tokens=self._suppressed(),
            )
            return "".join(segment.text for segment in segments).strip()
        except (RuntimeError, ValueError) as exc:
            raise AsrBackendError(f"faster-whisper failed on a {len(clip) / SAMPLE_RATE:.1f} s clip: {exc}") from exc


def _most_likely(found: list[tuple[str, float]]) -> tuple[str, float]:
    """The most likely language of CTranslate2's ``detect_language`` answer: ``[("<|es|>", 0.93), ...]``."""
    token, probability = max(found, key=lambda pair: pair[1])
    return token.strip("<|>"), float(probability)
