"""Word and character error rates with jiwer, plus transcript-level hallucination and truncation flags.

One clip gives hit/substitution/deletion/insertion counts in the language's unit (words, or characters for
zh/ja). Pooling them over clips is `harness.results.pooling.pooled_wer`'s job: the one rule every
figure of a run (summary, report, compare) and this package's own summaries use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harness.core.flags import Finding, Flag
from harness.results import ErrorUnit
from harness.scoring.normalize import TextNormalizer
from harness.scoring.scoring_errors import ScoringInputError

if TYPE_CHECKING:  # jiwer (and rapidfuzz under it) loads when a transcript is first scored (`_score_one`)
    import jiwer

# A transcript this much longer than its reference is not a misreading but invented speech.
LONG_RATIO = 1.5
LONG_SLACK = {ErrorUnit.WORD: 3, ErrorUnit.CHAR: 6}
# Consecutive repeats of one n-gram that Whisper produces when it loops (n-gram length: repeats).
REPEAT_RUNS = {1: 4, 2: 3, 3: 3, 4: 3, 5: 3}
# Missing reference tokens at one end of the alignment: this share of the reference, and at least this many.
MISSING_SHARE = 0.2
MISSING_MIN = {ErrorUnit.WORD: 2, ErrorUnit.CHAR: 3}


@dataclass(frozen=True, slots=True, kw_only=True)
class TextScore:
    """Errors of one transcript against the best-matching reference candidate."""

    unit: ErrorUnit
    reference: str
    hypothesis: str
    candidate_index: int
    hits: int
    substitutions: int
    deletions: int
    insertions: int
    ref_length: int
    hyp_length: int
    ref_words: int
    wer: float | None
    cer: float
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def error_rate(self) -> float:
        """The rate in this language's unit: WER for word languages, CER for zh/ja."""
        return self.errors / self.ref_length


def score_transcript(transcript: str, candidates: Sequence[str], normalizer: TextNormalizer) -> TextScore:
    """Score a raw transcript against raw reference candidates (the first is the reference as written)."""
    hypothesis = normalizer(transcript)
    normalized = [normalizer(candidate) for candidate in candidates]
    if not normalized or not normalized[0]:
        raise ScoringInputError(
            f"expected a reference with words after normalization, got {candidates[0] if candidates else ''!r}"
        )
    best: TextScore | None = None
    for index, reference in enumerate(normalized):
        if not reference or (index and reference in normalized[:index]):
            continue
        score = _score_one(reference, hypothesis, index, normalizer)
        if best is None or score.errors < best.errors:
            best = score
    assert best is not None  # the first candidate is never skipped
    return best


def _score_one(reference: str, hypothesis: str, index: int, normalizer: TextNormalizer) -> TextScore:
    ref_tokens = normalizer.tokens(reference)
    hyp_tokens = normalizer.tokens(hypothesis)
    import jiwer  # on first use: see the imports above

    chars = jiwer.process_characters(reference, hypothesis)
    counted: jiwer.CharacterOutput | jiwer.WordOutput = chars
    wer = None
    if normalizer.unit is ErrorUnit.WORD:
        words = jiwer.process_words(reference, hypothesis)
        counted, wer = words, float(words.wer)
    # jiwer aligns space-joined tokens; for characters that is each character, for words each word.
    chunks = counted.alignments[0]
    findings = _findings(ref_tokens, hyp_tokens, chunks, normalizer.unit)
    return TextScore(
        unit=normalizer.unit,
        reference=reference,
        hypothesis=hypothesis,
        candidate_index=index,
        hits=counted.hits,
        substitutions=counted.substitutions,
        deletions=counted.deletions,
        insertions=counted.insertions,
        ref_length=len(ref_tokens),
        hyp_length=len(hyp_tokens),
        ref_words=len(reference.split()),
        wer=wer,
        cer=float(chars.cer),
        findings=findings,
    )


def _findings(
    ref: list[str], hyp: list[str], chunks: Sequence[jiwer.AlignmentChunk], unit: ErrorUnit
) -> tuple[Finding, ...]:
    findings: list[Finding] = []
    noun = "words" if unit is ErrorUnit.WORD else "characters"
    if not hyp:
        findings.append(Finding(Flag.EMPTY_TRANSCRIPT, "the transcript is empty"))
        return tuple(findings)
    if len(hyp) > LONG_RATIO * len(ref) + LONG_SLACK[unit]:
        findings.append(
            Finding(
                Flag.HALLUCINATION_LONG,
                f"transcript has {len(hyp)} {noun}, reference {len(ref)} (limit {LONG_RATIO}x + {LONG_SLACK[unit]})",
            )
        )
    loop = _repeated_ngram(hyp, ref)
    if loop is not None:
        gram, run = loop
        findings.append(Finding(Flag.HALLUCINATION_REPEAT, f"{' '.join(gram)!r} repeated {run} times in a row"))
    missing_min = max(MISSING_MIN[unit], math.ceil(MISSING_SHARE * len(ref)))
    if chunks and chunks[-1].type == "delete":
        missing = chunks[-1].ref_end_idx - chunks[-1].ref_start_idx
        if missing >= missing_min:
            findings.append(Finding(Flag.MISSING_END, f"the last {missing} of {len(ref)} reference {noun} are missing"))
    if chunks and chunks[0].type == "delete":
        missing = chunks[0].ref_end_idx - chunks[0].ref_start_idx
        if missing >= missing_min:
            findings.append(
                Finding(Flag.MISSING_START, f"the first {missing} of {len(ref)} reference {noun} are missing")
            )
    return tuple(findings)


def _longest_runs(tokens: list[str]) -> dict[tuple[str, ...], int]:
    """For each n-gram (n in REPEAT_RUNS), the longest run of immediate repeats."""
    runs: dict[tuple[str, ...], int] = {}
    for n in REPEAT_RUNS:
        for start in range(len(tokens) - 2 * n + 1):
            gram = tuple(tokens[start : start + n])
            count = 1
            while tuple(tokens[start + count * n : start + (count + 1) * n]) == gram:
                count += 1
            if count > runs.get(gram, 0):
                runs[gram] = count
    return runs


def _repeated_ngram(hyp: list[str], ref: list[str]) -> tuple[tuple[str, ...], int] | None:
    """The worst n-gram loop in the transcript that the reference does not itself contain."""
    ref_runs = _longest_runs(ref)
    worst: tuple[tuple[str, ...], int] | None = None
    for gram, run in _longest_runs(hyp).items():
        if run >= REPEAT_RUNS[len(gram)] and run > ref_runs.get(gram, 1) and (worst is None or run > worst[1]):
            worst = (gram, run)
    return worst
