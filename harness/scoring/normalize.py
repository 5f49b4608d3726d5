"""Versioned text normalization: the same rules for reference and transcript, and a stamp on every row.

Scoring without normalization counts "Mr." against "mister" and "$20" against "twenty dollars" as errors
(tts-bench's mistake); changing the rules silently makes old and new WERs incomparable. So English goes
through whisper-normalizer's ``EnglishTextNormalizer``, every other language through its
``BasicTextNormalizer`` with Unicode marks kept (a Devanagari or Thai vowel sign is part of its word, not
punctuation) after a few folds of its own (``LANGUAGE_FOLDS``: what one language writes two ways), and the
languages written without spaces between words (``CER_LANGUAGES``: zh, ja, ko, th, ...) are scored per
character. docs/languages.md states every rule per language. ``NORMALIZER_VERSION`` combines the
library's version with ``HARNESS_RULES_REVISION``, which must be bumped whenever the rules in this module
change.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import whisper_normalizer  # its version only: the normalizers (and `regex` under them) load in `normalizer_for`

from harness.results import ErrorUnit
from harness.scoring.scoring_errors import ScoringInputError

# Bump when anything below changes how text is normalized or tokenized.
# 2: marks kept outside English, the per-language folds, ko and th counted per character.
HARNESS_RULES_REVISION = 2
NORMALIZER_VERSION = f"{whisper_normalizer.__version__}+harness.{HARNESS_RULES_REVISION}"

# Languages written without spaces between words (Korean with spaces an ASR places at will): word error rate is
# meaningless there, so their error rate counts characters, spaces removed.
CER_LANGUAGES = frozenset({"zh", "yue", "ja", "ko", "th", "lo", "km", "my"})

_ARABIC_HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # vowel marks, tatweel
_ARABIC_ALEF = re.compile("[\u0622\u0623\u0625\u0671]")  # alef with madda / hamza above / below, wasla


def _fold_turkish(text: str) -> str:
    # Turkish lower-cases I to dotless ı and İ to i (Python's str.lower() gives i, and i with a combining dot); the
    # circumflex (rüzgâr, hikâye) is optional in Turkish spelling.
    text = text.replace("I", "ı").replace("İ", "i")
    return text.translate(str.maketrans("âîûÂÎÛ", "aiuAIU"))


def _fold_devanagari(text: str) -> str:
    # The nukta (क़ = क + ़ after NFKC) is written or left out freely, and chandrabindu for anusvara.
    return unicodedata.normalize("NFKC", text).replace("\u093c", "").replace("\u0901", "\u0902")


def _fold_chinese(text: str) -> str:
    # Whisper writes Mandarin in traditional or simplified characters at will: both are read as simplified.
    return _traditional_to_simplified().convert(text)


@cache
def _traditional_to_simplified() -> Any:
    try:
        import opencc
    except ImportError as exc:
        from harness.scoring.scoring_errors import MissingDependencyError

        raise MissingDependencyError("opencc", "score") from exc
    return opencc.OpenCC("t2s")


BASIC_RULES = (
    "lower-cased, bracketed text dropped, punctuation and symbols as spaces, NFKC (full-width forms "
    "as plain ones), marks kept"
)

# What each language writes two ways, folded before the basic rules (which lower-case, drop bracketed text and
# turn punctuation and symbols into spaces, NFKC-normalised: full-width forms become plain ones).
LANGUAGE_FOLDS: dict[str, tuple[str, Callable[[str], str]]] = {
    "de": ("ß as ss", lambda text: text.replace("ß", "ss").replace("ẞ", "SS")),
    "ru": ("ё as е", lambda text: text.replace("ё", "е").replace("Ё", "Е")),
    "uk": ("ё as е", lambda text: text.replace("ё", "е").replace("Ё", "Е")),
    "tr": ("I lower-cased to ı, İ to i; â î û as a i u", _fold_turkish),
    "az": ("I lower-cased to ı, İ to i; â î û as a i u", _fold_turkish),
    "ar": (
        "harakat and tatweel dropped; أ إ آ ٱ as ا",
        lambda text: _ARABIC_ALEF.sub("\u0627", _ARABIC_HARAKAT.sub("", text)),
    ),
    "fa": (
        "harakat and tatweel dropped; أ إ آ ٱ as ا",
        lambda text: _ARABIC_ALEF.sub("\u0627", _ARABIC_HARAKAT.sub("", text)),
    ),
    "hi": ("nukta dropped; chandrabindu as anusvara", _fold_devanagari),
    "mr": ("nukta dropped; chandrabindu as anusvara", _fold_devanagari),
    "ne": ("nukta dropped; chandrabindu as anusvara", _fold_devanagari),
    "zh": ("traditional characters as simplified (OpenCC t2s)", _fold_chinese),
}

_LANGUAGE_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True, kw_only=True)
class TextNormalizer:
    """A named, versioned normalization for one language, and the unit its error rate counts."""

    name: str
    version: str
    language: str
    unit: ErrorUnit
    _apply: Callable[[str], str]
    rules: str = ""  # what is folded, in words (docs/languages.md lists them per language)

    def __call__(self, text: str) -> str:
        normalized = _WHITESPACE.sub(" ", self._apply(text)).strip()
        if self.unit is ErrorUnit.CHAR:
            # Spaces in zh/ja text are layout, not word boundaries; counting them would reward ASR
            # output that happens to insert or drop them.
            return normalized.replace(" ", "")
        return normalized

    def tokens(self, normalized: str) -> list[str]:
        """Split already normalized text into the tokens the error rate counts."""
        if self.unit is ErrorUnit.CHAR:
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
    from whisper_normalizer.basic import BasicTextNormalizer
    from whisper_normalizer.english import EnglishTextNormalizer

    code = language_code(language)
    if code == "en":
        return TextNormalizer(
            name="whisper_normalizer.EnglishTextNormalizer",
            version=NORMALIZER_VERSION,
            language=code,
            unit=ErrorUnit.WORD,
            _apply=EnglishTextNormalizer(),
            rules="whisper-normalizer's English rules: case, punctuation, contractions, titles, spelled numbers "
            "and currency to digits, British to American spelling",
        )
    unit = ErrorUnit.CHAR if code in CER_LANGUAGES else ErrorUnit.WORD
    basic = BasicTextNormalizer(preserve_marks=True)
    said, folded = LANGUAGE_FOLDS.get(code, ("", None))
    rules = f"{BASIC_RULES}; {said}" if said else BASIC_RULES
    if unit is ErrorUnit.CHAR:
        rules += "; counted per character, spaces removed"
    apply = basic if folded is None else (lambda text: basic(folded(text)))
    return TextNormalizer(
        name="whisper_normalizer.BasicTextNormalizer",
        version=NORMALIZER_VERSION,
        language=code,
        unit=unit,
        _apply=apply,
        rules=rules,
    )
