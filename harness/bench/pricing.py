"""What a request costs, from the provider spec's documented price functions, in its unit and in USD.

Prices come only from the specs (what the documents say the user pays); the settings may add what the
documents leave out: a USD rate for prices in characters (where the documents give none) and a per-request
price for models with no documented price (a model its documents leave unpriced). Against the sandbox the same prices
apply: they are what the run would have cost live.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from harness.core.errors import UsageError
from harness.core.spec import Cost, CostUnit, Endpoint, Provider


@dataclass(frozen=True, slots=True)
class Price:
    """One request's documented price: `amount` in `unit` (None: undocumented) and its USD value."""

    amount: Decimal | None
    unit: CostUnit
    usd: Decimal | None
    basis: str  # documented-price | configured-price | no-documented-price
    note: str = ""

    @property
    def known_usd(self) -> bool:
        return self.usd is not None


@dataclass(frozen=True, slots=True)
class PriceBook:
    """USD rates and price overrides from the settings."""

    usd_per_character: Decimal | None = None
    overrides: Mapping[str, Decimal] | None = None  # "provider/model" -> USD per request

    @classmethod
    def from_settings(cls, usd_per_character: float | None, prices: Mapping[str, float],
                      providers: Mapping[str, Provider]) -> PriceBook:
        """The settings' rates; a price for a model none of `providers` offers, or one that is not a finite
        amount of USD, is refused (a typo would otherwise leave the model it meant unpriced, silently)."""
        known = {f"{p.name}/{o.name}" for p in providers.values() for o in p.offerings}
        unknown = sorted(label for label in prices if label not in known)
        if unknown:
            raise UsageError(f"--price names no known model: {', '.join(unknown)} (provider/model, one of "
                             f"{', '.join(sorted(known)) or 'none'})")
        amounts = {"--usd-per-character": usd_per_character, **{f"--price {k}": v for k, v in prices.items()}}
        bad = [f"{name}={value}" for name, value in amounts.items()
               if value is not None and not (math.isfinite(value) and value >= 0)]
        if bad:
            raise UsageError(f"a price must be a finite amount of USD, 0 or more: {', '.join(bad)}")
        rate = Decimal(str(usd_per_character)) if usd_per_character is not None else None
        return cls(rate, {k: Decimal(str(v)) for k, v in prices.items()})

    def usd_rate(self, provider: Provider, unit: CostUnit) -> Decimal | None:
        if unit is CostUnit.USD:
            return Decimal(1)
        if unit is CostUnit.CHARACTERS and self.usd_per_character is not None:
            return self.usd_per_character
        return provider.usd_per_unit.get(unit)

    def price(self, provider: Provider, model: str, endpoint: Endpoint, payload: Mapping[str, Any],
              own: Cost | None = None) -> Price:
        """The documented price of a request (`own`: the price its model gives apart from the endpoint's)."""
        override = (self.overrides or {}).get(f"{provider.name}/{model}")
        cost: Cost | None = own if own is not None else endpoint.price(payload) if endpoint.price is not None else None
        if cost is None:  # no price function, or one that prices no request of this model
            if override is not None:
                return Price(override, CostUnit.USD, override, "configured-price")
            label = f"{provider.name}/{model}"
            return Price(None, CostUnit.USD, None, "no-documented-price",
                         f"{label}: the documents give no price; set a price with --price {label}=USD")
        rate = self.usd_rate(provider, cost.unit)
        usd = cost.amount * rate if rate is not None else None
        note = "" if usd is not None else (
            f"{provider.name} prices in {cost.unit}; no USD rate is documented: set usd_per_character"
        )
        return Price(cost.amount, cost.unit, usd, "documented-price", note)
