"""The small grammar a hard-text item writes its spoken forms in, and whether a heard reading is one of them.

    twelve dollars [and] fifty [cents]        optional words in brackets
    {nineteen eighty four|one nine eight four} one of the alternatives (they may hold spaces, nest [..] and {..})

Words are lowercase letters (an apostrophe inside a word is allowed: "o'clock"); no digits, no punctuation:
a form says what is heard, not what is written. A form can allow very many readings (a phone number with
"oh" or "zero" for each 0), so a form is never expanded to match: it is compiled once to a regular
expression over the reading's words. Both the corpus loader (to refuse a bad form with one line) and the
span scorer (to match a transcript) read forms here, so the two can never read a form differently.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
_TOKEN = re.compile(r"\s*([\[\]{}|]|[^\s\[\]{}|]+)")

Reading = tuple[str, ...]

# Spellings of one sound: a transcript spells a homophone as it likes ("two oh to eight", "three are d"), so a
# form's word is matched by any spelling of its sound. Only digit words and letter names, whose sound is the
# whole point of a hard span; a form whose right and wrong readings differ only so is judged unsure.
SAME_SOUND: tuple[frozenset[str], ...] = tuple(frozenset(group.split()) for group in (
    "o oh", "two to too", "four for", "one won", "eight ate", "b be bee", "c see sea", "i eye", "j jay", "k kay",
    "p pee", "q queue cue", "r are", "t tea", "u you", "x ex", "y why",
))
_SOUNDS = {word: group for group in SAME_SOUND for word in group}


class GrammarError(ValueError):
    """A spoken form the grammar cannot read; the message is one line naming the problem."""


@dataclass(frozen=True, slots=True)
class Word:
    text: str


@dataclass(frozen=True, slots=True)
class OptionalWords:
    part: Sequence


@dataclass(frozen=True, slots=True)
class Choice:
    alternatives: tuple[Sequence, ...]


@dataclass(frozen=True, slots=True)
class Sequence:
    parts: tuple[Word | OptionalWords | Choice, ...]


@lru_cache(maxsize=8192)
def parse(form: str) -> Sequence:
    """The form's tree (``GrammarError`` when it is not a form of the grammar, or allows saying nothing)."""
    tokens = [match.group(1) for match in _TOKEN.finditer(form)]
    if not tokens:
        raise GrammarError("an empty spoken form")
    parser = _Parser(form, tokens)
    tree = parser.sequence(closing=())
    if parser.position < len(tokens):
        raise GrammarError(f"unexpected {tokens[parser.position]!r} in {form!r}")
    if _pattern(form, spaced=True).fullmatch(""):
        raise GrammarError(f"{form!r} allows saying nothing")
    return tree


def matches(form: str, reading: Reading, *, as_spelled: bool = False) -> bool:
    """Whether ``reading`` is one of the form's readings, any spelling of a word's sound (`SAME_SOUND`) taken
    unless ``as_spelled``."""
    pattern = _pattern(form, spaced=True, as_spelled=as_spelled)
    return pattern.fullmatch("".join(word + " " for word in reading)) is not None


def matches_joined(form: str, reading: Reading) -> bool:
    """Whether ``reading`` sounds like one of the form's without its word breaks ("o clock", "oclock")."""
    return _pattern(form, spaced=False).fullmatch(joined(reading)) is not None


def joined(reading: Reading) -> str:
    """A reading without its word breaks and apostrophes: "o clock" and "o'clock" are one sound."""
    return "".join(word.replace("'", "") for word in reading)


def readings(form: str) -> Iterator[Reading]:
    """The form's readings, lazily (there may be very many; take what you need)."""
    return _readings(parse(form))


def fullest(form: str) -> Reading:
    """The one reading to say aloud for ``form``: every optional word, the first of each choice."""
    return _fullest(parse(form))


@lru_cache(maxsize=8192)
def _pattern(form: str, *, spaced: bool, as_spelled: bool = False) -> re.Pattern[str]:
    tokens = [match.group(1) for match in _TOKEN.finditer(form)]
    parser = _Parser(form, tokens)
    return re.compile(_regex(parser.sequence(closing=()), spaced, as_spelled))


def _regex(node: Sequence | Word | OptionalWords | Choice, spaced: bool, as_spelled: bool) -> str:
    if isinstance(node, Word):
        sounds = {node.text} if as_spelled else _SOUNDS.get(node.text, {node.text})
        spellings = sorted(sounds, key=lambda word: (-len(word), word))
        return "(?:" + "|".join(re.escape(word + " " if spaced else word.replace("'", "")) for word in spellings) + ")"
    if isinstance(node, OptionalWords):
        return f"(?:{_regex(node.part, spaced, as_spelled)})?"
    if isinstance(node, Choice):
        return "(?:" + "|".join(_regex(alternative, spaced, as_spelled) for alternative in node.alternatives) + ")"
    return "".join(_regex(part, spaced, as_spelled) for part in node.parts)


def _readings(node: Sequence | Word | OptionalWords | Choice) -> Iterator[Reading]:
    if isinstance(node, Word):
        yield (node.text,)
    elif isinstance(node, OptionalWords):
        yield from _readings(node.part)
        yield ()
    elif isinstance(node, Choice):
        for alternative in node.alternatives:
            yield from _readings(alternative)
    else:
        for combination in itertools.product(*(list(_readings(part)) for part in node.parts)):
            yield tuple(word for piece in combination for word in piece)


def _fullest(node: Sequence | Word | OptionalWords | Choice) -> Reading:
    if isinstance(node, Word):
        return (node.text,)
    if isinstance(node, OptionalWords):
        return _fullest(node.part)
    if isinstance(node, Choice):
        return _fullest(node.alternatives[0])
    return tuple(word for part in node.parts for word in _fullest(part))


class _Parser:
    """Recursive descent over the tokens: sequence := (word | [sequence] | {sequence (| sequence)*})*."""

    def __init__(self, form: str, tokens: list[str]) -> None:
        self.form = form
        self.tokens = tokens
        self.position = 0

    def sequence(self, closing: tuple[str, ...]) -> Sequence:
        parts: list[Word | OptionalWords | Choice] = []
        while self.position < len(self.tokens) and self.tokens[self.position] not in closing:
            token = self.tokens[self.position]
            self.position += 1
            if token == "[":
                parts.append(OptionalWords(self.sequence(closing=("]",))))
                self._expect("]")
            elif token == "{":
                alternatives = [self.sequence(closing=("|", "}"))]
                while self._peek() == "|":
                    self.position += 1
                    alternatives.append(self.sequence(closing=("|", "}")))
                self._expect("}")
                parts.append(Choice(tuple(alternatives)))
            elif token in ("]", "}", "|"):
                raise GrammarError(f"unexpected {token!r} in {self.form!r}")
            elif _WORD.fullmatch(token):
                parts.append(Word(token))
            else:
                raise GrammarError(
                    f"{token!r} in {self.form!r} is not a lowercase word (no digits or punctuation: write it as heard)"
                )
        return Sequence(tuple(parts))

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _expect(self, token: str) -> None:
        if self._peek() != token:
            raise GrammarError(f"expected {token!r} in {self.form!r}")
        self.position += 1
