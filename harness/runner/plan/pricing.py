"""What a request costs: the plan's price of every job, from the provider's price sheet (harness.core.prices).

Where a price comes from, in order: the team's own rate (`--price`, a providers file's `[prices]`), which replaces
the published one with a note saying so; the provider's published price sheet (`harness/data/prices/`), on the
plan the run chose (`--plan provider=PLAN`, else the sheet's default); the price a declaration states itself (a
providers file's `price_per_million_chars`, a jobs API's per-request price, a provider's own characters). The
arithmetic is `harness.core.prices.charge`'s; this module only chooses the rates. Against the sandbox the same
prices apply: they are what the run would have cost live.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from harness.core.errors import UsageError
from harness.core.names import did_you_mean
from harness.core.prices import (
    STALE_AFTER_DAYS,
    Charge,
    Counting,
    PriceSheet,
    Rate,
    SheetLibrary,
    audio_parts,
    audio_parts_json,
    billed_quantities,
    builtin_sheets,
    charge,
    parse_prices_table,
    planned,
    replaced_note,
    stale,
    text_quantities,
    unit_note,
    weaknesses,
)
from harness.core.prices.units import Unit
from harness.core.spec import Cost, CostUnit, Endpoint, Provider, SynthesisInput
from harness.runner.plan.config import CostSettings

SAMPLE_TEXT = "The quick brown fox jumps over the lazy dog."  # what `describe` prices a declared function on
DOCUMENTED, CONFIGURED, NONE = "documented-price", "configured-price", "no-documented-price"
STALE = "stale"
# A built-in declaration's own price (no price sheet lists the offering): nothing says where or when it was read.
UNSOURCED = "the declaration's own figure: no source or read date"


@dataclass(frozen=True, slots=True, kw_only=True)
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
    stale: bool = False  # read longer ago than the run's --price-max-age (or never dated)
    charge: Charge | None = None
    sheet: PriceSheet | None = None
    offering: str = ""
    weak: str = ""  # why its source may not be the provider's (`harness.core.prices.weakness`; "": it is)

    @property
    def worst_usd(self) -> Decimal | None:
        return self.worst if self.worst is not None else self.usd

    @property
    def estimated(self) -> bool:
        return self.charge is not None and self.charge.estimated

    def provenance(self) -> str:
        """Where the price was read, in a few words every face shows: plan, source, date, stale, weak."""
        if self.basis == NONE and not self.source:
            return "no public price"
        parts = [self.plan] if self.plan else []
        if self.source:
            parts.append(self.source)
        if self.read:
            parts.append(f"read {self.read}")
        marks = self.marks()
        return ", ".join(parts) + (f" ({marks})" if marks else "")

    def rates_words(self) -> str:
        """The price in the provider's words: its plan and rates, or why it has none."""
        if self.charge is not None:
            return f"{self.plan}: " + " + ".join(rate.words(str(self.charge.currency)) for rate in self.charge.rates)
        if self.basis == NONE:
            return "your price, in a unit that cannot be estimated" if self.plan == "your price" else "no public price"
        return f"{self.amount} {self.unit} a request"

    def source_words(self) -> str:
        """Where it was read, short: a URL's host (the whole source is on the cost row and in `providers`)."""
        host = urlsplit(self.source).netloc if self.source.startswith(("http://", "https://")) else ""
        return host or self.source

    def line(self) -> str:
        """The price as one line: rates, source, read date, and what to doubt (stale, weak)."""
        said = [self.rates_words()]
        if self.source:
            said.append(f"source {self.source_words()}")
        if self.read:
            said.append(f"read {self.read}")
        marks = self.marks()
        return ", ".join(said) + (f" ({marks})" if marks else "")

    def plan_note(self, label: str) -> str:
        """The one line the dry run prints for this price, "" for none: the team's rate and what it replaces or how
        its unit reads, the basis of an estimate, and a stale or weak source to check (the run's plan folds them:
        `plan_notes`)."""
        said = self.own_note() or (self.note if self.estimated else "")
        doubts = (
            [
                f"read {self.read or 'on no stated date'}, longer ago than --price-max-age"
                if self.read
                else "its age is unknown"
            ]
            if self.stale
            else []
        ) + ([f"its source is {self.weak}"] if self.weak else [])
        if not doubts:
            return said
        return (f"{said}; " if said else f"{label}: ") + " and ".join(doubts) + f": check {self.source or 'it'}"

    def own_note(self) -> str:
        """What the plan says of this price alone: the team's rate, or a price whose unit cannot be estimated."""
        return self.note if self.basis == CONFIGURED or (self.basis == NONE and self.source) else ""

    def marks(self) -> str:
        """ "stale", "weak: a third party's page", both, or "": what a face writes beside the price's read date."""
        return "; ".join(([STALE] if self.stale else []) + ([f"weak: {self.weak}"] if self.weak else []))

    def audio_json(self) -> str | None:
        """The plan's parts the returned audio decides (`harness.core.prices.audio_parts`), as the cost row keeps
        them for re-pricing on that audio where the answer bills nothing (None: none)."""
        if self.sheet is None or self.charge is None:
            return None
        return audio_parts_json(audio_parts(self.sheet, self.charge))

    def billed(self, units: Mapping[Unit, Decimal]) -> Charge | None:
        """What the answer's billed units cost under the same rates (None where they do not price it)."""
        if self.sheet is None or self.charge is None:
            return None
        return charge(self.sheet, self.charge.rates, billed_quantities(units))


LISTED_BY = "`tts-harness providers --prices` lists them"


def doubt_lines(doubts: Iterable[tuple[bool, str]]) -> list[str]:
    """The plan's notes of stale and weak prices, one line per kind ("31 prices from a third party's page: ...")."""
    return [f"{count}: {LISTED_BY}" for count in doubt_counts(doubts)]


def doubt_counts(doubts: Iterable[tuple[bool, str]]) -> list[str]:
    """Stale and weak prices counted per kind ("31 prices from a third party's page"), from each price's (stale,
    weak) — a run's plan or its summary. Listed one by one they were 98 lines before the README's plan and a
    paragraph as long after its summary; each is listed with its source by `tts-harness providers --prices` (and
    `bench run --dry-run`), and marked beside its model in the plan and the summary."""
    found = list(doubts)
    weak = Counter(reason for _, reasons in found for reason in dict.fromkeys(reasons.split("; ")) if reason)
    stale = sum(1 for old, _ in found if old)
    lines = [f"{_prices(count)} from {reason}" for reason, count in sorted(weak.items(), key=lambda i: (-i[1], i[0]))]
    if stale:
        lines.append(f"{_prices(stale)} read longer ago than --price-max-age (or never dated)")
    return lines


def _prices(count: int) -> str:
    return f"{count} price{'' if count == 1 else 's'}"


def plan_notes(prices: Mapping[str, Price]) -> list[str]:
    """The notes a run's plan prints of its prices (label -> the offering's price), at most one line per kind: the
    team's own rates and prices with no estimate one by one (few, and the team's to act on), the estimates and the
    stale or weak sources counted (`doubt_lines`); `bench run --dry-run` prints each price's note in full."""
    own = [note for price in prices.values() if (note := price.own_note())]
    estimated = sum(1 for price in prices.values() if price.estimated)
    said = (
        [
            f"{_prices(estimated)} estimated before sending (a quantity the audio decides; the plan's 'at most "
            "USD' bounds each): `tts-harness bench run --dry-run` shows each estimate"
        ]
        if estimated
        else []
    )
    return own + said + doubt_lines((price.stale, price.weak) for price in prices.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceBook:
    """The run's prices: the published sheets, the plans chosen, the team's own rates and the settings' USD rate."""

    usd_per_character: Decimal | None = None
    overrides: Mapping[str, tuple[Rate, ...]] = field(default_factory=dict)  # "provider/model" -> the team's rates
    plans: Mapping[str, str] = field(default_factory=dict)  # provider -> plan
    sheets: SheetLibrary | None = None  # None: the built-in sheets
    max_age_days: int = STALE_AFTER_DAYS
    today: dt.date | None = None
    notes: tuple[str, ...] = ()  # what the plan says of the prices given (one not used: its provider is not in the run)

    @classmethod
    def from_settings(
        cls,
        usd_per_character: float | None,
        prices: Mapping[str, Any],
        providers: Mapping[str, Provider],
        *,
        plans: Mapping[str, str] | None = None,
        table: Mapping[str, tuple[Rate, ...]] | None = None,
        max_age_days: int = STALE_AFTER_DAYS,
        in_run: Collection[str] | None = None,
    ) -> PriceBook:
        """The settings' rates: `prices` as given (`--price` spellings, a settings file's `[prices]` entries: read by
        the one reader of `[prices]`, `parse_prices_table`) over `table` (the providers file's, read by the same).
        A price for a model none of `providers` offers, one that is not a finite amount, and a plan no sheet names are
        refused (a typo would otherwise leave the model it meant priced wrong); one for a provider outside `in_run`
        (None: all of them) is noted, not used."""
        bad = (
            [f"--usd-per-character={usd_per_character}"]
            if usd_per_character is not None and not (math.isfinite(usd_per_character) and usd_per_character >= 0)
            else []
        )
        if bad:
            raise UsageError(f"a price must be a finite amount of USD, 0 or more: {', '.join(bad)}")
        given = {**(table or {}), **parse_prices_table(prices, "bench settings", spelled="--price")}
        known = {f"{p.name}/{o.name}" for p in providers.values() for o in p.offerings}
        unknown = sorted(label for label in given if label not in known)
        if unknown:
            raise UsageError(
                f"a price (--price, [prices]) names no known model: "
                f"{', '.join(label + did_you_mean(label, known) for label in unknown)} (provider/model, "
                f"one of {', '.join(sorted(known)) or 'none'})"
            )
        outside = sorted(label for label in given if in_run is not None and label.partition("/")[0] not in in_run)
        notes = (f"prices not used, their providers not being in this run: {', '.join(outside)}",) if outside else ()
        book = cls(
            usd_per_character=Decimal(str(usd_per_character)) if usd_per_character is not None else None,
            overrides={label: rates for label, rates in given.items() if label not in outside},
            plans=dict(plans or {}),
            max_age_days=max_age_days,
            notes=notes,
        )
        for provider, plan in (plans or {}).items():
            sheet = book.sheet_of(providers[provider]) if provider in providers else None
            if sheet is None or plan not in sheet.plans:
                offered = ", ".join(sheet.plans) if sheet is not None else "none (no price sheet)"
                raise UsageError(f"--plan {provider}={plan}: {provider} has no such plan; its plans: {offered}")
        return book

    @classmethod
    def for_run(
        cls, cost: CostSettings, providers: Mapping[str, Provider], in_run: Collection[str] | None = None
    ) -> PriceBook:
        """The run's prices from its settings and the providers file's `[prices]`; `in_run`: the providers the run
        sends to (a price given for another is noted, not used; one naming no registered model is refused)."""
        from harness.core.registry import declared_prices, declared_providers
        from harness.core.registry import providers as registered

        every = {**registered(), **{p.name: p for p in declared_providers()}, **providers}
        return cls.from_settings(
            cost.usd_per_character,
            cost.prices,
            every,
            plans=cost.plans,
            table=declared_prices(),
            max_age_days=cost.price_max_age,
            in_run=in_run,
        )

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

    def price(
        self,
        provider: Provider,
        model: str,
        endpoint: Endpoint,
        payload: Mapping[str, Any],
        own: Cost | None = None,
        text: str | None = None,
    ) -> Price:
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

    def describe(self, provider: Provider, model: str) -> dict[str, Any]:
        """An offering's price as every face shows it: the rates in the provider's words, the plan, where and when
        they were read, whether that is stale, and the sheet's other plans; or why there is none."""
        label = f"{provider.name}/{model}"
        sheet = self.sheet_of(provider)
        mine = self.overrides.get(label)
        plan = self.plans.get(provider.name) or (sheet.default_plan if sheet is not None else "")
        rates = mine or (sheet.rates_for(model, plan, self.today) if sheet is not None else ())
        if not rates:
            offering = provider.offering(model)
            try:
                payload = offering.build(SynthesisInput(text=SAMPLE_TEXT, language="en"))
            except Exception:  # an offering that needs a reference voice to build: its price does not depend on it
                payload = {}
            found = self._declared(provider, model, provider.endpoint(offering.endpoint), payload, None)
            declared = found.basis != NONE
            each = (
                ""
                if found.amount is None
                else f"{found.amount.normalize():f} {found.unit} a request of {len(SAMPLE_TEXT)} characters"
            )
            return {
                "priced": declared,
                "price": each or "no public price",
                "unit": str(found.unit) if declared else "",
                "plan": "",
                "plans": [],
                "source": "the declaration" if declared else "",
                "read": "",
                "stale": found.stale,
                "weak": found.weak,
                "counting": "",
                "currency": "",
                "note": found.note,
            }
        currency = "USD" if mine else sheet.currency if sheet is not None else "USD"
        read = min((r.read for r in rates if r.read), default=None)
        return {
            "priced": True,
            "price": " + ".join(rate.words(currency) for rate in rates),
            "unit": " + ".join(rate.unit.value for rate in rates),
            "plan": "your price" if mine else plan,
            "plans": list(sheet.plans) if sheet is not None else [],
            "source": rates[0].source,
            "quote": rates[0].quote,
            "note": rates[0].note,
            "free": rates[0].free,
            "read": str(read or ""),
            "stale": any(stale(rate, self.today, self.max_age_days) for rate in rates),
            "weak": weaknesses(rates),
            "counting": sheet.counting.value if sheet is not None else "",
            "currency": currency,
            "conversion": None
            if sheet is None or sheet.conversion is None or mine
            else {
                "usd": str(sheet.conversion.usd),
                "source": sheet.conversion.source,
                "read": str(sheet.conversion.read or ""),
            },
            "replaces": self._replaces(
                label,
                mine,
                sheet.rates_for(model, plan, self.today) if sheet else (),
                sheet.currency if sheet else "USD",
            )
            if mine
            else "",
        }

    @staticmethod
    def _replaces(label: str, mine: tuple[Rate, ...], published: tuple[Rate, ...], currency: str) -> str:
        clause = unit_note(label, mine, published)
        return replaced_note(label, mine, published, currency) + (f"; {clause}" if clause else "")

    def _configured(
        self,
        label: str,
        model: str,
        rates: tuple[Rate, ...],
        text: str,
        sheet: PriceSheet | None,
        published: tuple[Rate, ...],
    ) -> Price:
        # a team's token or audio rate is estimated as the published one of the same unit is
        by_unit = {rate.unit: rate for rate in published}
        rates = tuple(
            replace(
                rate,
                tokens_per_second=rate.tokens_per_second
                or (by_unit[rate.unit].tokens_per_second if rate.unit in by_unit else None),
            )
            for rate in rates
        )
        mine = PriceSheet(
            provider=label.partition("/")[0],
            rates=rates,
            counting=sheet.counting if sheet is not None else Counting.CODE_POINTS,
        )
        found = charge(mine, rates, text_quantities(text, mine.counting, rates))
        note = replaced_note(label, rates, published, sheet.currency if sheet is not None else "USD")
        clause = unit_note(label, rates, published)
        note += f"; {clause}" if clause else ""
        if found is None:
            return Price(
                amount=None,
                unit=CostUnit.USD,
                usd=None,
                basis=NONE,
                note=f"{note}; its unit cannot be estimated before sending",
                plan="your price",
                source=rates[0].source,
                offering=model,
            )
        return Price(
            amount=found.amount,
            unit=CostUnit.USD,
            usd=found.usd,
            basis=CONFIGURED,
            note=note,
            worst=found.upper_usd,
            how=found.how,
            plan="your price",
            source=rates[0].source,
            read="",
            stale=False,
            charge=found,
            sheet=mine,
            offering=model,
        )

    def _published(self, provider: Provider, model: str, text: str, sheet: PriceSheet) -> Price:
        plan = self.plans.get(provider.name) or sheet.default_plan
        found = planned(sheet, model, text, plan=plan, on=self.today)
        rates = sheet.rates_for(model, plan, self.today)
        first = rates[0]
        old = any(stale(rate, self.today, self.max_age_days) for rate in rates)
        read = str(min((r.read for r in rates if r.read), default="") or "")
        weak = weaknesses(rates)
        if found is None:
            return Price(
                amount=None,
                unit=CostUnit.USD,
                usd=None,
                basis=NONE,
                note=f"{provider.name}/{model}: priced in {', '.join(r.unit.value for r in rates)}, which cannot "
                f"be estimated before sending (no documented rate a second); give --price",
                plan=plan,
                source=first.source,
                read=read,
                stale=old,
                sheet=sheet,
                offering=model,
                weak=weak,
            )
        note = ""
        if found.usd is None:
            note = f"{provider.name} prices in {sheet.currency} and its sheet gives no dated USD conversion"
        elif found.estimated:
            note = f"{provider.name}/{model}: estimated before sending: {found.how}"
        return Price(
            amount=found.amount,
            unit=sheet.currency if sheet.currency != "USD" else CostUnit.USD,
            usd=found.usd,
            basis=DOCUMENTED,
            note=note,
            worst=found.upper_usd,
            how=found.how,
            plan=plan,
            source=first.source,
            read=read,
            stale=old,
            charge=found,
            sheet=sheet,
            offering=model,
            weak=weak,
        )

    def _declared(
        self, provider: Provider, model: str, endpoint: Endpoint, payload: Mapping[str, Any], own: Cost | None
    ) -> Price:
        cost: Cost | None = own if own is not None else endpoint.price(payload) if endpoint.price is not None else None
        if cost is None:  # no price function, or one that prices no request of this model
            label = f"{provider.name}/{model}"
            return Price(
                amount=None,
                unit=CostUnit.USD,
                usd=None,
                basis=NONE,
                note=f"{label}: no public price; set one with --price {label}=AMOUNT/UNIT (e.g. 20/1M-chars)",
                offering=model,
            )
        rate = self.usd_rate(provider, cost.unit)
        usd = cost.amount * rate if rate is not None else None
        note = (
            ""
            if usd is not None
            else (f"{provider.name} prices in {cost.unit}; no USD rate is documented: set usd_per_character")
        )
        teams = _teams_own(provider)
        return Price(
            amount=cost.amount,
            unit=cost.unit,
            usd=usd,
            basis=DOCUMENTED,
            note=note,
            source="the declaration",
            offering=model,
            stale=not teams,
            weak="" if teams else UNSOURCED,
        )


def _teams_own(provider: Provider) -> bool:
    """Whether a declaration's own price is the team's (a providers file's table: its `price_per_million_chars`, a
    `like` table's prices), not a built-in declaration's figure with no source or read date."""
    from harness.core.registry import declared_providers

    return provider.price_sheet == "" or provider.name in {p.name for p in declared_providers()}


def _text_of(payload: Mapping[str, Any]) -> str:
    for key in ("text", "input", "Text"):
        value = payload.get(key)
        if isinstance(value, str):
            return value
    return ""


__all__ = ["CONFIGURED", "DOCUMENTED", "NONE", "STALE", "UNSOURCED", "Price", "PriceBook"]
