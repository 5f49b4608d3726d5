"""The spoken-form grammar on automata: the walking API, counting, bounds, and agreement with brute force.

The grammar's syntax and the loader's messages are tested with the corpus (tests/bench/test_hard_corpus.py); here
every question the automata answer is checked against listing the readings of small random forms, which is
what the automata replace (and what never finished on large ones: tests/bench/test_hostile_corpus.py).
"""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from harness.core.hard_text.grammar import (
    MAX_FORM_CHARS,
    MAX_NESTING,
    SAME_SOUND,
    GrammarChoice,
    GrammarError,
    Node,
    OptionalWords,
    Reading,
    Word,
    automaton,
    check,
    count_readings,
    fullest,
    joined,
    matches,
    matches_joined,
    parse,
    readings,
    shared_reading,
)

SOUNDS = {word: group for group in SAME_SOUND for word in group}


def test_a_form_is_walked_word_by_word() -> None:
    walk = automaton("{oh|zero} one [two]")
    assert walk.next_words(walk.start) == {"oh", "zero"} and not walk.accepting(walk.start)
    assert walk.advance(walk.start, "one") == frozenset()
    after = walk.advance(walk.start, "zero")
    assert walk.next_words(after) == {"one"}
    done = walk.advance(after, "one")
    assert walk.accepting(done) and walk.next_words(done) == {"two"}
    assert walk.accepting(walk.advance(done, "two")) and not walk.next_words(walk.advance(done, "two"))
    # the same partial reading by another path is the same set of states: a beam merges them
    twice = automaton("[a] a b")
    assert twice.advance(twice.start, "a") == twice.advance(twice.advance(twice.start, "a"), "a") | twice.advance(
        twice.start, "a"
    )


def test_readings_are_counted_and_listed_without_expanding() -> None:
    phone = " ".join(["{oh|zero}"] * 40)
    assert count_readings(phone) == 2**40
    assert count_readings("twelve dollars [and] fifty [cents]") == 4
    assert count_readings("{a|a}") == 2 == len(list(readings("{a|a}")))  # a reading said two ways counts twice
    started = time.perf_counter()
    first = list(itertools.islice(readings(phone), 3))
    assert first == [("oh",) * 40, ("oh",) * 39 + ("zero",), ("oh",) * 38 + ("zero", "oh")]
    nested = "{" + phone + "|nothing} one"  # the old lister made a list of 2**40 readings of the inner part here
    assert next(readings(nested)) == ("oh",) * 40 + ("one",) and count_readings(nested) == 2**40 + 1
    assert time.perf_counter() - started < 1


def test_the_shortest_shared_reading_is_the_example() -> None:
    assert shared_reading("one nine [eight] four", "one nine {eight four|four}") == ("one", "nine", "four")
    assert shared_reading("twelve fifty", "twelve dollars [and] fifty") is None
    assert shared_reading("oh one", "o one") is None  # compared as spelled: sounds are the judge's business


def test_a_form_of_words_alone_is_checked_and_compared_without_its_automaton() -> None:
    # Its one reading walked through the other form (either side), as the product walk would find it.
    assert shared_reading("twelve dollars fifty", "twelve dollars [and] fifty") == ("twelve", "dollars", "fifty")
    assert shared_reading("twelve dollars [and] fifty", "twelve dollars fifty") == ("twelve", "dollars", "fifty")
    assert shared_reading("twelve fifty", "twelve fifty") == ("twelve", "fifty")
    assert shared_reading("twelve fifty", "twelve {fifty|five oh}") == ("twelve", "fifty")
    assert shared_reading("twelve", "twelve fifty") is None
    check("o'clock two")
    for bad, said in (("Two", "not a lowercase word"), ("  ", "empty"), ("a " * 300, "at most 500")):
        with pytest.raises(GrammarError, match=said):
            check(bad)
    assert matches("o one", ("oh", "one")) and not matches("o one", ("oh", "one"), as_spelled=True)


def test_bounds_are_one_line() -> None:
    for form, says in (
        (" ".join(["a"] * MAX_FORM_CHARS), f"at most {MAX_FORM_CHARS}"),
        ("[" * (MAX_NESTING + 1) + "a" + "]" * (MAX_NESTING + 1), f"more than {MAX_NESTING} deep"),
        ("[" * 3000 + "a" + "]" * 3000, "characters"),
        ("{a|b} [" + "x" * 400 + "9]", "lowercase"),
    ):
        with pytest.raises(GrammarError, match=r"^[^\n]{1,250}$") as error:
            parse(form)
        assert says in str(error.value)
    nested = "[" * MAX_NESTING + "a" + "]" * MAX_NESTING + " b"
    assert matches(nested, ("a", "b")) and matches(nested, ("b",))


# Random small forms, as trees rendered to text: few words, so readings clash and sounds meet.
WORDS = ("a", "b", "oh", "o", "two", "to", "ate")


def _node(depth: int) -> st.SearchStrategy[str]:
    word = st.sampled_from(WORDS)
    if depth == 0:
        return word
    inner = st.lists(_node(depth - 1), min_size=0, max_size=3).map(" ".join)
    return st.one_of(
        word,
        word,
        inner.map(lambda part: f"[{part}]"),
        st.lists(inner, min_size=1, max_size=3).map(lambda alternatives: "{" + "|".join(alternatives) + "}"),
    )


FORMS = st.lists(_node(2), min_size=1, max_size=4).map(" ".join)


def _listed(node: Node) -> list[Reading]:
    """Every reading, by the tree, in order: what the automaton replaces."""
    if isinstance(node, Word):
        return [(node.text,)]
    if isinstance(node, OptionalWords):
        return [*_listed(node.part), ()]
    if isinstance(node, GrammarChoice):
        return [reading for alternative in node.alternatives for reading in _listed(alternative)]
    return [
        tuple(word for piece in combination for word in piece)
        for combination in itertools.product(*(_listed(part) for part in node.parts))
    ]


def _parsed(form: str) -> list[Reading] | None:
    try:
        tree = parse(form)
    except GrammarError as error:
        assert "allows saying nothing" in str(error)  # the forms drawn are written right
        return None
    assume(count_readings(form) <= 200)  # small enough to list
    return _listed(tree)


def _sounds_like(said: Reading, heard: Reading) -> bool:
    return len(said) == len(heard) and all(
        SOUNDS.get(s, {s}) == SOUNDS.get(h, {h}) for s, h in zip(said, heard, strict=True)
    )


def _sounds_joined(said: Reading, heard: str) -> bool:
    """Whether ``heard`` is ``said`` without word breaks, each word in some spelling of its sound."""
    ends = {0}
    for word in said:
        spellings = {spelling.replace("'", "") for spelling in SOUNDS.get(word, {word})}
        ends = {end + len(spelling) for end in ends for spelling in spellings if heard.startswith(spelling, end)}
    return len(heard) in ends


@settings(max_examples=150, deadline=None)
@given(form=FORMS, heard=st.lists(st.sampled_from(WORDS), max_size=5).map(tuple), pick=st.integers(0, 10**6))
def test_the_automaton_agrees_with_listing_the_readings(form: str, heard: Reading, pick: int) -> None:
    listed = _parsed(form)
    if listed is None:  # refused for allowing silence, which listing confirms
        assert () in _listed(_tree_of(form))
        return
    assert () not in listed
    assert list(readings(form)) == listed and count_readings(form) == len(listed)
    assert fullest(form) in listed
    said = listed[pick % len(listed)]
    respelled = tuple(sorted(SOUNDS.get(word, {word}))[pick % len(SOUNDS.get(word, {word}))] for word in said)
    letters = tuple(joined(respelled))  # the same sound, broken into words elsewhere
    for reading in (heard, said, respelled, letters):
        assert matches(form, reading, as_spelled=True) == (reading in listed)
        assert matches(form, reading) == any(_sounds_like(said, reading) for said in listed)
        assert matches_joined(form, reading) == any(_sounds_joined(said, joined(reading)) for said in listed)


def _tree_of(form: str) -> Node:
    """The tree of a form the grammar refuses only for allowing silence (the test's own check of that)."""
    from harness.core.hard_text import grammar

    return grammar._tree(grammar._tokens(form))


@settings(max_examples=150, deadline=None)
@given(first=FORMS, second=FORMS)
def test_the_clash_check_agrees_with_listing_the_readings(first: str, second: str) -> None:
    one, other = _parsed(first), _parsed(second)
    if one is None or other is None:
        return
    both = set(one) & set(other)
    said = shared_reading(first, second)
    if not both:
        assert said is None
    else:
        assert said in both and len(said) == min(len(reading) for reading in both)


def test_a_word_without_a_vowel_is_said_as_its_letters() -> None:
    from harness.core.hard_text.grammar import spelled

    assert spelled(("seven", "fifteen", "pm")) == ("seven", "fifteen", "p", "m")
    assert spelled(("five", "km", "bldg")) == ("five", "k", "m", "b", "l", "d", "g")
    # a word with a vowel is said as a word ("am", "id", "dept"); a lone letter is already a letter
    assert spelled(("seven", "am", "id", "dept", "x")) == ("seven", "am", "id", "dept", "x")
