"""Misreadings the sandbox can be told to make (`POST /_sandbox/drift {"misread": [...]}`): a provider whose
reading of a kind of hard text changed, what a hard-text history must catch (docs/hard-text.md).

Each is a rewrite of the text before the voice reads it, named as the hard-text corpora name the error it
makes: ``year-digit-by-digit`` reads a year one digit at a time ("1984" -> "one nine eight four"),
``street-as-saint`` reads "St." as "Saint" wherever it stands.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable

from harness.sandbox.emulation import Speech

_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# A year: four digits from 1000 to 2099 standing alone (not part of an amount, a time, a code or a decimal).
_YEAR = re.compile(r"(?<![\d.,:/$£€#-])(1\d\d\d|20\d\d)(?![\d%]|[.,:/]\d)")
_STREET = re.compile(r"\bSt\.")


def _year_digit_by_digit(text: str) -> str:
    return _YEAR.sub(lambda match: " ".join(_DIGITS[int(digit)] for digit in match.group(1)), text)


def _street_as_saint(text: str) -> str:
    return _STREET.sub("Saint", text)


MISREADINGS: dict[str, Callable[[str], str]] = {
    "year-digit-by-digit": _year_digit_by_digit,
    "street-as-saint": _street_as_saint,
}


_DIGIT_RUN = re.compile(r"\d+")


def unnormalised(text: str) -> str:
    """``text`` as a voice reads it with the provider's text normalisation off (`Normalisation`): digits are read
    as the characters they are written with, one at a time ("1984" -> "one nine eight four", "$12.50" -> "$one two.
    five zero"), what the documents warn of ("can mispronounce eg numbers and dates")."""
    return _DIGIT_RUN.sub(lambda match: " ".join(_DIGITS[int(digit)] for digit in match.group()), text)


def misread(text: str, names: Iterable[str]) -> str:
    """``text`` as a voice making the named misreadings reads it."""
    for name in names:
        text = MISREADINGS[name](text)
    return text


def misread_speech(speech: Speech, names: Iterable[str]) -> Speech:
    """Every line of ``speech`` misread so (the speech itself when no misreading is named)."""
    chosen = tuple(names)
    if not chosen:
        return speech
    return dataclasses.replace(speech, lines=tuple((speaker, misread(text, chosen)) for speaker, text in speech.lines))
