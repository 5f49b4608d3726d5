"""``SpanScorer``: hard-text clips in, a spoken-form transcript and the span's judgement out.

It holds its own ASR backend, built with spoken-form decoding (`DecodingSettings.spoken_form`: no digit or
symbol tokens), and judges each transcript with `harness.scoring.span.judge_span`. Transcripts are cached in
the same score cache as the WER scorer's, under a key that names the spoken-form setting, so a stored run is
judged again without another ASR pass. A clip that cannot be decoded is unsure with the reason, never an
exception: one bad clip does not sink a run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from harness.core.hard_text import HardText
from harness.results import CacheKey, CacheKind, ScoreCache
from harness.scoring.asr import AsrBackend, AsrBackendName, DecodingSettings, make_backend
from harness.scoring.asr.base import DEFAULT_MODEL, SAMPLE_RATE
from harness.scoring.audio import FloatArray, decode_audio
from harness.scoring.blas import one_blas_thread
from harness.scoring.normalize import NORMALIZER_VERSION
from harness.scoring.results import sha256_hex
from harness.scoring.scoring_errors import AudioDecodeError
from harness.scoring.span import SpanJudgement, Verdict, judge_span


@dataclass(frozen=True, slots=True)
class SpanClip:
    """One clip to judge: its audio (bytes, a file or 16 kHz samples), the item it reads, and whether it is
    the item's control."""

    hard: HardText
    audio: bytes | None = None
    path: Path | None = None
    samples: FloatArray | None = None
    control: bool = False
    # What the run asked for and the answer declared, where the bytes carry no header of their own (raw PCM)
    declared_media_type: str | None = None
    declared_sample_rate: int | None = None


@dataclass(frozen=True, slots=True)
class SpanScore:
    """A judged clip: the spoken-form transcript, the judgement, and the ASR model that heard it."""

    transcript: str
    judgement: SpanJudgement
    asr_model: str


class SpanScorer:
    """Judges hard-text clips with one spoken-form ASR backend (loaded on first use)."""

    def __init__(self, *, backend: AsrBackendName | str = AsrBackendName.FASTER_WHISPER, model: str = DEFAULT_MODEL,
                 cache: ScoreCache | None = None) -> None:
        self.asr: AsrBackend = make_backend(AsrBackendName.parse(str(backend)), model,
                                            DecodingSettings(spoken_form=True))
        self.cache = cache

    @property
    def model_name(self) -> str:
        """The ASR model as a reader knows it (``tiny.en``), for "not judgeable by <model>"."""
        return self.asr.model_id.split("#")[0]

    def score_many(self, clips: list[SpanClip], *, cache: ScoreCache | None = None) -> list[SpanScore]:
        """Judge every clip, transcribing the misses of the cache (``cache``, else the scorer's) in one batch."""
        cache = cache or self.cache
        audio: list[FloatArray | None] = []
        keys: list[CacheKey | None] = []
        problems: list[str | None] = []
        for clip in clips:
            try:
                samples, key = self._prepare(clip)
            except (AudioDecodeError, OSError) as error:
                audio.append(None)
                keys.append(None)
                problems.append(f"the clip could not be read: {error}")
                continue
            audio.append(samples)
            keys.append(key)
            problems.append(None)
        transcripts: list[str | None] = [None] * len(clips)
        missing: list[int] = []
        for index, key in enumerate(keys):
            cached = cache.get(key) if cache and key else None
            if cached is not None:
                transcripts[index] = str(cached["transcript"])
            elif audio[index] is not None:
                missing.append(index)
        if missing:
            with one_blas_thread():
                pending = [clip_audio for index in missing if (clip_audio := audio[index]) is not None]
                heard = self.asr.transcribe(pending, "en")
            for index, text in zip(missing, heard, strict=True):
                transcripts[index] = text
                key = keys[index]
                if cache and key:
                    cache.put(key, {"transcript": text})
        scores = []
        for clip, transcript, problem in zip(clips, transcripts, problems, strict=True):
            if transcript is None:
                judgement = SpanJudgement(Verdict.UNSURE, "", reason=problem or "no transcript")
                scores.append(SpanScore("", judgement, self.asr.model_id))
                continue
            scores.append(SpanScore(transcript, judge_span(clip.hard, transcript), self.asr.model_id))
        return scores

    def _prepare(self, clip: SpanClip) -> tuple[FloatArray, CacheKey | None]:
        if clip.samples is not None:
            return clip.samples, None
        data = clip.audio if clip.audio is not None else Path(str(clip.path)).read_bytes()
        samples = decode_audio(data, clip.declared_media_type, clip.declared_sample_rate).mono_at(SAMPLE_RATE)
        key = CacheKey(CacheKind.TRANSCRIPT, sha256_hex(data), self.asr.name.value, self.asr.model_id,
                       f"{self.asr.settings.key(self.asr.name)}|language=en", NORMALIZER_VERSION)
        return samples, key


def with_reason(score: SpanScore, reason: str) -> SpanScore:
    """The score made unsure for a reason found outside the transcript (the control failed)."""
    return replace(score, judgement=replace(score.judgement, verdict=Verdict.UNSURE, error=None, reason=reason))
