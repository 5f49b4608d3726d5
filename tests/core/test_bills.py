"""A billed figure is read as an exact bounded count or refused in words (`harness.core.prices.bills`): every hostile
form issue 59 met — 10**20, `1e309`, `1e5000`, `1e999999999`, negative, `-0`, a word, two values, NaN, a JSON integer of
thousands of digits — is refused before any arithmetic; a plain count past 10 times what the plan expects of its unit
is beyond its bound; and a store holds no amount that is none."""

from __future__ import annotations

import math
from decimal import Decimal

import httpx
import pytest

from harness.core.prices import Counting, Rate, Unit
from harness.core.prices.bills import (
    AMOUNT_LIMIT,
    BILL_FACTOR,
    beyond,
    bill_bounds,
    bill_number,
    ceilings,
    storable,
)
from harness.core.protocols.billing import BilledSignal, documents_of, read_billed

TEXT = "The old man walked slowly along the quiet road toward the village."  # 66 characters

REFUSED = [
    ("99999999999999999999", "more than 1,000,000,000,000,000"),
    ("1e309", "more than 1,000,000,000,000,000"),
    ("1e5000", "more than 1,000,000,000,000,000"),
    ("1e999999999", "more than 1,000,000,000,000,000"),
    ("1" + "0" * 60, "longer than 40 characters"),
    ("-5", "a negative count"),
    ("-0", "a signed zero"),
    ("-0.0", "a signed zero"),
    ("+3", "a signed number"),
    ("lots", "not a number"),
    ("", "not a number"),
    ("5, 7", "several values"),
    ("NaN", "not a finite number"),
    ("Infinity", "not a finite number"),
    ("1e-12", "finer than 1e-9"),
    (float("inf"), "not a finite number"),
    (float("nan"), "not a finite number"),
    (-0.0, "a signed zero"),
    (-3, "a negative count"),
    (10**5000, "more than 1,000,000,000,000,000"),
    (True, "not a number"),
    (None, "not a number"),
    ([1], "not a number"),
    ({"n": 1}, "not a number"),
    (Decimal("-0"), "a signed zero"),
    (Decimal("1E+5000"), "more than 1,000,000,000,000,000"),
]


@pytest.mark.parametrize(("raw", "why"), REFUSED, ids=[str(i) for i in range(len(REFUSED))])
def test_a_hostile_figure_is_refused_in_words(raw: object, why: str) -> None:
    value, said = bill_number(raw)
    assert value is None and said.startswith(why), said


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("42", Decimal(42)),
        (" 42 ", Decimal(42)),
        (42, Decimal(42)),
        (0, Decimal(0)),
        ("0", Decimal(0)),
        (0.0, Decimal(0)),
        ("0.5", Decimal("0.5")),
        (1.5e-05, Decimal("0.000015")),
        ("1e3", Decimal(1000)),
        (Decimal(66), Decimal(66)),
        ("999999999999999", Decimal("999999999999999")),
    ],
)
def test_a_plain_count_is_read_exactly(raw: object, value: Decimal) -> None:
    assert bill_number(raw) == (value, "")


def test_the_json_of_an_answer_keeps_what_a_bill_needs_to_be_judged() -> None:
    # JSON's -0 keeps its sign, an integer of 5,000 digits is never made an int, 1e309 is no finite number
    body = b'{"a": -0, "b": 1' + b"0" * 5000 + b', "c": 1e309, "d": 66}'
    (document,) = documents_of(body, stream=False)
    said = {key: bill_number(value) for key, value in document.data.items()}
    assert said["d"] == (Decimal(66), "")
    assert said["a"][1].startswith("a signed zero") and said["c"][1] == "not a finite number"
    assert said["b"][0] is None


def test_a_header_sent_twice_is_no_bill() -> None:
    signal = BilledSignal(unit=Unit.CHARACTERS, header="x-amzn-RequestCharacters", evidence="the reference")
    headers = httpx.Headers([("x-amzn-RequestCharacters", "66"), ("X-Amzn-RequestCharacters", "67")])
    billed = read_billed((signal,), headers, [])
    assert billed.units == {}
    ((_, line),) = billed.problems
    assert line == (
        "the billing signal header x-amzn-RequestCharacters is sent 2 times ('66, 67'): which one is the "
        "bill is not said"
    )
    assert read_billed((signal,), httpx.Headers({"x-amzn-requestcharacters": "66"}), []).units == {
        Unit.CHARACTERS: Decimal(66)
    }


def test_the_bound_is_ten_times_what_the_plan_expects_for_the_text() -> None:
    bounds = bill_bounds(TEXT, Counting.CODE_POINTS)
    assert BILL_FACTOR == 10
    assert bounds[Unit.CHARACTERS] == bounds[Unit.BYTES] == bounds[Unit.TEXT_TOKENS] == 660
    assert bounds[Unit.REQUESTS] == 10
    assert bounds[Unit.AUDIO_SECONDS] == Decimal("132.0")  # 66 characters read at 5 a second, times 10
    assert bounds[Unit.AUDIO_TOKENS] == 13_200  # at most 100 tokens a second with no rate documented
    assert bounds[Unit.CREDITS] == 660  # a credit a character with no rate saying otherwise
    assert beyond({Unit.CHARACTERS: Decimal(660)}, bounds) == ()  # at the bound: kept (a x2 drift is a gap)
    (past,) = beyond({Unit.CHARACTERS: Decimal(661), Unit.REQUESTS: Decimal(1)}, bounds)
    assert past.words() == "billed 661 characters, beyond 10× the most its plan expects (66 characters)"


def test_the_plan_s_own_rates_raise_the_ceiling() -> None:
    per_minute = Rate(offerings=("m",), unit=Unit.AUDIO_SECONDS, amount=Decimal("0.01"), increment=Decimal(60))
    credits = Rate(
        offerings=("m",),
        unit=Unit.CREDITS,
        amount=Decimal("0.3"),
        per=Decimal(1000),
        credits_per=Unit.CHARACTERS,
        credits_per_unit=Decimal(4),
    )
    tokens = Rate(
        offerings=("m",),
        unit=Unit.AUDIO_TOKENS,
        amount=Decimal(12),
        per=Decimal(1_000_000),
        tokens_per_second=Decimal(25),
    )
    found = ceilings("Hi.", Counting.CODE_POINTS, (per_minute, credits, tokens))
    assert found[Unit.AUDIO_SECONDS] == 60  # billed per started minute: a minute is what a short text costs
    assert found[Unit.CREDITS] == 12  # 4 credits a character
    assert found[Unit.AUDIO_TOKENS] == 25  # a second at least, at its documented 25 tokens a second
    assert ceilings("Hi.", Counting.CODE_POINTS, (), own=Decimal(264))[Unit.CREDITS] == 264  # its own planned amount


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        (None, True),
        (0.0, True),
        (12.5, True),
        (AMOUNT_LIMIT, True),
        (float(AMOUNT_LIMIT) * 10, False),
        (math.inf, False),
        (math.nan, False),
        ("abc", False),
        ("1e309", False),
        (True, False),
        (10**30, False),
        (Decimal("NaN"), False),
        (Decimal(7), True),
    ],
)
def test_a_store_holds_only_a_finite_bounded_amount(value: object, kept: bool) -> None:
    assert storable(value) is kept
