"""Per language, per provider × model: the error rate with its interval and the language check, from a run's rows.

Every face (the terminal summary, the report, `compare`, `history`) takes its per-language figures from here, so two
faces cannot print two answers. Over a model's scored clips of one language (`harness.results.figures.scored`):

* the error rate in the language's unit (WER; CER for zh, ja, ko, th), pooled, with its percentile bootstrap 95%
  interval over sentences (`harness.measurement.bootstrap`), unless the self-test found the ASR model that read the
  language cannot judge it (`harness.results.languages`): then it is named, not scored;
* the language check: the clips the ASR was asked about (a heard language stored), those heard as the language
  asked, and those flagged `wrong_language` (heard as another language with p >= 0.5, the scorer's rule:
  `harness.scoring.language_check`) with what was heard. A model *falls back* for a language when at least
  ``FALLBACK_SHARE`` of its checked clips of it are flagged: a voice that answers in another language does so on
  most clips, a stray misheard clip is not a fallback.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from harness.measurement.pooled_rate import pooled_ratio_interval
from harness.results import (
    ErrorCounts,
    ErrorUnit,
    LanguageVerdicts,
    RequestRow,
    json_list,
    model_name,
    pooled_wer,
    scored,
)

FALLBACK_SHARE = 0.5
WRONG_LANGUAGE = "wrong_language"  # the scorer's flag (harness.scoring.flags.Flag.WRONG_LANGUAGE)
ENGLISH = "en"


@dataclass(frozen=True, slots=True)
class Misheard:
    """One clip heard in another language than asked."""

    item_id: str
    heard: str
    probability: float


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageFigures:
    """One provider × model × language of a run."""

    provider: str
    model: str
    language: str
    asr_model: str  # the model that read the clips (a content id: "base#b58256269b05")
    unit: ErrorUnit
    clips: int  # scored clips of the language
    rate: float | None  # pooled error rate in `unit`
    low: float | None  # its 95% interval over clips (`pooled_rate`: honest at two clips)
    high: float | None
    checked: int  # clips the ASR named a language for
    heard_as_asked: int
    misheard: tuple[Misheard, ...]  # flagged wrong_language
    not_judgeable_by: str | None = None  # the ASR model's name where the self-test says it cannot judge the rate
    check_not_judgeable_by: str | None = None  # ... or the language check
    larger: str | None = None  # the model that would judge it

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    @property
    def falls_back(self) -> bool:
        """Most checked clips answered in another language (and the check can be trusted for this language)."""
        return (
            self.check_not_judgeable_by is None
            and self.checked > 0
            and len(self.misheard) >= FALLBACK_SHARE * self.checked
        )

    @property
    def heard_instead(self) -> str:
        """The language most of the misheard clips were heard as ("" when none)."""
        counted = Counter(m.heard for m in self.misheard)
        return counted.most_common(1)[0][0] if counted else ""

    def fallback_line(self) -> str:
        """The failure in one line: who answered what for which language, on how many clips."""
        return (
            f"{self.label} answered in {self.heard_instead} when asked for {self.language}: "
            f"{len(self.misheard)}/{self.checked} clips heard as another language (p >= 0.5)"
        )


def _figures(
    provider: str, model: str, language: str, rows: Sequence[RequestRow], verdicts: LanguageVerdicts | None
) -> LanguageFigures:
    counts = [c for r in rows if (c := ErrorCounts.of(r)) is not None]
    unit = counts[0].unit if counts else ErrorUnit.WORD
    same = [c for c in counts if c.unit is unit]
    pooled = pooled_wer(same)
    rate = low = high = None
    if pooled is not None:
        value, lo, hi, _ = pooled_ratio_interval(
            np.asarray([float(c.errors) for c in same]), np.asarray([float(c.ref_length) for c in same])
        )
        rate, low, high = value, (None if lo != lo else lo), (None if hi != hi else hi)
    asr = next((str(r.asr_model) for r in rows if r.asr_model), "")
    checked = [r for r in rows if r.heard_language is not None]
    misheard = tuple(
        Misheard(r.item_id, str(r.heard_language), float(r.heard_probability or 0.0))
        for r in checked
        if WRONG_LANGUAGE in json_list(r.flags)
    )
    verdict = verdicts.of(asr, language) if verdicts is not None and language != ENGLISH else None
    name = model_name(asr) if asr else None
    return LanguageFigures(
        provider=provider,
        model=model,
        language=language,
        asr_model=asr,
        unit=unit,
        clips=len(rows),
        rate=rate,
        low=low,
        high=high,
        checked=len(checked),
        heard_as_asked=sum(1 for r in checked if r.heard_language == language),
        misheard=misheard,
        not_judgeable_by=name if verdict is not None and not verdict.judgeable else None,
        check_not_judgeable_by=name if verdict is not None and not verdict.check_judgeable else None,
        larger=verdict.larger if verdict is not None and not (verdict.judgeable and verdict.check_judgeable) else None,
    )


def language_figures(
    requests: Iterable[RequestRow], verdicts: LanguageVerdicts | None = None
) -> tuple[LanguageFigures, ...]:
    """Every provider × model × language of a run's scored clips, in that order; none where the run scored only
    English (the per-language table is for runs that read other languages)."""
    groups: dict[tuple[str, str, str], list[RequestRow]] = defaultdict(list)
    for row in scored(requests):
        groups[(row.provider, row.model, str(row.language or ENGLISH))].append(row)
    if all(language == ENGLISH for _, _, language in groups):
        return ()
    return tuple(_figures(*key, rows, verdicts) for key, rows in sorted(groups.items()))


def fallbacks(figures: Iterable[LanguageFigures]) -> tuple[LanguageFigures, ...]:
    """The models that answered in another language than asked (`LanguageFigures.falls_back`)."""
    return tuple(figure for figure in figures if figure.falls_back)
