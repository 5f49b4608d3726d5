"""A hard-text item: a carrier sentence, the one span in it that is hard to read, and how to judge a reading.

An item of a hard-text corpus (``"kind": "hard-text"``, see docs/hard-text.md) carries, beside its ``id`` and
``text``: its ``category``, the ``span`` (occurring exactly once in the text), the ``accepted`` spoken forms
and the known ``misreadings`` (each a spoken form and an ``error`` type) in the grammar of
`harness.core.spoken_grammar`, a ``control`` (the same sentence with the span already written in words) and
``meaning_changes``. The corpus loader reads items with `read_hard_text`, which names every problem in one
line; the span scorer reads the same value. Both live in engines that may not import each other, so the
vocabulary is here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.core.spoken_grammar import GrammarError, Reading, matches, matches_joined, parse, readings

_ERROR_TYPE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The words a transcript is aligned by: the carrier needs this many on at least one side of the span.
MIN_CARRIER_WORDS = 3
# The readings of a misreading checked against the accepted forms (a form may allow very many).
CLASH_CHECKS = 2000
_CARRIER_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Misreading:
    """A known wrong reading of a span and the kind of error it is (``year-digit-by-digit``)."""

    say: str
    error: str


@dataclass(frozen=True, slots=True)
class HardText:
    """What judges one hard span: the sentence it is written in (``text``), the span, the readings."""

    text: str
    category: str
    span: str
    accepted: tuple[str, ...]
    misreadings: tuple[Misreading, ...]
    control: str
    meaning_changes: bool

    def accepts(self, reading: Reading, *, joined: bool = False) -> bool:
        """Whether ``reading`` is an accepted one (``joined``: compared without word breaks)."""
        match = matches_joined if joined else matches
        return any(match(form, reading) for form in self.accepted)

    def misread_as(self, reading: Reading, *, joined: bool = False) -> tuple[str, ...]:
        """The error types of the known misreadings ``reading`` is (none: it is not a known misreading)."""
        match = matches_joined if joined else matches
        return tuple(dict.fromkeys(wrong.error for wrong in self.misreadings if match(wrong.say, reading)))

    def carrier(self) -> tuple[str, str]:
        """The written sentence before and after the span (the control has the same carrier words)."""
        before, _, after = self.text.partition(self.span)
        return before, after


def carrier_words(text: str) -> list[str]:
    """The words of a stretch of carrier text, as the aligner compares them (lowercase, no punctuation)."""
    return [word.lower() for word in _CARRIER_WORD.findall(text.replace("-", " "))]


def read_hard_text(item: Mapping[str, Any], categories: Mapping[str, Any] | None = None) -> HardText | list[str]:
    """The item's hard-text part, or its problems (one line each, without the item's id)."""
    problems: list[str] = []
    text = item.get("text")
    category = item.get("category")
    span = item.get("span")
    control = item.get("control")
    if not isinstance(category, str) or not category:
        problems.append("needs a `category` (a name)")
    elif categories is not None and category not in categories:
        problems.append(f"category {category!r} is not one of the corpus' `categories` ({', '.join(categories)})")
    if not isinstance(span, str) or not span.strip():
        problems.append("needs a `span` (the hard part of `text`, written as in `text`)")
    elif isinstance(text, str):
        count = text.count(span)
        if count != 1:
            problems.append(f"span {span!r} occurs {count} times in the text; it must occur exactly once")
        else:
            before, _, after = text.partition(span)
            sides = (len(carrier_words(before)), len(carrier_words(after)))
            if max(sides) < MIN_CARRIER_WORDS:
                problems.append(
                    f"the carrier has {sides[0]} word(s) before the span and {sides[1]} after; a transcript is "
                    f"aligned by at least {MIN_CARRIER_WORDS} on one side"
                )
    if not isinstance(control, str) or not control.strip():
        problems.append("needs a `control` (the sentence with the span written in words)")
    meaning = item.get("meaning_changes", True)
    if not isinstance(meaning, bool):
        problems.append(f"`meaning_changes` must be true or false, got {meaning!r}")
    accepted = item.get("accepted")
    accepted_forms: list[str] = []
    if not isinstance(accepted, list) or not accepted or not all(isinstance(form, str) for form in accepted):
        problems.append("needs `accepted`: a non-empty list of spoken forms")
    else:
        accepted_forms = accepted
    raw_misreadings = item.get("misreadings", [])
    misreadings: list[Misreading] = []
    if not isinstance(raw_misreadings, list):
        problems.append("`misreadings` must be a list of {\"say\", \"error\"} objects")
        raw_misreadings = []
    for index, wrong in enumerate(raw_misreadings):
        if not isinstance(wrong, Mapping) or not isinstance(wrong.get("say"), str) or not isinstance(
            wrong.get("error"), str
        ):
            problems.append(f"misreadings[{index}] must be an object with `say` and `error` strings")
            continue
        if not _ERROR_TYPE.fullmatch(wrong["error"]):
            problems.append(f"misreadings[{index}]: error type {wrong['error']!r} must be kebab-case")
        misreadings.append(Misreading(wrong["say"], wrong["error"]))
    right: list[str] = []
    for form in accepted_forms:
        try:
            parse(form)
            right.append(form)
        except GrammarError as error:
            problems.append(f"accepted form: {error}")
    for index, wrong in enumerate(misreadings):
        try:
            said = list(itertools.islice(readings(wrong.say), CLASH_CHECKS))
        except GrammarError as error:
            problems.append(f"misreadings[{index}]: {error}")
            continue
        clash = next(((reading, form) for reading in said for form in right
                      if matches(form, reading, as_spelled=True)), None)
        if clash:
            problems.append(f"misreadings[{index}] {wrong.say!r} can be said {' '.join(clash[0])!r}, "
                            f"which the accepted {clash[1]!r} allows")
    if problems:
        return problems
    assert isinstance(text, str) and isinstance(category, str) and isinstance(span, str)
    assert isinstance(control, str)
    return HardText(text, category, span, tuple(accepted_forms), tuple(misreadings), control, bool(meaning))
