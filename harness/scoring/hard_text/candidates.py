"""The readings a hard-text clip is judged between: every accepted reading and every known misreading of its item,
listed by its author or generated from it (`harness.core.hard_text.generated`).

A form of the spoken-form grammar (`harness.core.hard_text.grammar`) may allow a few readings or very many (a
phone number with "oh" or "zero" for each 0 allows 2^n). A form with at most `LISTED_READINGS` readings is
listed; a larger one is never listed into memory: its readings are searched, word by word over the form's
automaton, keeping the `BEAM` likeliest partial readings at each word (each scored by the summed token
log-probabilities of the carrier before the span and the partial reading: `Listener.likelihoods` with
sentences that do not end), and the whole readings met on the way are the candidates.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from harness.core.hard_text import HardText
from harness.core.hard_text.generated import generated_misreadings
from harness.core.hard_text.grammar import Reading, readings

# A form with more readings than this is searched, not listed.
LISTED_READINGS = 16
# Partial readings kept at each word of a search.
BEAM = 4
# The longest reading searched, in words (en_hard's longest is 16).
MAX_SEARCHED_WORDS = 48


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reading of a form of the item: ``error`` None for an accepted form, else the misreading's type."""

    reading: Reading
    error: str | None
    form: str

    @property
    def accepted(self) -> bool:
        return self.error is None


def forms(hard: HardText) -> list[tuple[str, str | None]]:
    """The item's forms, each with its error type (None: accepted), accepted ones first, then its listed
    misreadings and the misreadings generated from it (`harness.core.hard_text.generated`: what voices say that no
    author listed, each with its ``generated:`` error type)."""
    found: list[tuple[str, str | None]] = [(form, None) for form in hard.accepted]
    return found + [(wrong.say, wrong.error) for wrong in (*hard.misreadings, *generated_misreadings(hard))]


def listed(form: str) -> list[Reading] | None:
    """The form's readings when there are at most `LISTED_READINGS` (None: search it instead)."""
    found = list(itertools.islice(readings(form), LISTED_READINGS + 1))
    return list(dict.fromkeys(found)) if len(found) <= LISTED_READINGS else None


class Walk(Protocol):
    """A form compiled to an automaton over its words (`harness.core.hard_text.grammar.automaton`)."""

    @property
    def start(self) -> frozenset[int]: ...

    def next_words(self, states: frozenset[int]) -> set[str]: ...

    def advance(self, states: frozenset[int], word: str) -> frozenset[int]: ...

    def accepting(self, states: frozenset[int]) -> bool: ...


# Scores partial readings (the summed token log-probabilities of the carrier before and the partial reading).
PrefixScorer = Callable[[Sequence[Reading]], list[float]]


def search(walk: Walk, score: PrefixScorer, *, beam: int = BEAM, max_words: int = MAX_SEARCHED_WORDS) -> list[Reading]:
    """The whole readings a beam search meets, extending the ``beam`` likeliest partial readings word by word
    (the likeliest first, by the score of the partial reading they were met as)."""
    beams: list[tuple[Reading, frozenset[int]]] = [((), walk.start)]
    met: dict[Reading, float] = {}
    for _ in range(max_words):
        grown = [
            ((*reading, word), walk.advance(states, word))
            for reading, states in beams
            for word in sorted(walk.next_words(states))
        ]
        if not grown:
            break
        scores = score([reading for reading, _ in grown])
        ranked = sorted(zip(grown, scores, strict=True), key=lambda pair: -pair[1])[:beam]
        beams = [extended for extended, _ in ranked]
        for (reading, states), value in ranked:
            if walk.accepting(states):
                met.setdefault(reading, value)
    return sorted(met, key=lambda reading: -met[reading])


def walk_of(form: str) -> Walk:
    """The form's automaton: the grammar's own where it compiles forms (`grammar.automaton`), else a walk
    over its parse tree."""
    from harness.core.hard_text import grammar

    compiled = getattr(grammar, "automaton", None)
    if compiled is not None:
        walk: Walk = compiled(form)
        return walk
    return _TreeWalk(form)


class _TreeWalk:
    """A walk over a form's parse tree: a state is the stack of parts still to read (interned to an int)."""

    def __init__(self, form: str) -> None:
        from harness.core.hard_text.grammar import parse

        self._stacks: dict[tuple[object, ...], int] = {}
        self._by_id: list[tuple[object, ...]] = []
        self.start = self._closure([(parse(form),)])

    def _id(self, stack: tuple[object, ...]) -> int:
        if stack not in self._stacks:
            self._stacks[stack] = len(self._by_id)
            self._by_id.append(stack)
        return self._stacks[stack]

    def _closure(self, stacks: list[tuple[object, ...]]) -> frozenset[int]:
        from harness.core.hard_text.grammar import GrammarChoice, OptionalWords, Sequence, Word

        done: set[int] = set()
        todo = list(stacks)
        while todo:
            stack = todo.pop()
            if not stack or isinstance(stack[0], Word):
                done.add(self._id(stack))
                continue
            head, rest = stack[0], stack[1:]
            if isinstance(head, Sequence):
                todo.append((*head.parts, *rest))
            elif isinstance(head, OptionalWords):
                todo += [(head.part, *rest), rest]
            elif isinstance(head, GrammarChoice):
                todo += [(alternative, *rest) for alternative in head.alternatives]
        return frozenset(done)

    def _words(self, states: frozenset[int]) -> Iterator[tuple[str, tuple[object, ...]]]:
        for state in states:
            stack = self._by_id[state]
            if stack:
                yield stack[0].text, stack[1:]  # type: ignore[attr-defined]

    def next_words(self, states: frozenset[int]) -> set[str]:
        return {word for word, _ in self._words(states)}

    def advance(self, states: frozenset[int], word: str) -> frozenset[int]:
        return self._closure([rest for text, rest in self._words(states) if text == word])

    def accepting(self, states: frozenset[int]) -> bool:
        return any(not self._by_id[state] for state in states)
