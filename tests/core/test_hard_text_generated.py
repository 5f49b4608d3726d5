"""Misreadings generated from an item (issue 68): what voices say wrong that no author listed, never an accepted
reading, each with its generated error type."""

from __future__ import annotations

import pytest

from harness.core.corpora import load_corpus
from harness.core.hard_text import HardText, Misreading
from harness.core.hard_text.generated import GENERATED, generated_misreadings


def _item(span: str, accepted: tuple[str, ...], misreadings: tuple[Misreading, ...] = ()) -> HardText:
    return HardText(
        text=f"It says {span} here.",
        category="made-up",
        span=span,
        accepted=accepted,
        misreadings=misreadings,
        control="It says it here.",
        meaning_changes=True,
    )


@pytest.mark.parametrize(
    ("span", "accepted", "said", "kind"),
    [
        ("1931", ("nineteen thirty one",), "one thousand nine hundred thirty one", "read-as-cardinal"),
        ("1931", ("nineteen thirty one",), "one nine three one", "digits-one-by-one"),
        ("1400", ("one four zero zero",), "fourteen hundred", "read-as-year"),
        ("March 9", ("march ninth",), "march nine", "ordinal-read-as-cardinal"),
        ("12,000", ("twelve thousand",), "twelve million", "magnitude-error"),
        (
            "$3.99",
            ("three dollars [and] ninety nine [cents]",),
            "three hundred ninety nine dollars",
            "decimal-point-dropped",
        ),
        ("4.5%", ("four point five percent",), "four point five", "symbol-dropped"),
        ("3/4", ("march fourth",), "april third", "day-month-swapped"),
        ("3/4", ("march fourth",), "three slash four", "symbol-read-literally"),
        ("F.B.I.", ("f b i",), "fbi", "letters-read-as-word"),
        ("NASA", ("nasa",), "n a s a", "word-spelled"),
        ("5 km", ("five kilometers",), "five kilograms", "unit-expanded-wrong"),
        ("1908", ("nineteen oh eight",), "one nine oh eight", "digits-one-by-one"),
        ("June 30th", ("june [the] thirtieth",), "june thirty t h", "ordinal-suffix-as-letters"),
        ("45 River Rd.", ("forty five river road",), "forty five river r d", "abbreviation-read-as-letters"),
        ("August 28th", ("august [the] twenty eighth",), "august twenty eight", "ordinal-read-as-cardinal"),
        # the held-out misses of the self-test's even items (issue 68), each on a made-up span
        ("help@sample.com", ("help at sample dot com",), "help at sample com", "symbol-dropped"),
        ("help@sample.com", ("help at sample dot com",), "help sample dot com", "symbol-dropped"),
        ("help@sample.com", ("help at sample dot com",), "help at sample dot c o m", "word-spelled"),
        ("help@sample.com", ("help at sample dot com",), "help at sample period com", "dot-read-as-period"),
        ("sample.org/maps", ("sample dot org slash maps",), "sample dot org backslash maps", "slash-read-as-backslash"),
        ("X-27", ("x twenty seven",), "x two seven", "digits-one-by-one"),
        ("X-27", ("x twenty seven",), "x minus twenty seven", "dash-read-as-minus"),
        ("-40", ("minus forty",), "dash forty", "minus-read-as-dash"),
        ("6:10 a.m.", ("six ten [a m]",), "six ten am", "letters-read-as-word"),
        ("21:00", ("twenty one hundred",), "two thousand one hundred", "time-read-as-cardinal"),
        ("30,000", ("thirty thousand",), "thirty oh oh oh", "comma-split-groups"),
        ("3/8", ("three eighths",), "three eighth", "fraction-plural-dropped"),
        ("300th", ("[one] three hundredth",), "three hundred t h", "ordinal-suffix-as-letters"),
        ("Sen. Lee", ("senator lee",), "sen lee", "abbreviation-read-as-word"),
        ("2 tbsp.", ("two tablespoons",), "two t b s p", "abbreviation-read-as-letters"),
        ("9 ft", ("nine feet",), "nine f t", "abbreviation-read-as-letters"),
        ("OR", ("o r",), "or", "letters-read-as-word"),
        # from the reading without its optional words: a voice that leaves "h t t p s colon slash slash" out misreads
        # too
        (
            "https://sample.org/maps",
            ("[h t t p s colon slash slash] sample dot org slash maps",),
            "sample dot org backslash maps",
            "slash-read-as-backslash",
        ),
    ],
)
def test_the_misreadings_voices_make_are_generated(span: str, accepted: tuple[str, ...], said: str, kind: str) -> None:
    generated = {wrong.say: wrong.error for wrong in generated_misreadings(_item(span, accepted))}
    assert generated.get(said) == GENERATED + kind, generated


def test_a_generated_misreading_is_never_accepted_nor_listed_already() -> None:
    """ "1931" as a year is the accepted reading (no misreading); digits one by one is the author's, with the
    author's error type (not generated again)."""
    hard = _item("1931", ("nineteen thirty one",), (Misreading("one nine three one", "year-digit-by-digit"),))
    said = [wrong.say for wrong in generated_misreadings(hard)]
    assert "nineteen thirty one" not in said and "one nine three one" not in said
    assert "one thousand nine hundred thirty one" in said


def test_no_item_of_en_hard_accepts_a_reading_generated_for_it() -> None:
    for item in load_corpus("en_hard").items:
        if item.hard is not None and not item.control:
            for wrong in generated_misreadings(item.hard):
                assert not item.hard.accepts(tuple(wrong.say.split())), (item.id, wrong)


def test_a_clock_time_is_no_unit_and_each_kind_is_asked_under_the_cap() -> None:
    """ "8:50 a.m." generated "ten meters to nine" (the "a" of a.m. read as a unit after 50), and a web address's
    symbols, one variant each, crowded every other kind out of the cap (its domain spelled was never asked)."""
    time = [wrong.say for wrong in generated_misreadings(_item("8:50 a.m.", ("ten minutes to nine [a m]",)))]
    assert not any("meters" in said for said in time), time
    address = _item(
        "https://learn.sample.org", ("[h t t p s colon {slash slash|double slash}] learn dot sample dot org",)
    )
    kinds = {wrong.error for wrong in generated_misreadings(address)}
    assert {GENERATED + "word-spelled", GENERATED + "symbol-dropped", GENERATED + "dot-read-as-period"} <= kinds
