"""The small grammar a hard-text item writes its spoken forms in, and whether a heard reading is one of them.

    twelve dollars [and] fifty [cents]        optional words in brackets
    {nineteen eighty four|one nine eight four} one of the alternatives (they may hold spaces, nest [..] and {..})

Words are lowercase letters (an apostrophe inside a word is allowed: "o'clock"); no digits, no punctuation:
a form says what is heard, not what is written. Both the corpus loader (to refuse a bad form with one line)
and the span scorer (to match a transcript) read forms here, so the two can never read a form differently.

A form can allow very many readings (a phone number with "oh" or "zero" for each 0), so it is never expanded:
it is parsed to a tree (`parse`, without recursion) and compiled to an automaton over its words
(`harness.core.hard_text.automata`; once per form, cached). Every question is a walk over automata, linear in
their sizes, never a list of readings nor a backtracking regular expression:

- `matches`: is a heard reading one of the form's (any spelling of a word's sound, `SAME_SOUND`, unless
  ``as_spelled``); `matches_joined`: the same without word breaks, on an automaton over characters;
- `shared_reading`: one shortest reading two forms both allow (the corpus loader's check that no misreading
  can be said as an accepted reading);
- `readings` lists readings lazily (memory for one reading); `count_readings` counts them without listing.

For a judge that extends partial readings word by word (a beam search over a form's readings), `automaton`
hands out the compiled form::

    walk = automaton("{oh|zero} one")
    states = walk.start                          # a frozenset of states
    walk.next_words(states)                      # {"oh", "zero"}
    states = walk.advance(states, "zero")        # empty: the word cannot come next
    walk.accepting(walk.advance(states, "one"))  # True: "zero one" is a whole reading

The bounds below keep every walk small: a clash check visits at most ``MAX_STATES ** 2`` pairs of states.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from harness.core.hard_text.automata import Automaton, Builder, shortest_shared

# The longest form read, in characters: en_hard's longest is 165 (a phone number with its "oh"/"zero"/"double"
# choices). It bounds a compiled form's states (`MAX_STATES`), so a clash check's pairs, its time and memory.
MAX_FORM_CHARS = 500
# Brackets nested deeper than this are refused (en_hard nests 3 deep); the parser keeps a stack of this height.
MAX_NESTING = 32
# A compiled form's states: one per word, `[..]` and `{..}`, and one for the end; each of those takes at least
# a character, so a form within `MAX_FORM_CHARS` stays within this.
MAX_STATES = MAX_FORM_CHARS + 1
# Forms compiled and kept (each is small: at most `MAX_STATES` states); the span scorer asks of the same few.
_CACHED_FORMS = 1024

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
_TOKEN = re.compile(r"\s*([\[\]{}|]|[^\s\[\]{}|]+)")
_PLAIN = re.compile(r"[a-z\s\[\]{}|]*")  # a form without apostrophes or other characters: its words are words
_BRACKETS = re.compile(r"[\[\]{}|]")  # a form without any: words alone, one reading
_OPENING = {"]": "[", "}": "{", "|": "{"}
_CLOSING = {"[": "]", "{": "}"}
_SHOWN_CHARS = 60  # a form quoted in a message is cut to this: the message stays one short line

Reading = tuple[str, ...]

# Spellings of one sound: a transcript spells a homophone as it likes ("two oh to eight", "three are d"), so a
# form's word is matched by any spelling of its sound. Only digit words and letter names, whose sound is the
# whole point of a hard span; a form whose right and wrong readings differ only so is judged unsure.
SAME_SOUND: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "o oh",
        "two to too",
        "four for",
        "one won",
        "eight ate",
        "b be bee",
        "c see sea",
        "i eye",
        "j jay",
        "k kay",
        "p pee",
        "q queue cue",
        "r are",
        "t tea",
        "u you",
        "x ex",
        "y why",
    )
)
_SOUNDS = {word: group for group in SAME_SOUND for word in group}
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Words English writes with a capital wherever they stand: the names of the months and of the days of the week. A
# reading says them in lowercase like every word; written for a model (`harness.scoring.hard_text.surfaces`) they
# take their capital, as a transcript does.
PROPER_NAMES = frozenset((*MONTHS, *WEEKDAYS))


class GrammarError(ValueError):
    """A spoken form the grammar cannot read; the message is one line naming the problem."""


@dataclass(frozen=True, slots=True)
class Word:
    text: str


@dataclass(frozen=True, slots=True)
class OptionalWords:
    part: Sequence


@dataclass(frozen=True, slots=True)
class GrammarChoice:
    alternatives: tuple[Sequence, ...]


@dataclass(frozen=True, slots=True)
class Sequence:
    parts: tuple[Word | OptionalWords | GrammarChoice, ...]


Node = Word | OptionalWords | GrammarChoice | Sequence  # a form's tree, for `fullest` (its automaton is built without
# it)
Leaf = Callable[[Builder, str, int], int]  # the states that read one word of a form, and lead to a given state


@lru_cache(maxsize=_CACHED_FORMS)
def parse(form: str) -> Sequence:
    """The form's tree (``GrammarError`` when it is not a form of the grammar, or allows saying nothing)."""
    automaton(form)  # every check, the one for saying nothing included
    return _tree(_tokens(form))


@lru_cache(maxsize=_CACHED_FORMS)
def automaton(form: str) -> Automaton:
    """The form compiled to an automaton over its words, for walking its readings word by word (the module's
    docstring); ``GrammarError`` as `parse`."""
    compiled = _compile(_tokens(form))
    if compiled.accepting(compiled.start):
        raise GrammarError(f"{quoted(form)} allows saying nothing")
    return compiled


def matches(form: str, reading: Reading, *, as_spelled: bool = False) -> bool:
    """Whether ``reading`` is one of the form's readings, any spelling of a word's sound (`SAME_SOUND`) taken
    unless ``as_spelled``."""
    walk = automaton(form)
    if as_spelled:
        return walk.accepts(reading)
    states = walk.start
    for word in reading:
        states = walk.advance_any(states, _SOUNDS.get(word, (word,)))
        if not states:
            return False
    return walk.accepting(states)


def matches_joined(form: str, reading: Reading) -> bool:
    """Whether ``reading`` sounds like one of the form's without its word breaks ("o clock", "oclock")."""
    return _letters(form).accepts(joined(reading))


_VOWEL = re.compile(r"[aeiouy]")


def spelled(reading: Reading) -> Reading:
    """The reading as a voice says it where a word cannot be said as a word: a word of two or more letters and no
    vowel ("pm", "km", "bldg") is spelled out, letter by letter. A misreading that, so said, is an accepted reading
    ("seven fifteen pm" for "seven fifteen p m") cannot be told from it by ear."""
    out: list[str] = []
    for word in reading:
        out.extend(word.replace("'", "") if len(word) > 1 and not _VOWEL.search(word) else (word,))
    return tuple(out)


def joined(reading: Reading) -> str:
    """A reading without its word breaks and apostrophes: "o clock" and "o'clock" are one sound."""
    return "".join(word.replace("'", "") for word in reading)


def check(form: str) -> None:
    """``GrammarError`` when ``form`` is not a form of the grammar (as `automaton`), without compiling a form that is
    words alone: the corpus loader checks every form of a large file, and most misreadings are plain words."""
    if _words_alone(form) is None:
        automaton(form)


def shared_reading(form: str, other: str, *, limit: int | None = None) -> Reading | None:
    """One shortest reading both forms allow, word for word as spelled (None: they share none). ``limit`` caps
    the pairs of states visited (`harness.core.hard_text.automata.TooLarge` beyond; the bounds above keep it
    under ``MAX_STATES ** 2`` anyway). A form of words alone has one reading, so it is walked through the other's
    automaton, neither compiled nor walked as a product (most misreadings are words alone; en_hard's 1,235 of
    1,505)."""
    for plain, rich in ((form, other), (other, form)):
        if (words := _words_alone(plain)) is not None:
            return words if automaton(rich).accepts(words) else None
    return shortest_shared(automaton(form), automaton(other), limit=limit)


@lru_cache(maxsize=_CACHED_FORMS)
def _words_alone(form: str) -> Reading | None:
    """The form's one reading when it is words alone (no brackets), checked as `_tokens` checks every form; None
    when it has brackets. ``GrammarError`` as `_tokens`."""
    if _BRACKETS.search(form):
        return None
    return tuple(_tokens(form))


def readings(form: str) -> Iterator[Reading]:
    """The form's readings, lazily (there may be very many; take what you need)."""
    return automaton(form).readings()


def count_readings(form: str) -> int:
    """How many readings `readings` yields, counted without listing them (a reading the form allows two ways,
    as "{a|a}" does, is counted twice)."""
    return automaton(form).count()


def fullest(form: str) -> Reading:
    """The one reading to say aloud for ``form``: every optional word, the first of each choice."""
    return _fullest(parse(form))


def leanest(form: str) -> Reading:
    """The form's reading with no optional word, the first of each choice ("example dot com" of "[h t t p s colon
    slash slash] example dot com"): how a voice often says it, so misreadings are generated from it too."""
    return _leanest(parse(form))


def _leanest(node: Node) -> Reading:
    if isinstance(node, Word):
        return (node.text,)
    if isinstance(node, OptionalWords):
        return ()
    if isinstance(node, GrammarChoice):
        return _leanest(node.alternatives[0])
    return tuple(word for part in node.parts for word in _leanest(part))


def _fullest(node: Node) -> Reading:
    if isinstance(node, Word):
        return (node.text,)
    if isinstance(node, OptionalWords):
        return _fullest(node.part)
    if isinstance(node, GrammarChoice):
        return _fullest(node.alternatives[0])
    return tuple(word for part in node.parts for word in _fullest(part))


@lru_cache(maxsize=_CACHED_FORMS)
def _letters(form: str) -> Automaton:
    """The form compiled over the characters of its readings without word breaks, each word in every spelling
    of its sound."""
    automaton(form)  # its checks
    return _compile(_tokens(form), _letter_states)


def _letter_states(builder: Builder, word: str, then: int) -> int:
    spellings = sorted({spelling.replace("'", "") for spelling in _SOUNDS.get(word, (word,))})
    starts = []
    for spelling in spellings:
        state = then
        for letter in reversed(spelling):
            state = builder.reading(letter, state)
        starts.append(state)
    return starts[0] if len(starts) == 1 else builder.choosing(starts)


def _compile(tokens: list[str], leaf: Leaf | None = None) -> Automaton:
    """Thompson's construction over checked tokens, read from the end backwards: each part's states lead to
    the state of what follows it (``then``), so one pass builds it, with a stack of the open brackets. A word
    is a state reading it, or the states ``leaf`` makes for it."""
    builder = Builder()
    reading = builder.reading
    then = builder.final
    open_brackets: list[tuple[int, list[int]]] = []  # each: the state after it, its alternatives' starts so far
    for token in reversed(tokens):
        if token == "]" or token == "}":
            open_brackets.append((then, []))
        elif token == "|":
            after, starts = open_brackets[-1]
            starts.append(then)
            then = after
        elif token == "[":
            after, _ = open_brackets.pop()
            then = builder.choosing((then, after))  # the words first, then skipping them
        elif token == "{":
            after, starts = open_brackets.pop()
            then = builder.choosing([then, *reversed(starts)])  # the alternatives in their written order
        else:
            then = reading(token, then) if leaf is None else leaf(builder, token, then)
    return builder.built(then)


def quoted(form: str) -> str:
    """A form quoted for a one-line message: cut short where it is long."""
    return repr(form if len(form) <= _SHOWN_CHARS else form[:_SHOWN_CHARS] + "…")


def _tokens(form: str) -> list[str]:
    """The form's words and brackets, checked against sequence := (word | [sequence] | {sequence (|
    sequence)*})* with a stack of the open brackets (never deeper than `MAX_NESTING`); ``GrammarError``."""
    if len(form) > MAX_FORM_CHARS:
        raise GrammarError(
            f"a spoken form of {len(form):,} characters ({quoted(form)}); at most {MAX_FORM_CHARS} are read"
        )
    tokens = _TOKEN.findall(form)
    if not tokens:
        raise GrammarError("an empty spoken form")
    words_are_plain = _PLAIN.fullmatch(form) is not None  # then every word token is a word: no check each
    open_brackets: list[str] = []
    for token in tokens:
        if token == "[" or token == "{":
            if len(open_brackets) >= MAX_NESTING:
                raise GrammarError(f"brackets nested more than {MAX_NESTING} deep in {quoted(form)}")
            open_brackets.append(token)
        elif token == "]" or token == "}" or token == "|":
            if not open_brackets or open_brackets[-1] != _OPENING[token]:
                raise GrammarError(f"unexpected {token!r} in {quoted(form)}")
            if token != "|":
                open_brackets.pop()
        elif not words_are_plain and not _WORD.fullmatch(token):
            raise GrammarError(
                f"{token[:_SHOWN_CHARS]!r} in {quoted(form)} is not a lowercase word (no digits or "
                "punctuation: write it as heard)"
            )
    if open_brackets:
        raise GrammarError(f"expected {_CLOSING[open_brackets[-1]]!r} in {quoted(form)}")
    return tokens


def _tree(tokens: list[str]) -> Sequence:
    """The tree of checked tokens (`_tokens`)."""
    # Each open bracket: its kind, the alternatives it has closed (a choice), the parts of the one being read.
    stack: list[tuple[str, list[Sequence], list[Word | OptionalWords | GrammarChoice]]] = [("", [], [])]
    for token in tokens:
        _, alternatives, parts = stack[-1]
        if token == "[" or token == "{":
            stack.append((token, [], []))
        elif token == "|":
            alternatives.append(Sequence(tuple(parts)))
            parts.clear()
        elif token == "]":
            stack.pop()
            stack[-1][2].append(OptionalWords(Sequence(tuple(parts))))
        elif token == "}":
            stack.pop()
            stack[-1][2].append(GrammarChoice((*alternatives, Sequence(tuple(parts)))))
        else:
            parts.append(Word(token))
    return Sequence(tuple(stack[0][2]))
