"""A provider's languages over time: per model and language, its error rate as a series.

Each run's per-language figures are `harness.measurement.language_figures` over its rows (the report's), so a point
is the number that run's report shows: the pooled WER or CER of a language its ASR model can judge (the language
self-test's verdicts). Whether a model answers in the language asked is a registered check's, drawn and judged by its
views (`harness.checks.views`: its `part_series`, its gate rule).
"""

from __future__ import annotations

from collections.abc import Iterable

from harness.history.values import Point, RunInfo, Scale
from harness.measurement import LanguageFigures, language_figures
from harness.results import LanguageVerdicts, RunRows

RATE_PREFIX = "language-rate:"  # the pooled WER or CER of one language


def language_series(figures: Iterable[LanguageFigures], run: RunInfo) -> Iterable[tuple[tuple[str, str, str], Point]]:
    """Each language's points of one run: its error rate, where judgeable."""
    for figure in figures:
        if figure.language == "en" or figure.rate is None or figure.not_judgeable_by:
            continue
        yield (
            (figure.provider, figure.model, RATE_PREFIX + figure.language),
            Point(
                run_id=run.run_id,
                created_at=run.created_at,
                value=figure.rate,
                low=figure.low,
                high=figure.high,
                sample_size=figure.clips,
            ),
        )


def series_label(key: str) -> tuple[str, str, Scale] | None:
    """(label, unit, scale) of a language's error-rate series' key, None for any other key."""
    if key.startswith(RATE_PREFIX):
        return f"Error rate ({key.removeprefix(RATE_PREFIX)})", "rate", Scale.LINEAR
    return None


def run_figures(rows: RunRows, verdicts: LanguageVerdicts) -> tuple[LanguageFigures, ...]:
    return language_figures(rows.requests, verdicts)
