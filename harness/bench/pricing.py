"""What a request costs: the plan's price of every job, from the provider's price sheet (harness.core.prices).

Where a price comes from, in order: the team's own rate (`--price`, a providers file's `[prices]`), which replaces
the published one with a note saying so; the provider's published price sheet (`harness/data/prices/`), on the
plan the run chose (`--plan provider=PLAN`, else the sheet's default); the price a declaration states itself (a
providers file's `price_per_million_chars`, a jobs API's per-request price, a provider's own characters). The arithmetic is
`harness.core.prices.charge`'s; this module only chooses the rates. Against the sandbox the same prices apply: they
are what the run would have cost live.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from harness.bench.config import CostSettings
from harness.core.errors import UsageError
from harness.core.prices import (
    STALE_AFTER_DAYS,
    Charge,
    PriceSheet,
    Rate,
    SheetLibrary,
    billed_quantities,
    builtin_sheets,
    charge,
    parse_price,
    planned,
    replaced_note,
    stale,
    text_quantities,
)
from harness.core.prices.units import Unit
from harness.core.spec import Cost, CostUnit, Endpoint, Provider

DOCUMENTED, CONFIGURED, NONE = "documented-price", "configured-price", "no-documented-price"


@dataclass(frozen=True, slots=True)
class Price:
    """One request's planned price: `amount` in `unit` (a currency, or a provider's own characters; None: no price), its
    USD value as planned and at worst (what a budget reserves), and where the price was read."""

    amount: Decimal | None
    unit: CostUnit | str
    usd: Decimal | None
    basis: str  # documented-price | configured-price | no-documented-price
    note: str = ""
    worst: Decimal | None = None  # the most it can cost in USD (None: as `usd`)
    how: str = ""  # the rates times the quantities, and which of them are estimates
    plan: str = ""
    source: str = ""
    read: str = ""  # YYYY-MM-DD
    stale: bool = False  # read longer ago than the run's --price-max-age
    charge: Charge | None = None
    sheet: PriceSheet | None = None
    offering: str = ""

    @property
    def known_usd(self) -> bool:
        return self.usd is not None

    @property
    def worst_usd(self) -> Decimal | None:
        return self.worst if self.worst is not None else self.usd

    @property
    def estimated(self) -> bool:
        return self.charge is not None and self.charge.estimated

    def provenance(self) -> str:
        """Where the price was read, in a few words every face shows: source, date, plan, stale."""
        if self.basis == NONE:
            return "no public price"
        parts = [self.plan] if self.plan else []
        if self.source:
            parts.append(self.source)
        if self.read:
            parts.append(f"read {self.read}" + (" (stale)" if self.stale else ""))
        return ", ".join(parts)

    def billed(self, units: Mapping[Unit, Decimal]) -> Charge | None:
        """What the answer's billed units cost under the same rates (None where they do not price it)."""
        if self.sheet is None or self.charge is None:
            return None
        return charge(self.sheet, self.charge.rates, billed_quantities(units))


@dataclass(frozen=True, slots=True)
class PriceBook:
    """The run's prices: the published sheets, the plans chosen, the team's own rates and the settings' USD rate."""

    usd_per_character: Decimal | None = None
    overrides: Mapping[str, tuple[Rate, ...]] = field(default_factory=dict)  # "provider/model" -> the team's rates
    plans: Mapping[str, str] = field(default_factory=dict)  # provider -> plan
    sheets: SheetLibrary | None = None  # None: the built-in sheets
    max_age_days: int = STALE_AFTER_DAYS
    today: dt.date | None = None

    @classmethod
    def from_settings(cls, usd_per_character: float | None, prices: Mapping[str, float | str],
                      providers: Mapping[str, Provider], *, plans: Mapping[str, str] | None = None,
                      table: Mapping[str, tuple[Rate, ...]] | None = None,
                      max_age_days: int = STALE_AFTER_DAYS) -> PriceBook:
        """The settings' rates. A price for a model none of `providers` offers, one that is not a finite amount,
        and a plan no sheet names are refused (a typo would otherwise leave the model it meant priced wrong)."""
        known = {f"{p.name}/{o.name}" for p in providers.values() for o in p.offerings}
        given = {**(table or {})}
        unknown = sorted(label for label in [*prices, *given] if label not in known)
        if unknown:
            raise UsageError(f"--price names no known model: {', '.join(unknown)} (provider/model, one of "
                             f"{', '.join(sorted(known)) or 'none'})")
        bad = [f"--usd-per-character={usd_per_character}"] if usd_per_character is not None and not (
            math.isfinite(usd_per_character) and usd_per_character >= 0) else []
        for label, value in prices.items():
            if isinstance(value, float | int) and not (math.isfinite(value) and value >= 0):
                bad.append(f"--price {label}={value}")
        if bad:
            raise UsageError(f"a price must be a finite amount of USD, 0 or more: {', '.join(bad)}")
        for label, value in prices.items():
            given[label] = (parse_price(label, str(value)),)
        book = cls(Decimal(str(usd_per_character)) if usd_per_character is not None else None, given,
                   dict(plans or {}), max_age_days=max_age_days)
        for provider, plan in (plans or {}).items():
            sheet = book.sheet_of(providers[provider]) if provider in providers else None
            if sheet is None or plan not in sheet.plans:
                offered = ", ".join(sheet.plans) if sheet is not None else "none (no price sheet)"
                raise UsageError(f"--plan {provider}={plan}: {provider} has no such plan; its plans: {offered}")
        return book

    @classmethod
    def for_run(cls, cost: CostSettings, providers: Mapping[str, Provider]) -> PriceBook:
        """The run's prices from its settings and the providers file's `[prices]` (of the providers in play)."""
        from harness.core.registry import declared_prices

        table = {label: rates for label, rates in declared_prices().items()
                 if label.partition("/")[0] in providers}
        return cls.from_settings(cost.usd_per_character, cost.prices, providers, plans=cost.plans, table=table,
                                 max_age_days=cost.price_max_age)

    def sheet_of(self, provider: Provider) -> PriceSheet | None:
        name = provider.price_sheet if provider.price_sheet is not None else provider.name
        if not name:
            return None
        return (self.sheets or builtin_sheets()).sheet(name)

    def usd_rate(self, provider: Provider, unit: CostUnit) -> Decimal | None:
        if unit is CostUnit.USD:
            return Decimal(1)
        if unit is CostUnit.CHARACTERS and self.usd_per_character is not None:
            return self.usd_per_character
        return provider.usd_per_unit.get(unit)

    def price(self, provider: Provider, model: str, endpoint: Endpoint, payload: Mapping[str, Any],
              own: Cost | None = None, text: str | None = None) -> Price:
        """The price of a request for `model` (`text`: what it speaks; `own`: the price a socket's model gives
        apart from its endpoint's, where its declaration states one)."""
        label = f"{provider.name}/{model}"
        spoken = text if text is not None else _text_of(payload)
        sheet = self.sheet_of(provider)
        published = sheet.rates_for(model, self.plans.get(provider.name), self.today) if sheet is not None else ()
        mine = self.overrides.get(label)
        if mine:
            return self._configured(label, model, mine, spoken, sheet, published)
        if sheet is not None and published:
            return self._published(provider, model, spoken, sheet)
        return self._declared(provider, model, endpoint, payload, own)

    def _configured(self, label: str, model: str, rates: tuple[Rate, ...], text: str, sheet: PriceSheet | None,
                    published: tuple[Rate, ...]) -> Price:
        mine = PriceSheet(provider=label.partition("/")[0], rates=rates,
                          counting=sheet.counting if sheet is not None else PriceSheet.counting)
        found = charge(mine, rates, text_quantities(text, mine.counting, rates))
        note = replaced_note(label, rates, published, sheet.currency if sheet is not None else "USD")
        if found is None:
            return Price(None, CostUnit.USD, None, NONE, f"{note}: its unit cannot be estimated before sending")
        return Price(found.amount, CostUnit.USD, found.usd, CONFIGURED, note, found.upper_usd, found.how,
                     "your price", rates[0].source, "", False, found, mine, model)

    def _published(self, provider: Provider, model: str, text: str, sheet: PriceSheet) -> Price:
        plan = self.plans.get(provider.name) or sheet.default_plan
        found = planned(sheet, model, text, plan=plan, on=self.today)
        rates = sheet.rates_for(model, plan, self.today)
        first = rates[0]
        old = any(stale(rate, self.today, self.max_age_days) for rate in rates)
        read = str(min((r.read for r in rates if r.read), default="") or "")
        if found is None:
            return Price(None, CostUnit.USD, None, NONE,
                         f"{provider.name}/{model}: priced in {', '.join(r.unit.value for r in rates)}, which cannot "
                         f"be estimated before sending (no documented rate a second); give --price", plan=plan,
                         source=first.source, read=read, stale=old, sheet=sheet, offering=model)
        note = ""
        if found.usd is None:
            note = (f"{provider.name} prices in {sheet.currency} and its sheet gives no dated USD conversion")
        elif found.estimated:
            note = f"{provider.name}/{model}: estimated before sending: {found.how}"
        return Price(found.amount, sheet.currency if sheet.currency != "USD" else CostUnit.USD, found.usd,
                     DOCUMENTED, note, found.upper_usd, found.how, plan, first.source, read, old, found, sheet,
                     model)

    def _declared(self, provider: Provider, model: str, endpoint: Endpoint, payload: Mapping[str, Any],
                  own: Cost | None) -> Price:
        cost: Cost | None = own if own is not None else endpoint.price(payload) if endpoint.price is not None else None
        if cost is None:  # no price function, or one that prices no request of this model
            label = f"{provider.name}/{model}"
            return Price(None, CostUnit.USD, None, NONE,
                         f"{label}: no public price; set one with --price {label}=AMOUNT/UNIT (e.g. 20/1M-chars)",
                         offering=model)
        rate = self.usd_rate(provider, cost.unit)
        usd = cost.amount * rate if rate is not None else None
        note = "" if usd is not None else (
            f"{provider.name} prices in {cost.unit}; no USD rate is documented: set usd_per_character"
        )
        return Price(cost.amount, cost.unit, usd, DOCUMENTED, note, source="the declaration", offering=model)


def _text_of(payload: Mapping[str, Any]) -> str:
    for key in ("text", "input", "Text"):
        value = payload.get(key)
        if isinstance(value, str):
            return value
    return ""


__all__ = ["CONFIGURED", "DOCUMENTED", "NONE", "Price", "PriceBook"]
