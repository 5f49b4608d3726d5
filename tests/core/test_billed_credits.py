"""What an answer's billed units cost (`harness.core.prices.billed`, `billing_gap`): characters and tokens at the plan's
rates, and credits an answer says it spent (ElevenLabs' character-cost) at one credit's price on a plan that sells
credits — never on one that bills characters; a provider's rounding of a part credit is not a gap, twice the credits
is."""

from __future__ import annotations

from decimal import Decimal

import pytest

from harness.core.prices import PriceSheet, Unit, billed, billing_gap, builtin_sheets, planned

TEXT = "The quick brown fox jumps over the lazy dog, twice."  # 51 characters


def _sheet(name: str) -> PriceSheet:
    sheet = builtin_sheets().sheet(name)
    assert sheet is not None
    return sheet


def test_spent_credits_are_priced_at_the_credits_price_on_a_credits_plan() -> None:
    sheet = _sheet("elevenlabs")
    plan = planned(sheet, "eleven_flash_v2_5", TEXT, plan="creator")
    assert plan is not None and plan.usd == Decimal("51") * Decimal("0.5") * Decimal("0.0003")
    bill = billed(sheet, "eleven_flash_v2_5", {Unit.CREDITS: Decimal(26)}, plan="creator")
    assert bill is not None and bill.usd == Decimal(26) * Decimal("0.0003")
    assert "26 credits (billed)" in bill.how
    assert billing_gap(plan, {Unit.CREDITS: Decimal(26)}) is None  # 25.5 credits, rounded up by the provider
    assert (
        billing_gap(plan, {Unit.CREDITS: Decimal(52)}) == "billed 52 credits where its counting rule gives 25.50 "
        "(51 characters)"
    )


def test_credits_do_not_price_a_plan_that_bills_characters() -> None:
    sheet = _sheet("elevenlabs")
    assert billed(sheet, "eleven_flash_v2_5", {Unit.CREDITS: Decimal(26)}) is None  # pay-as-you-go: characters
    bill = billed(sheet, "eleven_flash_v2_5", {Unit.CREDITS: Decimal(26), Unit.CHARACTERS: Decimal(51)})
    assert bill is not None and bill.usd == Decimal(51) * Decimal("0.05") / 1000


@pytest.mark.parametrize(
    ("units", "gap"),
    [
        ({Unit.CHARACTERS: Decimal(51)}, None),
        ({Unit.CHARACTERS: Decimal(102)}, "billed 102 characters where its counting rule gives 51"),
    ],
)
def test_characters_billed_beyond_the_counting_rule_are_a_gap(units: dict[Unit, Decimal], gap: str | None) -> None:
    sheet = _sheet("murf")
    plan = planned(sheet, "GEN2", TEXT)
    assert plan is not None and billing_gap(plan, units) == gap


def test_tokens_are_a_gap_only_past_the_plans_upper_bound() -> None:
    sheet = _sheet("openai")
    plan = planned(sheet, "gpt-4o-mini-tts", TEXT)
    assert plan is not None
    assert billing_gap(plan, {Unit.TEXT_TOKENS: Decimal(40), Unit.AUDIO_TOKENS: Decimal(60)}) is None
    assert (
        billing_gap(plan, {Unit.TEXT_TOKENS: Decimal(52)})
        == "billed 52 text tokens, more than the plan's upper bound 51"
    )
    bill = billed(sheet, "gpt-4o-mini-tts", {Unit.TEXT_TOKENS: Decimal(13), Unit.AUDIO_TOKENS: Decimal(60)})
    assert bill is not None and bill.usd == (13 * Decimal("0.60") + 60 * Decimal("12.00")) / 1_000_000
