"""Versioned text normalization: the same rules for reference and transcript, and a stamp on every row.

Scoring without normalization counts "Mr." against "mister" and "$20" against "twenty dollars" as errors
(tts-bench's mistake); changing the rules silently makes old and new WERs incomparable. So English goes
through whisper-normalizer's ``EnglishTextNormalizer``, every other language through
``BasicTextNormalizer``, and Chinese and Japanese (written without spaces) are scored per character.
``NORMALIZER_VERSION`` combines the library's version with ``HARNESS_RULES_REVISION``, which must be bumped
whenever the rules in this module change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import whisper_normalizer
from whisper_normalizer.basic import BasicTextNormalizer
from whisper_normalizer.english import EnglishTextNormalizer

from harness.results import Unit
from harness.scoring.scoring_errors import ScoringInputError

# Bump when anything below changes how text is normalized or tokenized.
HARNESS_RULES_REVISION = 1
NORMALIZER_VERSION = f"{whisper_normalizer.__version__}+harness.{HARNESS_RULES_REVISION}"

# Languages written without spaces between words: word error rate is meaningless there.
CER_LANGUAGES = frozenset({"zh", "ja"})

_LANGUAGE_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class TextNormalizer:
    """A named, versioned normalization for one language, and the unit its error rate counts."""

    name: str
    version: str
    language: str
    unit: Unit
    _apply: Callable[[str], str]

    def __call__(self, text: str) -> str:
        normalized = _WHITESPACE.sub(" ", self._apply(text)).strip()
        if self.unit is Unit.CHAR:
            # Spaces in zh/ja text are layout, not word boundaries; counting them would reward ASR
            # output that happens to insert or drop them.
            return normalized.replace(" ", "")
        return normalized

    def tokens(self, normalized: str) -> list[str]:
        """Split already normalized text into the tokens the error rate counts."""
        if self.unit is Unit.CHAR:
            return list(normalized)
        return normalized.split()


def language_code(language: str | None, default: str = "en") -> str:
    """The lower-case primary subtag of a BCP 47 tag ("en-US" -> "en"); ``None`` gives ``default``."""
    tag = default if language is None or not language.strip() else language.strip()
    match = _LANGUAGE_TAG.match(tag)
    if match is None:
        raise ScoringInputError(f"expected a language tag such as 'en' or 'zh-CN', got {tag!r}")
    return match.group(1).lower()


@cache
def normalizer_for(language: str | None) -> TextNormalizer:
    """The normalizer for a language tag (English rules for "en", basic rules otherwise)."""
    code = language_code(language)
    if code == "en":
        return TextNormalizer(
            name="whisper_normalizer.EnglishTextNormalizer",
            version=NORMALIZER_VERSION,
            language=code,
            unit=Unit.WORD,
            _apply=EnglishTextNormalizer(),
        )
    unit = Unit.CHAR if code in CER_LANGUAGES else Unit.WORD
    return TextNormalizer(
        name="whisper_normalizer.BasicTextNormalizer",
        version=NORMALIZER_VERSION,
        language=code,
        unit=unit,
        _apply=BasicTextNormalizer(),
    )
