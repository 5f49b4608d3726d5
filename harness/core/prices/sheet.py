"""A provider's price sheet: every offering's price in the unit it bills, with its source and conditions.

A sheet is data (a TOML file per built-in provider in `harness/data/prices/`, and a providers file's
`[prices]` table for a team's own rates): each `Rate` prices some offerings on one plan in one unit, quoted from
a page read on a date. Several rates of one offering and plan add up (a token-priced model bills its text
tokens and its audio tokens); a rate with `effective_from` replaces, from that date on, the same offering's
rate of the same plan and unit without one. The arithmetic is `harness.core.prices.charge`'s.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from harness.core.errors import UsageError
from harness.core.prices.units import Counting, Unit, unit_named

PAY_AS_YOU_GO = "pay-as-you-go"
# A sheet's `weak` key: why a rate's source is not the provider's own dated page, in the words every face shows.
WEAK_SOURCES = {
    "reseller": "a reseller's page",
    "third-party": "a third party's page",
    "undated-copy": "an undated copy of the provider's page",
    "example": "an example's figure, no price table",
}
# Every number of a price (amount, per, minimum, ...) is 0 or within these bounds, with at most MAX_DIGITS digits: a
# larger or smaller one is a typo or a hostile file, and arithmetic on it could overflow the decimal context.
LEAST_NUMBER, GREATEST_NUMBER, MAX_DIGITS = Decimal("1e-12"), Decimal("1e12"), 30


@dataclass(frozen=True, slots=True, kw_only=True)
class Rate:
    """`amount` (in the sheet's currency) buys `per` units of `unit` for `offerings`, on `plan`."""

    offerings: tuple[str, ...]
    unit: Unit
    amount: Decimal
    per: Decimal = Decimal(1)
    plan: str = PAY_AS_YOU_GO
    source: str = ""  # the page it was read from (a URL or a stored document)
    read: dt.date | None = None  # the date it was read
    quote: str = ""  # the page's own words
    minimum: Decimal | None = None  # the least a request is charged, in the sheet's currency
    minimum_units: Decimal | None = None  # the least a request is metered, in `unit`
    increment: Decimal | None = None  # metered in whole multiples of this many units (per started minute: 60 s)
    free: str = ""  # a free allowance, in the provider's words (stated, never applied)
    effective_from: dt.date | None = None
    # unit = credits: `amount` buys `per` credits (or `credit_price` is one credit's price), and a request spends
    # `credits_per_unit` credits for each of what `credits_per` meters (0.5 a character: one credit per 2 characters)
    credit_price: Decimal | None = None
    credits_per: Unit | None = None
    credits_per_unit: Decimal | None = None
    tokens_per_second: Decimal | None = None  # audio tokens: the documented tokens a second of speech takes
    chars_per_token: Decimal | None = None  # text tokens: the documented characters a token reads
    note: str = ""
    configured: bool = False  # the user's rate (`--price`, a providers file's `[prices]`), not a published one
    weak: str = ""  # why the source is not the provider's own dated page (a key of WEAK_SOURCES; "" it is)

    def prices(self, offering: str) -> bool:
        return offering in self.offerings or "*" in self.offerings

    @property
    def per_unit(self) -> Decimal:
        """The price of one unit, in the sheet's currency (credits at their price)."""
        if self.unit is not Unit.CREDITS:
            return self.amount / self.per
        credit = self.credit_price if self.credit_price is not None else self.amount / self.per
        return credit * (self.credits_per_unit if self.credits_per_unit is not None else Decimal(1))

    @property
    def metered(self) -> Unit:
        """What is counted to bill it: the unit, or for credits what the credits are metered by."""
        return self.credits_per if self.unit is Unit.CREDITS and self.credits_per is not None else self.unit

    def words(self, currency: str = "USD") -> str:
        """The rate as a person reads it: `15 USD per 1M characters`, `0.03 USD per minute of audio`."""
        per = _per_words(self.per)
        text = f"{_number(self.amount)} {currency} per {per}{unit_words(self.unit, plural=bool(per))}"
        if self.unit is Unit.CREDITS and self.credits_per is not None:
            spent = _number(self.credits_per_unit if self.credits_per_unit is not None else Decimal(1))
            text += f", {spent} a {unit_words(self.credits_per, plural=False)}"
        return text


_UNIT_WORDS = {
    Unit.CHARACTERS: "character",
    Unit.BYTES: "byte",
    Unit.TEXT_TOKENS: "text token",
    Unit.AUDIO_TOKENS: "audio token",
    Unit.AUDIO_SECONDS: "second{s} of audio",
    Unit.AUDIO_MINUTES: "minute{s} of audio",
    Unit.REQUESTS: "request",
    Unit.CREDITS: "credit",
}


def unit_words(unit: Unit, *, plural: bool) -> str:
    words = _UNIT_WORDS[unit]
    if "{s}" in words:
        return words.replace("{s}", "s" if plural else "")
    return words + "s" if plural else words


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _per_words(per: Decimal) -> str:
    for size, word in ((Decimal(1_000_000), "1M "), (Decimal(1000), "1K ")):
        if per == size:
            return word
    return "" if per == 1 else f"{_number(per)} "


@dataclass(frozen=True, slots=True)
class Conversion:
    """A sheet's currency in USD: `usd` for one unit of it, from `source`, read on `read`."""

    usd: Decimal
    source: str
    read: dt.date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceSheet:
    provider: str
    rates: tuple[Rate, ...]
    currency: str = "USD"
    conversion: Conversion | None = None  # where currency is not USD
    counting: Counting = Counting.CODE_POINTS
    counting_source: str = ""
    default_plan: str = PAY_AS_YOU_GO
    path: Path | None = None

    @property
    def plans(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(rate.plan for rate in self.rates))

    def usd(self, amount: Decimal) -> Decimal | None:
        """`amount` of the sheet's currency in USD (None where no dated conversion is given)."""
        if self.currency == "USD":
            return amount
        return None if self.conversion is None else amount * self.conversion.usd

    def rates_for(self, offering: str, plan: str | None = None, on: dt.date | None = None) -> tuple[Rate, ...]:
        """The rates that bill `offering` on `plan` (the sheet's default plan where None, and the default plan's
        rates where the plan prices the offering not at all) in force `on` the date (today where None)."""
        on = on or dt.date.today()
        chosen = plan or self.default_plan
        mine = [rate for rate in self.rates if rate.prices(offering) and rate.plan == chosen]
        if not mine and plan is not None:
            mine = [rate for rate in self.rates if rate.prices(offering) and rate.plan == self.default_plan]
        in_force: dict[Unit, Rate] = {}
        for rate in sorted(mine, key=lambda r: r.effective_from or dt.date.min):
            if rate.effective_from is None or rate.effective_from <= on:
                in_force[rate.unit] = rate
        return tuple(in_force.values())

    def offerings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for rate in self.rates for name in rate.offerings))


# --- reading a sheet -------------------------------------------------------------------------------------


def _decimal(value: Any, where: str) -> Decimal:
    """A price's number, exact: 0, or from LEAST_NUMBER to GREATEST_NUMBER with at most MAX_DIGITS digits."""
    text = str(value).replace(",", "").replace("_", "").strip()
    if isinstance(value, bool) or len(text) > 2 * MAX_DIGITS:
        raise UsageError(f"{where}: {_shown(value)} is not a number of at most {MAX_DIGITS} digits")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise UsageError(f"{where}: {_shown(value)} is not a number") from None
    if not number.is_finite() or number < 0:
        raise UsageError(f"{where}: {_shown(value)} is not a finite amount, 0 or more")
    if number == 0:
        return Decimal(0)  # -0 too
    if not LEAST_NUMBER <= number <= GREATEST_NUMBER or len(number.as_tuple().digits) > MAX_DIGITS:
        raise UsageError(
            f"{where}: {_shown(value)} is out of range: a price's numbers are 0 or from "
            f"{LEAST_NUMBER} to {GREATEST_NUMBER}, at most {MAX_DIGITS} digits"
        )
    return number


def _shown(value: Any) -> str:
    """A value as a one-line message quotes it: cut, so a hostile file's megabyte of digits is not echoed."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"{where}: {_shown(value)} is not a date (YYYY-MM-DD)") from None


_RATE_KEYS = {
    "offerings",
    "unit",
    "amount",
    "per",
    "plan",
    "source",
    "read",
    "quote",
    "minimum",
    "minimum_units",
    "increment",
    "free",
    "effective_from",
    "credit_price",
    "credit_usd",
    "credits_per",
    "credits_per_unit",
    "credits_per_character",
    "credits_per_second",
    "tokens_per_second",
    "chars_per_token",
    "note",
    "weak",
}
_SHEET_KEYS = {
    "provider",
    "currency",
    "usd_per_unit_currency",
    "conversion_source",
    "conversion_read",
    "counting",
    "counting_source",
    "default_plan",
    "rate",
}


def parse_rate(data: Mapping[str, Any], where: str, *, configured: bool = False, offerings: Sequence[str] = ()) -> Rate:
    """One rate from its table; each problem said in one line naming `where`."""
    unknown = sorted(set(data) - _RATE_KEYS)
    if unknown:
        raise UsageError(f"{where}: unknown keys {', '.join(unknown)} (a rate takes {', '.join(sorted(_RATE_KEYS))})")
    names = data.get("offerings", list(offerings))
    if isinstance(names, str):
        names = [names]
    if not names or not all(isinstance(n, str) and n for n in names):
        raise UsageError(f"{where}: offerings must name at least one model")
    unit = unit_named(str(data.get("unit", "")))
    if unit is None:
        raise UsageError(f"{where}: unit {_shown(data.get('unit'))} is not one of {', '.join(u.value for u in Unit)}")
    data = dict(data)
    credits_per = None
    for key, metered in (("credits_per_character", Unit.CHARACTERS), ("credits_per_second", Unit.AUDIO_SECONDS)):
        if data.get(key) not in (None, ""):  # the sheet format's shorthand for credits_per + credits_per_unit
            credits_per, data["credits_per_unit"] = metered, data.pop(key)
    if data.get("credits_per"):
        credits_per = unit_named(str(data["credits_per"]))
        if credits_per is None or credits_per is Unit.CREDITS:
            raise UsageError(f"{where}: credits_per {data['credits_per']!r} is not a metered unit")
    if data.get("credit_usd") not in (None, ""):
        data["credit_price"] = data.pop("credit_usd")
    if unit is Unit.CREDITS and credits_per is None:
        credits_per = Unit.CHARACTERS
    optional = {
        key: _decimal(data[key], f"{where}: {key}")
        for key in (
            "minimum",
            "minimum_units",
            "increment",
            "credit_price",
            "credits_per_unit",
            "tokens_per_second",
            "chars_per_token",
        )
        if data.get(key) not in (None, "")
    }
    per = _decimal(data.get("per", 1), f"{where}: per")
    if per == 0:
        raise UsageError(f"{where}: per must be more than 0")
    weak = str(data.get("weak") or "")
    if weak and weak not in WEAK_SOURCES:
        raise UsageError(f"{where}: weak {weak!r} is not one of {', '.join(WEAK_SOURCES)}")
    return Rate(
        offerings=tuple(names),
        unit=unit,
        amount=_decimal(data.get("amount"), f"{where}: amount"),
        per=per,
        plan=str(data.get("plan") or PAY_AS_YOU_GO),
        source=str(data.get("source", "")),
        read=_date(data.get("read"), f"{where}: read"),
        quote=str(data.get("quote", "")),
        free=str(data.get("free", "")),
        effective_from=_date(data.get("effective_from"), f"{where}: effective_from"),
        credits_per=credits_per,
        note=str(data.get("note", "")),
        configured=configured,
        weak=weak,
        **optional,
    )


def parse_sheet(data: Mapping[str, Any], where: str, path: Path | None = None) -> PriceSheet:
    unknown = sorted(set(data) - _SHEET_KEYS)
    if unknown:
        raise UsageError(f"{where}: unknown keys {', '.join(unknown)}")
    provider = data.get("provider")
    if not isinstance(provider, str) or not provider:
        raise UsageError(f"{where}: provider must name the provider the sheet prices")
    currency = str(data.get("currency", "USD")).upper()
    conversion = None
    if data.get("usd_per_unit_currency") not in (None, ""):
        conversion = Conversion(
            _decimal(data["usd_per_unit_currency"], f"{where}: usd_per_unit_currency"),
            str(data.get("conversion_source", "")),
            _date(data.get("conversion_read"), f"{where}: conversion_read"),
        )
    try:
        counting = Counting(str(data.get("counting", Counting.CODE_POINTS.value)))
    except ValueError:
        raise UsageError(
            f"{where}: counting {data.get('counting')!r} is not one of {', '.join(c.value for c in Counting)}"
        ) from None
    rates = data.get("rate", [])
    if not isinstance(rates, list):
        raise UsageError(f"{where}: rate must be a list of tables ([[rate]])")
    return PriceSheet(
        provider=provider,
        currency=currency,
        conversion=conversion,
        counting=counting,
        counting_source=str(data.get("counting_source", "")),
        default_plan=str(data.get("default_plan") or PAY_AS_YOU_GO),
        rates=tuple(parse_rate(rate, f"{where}: rate {n}") for n, rate in enumerate(rates, 1)),
        path=path,
    )


def load_sheet(path: Path) -> PriceSheet:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: not a price sheet: {error}") from None
    return parse_sheet(data, str(path), path)


@dataclass(slots=True)
class SheetLibrary:
    """Price sheets by provider, read once from a folder of `<provider>.toml` files."""

    folder: Path | None
    _sheets: dict[str, PriceSheet | None] = field(default_factory=dict)

    def sheet(self, provider: str) -> PriceSheet | None:
        if provider not in self._sheets:
            path = None if self.folder is None else self.folder / f"{provider}.toml"
            self._sheets[provider] = load_sheet(path) if path is not None and path.is_file() else None
        return self._sheets[provider]

    def all(self) -> tuple[PriceSheet, ...]:
        if self.folder is not None and self.folder.is_dir():
            for path in sorted(self.folder.glob("*.toml")):
                self.sheet(path.stem)
        return tuple(sheet for sheet in self._sheets.values() if sheet is not None)
