"""What the language self-test found an ASR model can judge, per language: shipped data read here.

`benchmarks/perf/language_selftest.py` renders every read corpus with the sandbox's voice of its language and with
its English voice, has a model read both, and writes per model and language whether the model's WER/CER can be
trusted (its pooled rate on the sandbox's own voice at most the threshold) and whether its language check can
(English renders caught, native ones left alone). Every face reads the verdicts through `shipped_language_verdicts`:
a language a model cannot judge is shown so, never scored; a model the self-test never read has no verdict (shown as
measured). docs/languages.md has the table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from harness.core.packaged import data_path


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageVerdict:
    """One language as one ASR model read the sandbox's renders of it."""

    asr_model: str  # by name: base
    language: str
    unit: str  # word | char
    rate: float | None  # pooled WER/CER on the sandbox's voice of the language (its own errors inside)
    judgeable: bool  # the rate is at most the self-test's threshold
    check_judgeable: bool  # the language check catches the English fallback and leaves the native voice alone
    larger: str | None  # the model that would judge it, where this one cannot


@dataclass(frozen=True, slots=True)
class LanguageVerdicts:
    """Every model's verdicts the self-test shipped, by model name and language."""

    verdicts: dict[tuple[str, str], LanguageVerdict]
    threshold: dict[str, float]  # model name -> its error-rate threshold

    def of(self, asr_model: str | None, language: str) -> LanguageVerdict | None:
        """The verdict on ``language`` of the model ``asr_model`` (a name or a content id, "base#b58256269b05")."""
        if not asr_model:
            return None
        return self.verdicts.get((model_name(asr_model), language))


def model_name(asr_model: str) -> str:
    """A model's name from its content id ("base#b58256269b05" -> "base")."""
    return asr_model.split("#", 1)[0]


def shipped_language_verdicts() -> LanguageVerdicts:
    """The self-test's verdicts shipped with the harness (`harness/data/languages/judgeable.json`); none if absent."""
    path = data_path("languages", "judgeable.json")
    if not path.is_file():
        return LanguageVerdicts({}, {})
    data = json.loads(path.read_text(encoding="utf-8"))
    verdicts: dict[tuple[str, str], LanguageVerdict] = {}
    thresholds: dict[str, float] = {}
    for name, model in data.get("models", {}).items():
        thresholds[name] = float(model["threshold"])
        for language, found in model["languages"].items():
            verdicts[(name, language)] = LanguageVerdict(
                asr_model=name,
                language=language,
                unit=str(found["unit"]),
                rate=found["rate"],
                judgeable=bool(found["judgeable"]),
                check_judgeable=bool(found["check_judgeable"]),
                larger=found.get("larger"),
            )
    return LanguageVerdicts(verdicts, thresholds)
