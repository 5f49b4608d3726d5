"""The price options every command that prices shares: `--price PROVIDER/MODEL=AMOUNT/UNIT` and `--plan
PROVIDER=PLAN`, read once here (their meaning is harness.core.prices')."""

from __future__ import annotations

from harness.core.errors import UsageError
from harness.core.prices import parse_price


def price_choices(values: list[str] | None) -> dict[str, str] | None:
    """`--price provider/model=AMOUNT/UNIT` options by label, each spelling checked by the one parser of `--price`
    (`harness.core.prices.parse_price`; whether the label names a model is the run's to say). A label given twice is
    refused: which of the two was meant cannot be guessed."""
    if not values:
        return None
    prices: dict[str, str] = {}
    for value in values:
        label, sign, amount = value.partition("=")
        label, amount = label.strip(), amount.strip()
        if not sign or "/" not in label or not amount:
            raise UsageError(f"--price takes provider/model=AMOUNT/UNIT (e.g. acme/tts-1=20/1M-chars), got {value!r}")
        if label in prices:
            raise UsageError(f"--price {label} is given twice ({prices[label]} and {amount}): give it once")
        parse_price(label, amount)
        prices[label] = amount
    return prices


def plan_choices(values: list[str] | None) -> dict[str, str]:
    """`--plan provider=PLAN` options by provider."""
    plans: dict[str, str] = {}
    for value in values or ():
        provider, sign, plan = value.partition("=")
        if not sign or not provider.strip() or not plan.strip():
            raise UsageError(f"--plan takes provider=PLAN (a plan its price sheet names), got {value!r}")
        plans[provider.strip()] = plan.strip()
    return plans
