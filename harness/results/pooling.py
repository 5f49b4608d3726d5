"""Pooled error rates: the one rule every face prints WER and CER by.

One clip's counts (hits, substitutions, deletions, insertions, reference length) are in its language's
unit: words, or characters for zh/ja, which are written without spaces. A corpus rate sums the counts over
clips (pooled) *and* averages the per-clip rates, because the two differ and published benchmarks
confuse them (seed-tts-eval reports the mean of per-utterance rates, most papers the pooled rate).

Units are never mixed: `pooled_wer` refuses clips of two units, and `error_rates` pools a model's
word-unit clips as its WER and its character-unit clips, apart, as its CER.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from harness.results.row_errors import MixedUnitsError
from harness.results.run_records import RequestRow


class ErrorUnit(StrEnum):
    """The token an error rate counts."""

    WORD = "word"
    CHAR = "char"

    @property
    def rate_name(self) -> str:
        """How a rate in this unit is labelled: WER or CER."""
        return "WER" if self is ErrorUnit.WORD else "CER"


class HasErrorCounts(Protocol):
    """Anything carrying one clip's error counts (a TextScore, a ClipScore, an ErrorCounts)."""

    @property
    def unit(self) -> ErrorUnit: ...
    @property
    def hits(self) -> int: ...
    @property
    def substitutions(self) -> int: ...
    @property
    def deletions(self) -> int: ...
    @property
    def insertions(self) -> int: ...
    @property
    def ref_length(self) -> int: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorCounts:
    """One scored clip's counts, as a stored `scores` row (or an exported `requests` row) holds them."""

    unit: ErrorUnit
    hits: int
    substitutions: int
    deletions: int
    insertions: int
    ref_length: int

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @classmethod
    def of(cls, row: RequestRow) -> ErrorCounts | None:
        """The counts of a row with `unit` and the four counts; None when it has none (never scored)."""
        if row.unit is None or not row.ref_length:
            return None
        return cls(
            unit=ErrorUnit(row.unit),
            hits=row.hits or 0,
            substitutions=row.substitutions or 0,
            deletions=row.deletions or 0,
            insertions=row.insertions or 0,
            ref_length=row.ref_length,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class PooledErrorRate:
    """Corpus-level error rate: pooled counts and the mean of per-clip rates, side by side."""

    unit: ErrorUnit
    clips: int
    hits: int
    substitutions: int
    deletions: int
    insertions: int
    ref_length: int
    pooled: float
    per_utterance_mean: float

    @property
    def name(self) -> str:
        return self.unit.rate_name


def pooled_wer(scores: Iterable[HasErrorCounts | None]) -> PooledErrorRate | None:
    """Pool clips' counts into one rate (a WER, or a CER for character units); clips without counts
    (``None`` or ``ref_length == 0``) are skipped.

    Returns ``None`` when no clip has counts; raises ``MixedUnitsError`` when word and character units
    are mixed (a WER and a CER cannot be pooled).
    """
    counted = [score for score in scores if score is not None and score.ref_length > 0]
    if not counted:
        return None
    units = {score.unit for score in counted}
    if len(units) > 1:
        raise MixedUnitsError(f"expected clips of one unit to pool, got {sorted(units)}")
    subs = sum(score.substitutions for score in counted)
    dels = sum(score.deletions for score in counted)
    ins = sum(score.insertions for score in counted)
    ref_length = sum(score.ref_length for score in counted)
    rates = [(score.substitutions + score.deletions + score.insertions) / score.ref_length for score in counted]
    return PooledErrorRate(
        unit=units.pop(),
        clips=len(counted),
        hits=sum(score.hits for score in counted),
        substitutions=subs,
        deletions=dels,
        insertions=ins,
        ref_length=ref_length,
        pooled=(subs + dels + ins) / ref_length,
        per_utterance_mean=sum(rates) / len(rates),
    )


@dataclass(frozen=True, slots=True)
class ErrorRates:
    """A model's WER (word-unit clips) and CER (character-unit clips), pooled apart, with the per-clip
    counts each was pooled from (a report bootstraps its interval over them)."""

    wer: PooledErrorRate | None
    cer: PooledErrorRate | None
    word_clips: tuple[ErrorCounts, ...] = ()
    char_clips: tuple[ErrorCounts, ...] = ()

    def of(self, unit: ErrorUnit) -> tuple[PooledErrorRate | None, tuple[ErrorCounts, ...]]:
        return (self.wer, self.word_clips) if unit is ErrorUnit.WORD else (self.cer, self.char_clips)


def error_rates(counts: Iterable[ErrorCounts | None]) -> ErrorRates:
    """Split clips by unit and pool each unit apart."""
    present = [c for c in counts if c is not None and c.ref_length > 0]
    words = tuple(c for c in present if c.unit is ErrorUnit.WORD)
    chars = tuple(c for c in present if c.unit is ErrorUnit.CHAR)
    return ErrorRates(pooled_wer(words), pooled_wer(chars), words, chars)
