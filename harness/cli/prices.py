"""The price options every command that prices shares: `--price PROVIDER/MODEL=AMOUNT/UNIT` and `--plan
PROVIDER=PLAN`, read once here (their meaning is harness.core.prices')."""

from __future__ import annotations

from harness.core.errors import UsageError


def price_choices(values: list[str] | None) -> dict[str, str] | None:
    """`--price provider/model=AMOUNT/UNIT` options by label (the spelling is checked where it is used)."""
    if not values:
        return None
    prices: dict[str, str] = {}
    for value in values:
        label, sign, amount = value.partition("=")
        if not sign or "/" not in label or not amount.strip():
            raise UsageError(f"--price takes provider/model=AMOUNT/UNIT (e.g. acme/tts-1=20/1M-chars), got {value!r}")
        prices[label.strip()] = amount.strip()
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
