"""`HardTextJudge`: hard-text clips in, a verdict by forced choice out (with the free transcript's second opinion).

For each clip: the clip is encoded once and its free spoken-form transcript decoded (`listener.Listener`); the
item's readings are listed or searched (`candidates`), each written for the model (`surfaces`) and put in the
item's carrier; the free transcript's own reading of the span (found by the carrier, `transcript.py`) is put in the
same carrier, written the same way; every sentence is scored under the clip, and `forced_choice.choose` gives
the verdict. The free transcript is also judged as before (`transcript.judge_span`): a second opinion kept on the
row, with their disagreement flagged.

What the model said about a clip (its free transcript and the likelihood of every sentence asked about, the
`JudgeEvidence`) is cached by the audio's hash, the model's content id and the listening settings in the score
cache, so a stored run is judged again — new thresholds, a new decision rule — without the model; only a
sentence not asked before sends the clip back to it. A clip that cannot be decoded is unsure with the reason,
never an exception: one bad clip does not sink a run.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from harness.core.hard_text import HardText, HardTextVerdict, carrier_words
from harness.core.hard_text.grammar import Reading, matches, spelled
from harness.results import CacheKey, CacheKind, ScoreCache
from harness.scoring.asr.base import DEFAULT_MODEL, SAMPLE_RATE, DecodingSettings
from harness.scoring.asr.faster import FasterWhisperBackend
from harness.scoring.audio import FloatArray, decode_audio
from harness.scoring.distributed import TranscriptionExecutor
from harness.scoring.hard_text.candidates import forms, listed, search, walk_of
from harness.scoring.hard_text.forced_choice import Choice, Scored, Thresholds, choose
from harness.scoring.hard_text.listener import Hearing, Listener, ListenerSettings
from harness.scoring.hard_text.surfaces import writings, written
from harness.scoring.hard_text.transcript import (
    SpanJudgement,
    anchored_span,
    judge_span,
    letter_words,
    loose_split,
    stops_inside_span,
    transcript_readings,
)
from harness.scoring.results import sha256_hex
from harness.scoring.scoring_errors import AudioDecodeError

# Bumped when the sentences asked about a clip change meaning (the cache key): what the model said about the
# old ones is not reused.
EVIDENCE_VERSION = "3"
_CLIPS_PER_TASK = 16  # clips a Ray task hears together
_PRIORS_KEPT = 50_000  # sentences' priors kept in memory (about 100 bytes each)


@dataclass(frozen=True, slots=True, kw_only=True)
class HardTextClip:
    """One clip to judge: its audio (bytes, a file or 16 kHz samples), the item it reads, and whether it is the
    item's control."""

    hard: HardText
    audio: bytes | None = None
    path: Path | None = None
    samples: FloatArray | None = None
    control: bool = False
    # What the run asked for and the answer declared, where the bytes carry no header of their own (raw PCM)
    declared_media_type: str | None = None
    declared_sample_rate: int | None = None


@dataclass(slots=True)
class JudgeEvidence:
    """What the model said about one clip: its free transcript, the log-likelihood of each sentence asked about
    under the clip (``scores``) and, for the listed readings' sentences, under silence (``priors``: the model's own
    expectation of the text, `Listener.priors`), and the readings a search found for each form too large to list."""

    transcript: str
    scores: dict[str, float] = field(default_factory=dict)
    priors: dict[str, float] = field(default_factory=dict)
    searched: dict[str, list[Reading]] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {
            "transcript": self.transcript,
            "scores": self.scores,
            "priors": self.priors,
            "searched": {form: [list(reading) for reading in found] for form, found in self.searched.items()},
        }

    @classmethod
    def from_json(cls, value: dict[str, object]) -> JudgeEvidence:
        searched = value.get("searched") or {}
        scores = value.get("scores") or {}
        priors = value.get("priors") or {}
        assert isinstance(searched, dict) and isinstance(scores, dict) and isinstance(priors, dict)
        return cls(
            str(value["transcript"]),
            {str(key): float(score) for key, score in scores.items()},
            {str(key): float(score) for key, score in priors.items()},
            {str(form): [tuple(reading) for reading in found] for form, found in searched.items()},
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class HardTextScore:
    """A judged clip: the forced choice, the free transcript's reading of the span and its own verdict (the second
    opinion), the model (content id) and the thresholds it was held to."""

    transcript: str
    choice: Choice
    second_opinion: SpanJudgement
    free_heard: str
    asr_model: str
    thresholds: Thresholds
    unreadable: bool = False  # the clip's audio could not be decoded (unsure, the reason on the choice)

    @property
    def verdict(self) -> HardTextVerdict:
        return self.choice.verdict

    @property
    def disagree(self) -> bool:
        """Both decided (pass or fail), differently: the row says so."""
        decided = (HardTextVerdict.PASS, HardTextVerdict.FAIL)
        first, second = self.choice, self.second_opinion
        return (
            first.verdict in decided
            and second.verdict in decided
            and (first.verdict, first.error) != (second.verdict, second.error)
        )

    @property
    def second_opinion_label(self) -> str:
        """The second opinion as stored: pass, fail:<error>, unsure."""
        second = self.second_opinion
        return f"fail:{second.error}" if second.verdict is HardTextVerdict.FAIL else second.verdict.value


# The carrier after the span is asked about up to its first word: the word that follows the span tells a reading
# that stops short from one that runs on, and the rest costs decoder time and tells nothing (measured: the same
# verdicts on 744 renders as the whole sentence; none without that word, docs/hard-text.md).
_FIRST_WORD = re.compile(r"^\W*\w[\w'\u2019-]*")


def sentence_text(hard: HardText, written: str, *, whole: bool = False) -> str:
    """The item's carrier before the span, ``written`` in the span's place and the carrier's next word (``whole``:
    the rest of the carrier); a capital where the span starts the sentence."""
    before, after = hard.carrier()
    if not whole:
        first = _FIRST_WORD.match(after)
        after = first.group(0) if first else after
    text = f"{before}{written}{after}".strip()
    return text[:1].upper() + text[1:] if not before.strip() else text


class HardTextJudge:
    """Judges hard-text clips by forced choice with one faster-whisper model (loaded on first use)."""

    def __init__(
        self,
        *,
        model: str = DEFAULT_MODEL,
        cache: ScoreCache | None = None,
        thresholds: Thresholds | None = None,
        settings: ListenerSettings | None = None,
        executor: TranscriptionExecutor | None = None,
    ) -> None:
        listening = settings or ListenerSettings()
        # One replica of the model per listener, the threads shared among them (`listen`).
        backend = FasterWhisperBackend(
            model,
            DecodingSettings(
                spoken_form=True,
                cpu_threads=max(1, listening.cpu_threads // listening.listeners),
                replicas=listening.listeners,
            ),
        )
        self.listener = Listener(backend, listening)
        self.cache = cache
        self.thresholds = thresholds or Thresholds()
        # Where the model is asked: here (None, or the local executor), or on Ray workers (`--executor ray`).
        self.executor = executor
        self._prior_cache: dict[str, float] = {}

    @property
    def model_id(self) -> str:
        return self.listener.model_id

    @property
    def model_name(self) -> str:
        """The ASR model as a reader knows it (``tiny.en``)."""
        return self.model_id.split("#")[0]

    def score_many(self, clips: Sequence[HardTextClip], *, cache: ScoreCache | None = None) -> list[HardTextScore]:
        """Judge every clip; what the model says about the misses of the cache (``cache``, else the judge's) is
        asked in shared batches and cached."""
        evidence, problems = self.evidence(clips, cache=cache)
        scores = []
        for clip, found, problem in zip(clips, evidence, problems, strict=True):
            if found is None:
                scores.append(self._unjudged(problem or "no transcript"))
            else:
                scores.append(self.decide(clip.hard, found))
        return scores

    def _unjudged(self, reason: str) -> HardTextScore:
        judgement = SpanJudgement(HardTextVerdict.UNSURE, "", reason=reason)
        choice = Choice(
            verdict=HardTextVerdict.UNSURE, reading="", error=None, margin=float("nan"), free_margin=None, reason=reason
        )
        return HardTextScore(
            transcript="",
            choice=choice,
            second_opinion=judgement,
            free_heard="",
            asr_model=self.model_id,
            thresholds=self.thresholds,
            unreadable=True,
        )

    def evidence(
        self, clips: Sequence[HardTextClip], *, cache: ScoreCache | None = None
    ) -> tuple[list[JudgeEvidence | None], list[str | None]]:
        """What the model says about each clip (None, with the problem, where the clip cannot be read)."""
        cache = cache or self.cache
        samples: list[FloatArray | None] = []
        keys: list[CacheKey | None] = []
        problems: list[str | None] = []
        for clip in clips:
            try:
                audio, key = self._prepare(clip)
            except (AudioDecodeError, OSError) as error:
                samples.append(None)
                keys.append(None)
                problems.append(f"the clip could not be read: {error}")
                continue
            samples.append(audio)
            keys.append(key)
            problems.append(None)
        found: list[JudgeEvidence | None] = [None] * len(clips)
        missing: list[int] = []
        for index, key in enumerate(keys):
            cached = cache.payload(key) if cache and key else None
            if cached is not None:
                evidence = JudgeEvidence.from_json(cached)
                if self.complete(clips[index].hard, evidence):
                    found[index] = evidence
                    continue
            if samples[index] is not None:
                missing.append(index)
        if missing:
            heard = self._ask(
                [clips[index].hard for index in missing],
                [clip_audio for index in missing if (clip_audio := samples[index]) is not None],
            )
            for index, evidence in zip(missing, heard, strict=True):
                found[index] = evidence
                key = keys[index]
                if cache and key:
                    cache.put(key, evidence.as_json())
        return found, problems

    def complete(self, hard: HardText, evidence: JudgeEvidence) -> bool:
        """Whether the evidence holds every likelihood a verdict on ``hard`` asks (else the model is asked again)."""
        listed, free = self.sentences(hard, evidence)
        return all(text in evidence.scores and text in evidence.priors for text in listed) and all(
            text in evidence.scores for text in free
        )

    def _prepare(self, clip: HardTextClip) -> tuple[FloatArray, CacheKey | None]:
        if clip.samples is not None:
            return clip.samples, None
        data = clip.audio if clip.audio is not None else Path(str(clip.path)).read_bytes()
        samples = decode_audio(data, clip.declared_media_type, clip.declared_sample_rate).mono_at(SAMPLE_RATE)
        key = CacheKey(
            kind=CacheKind.HARD_TEXT,
            audio_sha256=sha256_hex(data),
            backend="faster-whisper",
            model=self.model_id,
            settings=f"{self.listener.settings.key()};evidence={EVIDENCE_VERSION};language=en",
        )
        return samples, key

    def _ask(self, items: list[HardText], audio: list[FloatArray]) -> list[JudgeEvidence]:
        """`listen` here, or in chunks on the executor's workers (each builds the same judge once)."""
        if self.executor is None or self.executor.name == "local":
            return self.listen(items, audio)
        spec = JudgeSpec(self.listener.backend.spec, replace(self.listener.settings, cpu_threads=1, listeners=1))
        size = _CLIPS_PER_TASK
        chunks = [(items[start : start + size], audio[start : start + size]) for start in range(0, len(audio), size)]
        return [
            JudgeEvidence.from_json(value)
            for value in self.executor.map_chunks(hear_chunk, spec, chunks, self.model_id)
        ]

    def listen(self, items: Sequence[HardText], audio: Sequence[FloatArray]) -> list[JudgeEvidence]:
        """What the model says about each clip (of the item at the same index): hear the clips, search the forms
        too large to list, and score every sentence, in shared batches; then every listed sentence's prior, once.
        In this process; `score_many` asks its executor, which calls this here or on a Ray worker.

        The clips are heard in `ListenerSettings.listeners` parts at once, a thread and a replica of the model each:
        half the judge's time is Python between the model's passes (the grammar, the candidates, the search), and one
        listener left the second core idle for it (1.4 cores busy of 2). A clip's evidence is its own (its transcript
        capped by its window, its likelihoods scored in unpadded passes: `listener`), so the parts change no number."""
        parts = _parts(len(audio), self.listener.settings.listeners)
        if len(parts) > 1:
            self.listener.tokens("")  # the tokenizer and prompt made once, before the threads share them
            clips: list[FloatArray] = list(audio)
            texts: list[HardText] = list(items)

            def hear_part(part: slice) -> list[tuple[JudgeEvidence, list[str]]]:
                return self._listen_part(texts[part], clips[part])

            with ThreadPoolExecutor(len(parts), thread_name_prefix="hard-text-listener") as pool:
                heard = [found for part in pool.map(hear_part, parts) for found in part]
        else:
            heard = self._listen_part(items, audio)
        priors = self._priors([text for _, listed_texts in heard for text in listed_texts])
        for found, listed_texts in heard:
            found.priors.update((text, priors[text]) for text in listed_texts)
        return [found for found, _ in heard]

    def _listen_part(
        self, items: Sequence[HardText], audio: Sequence[FloatArray]
    ) -> list[tuple[JudgeEvidence, list[str]]]:
        """`listen` for one part of the clips, without the priors: each clip's evidence and its listed sentences."""
        hearings = self.listener.hear(audio)
        early = [
            index
            for index, (hard, hearing) in enumerate(zip(items, hearings, strict=True))
            if ended_early(hard, hearing.transcript)
        ]
        if early:
            again = self.listener.hear_again([hearings[index] for index in early])
            for index, text in zip(early, again, strict=True):
                hearings[index].transcript = better_transcript(items[index], hearings[index].transcript, text)
        evidence = [JudgeEvidence(hearing.transcript) for hearing in hearings]
        for hard, hearing, found in zip(items, hearings, evidence, strict=True):
            for form, _error in forms(hard):
                if listed(form) is None:
                    found.searched[form] = self._search(hard, hearing, form)
        asked = [self.sentences(hard, found) for hard, found in zip(items, evidence, strict=True)]
        requests = [
            (hearing, [*listed_texts, *free_texts])
            for hearing, (listed_texts, free_texts) in zip(hearings, asked, strict=True)
        ]
        for (_, texts), found, scores in zip(requests, evidence, self.listener.likelihoods(requests), strict=True):
            found.scores.update(zip(texts, scores, strict=True))
        return [(found, listed_texts) for found, (listed_texts, _) in zip(evidence, asked, strict=True)]

    def _priors(self, texts: Sequence[str]) -> dict[str, float]:
        """Each sentence's prior (`Listener.priors`), asked once per sentence: the written clip, its control and
        every offering reading the same item share them."""
        wanted = [text for text in dict.fromkeys(texts) if text not in self._prior_cache]
        if wanted:
            if len(self._prior_cache) > _PRIORS_KEPT:
                self._prior_cache.clear()
            parts = _parts(len(wanted), self.listener.settings.listeners)
            if len(parts) > 1:  # as the clips are heard (`listen`); a prior is its own whatever is scored beside it
                self.listener.priors([])  # the silence encoded once, before the threads share it
                with ThreadPoolExecutor(len(parts), thread_name_prefix="hard-text-priors") as pool:
                    found = [
                        prior
                        for part in pool.map(lambda part: self.listener.priors(wanted[part]), parts)
                        for prior in part
                    ]
            else:
                found = self.listener.priors(wanted)
            self._prior_cache.update(zip(wanted, found, strict=True))
        return {text: self._prior_cache[text] for text in texts}

    def _search(self, hard: HardText, hearing: Hearing, form: str) -> list[Reading]:
        before = hard.carrier()[0]

        def prefixes(partial: Sequence[Reading]) -> list[float]:
            texts = [
                sentence_text(replace(hard, text=before + hard.span), written(reading), whole=True)
                for reading in partial
            ]
            return self.listener.likelihoods([(hearing, texts)])[0]

        return search(walk_of(form), prefixes)

    def readings(self, hard: HardText, evidence: JudgeEvidence) -> list[tuple[Reading, str | None]]:
        """The candidates: each listed or searched reading of each form, with its error type (None: accepted). A
        misreading no voice can say unlike an accepted reading ("pm" is said "P M": `grammar.spelled`) is no
        candidate: the ear cannot tell it apart, so it cannot be what went wrong (it made right readings of "7:15
        p.m." unsure: docs/hard-text.md)."""
        found: list[tuple[Reading, str | None]] = []
        for form, error in forms(hard):
            found += [
                (reading, error)
                for reading in (listed(form) or evidence.searched.get(form, []))
                if error is None or not _said_as_accepted(hard, reading)
            ]
        return found

    def free_readings(self, hard: HardText, transcript: str) -> list[Reading]:
        """The free transcript's readings of the span, found by the carrier (empty where it cannot anchor); a word
        the item says as letters ("www", "nasa") is read both ways."""
        spans = [
            anchored_span(hard, words) for words in transcript_readings(transcript, letter_words(hard, longest=None))
        ]
        return list(dict.fromkeys(tuple(span) for span in spans if span))

    def sentences(self, hard: HardText, evidence: JudgeEvidence) -> tuple[list[str], list[str]]:
        """Every sentence a verdict asks about: each listed reading written in the carrier (scored under the clip and
        under silence), and each free reading of the span that is not a listed one (under the clip only; the whole
        free transcript where the carrier cannot anchor it)."""
        listed_texts = list(
            dict.fromkeys(
                sentence_text(hard, writing)
                for reading, _ in self.readings(hard, evidence)
                for writing in writings(reading)
            )
        )
        free = [] if cut_short(hard, evidence.transcript) else self.free_readings(hard, evidence.transcript)
        free_texts = [sentence_text(hard, written(reading)) for reading in free]
        if not free and evidence.transcript.strip() and not cut_short(hard, evidence.transcript):
            # the carrier cannot anchor it: the whole transcript, against each listed reading in the transcript's
            # own carrier (so that a reading gains by the span, not by a misheard carrier)
            free_texts += [
                loose_text(hard, evidence.transcript, None),
                *(loose_text(hard, evidence.transcript, reading) for reading, _ in self.readings(hard, evidence)),
            ]
        return listed_texts, [text for text in dict.fromkeys(free_texts) if text not in listed_texts]

    def decide(self, hard: HardText, evidence: JudgeEvidence, thresholds: Thresholds | None = None) -> HardTextScore:
        """The verdict from what the model said (no model needed: `JudgeEvidence` holds every likelihood asked)."""
        thresholds = thresholds or self.thresholds

        def scored(reading: Reading, error: str | None) -> Scored:
            # Against the other readings, a reading's prior is taken off in part (the share the thresholds name):
            # what Whisper likes to write weighs less than what it heard. A reading is as likely as its likeliest
            # writing (`surfaces.writings`), each way.
            texts = [sentence_text(hard, writing) for writing in writings(reading)]
            return Scored(
                reading,
                error,
                max(evidence.scores[text] - thresholds.prior_weight * evidence.priors[text] for text in texts),
                max(evidence.scores[text] for text in texts),
            )

        candidates = [scored(reading, error) for reading, error in self.readings(hard, evidence)]
        by_reading = {candidate.reading: candidate for candidate in candidates}
        whole = evidence.transcript.strip()
        # A transcript cut short (before the span, or before a closing span's end) is no reading to compare with.
        heard = [] if cut_short(hard, whole) else self.free_readings(hard, whole)
        # The free transcript's readings: a listed one as scored, another by its raw likelihood (where it was asked:
        # evidence kept for another list of readings may lack one); none anchored, the whole transcript as one.
        free = [
            by_reading.get(reading) or Scored(reading, None, math.nan, evidence.scores[text])
            for reading in heard
            if reading in by_reading or (text := sentence_text(hard, written(reading))) in evidence.scores
        ]
        if not heard and whole and not cut_short(hard, whole):
            # The carrier was misheard past anchoring: the span as the transcript's best split has it, compared with
            # the listed readings in the transcript's own carrier.
            span = loose_split(hard, transcript_readings(whole)[0])[1]
            free = [Scored(span, None, math.nan, evidence.scores[loose_text(hard, whole, None)])]
            candidates = [
                replace(candidate, raw=evidence.scores[loose_text(hard, whole, candidate.reading)])
                for candidate in candidates
            ]
        choice = choose(candidates, free, thresholds)
        second = judge_span(hard, evidence.transcript)
        top = max(free, key=lambda free_reading: free_reading.raw) if free else None
        return HardTextScore(
            transcript=evidence.transcript,
            choice=choice,
            second_opinion=second,
            free_heard=" ".join(top.reading) if top else "",
            asr_model=self.model_id,
            thresholds=thresholds,
        )


@dataclass(frozen=True, slots=True)
class JudgeSpec:
    """What a worker builds the same judge from: the model as asked for, and the listening settings."""

    model: str
    settings: ListenerSettings


@functools.cache
def _worker_judge(spec: JudgeSpec) -> HardTextJudge:
    # Kept for the worker process's life: Ray reuses workers, so a model loads once per worker.
    return HardTextJudge(model=spec.model, settings=spec.settings)


def hear_chunk(spec: JudgeSpec, items: list[HardText], audio: list[FloatArray]) -> tuple[str, list[dict[str, object]]]:
    """A worker's task: the content id of its model and what the model says about each clip (as JSON)."""
    judge = _worker_judge(spec)
    return judge.model_id, [evidence.as_json() for evidence in judge.listen(items, audio)]


def _parts(count: int, listeners: int) -> list[slice]:
    """The clips in at most ``listeners`` contiguous parts of nearly equal size (one where there is one clip)."""
    parts = max(1, min(listeners, count))
    bounds = [round(index * count / parts) for index in range(parts + 1)]
    return [slice(start, end) for start, end in itertools.pairwise(bounds)]


def ended_early(hard: HardText, transcript: str) -> bool:
    """Whether a free transcript stops before the carrier's last words (spoken-form decoding ends a transcript
    where the digits it wanted were blocked): none of the carrier's last two words among its last four; where the
    span ends the sentence, whether it was cut short (`cut_short`: before the span, or before the sentence's end)."""
    after = carrier_words(hard.carrier()[1])
    if not after:
        return cut_short(hard, transcript)
    heard = transcript_readings(transcript)[0][-4:]
    return not set(after[-2:]) & set(heard)


def better_transcript(hard: HardText, first: str, again: str) -> str:
    """The better of a free transcript and its re-decode: the one that reaches the carrier's end, else the longer
    (a re-decode that stops sooner than the first decode is worse, never kept: "get the forms at" replaced "Get the
    forms at www.sample.org")."""

    def rank(text: str) -> tuple[bool, int]:
        return not ended_early(hard, text), len(transcript_readings(text)[0]) if text.strip() else 0

    return again if rank(again) > rank(first) else first


def cut_short(hard: HardText, transcript: str) -> bool:
    """Whether a free transcript stops before it says the whole span, so it is no reading to compare with (a
    sentence cut short is likelier than a whole one only for being shorter): it ends with the carrier's last word
    before the span (`stops_before_span`); the span closes the sentence and the transcript does not end one ("The
    library reopens on March nine," for "... on March 9, 2026.": a right reading was "other" by 7.8 nats); or the
    carrier goes on after the span and the transcript hears none of it (`transcript.stops_inside_span`: "The menu is
    at www.cafe", its span read "www", for a web address said right)."""
    if not transcript.strip() or stops_before_span(hard, transcript):
        return True
    if not carrier_words(hard.carrier()[1]):
        return not _SENTENCE_ENDED.search(transcript)
    return stops_inside_span(hard, transcript)


_SENTENCE_ENDED = re.compile(r"[.!?][\"')\]]*\s*$")


def loose_text(hard: HardText, transcript: str, reading: Reading | None) -> str:
    """The transcript with its span (`transcript.loose_split`) as heard (``reading`` None) or replaced by
    ``reading``, written for the model: the sentence a carrier misheard past anchoring is compared in."""
    before, span, after = loose_split(hard, transcript_readings(transcript)[0])
    text = " ".join([*before, written(span if reading is None else reading), *after]).strip()
    return text[:1].upper() + text[1:]


def stops_before_span(hard: HardText, transcript: str) -> bool:
    """Whether a free transcript ends with the carrier's last word before the span: it says nothing of the span
    ("You can reach the front desk on" for "... on 020 7946 0321 during the day.", decoded twice). Such a
    transcript is no reading to compare with: a sentence cut short is likelier than any whole one only for being
    shorter."""
    before = carrier_words(hard.carrier()[0])
    heard = transcript_readings(transcript)[0] if transcript.strip() else []
    return bool(before and heard) and heard[-1] == before[-1]


def _said_as_accepted(hard: HardText, reading: Reading) -> bool:
    said = spelled(reading)
    return said != reading and any(matches(form, said, as_spelled=True) for form in hard.accepted)
