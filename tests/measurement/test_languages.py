"""Per-language figures from a run's rows (harness.measurement.languages): the rate and its interval per model and
language, and the self-test's verdicts naming a language the ASR model cannot judge instead of scoring it. The language
check (the fallback rule: most checked clips heard as another language) is the registered check's, tested on the same
rows here and in tests/checks/test_language_heard.py."""

from __future__ import annotations

import pytest

from harness.checks.language_heard import FALLBACK_SHARE, language_heard
from harness.measurement import language_figures
from harness.results import LanguageVerdict, LanguageVerdicts, RequestRow
from tests.helpers.request_rows import language_clip


def _clip(
    item: str,
    language: str,
    errors: int,
    heard: str | None,
    *,
    model: str = "m",
    unit: str = "word",
    probability: float = 0.9,
) -> RequestRow:
    return language_clip(
        item,
        language,
        heard,
        model=model,
        probability=probability,
        asr_model="base#b58256269b05" if language != "en" else "tiny.en#1a5afae06a4d",
        unit=unit,
        hits=10 - errors,
        substitutions=errors,
        deletions=0,
        insertions=0,
        ref_length=10,
    )


def test_each_model_and_language_has_its_rate_interval_and_check() -> None:
    rows = [_clip(f"es-{i}", "es", i % 3, "es") for i in range(6)] + [_clip("en-0", "en", 0, None)]
    spanish, english = sorted(language_figures(rows), key=lambda f: f.language, reverse=True)
    (heard,) = language_heard(rows)  # English is read by the default model, unchecked: no figures of the check
    assert (spanish.language, spanish.clips, heard.language, heard.checked, heard.heard_as_asked) == (
        "es",
        6,
        "es",
        6,
        6,
    )
    assert spanish.rate == pytest.approx(6 / 60)
    assert spanish.low is not None and spanish.high is not None and spanish.low <= spanish.rate <= spanish.high
    assert not heard.falls_back and not heard.misheard
    assert english.language == "en"


def test_an_english_only_run_has_no_language_table() -> None:
    assert language_figures([_clip("en-0", "en", 0, None)]) == ()


def test_a_model_falls_back_when_most_checked_clips_are_another_language() -> None:
    once = [_clip("es-0", "es", 9, "en"), _clip("es-1", "es", 1, "es"), _clip("es-2", "es", 1, "es")]
    (stray,) = language_heard(once)
    assert len(stray.misheard) == 1 and not stray.falls_back  # one misheard clip is not a fallback
    most = [_clip(f"es-{i}", "es", 9, "en") for i in range(2)] + [_clip("es-2", "es", 1, "es")]
    (fell,) = language_heard(most)
    assert fell.falls_back and fell.heard_instead == "en" and len(fell.misheard) >= FALLBACK_SHARE * fell.checked
    assert [one for one in (stray, fell) if one.falls_back] == [fell]
    assert fell.fallback_line() == (
        "acme/m answered in en when asked for es: 2/3 clips heard as another language (p >= 0.5)"
    )
    unsure = [_clip(f"es-{i}", "es", 9, "en", probability=0.4) for i in range(3)]
    (shown,) = language_heard(unsure)
    assert shown.checked == 3 and not shown.misheard and not shown.falls_back  # heard, below the rule: not flagged


def test_a_language_the_model_cannot_judge_is_named_not_scored() -> None:
    verdicts = LanguageVerdicts(
        {
            ("base", "hi"): LanguageVerdict(
                asr_model="base",
                language="hi",
                unit="word",
                rate=0.8,
                judgeable=False,
                check_judgeable=False,
                larger="large-v3",
            ),
            ("base", "es"): LanguageVerdict(
                asr_model="base",
                language="es",
                unit="word",
                rate=0.1,
                judgeable=True,
                check_judgeable=True,
                larger=None,
            ),
        },
        {"base": 0.3},
    )
    rows = [_clip(f"hi-{i}", "hi", 8, "en") for i in range(3)] + [_clip(f"es-{i}", "es", 1, "es") for i in range(3)]
    spanish, hindi = language_figures(rows, verdicts)
    heard_es, heard_hi = language_heard(rows, verdicts)
    assert (hindi.not_judgeable_by, heard_hi.not_judgeable_by, hindi.larger) == ("base", "base", "large-v3")
    assert not heard_hi.falls_back  # a check the model cannot be trusted with fails nothing
    assert (spanish.not_judgeable_by, heard_es.not_judgeable_by, spanish.larger) == (None, None, None)
    other = LanguageVerdicts({}, {})
    assert language_figures(rows, other)[1].not_judgeable_by is None  # a model never self-tested: shown as measured
