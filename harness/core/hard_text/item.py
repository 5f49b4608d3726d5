"""A hard-text item: a carrier sentence, the one span in it that is hard to read, and the verdicts a reading gets.

An item of a hard-text corpus (``"kind": "hard-text"``, see docs/hard-text.md) carries, beside its ``id`` and
``text``: its ``category``, the ``span`` (occurring exactly once in the text), the ``accepted`` spoken forms
and the known ``misreadings`` (each a spoken form and an ``error`` type) in the grammar of
`harness.core.hard_text.grammar`, a ``control`` (the same sentence with the span already written in words) and
``meaning_changes``. The corpus loader reads items with `read_hard_text`, which names every problem in one
line; the judge reads the same value, and its verdict (`HardTextVerdict`) is what the results store keeps and every
face counts. The loader, the judge and the store live in engines that may not import each other, so the vocabulary
is here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from harness.core.hard_text.automata import TooLarge
from harness.core.hard_text.grammar import (
    GrammarError,
    Reading,
    check,
    matches,
    matches_joined,
    quoted,
    shared_reading,
)

_ERROR_TYPE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Spoken forms of one item, accepted and misreadings together (en_hard's items have at most 6): each misreading
# is compared with each accepted form, so this bounds an item's comparisons.
MAX_FORMS = 32
# The pairs of states an item's comparisons visit in all, shared evenly among them (each misreading against each
# accepted form, `harness.core.hard_text.grammar.shared_reading`). en_hard's largest comparison visits fewer than
# 100; this many take about half a second on one core, so a hostile item costs at most that.
CLASH_PAIRS = 200_000
# Loaded corpora repeat forms (a category's items share them): each form is checked, and each pair compared, once.
_CACHED_CHECKS = 65_536
_LISTED = 12  # categories named in a problem line
_CARRIER_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


class HardTextVerdict(StrEnum):
    """What a clip's reading of its hard span was judged: read right, a known misreading (the row names its error
    type), another reading than any listed (a candidate new misreading, counted neither way), or unsure. The one
    verdict of hard text: the judge gives it, the results store keeps it (`span_scores.verdict`), the figures and
    the faces count it."""

    PASS = "pass"
    FAIL = "fail"
    OTHER = "other"
    UNSURE = "unsure"


@dataclass(frozen=True, slots=True)
class Misreading:
    """A known wrong reading of a span and the kind of error it is (``year-digit-by-digit``)."""

    say: str
    error: str


@dataclass(frozen=True, slots=True, kw_only=True)
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
        problems.append(f"category {quoted(category)} is not one of the corpus' `categories` ({_listed(categories)})")
    if not isinstance(span, str) or not span.strip():
        problems.append("needs a `span` (the hard part of `text`, written as in `text`)")
    elif isinstance(text, str):
        count = text.count(span)
        if count != 1:
            problems.append(f"span {quoted(span)} occurs {count} times in the text; it must occur exactly once")
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
        problems.append('`misreadings` must be a list of {"say", "error"} objects')
        raw_misreadings = []
    for index, wrong in enumerate(raw_misreadings):
        if (
            not isinstance(wrong, Mapping)
            or not isinstance(wrong.get("say"), str)
            or not isinstance(wrong.get("error"), str)
        ):
            problems.append(f"misreadings[{index}] must be an object with `say` and `error` strings")
            continue
        if not _ERROR_TYPE.fullmatch(wrong["error"]):
            problems.append(f"misreadings[{index}]: error type {wrong['error']!r} must be kebab-case")
        misreadings.append(Misreading(wrong["say"], wrong["error"]))
    if len(accepted_forms) + len(misreadings) > MAX_FORMS:
        problems.append(
            f"has {len(accepted_forms) + len(misreadings)} spoken forms (accepted and misreadings); "
            f"at most {MAX_FORMS} are read"
        )
    else:
        problems += _form_problems(accepted_forms, misreadings)
    if problems:
        return problems
    assert isinstance(text, str) and isinstance(category, str) and isinstance(span, str)
    assert isinstance(control, str)
    return HardText(
        text=text,
        category=category,
        span=span,
        accepted=tuple(accepted_forms),
        misreadings=tuple(misreadings),
        control=control,
        meaning_changes=bool(meaning),
    )


def _listed(names: Mapping[str, Any]) -> str:
    """The first few names, and how many more (a corpus may declare very many categories)."""
    shown = ", ".join(itertools.islice(names, _LISTED))
    return shown + (f" … and {len(names) - _LISTED:,} more" if len(names) > _LISTED else "")


def _form_problems(accepted: list[str], misreadings: list[Misreading]) -> list[str]:
    """Each bad form, and each misreading the accepted forms allow: one line each, with the shortest reading
    both allow as the example."""
    problems: list[str] = []
    right: list[str] = []
    for form in accepted:
        if (problem := _form_problem(form)) is None:
            right.append(form)
        else:
            problems.append(f"accepted form: {problem}")
    limit = CLASH_PAIRS // max(1, len(right) * len(misreadings))
    for index, wrong in enumerate(misreadings):
        if (problem := _form_problem(wrong.say)) is not None:
            problems.append(f"misreadings[{index}]: {problem}")
            continue
        for form in right:
            clash = _clash(wrong.say, form, limit)
            if isinstance(clash, tuple):
                problems.append(
                    f"misreadings[{index}] {quoted(wrong.say)} can be said {quoted(' '.join(clash))}, "
                    f"which the accepted {quoted(form)} allows"
                )
            elif clash is not None:
                problems.append(
                    f"misreadings[{index}] {quoted(wrong.say)} and the accepted {quoted(form)} are too "
                    f"large to compare ({clash}; at most {CLASH_PAIRS:,} for the item's forms): write "
                    "them shorter, or fewer"
                )
            if clash is not None:
                break
    return problems


@lru_cache(maxsize=_CACHED_CHECKS)
def _form_problem(form: str) -> str | None:
    try:
        check(form)
    except GrammarError as error:
        return str(error)
    return None


@lru_cache(maxsize=_CACHED_CHECKS)
def _clash(wrong: str, right: str, limit: int) -> Reading | str | None:
    """The shortest reading the misreading ``wrong`` and the accepted ``right`` share (None: they share none),
    or why they could not be compared within ``limit`` pairs of states."""
    try:
        return shared_reading(wrong, right, limit=limit)
    except TooLarge as error:
        return str(error)
