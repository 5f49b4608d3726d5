"""Per language, per provider × model: the error rate with its interval, from a run's rows.

Every face (the terminal summary, the report, `compare`, `history`) takes its per-language figures from here, so two
faces cannot print two answers. Over a model's scored clips of one language (`harness.results.figures.scored`): the
error rate in the language's unit (WER; CER for zh, ja, ko, th), pooled, with its percentile bootstrap 95% interval
over sentences (`harness.measurement.bootstrap`), unless the self-test found the ASR model that read the language
cannot judge it (`harness.results.languages`): then it is named, not scored. Whether a voice answers in the language
asked is a registered check's (`harness.checks`, docs/checks.md), shown beside these figures by its own views.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from harness.core.languages import ENGLISH
from harness.measurement.pooled_rate import pooled_ratio_interval
from harness.results import (
    ErrorCounts,
    ErrorUnit,
    LanguageVerdicts,
    RequestRow,
    model_name,
    pooled_wer,
    scored,
)


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
    not_judgeable_by: str | None = None  # the ASR model's name where the self-test says it cannot judge the rate
    larger: str | None = None  # the model that would judge it

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"


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
        not_judgeable_by=name if verdict is not None and not verdict.judgeable else None,
        # the larger model the self-test names for a language the model cannot judge (its rate or its language check)
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
