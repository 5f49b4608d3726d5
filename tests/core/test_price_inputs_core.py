"""The price rules beneath every face (harness.core.prices): a price's numbers bounded (no overflow, no "per 0
characters"), `[prices]` read by one reader in every form, a weak source said in words, a user's unit that is not the
model's said, and the audio-metered parts of a plan re-priced on the audio returned (Rime's $0.03 a minute is $1.80
an hour), a hostile cost row's parts never re-priced."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from harness.core.errors import UsageError
from harness.core.prices import (
    BARE_AMOUNT,
    Unit,
    audio_parts,
    audio_parts_from_json,
    audio_parts_json,
    builtin_sheets,
    parse_price,
    parse_prices_table,
    parse_sheet,
    planned,
    repriced_on_audio,
    unit_note,
    weakness,
)


def _sheet(**rate: object) -> object:
    return parse_sheet(
        {
            "provider": "acme",
            "rate": [
                {
                    "offerings": ["m"],
                    "source": "https://acme.example/p",
                    "read": "2026-11-01",
                    "unit": "characters",
                    "amount": "15",
                    "per": "1000000",
                    **rate,
                }
            ],
        },
        "acme.toml",
    )


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("amount", "1e999999999", "out of range"),
        ("per", "1e-999999999", "out of range"),
        ("amount", "1" * 31, "out of range"),
        ("amount", "9" * 5000, "is not a number of at most 30 digits"),
        ("amount", True, "is not a number"),
        ("minimum", "inf", "is not a finite amount"),
        ("weak", "a blog", "weak 'a blog' is not one of reseller, third-party, undated-copy, example"),
    ],
)
def test_a_prices_numbers_and_words_are_bounded_in_one_line(key: str, value: object, said: str) -> None:
    with pytest.raises(UsageError) as raised:
        _sheet(**{key: value})
    assert said in str(raised.value) and len(str(raised.value)) < 300 and "\n" not in str(raised.value)


def test_minus_zero_is_zero_and_the_smallest_per_reads_as_written() -> None:
    assert str(parse_prices_table({"acme/m": {"amount": "-0", "unit": "characters"}}, "f")["acme/m"][0].amount) == "0"
    tiny = parse_prices_table({"acme/m": {"amount": "1", "unit": "characters", "per": "1e-12"}}, "f")["acme/m"][0]
    assert tiny.words() == "1 USD per 0.000000000001 characters"


def test_every_form_of_prices_is_read_by_the_one_reader() -> None:
    read = parse_prices_table(
        {
            "acme/a": "12/1M-chars",
            "acme/b": 0.002,
            "acme/c": {"amount": "0.04", "unit": "characters", "per": "1000", "note": "our contract"},
            "acme/d": [
                {"amount": "0.5", "unit": "text_tokens", "per": "1000000"},
                {"amount": "9", "unit": "audio_tokens", "per": "1000000", "tokens_per_second": "25"},
            ],
        },
        "tts-harness.toml: prices",
        spelled="--price",
    )
    assert read["acme/a"][0].words() == "12 USD per 1M characters" and read["acme/a"][0].source.startswith("--price")
    assert read["acme/b"][0].unit is Unit.REQUESTS and read["acme/b"][0].note == BARE_AMOUNT
    assert read["acme/c"][0].note == "our contract" and "tts-harness.toml" in read["acme/c"][0].source
    assert [r.unit for r in read["acme/d"]] == [Unit.TEXT_TOKENS, Unit.AUDIO_TOKENS]
    assert all(rate.configured for rates in read.values() for rate in rates)


def test_a_user_unit_the_model_is_not_billed_in_is_said() -> None:
    published = builtin_sheets().sheet("openai").rates_for("tts-1")  # type: ignore[union-attr]
    assert unit_note("openai/tts-1", (parse_price("openai/tts-1", "20/1M-chars"),), published) == ""
    bare = unit_note("openai/tts-1", (parse_price("openai/tts-1", "20"),), published)
    assert bare.startswith("it is per request (a bare amount") and "billed per character" in bare
    assert unit_note("acme/m", (parse_price("acme/m", "20"),), ()).startswith("it is per request")
    minutes = unit_note("openai/tts-1", (parse_price("openai/tts-1", "0.03/min"),), published)
    assert minutes == "it is per minute of audio, where tts-1 is billed per character: check the unit"


def test_weakness_in_words() -> None:
    sheets = builtin_sheets()
    assert weakness(sheets.sheet("deepgram").rates_for("aura-2-thalia-en")[0]) == "a reseller's page"  # type: ignore
    assert weakness(sheets.sheet("openai").rates_for("tts-1")[0]) == ""  # type: ignore[union-attr]
    rate = sheets.sheet("openai").rates_for("tts-1")[0]  # type: ignore[union-attr]
    from dataclasses import replace

    assert weakness(replace(rate, source="")) == "no source"
    assert weakness(replace(rate, read=None)) == "no read date"
    assert weakness(replace(rate, source="", configured=True)) == ""  # the team's own rate is theirs to know


@pytest.mark.parametrize(
    ("rate", "seconds", "per_hour"),
    [
        ({"unit": "audio_minutes", "amount": "0.03", "per": "1"}, 7.3, Decimal("1.80")),  # Rime
        ({"unit": "audio_seconds", "amount": "0.0005", "per": "1"}, 4.1, Decimal("1.80")),  # Resemble
        (
            {"unit": "audio_tokens", "amount": "12", "per": "1000000", "tokens_per_second": "20"},
            3600.0,
            Decimal("0.864"),
        ),
    ],
)
def test_audio_parts_are_re_priced_on_the_audio_returned(
    rate: dict[str, str], seconds: float, per_hour: Decimal
) -> None:
    sheet = _sheet(**rate)
    plan = planned(sheet, "m", "x" * 100, on=dt.date(2026, 11, 26))  # type: ignore[arg-type]
    assert plan is not None and plan.usd is not None
    parts = audio_parts_from_json(audio_parts_json(audio_parts(sheet, plan)))  # type: ignore[arg-type]
    assert len(parts) == 1
    change = repriced_on_audio(parts, seconds)
    assert change is not None
    cost = plan.usd + change
    assert cost * Decimal(3600) / Decimal(repr(seconds)) == pytest.approx(per_hour, rel=Decimal("0.003"))


def test_a_price_counted_from_the_text_has_no_audio_parts() -> None:
    sheet = _sheet()
    plan = planned(sheet, "m", "hello")  # type: ignore[arg-type]
    assert plan is not None and audio_parts(sheet, plan) == () and audio_parts_json(()) is None  # type: ignore


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        json.dumps([{"unit": "characters", "usd_per_unit": "1", "planned_usd": "0"}]),
        json.dumps([{"unit": "audio_minutes", "usd_per_unit": "1e999999", "planned_usd": "0"}]),
        json.dumps([{"unit": "audio_minutes", "usd_per_unit": "-1", "planned_usd": "0"}]),
        json.dumps([{"unit": "audio_minutes", "usd_per_unit": "NaN", "planned_usd": "0"}]),
        "[" * 5000,
        None,
        7,
    ],
)
def test_a_hostile_rows_parts_are_never_re_priced(text: object) -> None:
    parts = audio_parts_from_json(text)
    assert parts == () or repriced_on_audio(parts, 1.0) is None
