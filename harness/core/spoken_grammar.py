"""The small grammar a hard-text item writes its spoken forms in, expanded to every word sequence it allows.

    twelve dollars [and] fifty [cents]        optional words in brackets
    {nineteen eighty four|one nine eight four} one of the alternatives (they may hold spaces, nest [..] and {..})

Words are lowercase letters (an apostrophe inside a word is allowed: "o'clock"); no digits, no punctuation:
a form says what is heard, not what is written. Both the corpus loader (to refuse a bad form with one line)
and the span scorer (to match a transcript) expand forms here, so the two can never read a form differently.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Past this many readings a form is a puzzle, not a reading; it is refused rather than silently cut.
MAX_READINGS = 512

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
_TOKEN = re.compile(r"\s*([\[\]{}|]|[^\s\[\]{}|]+)")

Reading = tuple[str, ...]


class GrammarError(ValueError):
    """A spoken form the grammar cannot read; the message is one line naming the problem."""


@lru_cache(maxsize=4096)
def expand(form: str) -> frozenset[Reading]:
    """Every word sequence ``form`` allows (``GrammarError`` when it is not a form of the grammar)."""
    tokens = [match.group(1) for match in _TOKEN.finditer(form)]
    if not tokens:
        raise GrammarError("an empty spoken form")
    parser = _Parser(form, tokens)
    readings = parser.sequence(closing=())
    if parser.position < len(tokens):
        raise GrammarError(f"unexpected {tokens[parser.position]!r} in {form!r}")
    if () in readings:
        raise GrammarError(f"{form!r} allows saying nothing")
    return frozenset(readings)


def fullest(form: str) -> Reading:
    """The one reading to say aloud for ``form``: every optional word, the first of each choice."""
    expand(form)  # refuses a form the grammar cannot read
    words: list[str] = []
    skipping: list[bool] = []  # per open choice: past its first alternative
    depth_skipped = 0
    for token in (match.group(1) for match in _TOKEN.finditer(form)):
        if token == "{":
            skipping.append(False)
        elif token == "|" and skipping:
            if not skipping[-1]:
                depth_skipped += 1
            skipping[-1] = True
        elif token == "}":
            if skipping.pop():
                depth_skipped -= 1
        elif token not in ("[", "]") and depth_skipped == 0:
            words.append(token)
    return tuple(words)


def joined(reading: Reading) -> str:
    """A reading without its word breaks: "o clock" and "oclock", "dot com" and "dotcom" are one sound."""
    return "".join(word.replace("'", "") for word in reading)


class _Parser:
    """Recursive descent over the tokens: sequence := (word | [sequence] | {sequence (| sequence)*})*."""

    def __init__(self, form: str, tokens: list[str]) -> None:
        self.form = form
        self.tokens = tokens
        self.position = 0

    def sequence(self, closing: tuple[str, ...]) -> set[Reading]:
        readings: set[Reading] = {()}
        while self.position < len(self.tokens) and self.tokens[self.position] not in closing:
            token = self.tokens[self.position]
            self.position += 1
            if token == "[":
                part = self.sequence(closing=("]",)) | {()}
                self._expect("]")
            elif token == "{":
                part = self.sequence(closing=("|", "}"))
                while self._peek() == "|":
                    self.position += 1
                    part |= self.sequence(closing=("|", "}"))
                self._expect("}")
            elif token in ("]", "}", "|"):
                raise GrammarError(f"unexpected {token!r} in {self.form!r}")
            elif _WORD.fullmatch(token):
                part = {(token,)}
            else:
                raise GrammarError(
                    f"{token!r} in {self.form!r} is not a lowercase word (no digits or punctuation: write it as heard)"
                )
            readings = {left + right for left in readings for right in part}
            if len(readings) > MAX_READINGS:
                raise GrammarError(f"{self.form!r} allows more than {MAX_READINGS} readings")
        return readings

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _expect(self, token: str) -> None:
        if self._peek() != token:
            raise GrammarError(f"expected {token!r} in {self.form!r}")
        self.position += 1
