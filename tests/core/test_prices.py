"""Prices as providers bill them (harness.core.prices): each unit, the counting rules, plans, currency, a dated
change, credits, minimums, the team's own rates, and the billing gap; the shipped sheets' integrity."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from harness.core.errors import UsageError
from harness.core.prices import (
    Counting,
    PriceSheet,
    Unit,
    billed,
    billing_gap,
    builtin_sheets,
    count,
    parse_price,
    parse_prices_table,
    parse_sheet,
    planned,
    stale,
)
from harness.core.registry import providers

TEXT = "Hello there, this is a test."  # 28 characters


def _sheet(*rates: dict[str, object], **top: object) -> PriceSheet:
    return parse_sheet(
        {
            "provider": "acme",
            **top,
            "rate": [
                {"offerings": ["m"], "source": "https://acme.example/p", "read": "2026-11-01", **rate} for rate in rates
            ],
        },
        "acme.toml",
    )


def test_characters_bytes_and_requests_are_counted_exactly() -> None:
    chars = planned(_sheet({"unit": "characters", "amount": "15", "per": "1000000"}), "m", TEXT)
    assert chars is not None and chars.usd == Decimal("15") * 28 / 1_000_000 and not chars.estimated
    assert "15 USD per 1M characters × 28 characters (counted)" in chars.how
    utf8 = planned(_sheet({"unit": "bytes", "amount": "15", "per": "1000000"}), "m", "naïve café")
    assert utf8 is not None and utf8.quantities[0].count == len("naïve café".encode())  # 12 bytes for 10 characters
    request = planned(_sheet({"unit": "requests", "amount": "0.015"}), "m", TEXT)
    assert request is not None and request.usd == Decimal("0.015")


def test_tokens_and_seconds_are_estimated_with_a_stated_upper_bound() -> None:
    sheet = _sheet(
        {"unit": "text_tokens", "amount": "0.6", "per": "1000000"},
        {"unit": "audio_tokens", "amount": "12", "per": "1000000", "tokens_per_second": "25"},
    )
    found = planned(sheet, "m", TEXT)
    assert found is not None and found.estimated
    text, audio = found.quantities
    assert text.count == 7 and text.upper == 28  # 4 characters a token; at most one a UTF-8 byte
    assert audio.count == 47 and audio.upper == 140  # 28/15 s × 25, at most 28/5 s × 25
    assert found.upper_usd is not None and found.usd is not None and found.upper_usd > found.usd
    assert "estimated, at most" in found.how
    minutes = planned(_sheet({"unit": "audio_minutes", "amount": "0.03"}), "m", "x" * 900)  # 60 s at 15 a second
    assert minutes is not None and minutes.usd == Decimal("0.03")
    # audio tokens with no documented rate a second cannot be planned: no price, never a guess
    assert planned(_sheet({"unit": "audio_tokens", "amount": "12", "per": "1000000"}), "m", TEXT) is None


def test_billed_units_price_at_the_plans_rates() -> None:
    sheet = _sheet(
        {"unit": "text_tokens", "amount": "0.6", "per": "1000000"},
        {"unit": "audio_tokens", "amount": "12", "per": "1000000", "tokens_per_second": "25"},
    )
    bill = billed(sheet, "m", {Unit.TEXT_TOKENS: Decimal(8), Unit.AUDIO_TOKENS: Decimal(100)})
    assert bill is not None and bill.usd == (Decimal("0.6") * 8 + Decimal(12) * 100) / 1_000_000
    assert billed(sheet, "m", {Unit.TEXT_TOKENS: Decimal(8)}) is None  # the answer said nothing of audio tokens
    seconds = billed(_sheet({"unit": "audio_minutes", "amount": "0.03"}), "m", {Unit.AUDIO_SECONDS: Decimal(30)})
    assert seconds is not None and seconds.usd == Decimal("0.015")


@pytest.mark.parametrize(
    ("rule", "text", "expected"),
    [
        (Counting.CODE_POINTS, "<speak>Hi</speak>", 17),
        (Counting.SSML_STRIPPED, "<speak>Hi &amp; bye</speak>", 8),  # tags not billed, an entity is one character
        (Counting.CJK_DOUBLE, "你好 ok", 7),
        (Counting.UTF8_BYTES, "é", 2),
        (Counting.UTF16_UNITS, "a😀", 3),
        (Counting.WHITESPACE_EXCLUDED, "a b\nc", 3),
    ],
)
def test_counting_rules(rule: Counting, text: str, expected: int) -> None:
    assert count(text, rule) == expected


def test_the_gap_between_plan_and_bill_respects_the_counting_rule() -> None:
    sheet = _sheet({"unit": "characters", "amount": "16", "per": "1000000"}, counting="ssml_stripped")
    plan = planned(sheet, "m", "<speak>Hello</speak>")
    assert plan is not None and plan.quantities[0].count == 5
    assert billing_gap(plan, {Unit.CHARACTERS: Decimal(5)}) is None  # the tags are not billed: no finding
    assert billing_gap(plan, {Unit.CHARACTERS: Decimal(10)}) == "billed 10 characters where its counting rule gives 5"
    tokens = planned(_sheet({"unit": "text_tokens", "amount": "1", "per": "1000000"}), "m", TEXT)
    assert tokens is not None
    assert billing_gap(tokens, {Unit.TEXT_TOKENS: Decimal(9)}) is None  # an estimate: within its upper bound
    assert billing_gap(tokens, {Unit.TEXT_TOKENS: Decimal(60)}) is not None


def test_plans_credits_minimums_and_increments() -> None:
    sheet = _sheet(
        {"unit": "characters", "amount": "0.05", "per": "1000"},
        {"plan": "pro", "unit": "credits", "amount": "0.24", "per": "1000", "credits_per_character": "0.5"},
        {"plan": "tiny", "unit": "characters", "amount": "1", "per": "1000000", "minimum": "0.01"},
        {"plan": "minutes", "unit": "audio_seconds", "amount": "0.01", "increment": "60"},
    )
    assert sheet.plans == ("pay-as-you-go", "pro", "tiny", "minutes")
    assert planned(sheet, "m", "x" * 1000).usd == Decimal("0.05")  # type: ignore[union-attr]
    pro = planned(sheet, "m", "x" * 1000, plan="pro")  # 500 credits at 0.24 USD per 1,000
    assert pro is not None and pro.usd == Decimal("0.12") and "0.5 a character" in pro.how
    assert planned(sheet, "m", "x", plan="tiny").usd == Decimal("0.01")  # type: ignore[union-attr]
    per_minute = planned(sheet, "m", "x" * 30, plan="minutes")  # 2 s of speech, billed as a started minute
    assert per_minute is not None and per_minute.usd == Decimal("0.60")


def test_a_currency_needs_a_dated_conversion() -> None:
    rupees = {"unit": "characters", "amount": "30", "per": "10000"}
    unconverted = planned(_sheet(rupees, currency="INR"), "m", "x" * 10000)
    assert unconverted is not None and unconverted.amount == Decimal(30) and unconverted.usd is None
    converted = planned(
        _sheet(rupees, currency="INR", usd_per_unit_currency="0.0113", conversion_read="2025-11-05"), "m", "x" * 10000
    )
    assert converted is not None and converted.usd == Decimal("0.3390")


def test_a_dated_change_applies_from_its_date() -> None:
    sheet = _sheet(
        {"unit": "characters", "amount": "10", "per": "1000000"},
        {"unit": "characters", "amount": "20", "per": "1000000", "effective_from": "2027-01-01"},
    )
    before = planned(sheet, "m", "x" * 1000, on=dt.date(2026, 12, 31))
    after = planned(sheet, "m", "x" * 1000, on=dt.date(2027, 1, 1))
    assert before is not None and after is not None and after.usd == 2 * before.usd  # type: ignore[operator]


def test_a_price_read_long_ago_is_stale() -> None:
    rate = _sheet({"unit": "characters", "amount": "1"}).rates[0]
    assert not stale(rate, dt.date(2026, 12, 1)) and stale(rate, dt.date(2027, 12, 1))
    assert stale(rate, dt.date(2026, 11, 20), max_age_days=10)


@pytest.mark.parametrize(
    ("spelling", "unit", "per", "amount"),
    [
        ("20/1M-chars", Unit.CHARACTERS, Decimal(1_000_000), Decimal(20)),
        ("0.03/min", Unit.AUDIO_MINUTES, Decimal(1), Decimal("0.03")),
        ("1.2/hour", Unit.AUDIO_MINUTES, Decimal(60), Decimal("1.2")),
        ("0.002/request", Unit.REQUESTS, Decimal(1), Decimal("0.002")),
        ("0.002", Unit.REQUESTS, Decimal(1), Decimal("0.002")),
        ("12/1M-audio-tokens", Unit.AUDIO_TOKENS, Decimal(1_000_000), Decimal(12)),
        ("0.6/1k text-tokens", Unit.TEXT_TOKENS, Decimal(1000), Decimal("0.6")),
    ],
)
def test_a_price_option_takes_a_unit(spelling: str, unit: Unit, per: Decimal, amount: Decimal) -> None:
    rate = parse_price("acme/m", spelling)
    assert (rate.unit, rate.per, rate.amount, rate.configured) == (unit, per, amount, True)


@pytest.mark.parametrize(
    ("spelling", "said"),
    [
        ("twenty", "not a price"),
        ("20/1M-furlongs", "unknown unit 'furlongs'"),
        ("-3/min", "not a price"),
    ],
)
def test_a_bad_price_option_is_one_line(spelling: str, said: str) -> None:
    with pytest.raises(UsageError, match=re.escape(said)):
        parse_price("acme/m", spelling)


def test_a_providers_file_prices_table() -> None:
    table = parse_prices_table(
        {"acme/m": "12/1M-chars", "acme/n": {"amount": "0.5", "unit": "minutes", "note": "our contract"}}, "f.toml"
    )
    assert table["acme/m"][0].amount == 12 and table["acme/n"][0].unit is Unit.AUDIO_MINUTES
    with pytest.raises(UsageError, match=r"f.toml: \[prices\] key 'oops' must be provider/model"):
        parse_prices_table({"oops": "1"}, "f.toml")
    with pytest.raises(UsageError, match="unit 'gallons' is not one of"):
        parse_prices_table({"acme/m": {"amount": "1", "unit": "gallons"}}, "f.toml")


def test_a_malformed_sheet_is_one_line() -> None:
    with pytest.raises(UsageError, match=re.escape("acme.toml: rate 1: amount: 'lots' is not a number")):
        _sheet({"unit": "characters", "amount": "lots"})
    with pytest.raises(UsageError, match=re.escape("acme.toml: rate 1: read: 'yesterday' is not a date")):
        _sheet({"unit": "characters", "amount": "1", "read": "yesterday"})
    with pytest.raises(UsageError, match="counting 'vibes' is not one of"):
        _sheet({"unit": "characters", "amount": "1"}, counting="vibes")


# --- the shipped sheets ---------------------------------------------------------------------------------


def test_every_shipped_sheet_prices_offerings_its_provider_has_and_cites_them() -> None:
    known = providers()
    sheets = builtin_sheets().all()
    assert len(sheets) >= 25
    for sheet in sheets:
        assert sheet.provider in known, f"{sheet.path}: no provider {sheet.provider}"
        offered = {o.name for o in known[sheet.provider].offerings}
        assert set(sheet.offerings()) <= offered, f"{sheet.path}: {set(sheet.offerings()) - offered}"
        assert sheet.default_plan in sheet.plans or not sheet.rates, f"{sheet.path}: default plan not offered"
        for rate in sheet.rates:
            assert rate.source and rate.read and rate.quote, f"{sheet.path}: {rate.offerings} cites no source/date"
        assert sheet.currency == "USD" or sheet.conversion is not None, f"{sheet.path}: no dated conversion"


def test_the_jobs_declarations_and_their_sheets_agree() -> None:
    """A jobs API's declaration prices its requests for the sandbox's wallets; its sheet prices them for the plan:
    the two say the same (one figure, two readers)."""
    from harness.core.spec import SynthesisInput, Upload

    for name in ("pixazo", "pixelapi"):
        provider = providers()[name]
        sheet = builtin_sheets().sheet(name)
        assert sheet is not None
        for offering in provider.offerings:
            rates = sheet.rates_for(offering.name)
            if not rates:
                continue
            endpoint = provider.endpoint(offering.endpoint)
            given = SynthesisInput(
                text=TEXT,
                language="en",
                reference_url="https://voices.example/r.wav",
                reference_audio=Upload(filename="r.wav", content=b"RIFF"),
            )
            payload = offering.build(given)
            declared = endpoint.price(payload) if endpoint.price else None
            assert declared is not None and declared.amount == planned(sheet, offering.name, TEXT).usd  # type: ignore[union-attr]
