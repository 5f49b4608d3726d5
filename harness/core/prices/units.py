"""What a provider bills in, and how it counts a billable character.

A price is quoted per some quantity of a unit the provider meters: characters under its own counting rule, UTF-8
bytes, text tokens read, audio tokens written, seconds or minutes of audio, requests, or credits. The counting
rules are the providers' documented ways of counting a character, named here once so a price sheet can say which
one its provider uses (one bills no SSML tag, another counts some scripts twice, a third bills bytes).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from enum import StrEnum


class Unit(StrEnum):
    CHARACTERS = "characters"
    BYTES = "bytes"  # UTF-8 bytes of the text
    TEXT_TOKENS = "text_tokens"  # the model's input tokens
    AUDIO_TOKENS = "audio_tokens"  # the model's output audio tokens
    AUDIO_SECONDS = "audio_seconds"
    AUDIO_MINUTES = "audio_minutes"
    REQUESTS = "requests"
    CREDITS = "credits"  # a provider's own currency, bought at a price (`Rate.credit_price`)

    @property
    def of_audio(self) -> bool:
        return self in (Unit.AUDIO_TOKENS, Unit.AUDIO_SECONDS, Unit.AUDIO_MINUTES)


# How a price sheet may spell a unit (`--price`'s shorthand and a providers file's `[prices]` table too).
UNIT_WORDS: dict[str, Unit] = {
    "characters": Unit.CHARACTERS,
    "character": Unit.CHARACTERS,
    "chars": Unit.CHARACTERS,
    "char": Unit.CHARACTERS,
    "bytes": Unit.BYTES,
    "byte": Unit.BYTES,
    "text_tokens": Unit.TEXT_TOKENS,
    "text-tokens": Unit.TEXT_TOKENS,
    "input-tokens": Unit.TEXT_TOKENS,
    "tokens": Unit.TEXT_TOKENS,
    "audio_tokens": Unit.AUDIO_TOKENS,
    "audio-tokens": Unit.AUDIO_TOKENS,
    "output-tokens": Unit.AUDIO_TOKENS,
    "audio_seconds": Unit.AUDIO_SECONDS,
    "seconds": Unit.AUDIO_SECONDS,
    "second": Unit.AUDIO_SECONDS,
    "s": Unit.AUDIO_SECONDS,
    "sec": Unit.AUDIO_SECONDS,
    "audio_minutes": Unit.AUDIO_MINUTES,
    "minutes": Unit.AUDIO_MINUTES,
    "minute": Unit.AUDIO_MINUTES,
    "min": Unit.AUDIO_MINUTES,
    "hour": Unit.AUDIO_MINUTES,  # hour: 60 minutes (UNIT_SCALE)
    "requests": Unit.REQUESTS,
    "request": Unit.REQUESTS,
    "req": Unit.REQUESTS,
    "credits": Unit.CREDITS,
    "credit": Unit.CREDITS,
}
UNIT_SCALE: dict[str, Decimal] = {"hour": Decimal(60)}  # a word that means several of its unit


def unit_named(word: str) -> Unit | None:
    return UNIT_WORDS.get(word.strip().lower())


class Counting(StrEnum):
    """How a provider counts the characters it bills."""

    CODE_POINTS = "code_points"  # every Unicode code point of the text as sent (most providers)
    SSML_INCLUDED = "ssml_included"  # every code point, SSML markup included (its tags are billed)
    UTF8_BYTES = "utf8_bytes"  # the text's UTF-8 bytes (a price per byte)
    UTF16_UNITS = "utf16_units"  # UTF-16 code units (a character outside the BMP counts twice)
    SSML_STRIPPED = "ssml_stripped"  # SSML tags are not billed, the text inside them is
    CJK_DOUBLE = "cjk_double"  # a CJK ideograph, kana or hangul counts as two
    WHITESPACE_EXCLUDED = "whitespace_excluded"  # spaces and line breaks are not billed


_TAG = re.compile(r"<[^<>]*>")
_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")


def _double_width(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) or unicodedata.east_asian_width(char) in "WF"


def count(text: str, rule: Counting) -> int:
    """The billable characters of `text` under `rule`."""
    if rule is Counting.UTF8_BYTES:
        return len(text.encode("utf-8"))
    if rule is Counting.UTF16_UNITS:
        return len(text.encode("utf-16-le")) // 2
    if rule is Counting.SSML_STRIPPED:
        return len(_ENTITY.sub("x", _TAG.sub("", text)))  # an entity is the one character it stands for
    if rule is Counting.CJK_DOUBLE:
        return sum(2 if _double_width(char) else 1 for char in text)
    if rule is Counting.WHITESPACE_EXCLUDED:
        return sum(1 for char in text if not char.isspace())
    return len(text)
