"""A provider's languages over time: per model and language, its error rate and its language check as series, and
the models the newest run heard answering in another language than asked.

Each run's per-language figures are `harness.measurement.language_figures` over its rows (the report's), so a point
is the number that run's report shows: the pooled WER/CER of a language its ASR model can judge (the language
self-test's verdicts), and the share of checked clips heard as the language asked. A model *falls back* for a
language when most of its checked clips of it are heard as another language (`LanguageFigures.falls_back`); that is
deterministic, not noise, so like a dearer bill it needs no series of runs: the nightly gate fails when the newest run
falls back for a model and language the run before it (of that model and language) did not, or that no run before it
read.
"""

from __future__ import annotations

from collections.abc import Iterable

from harness.history.values import LanguageFallback, Point, RunInfo, Scale
from harness.measurement import LanguageFigures, language_figures
from harness.results import LanguageVerdicts, RunRows

LANGUAGE_PREFIX = "language:"  # the language check of one language: share of checked clips heard as it
RATE_PREFIX = "language-rate:"  # the pooled WER/CER of one language
RULE = (
    "A model falls back for a language when at least half of its checked clips of it are heard as another "
    "language with p >= 0.5 (harness.measurement.languages): the gate fails when the newest run falls back where "
    "the run before it did not."
)


def language_series(figures: Iterable[LanguageFigures], run: RunInfo) -> Iterable[tuple[tuple[str, str, str], Point]]:
    """Each language's points of one run: its error rate (where judgeable) and its language check (where checked)."""
    for figure in figures:
        if figure.language == "en":
            continue
        who = (figure.provider, figure.model)
        if figure.rate is not None and not figure.not_judgeable_by:
            yield (
                (*who, RATE_PREFIX + figure.language),
                Point(
                    run_id=run.run_id,
                    created_at=run.created_at,
                    value=figure.rate,
                    low=figure.low,
                    high=figure.high,
                    sample_size=figure.clips,
                ),
            )
        if figure.checked and not figure.check_not_judgeable_by:
            yield (
                (*who, LANGUAGE_PREFIX + figure.language),
                Point(
                    run_id=run.run_id,
                    created_at=run.created_at,
                    value=figure.heard_as_asked / figure.checked,
                    low=None,
                    high=None,
                    sample_size=figure.checked,
                ),
            )


def series_label(key: str) -> tuple[str, str, Scale] | None:
    """(label, unit, scale) of a language series' key, None for any other key."""
    if key.startswith(LANGUAGE_PREFIX):
        language = key.removeprefix(LANGUAGE_PREFIX)
        return f"Language check: {language} clips heard as {language}", "rate", Scale.LINEAR
    if key.startswith(RATE_PREFIX):
        return f"Error rate ({key.removeprefix(RATE_PREFIX)})", "rate", Scale.LINEAR
    return None


def run_figures(rows: RunRows, verdicts: LanguageVerdicts) -> tuple[LanguageFigures, ...]:
    return language_figures(rows.requests, verdicts)


def newest_fallbacks(runs: list[tuple[RunInfo, tuple[LanguageFigures, ...]]]) -> tuple[LanguageFallback, ...]:
    """Every model the newest run heard answering in another language, each `new` where the run before did not (or
    none read): the gate fails on the new ones, and the faces still say the others answered in another language."""
    if not runs:
        return ()
    newest, figures = runs[-1]
    found = []
    for figure in figures:
        if not figure.falls_back:
            continue
        before = next(
            (
                one
                for run, earlier in reversed(runs[:-1])
                for one in earlier
                if (one.provider, one.model, one.language) == (figure.provider, figure.model, figure.language)
                and one.checked
            ),
            None,
        )
        found.append(
            LanguageFallback(
                provider=figure.provider,
                model=figure.model,
                language=figure.language,
                heard=figure.heard_instead,
                misheard=len(figure.misheard),
                checked=figure.checked,
                run_id=newest.run_id,
                new=before is None or not before.falls_back,
            )
        )
    return tuple(found)
