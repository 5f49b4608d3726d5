"""A model's cost over a run's rows: what it was planned to cost, what the answers said was billed, which of the
two every figure uses, and where the price was read. The terminal summary, the report, `compare` and `history`
take theirs from here (through `harness.results.figures`); the arithmetic of a rate is `harness.core.prices`'.

The rules, so a reader can recompute each number from the exported ``requests`` rows:

* a job's cost is ``cost_usd`` (the bench stores the billed cost there where the answer said what it billed,
  the planned one otherwise: ``cost_source``), else ``billed_usd``, else ``planned_usd``; a job with none of them
  is unpriced;
* the harness's own requests are no part of an offering's price (issue 79): what a job's own requests cost
  (``own_usd``, ``own_billed_usd``, ``own_planned_usd``: the speech marks asked in a request of their own) is taken
  out of each of the three above and summed apart (``own_usd`` of the figures, ``own_requests``), a line of the
  run's cost of its own;
* a job priced by the audio (seconds, minutes, audio tokens: its cost row's ``price_audio``) whose answer billed
  nothing is re-priced on the audio it returned: the plan's audio-metered parts (estimated from the text before
  sending) replaced by the same rates times the seconds it returned (``harness.core.prices.repriced_on_audio``);
* the rates — per request and per 1M characters (and per 1,000) — are taken over the priced sent jobs: their cost
  over their requests and their ``chars``. Per hour of audio (and per minute) is the cost of the priced ok jobs
  over the seconds of audio they returned (``duration_s`` of the score, else the stream's ``audio_ms``): a failed
  job's cost is not divided by another's audio; it is shown apart (``failed_usd``). The total is unknown (None)
  when any sent job is unpriced: a partial sum would understate it; a rate over the priced jobs does not;
* the source a figure uses: ``billed`` when every charged priced job's cost is what its answer billed,
  ``planned`` when none is, ``mixed`` otherwise (``none``: nothing charged);
* planned vs billed: the plan's total over the sent jobs, and the billed total over the jobs whose answers said
  what they billed beside the plan of those same jobs (and the billed USD per 1M of their characters);
* why a model has no price: ``no data`` (nothing was sent), ``no public price`` (its cost rows say no price was
  documented and none was read anywhere), ``priced in <unit>`` (a provider's own unit with no USD rate), else
  ``no USD price`` (a price in a unit the plan could not estimate and no answer billed).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from harness.core.prices import audio_parts_from_json, per_hour_usd, per_million_characters_usd, repriced_on_audio
from harness.core.prices.bills import REFUSED
from harness.results.amounts import bad_units
from harness.results.run_records import DriftEntry, RequestRow

BILLED, PLANNED, MIXED, NONE = "billed", "planned", "mixed", "none"


def audio_seconds(row: RequestRow) -> float | None:
    """Seconds of audio a job returned: its score's duration, else what its stream decoded to."""
    if row.duration_s is not None:
        return row.duration_s
    if row.audio_ms is not None:
        return row.audio_ms / 1000.0
    return None


def _less_own(value: float | None, own: float | None) -> float | None:
    """`value` without what the harness's own requests cost (exact in decimal: $8 less $4 is $4, not 3.9999...)."""
    if value is None or own is None:
        return value
    return float(Decimal(repr(float(value))) - Decimal(repr(float(own))))


def planned_usd(row: RequestRow) -> float | None:
    """The plan of the job's synthesis: its planned cost without its own requests'."""
    return _less_own(row.planned_usd, row.own_planned_usd)


def billed_usd(row: RequestRow) -> float | None:
    """What the answers billed for the job's synthesis: without the bill of its own requests."""
    return _less_own(row.billed_usd, row.own_billed_usd)


def job_usd(row: RequestRow) -> float | None:
    """The job's cost in USD: as stored (billed where the answer said), else billed, else planned, each without its
    own requests' (`_less_own`); a planned cost of a price metered by the audio re-priced on the audio the job
    returned (`repriced`)."""
    for value in (_less_own(row.cost_usd, row.own_usd), billed_usd(row), planned_usd(row)):
        if value is not None:
            change = repriced(row)
            return float(value) + (0.0 if change is None else change)
    return None


def repriced(row: RequestRow) -> float | None:
    """How much re-pricing the job on the audio it returned changes its planned cost: its price's audio-metered parts
    at the same rates times the seconds returned, less what the plan charged for them. None where there is nothing
    to re-price: a price counted from the text, an answer that said what it billed, a job that returned no audio."""
    parts = audio_parts_from_json(row.price_audio)
    if not parts or job_source(row) != PLANNED or row.outcome not in (None, "ok"):
        return None
    seconds = audio_seconds(row)
    change = repriced_on_audio(parts, seconds) if seconds is not None else None
    return None if change is None else float(change)


def job_source(row: RequestRow) -> str:
    """What `job_usd` is: billed | planned | mixed (attempts of each) | none (unpriced, or nothing charged)."""
    stored = row.cost_source
    if stored in (BILLED, PLANNED, MIXED):
        return stored
    if row.cost_usd is None and row.billed_usd is not None:
        return BILLED
    return PLANNED if job_usd(row) is not None else NONE


def _charged(row: RequestRow) -> bool:
    return bool(row.charged_attempts)


def source_of(rows: Iterable[RequestRow]) -> str:
    """billed | planned | mixed | none over the charged, priced jobs."""
    sources = {job_source(r) for r in rows if _charged(r) and job_usd(r) is not None}
    sources.discard(NONE)
    if not sources:
        return NONE
    return sources.pop() if len(sources) == 1 else MIXED


def billed_units(row: RequestRow) -> dict[str, float]:
    """The units the job's answers said they billed ({} when they said nothing, or what a row holds is no bill: an
    export edited by hand is read too, `harness.results.amounts`)."""
    text = row.billed_units
    if not text or bad_units(text) is not None:
        return {}
    loaded = json.loads(str(text))
    return {str(k): float(v) for k, v in loaded.items()}


def unpriced_bills(rows: Iterable[RequestRow]) -> dict[str, dict[str, float]]:
    """Per model (`provider/model`), the units its answers billed where no rate of its plan prices them (credits on a
    per-character plan, a provider's own allowance): kept beside the plan, the cost the plan's."""
    found: dict[str, dict[str, float]] = {}
    for row in rows:
        units = billed_units(row)
        if not units or row.billed_usd is not None:
            continue
        into = found.setdefault(f"{row.provider}/{row.model}", {})
        for unit, value in units.items():
            into[unit] = into.get(unit, 0.0) + value
    return found


def refused_bills(drift: Iterable[DriftEntry]) -> tuple[str, ...]:
    """The bills the run refused (a drift row of kind `billing-refused` each: beyond its bound, the planned cost
    kept), in their own words: what every face shows beside the cost."""
    return tuple(str(row.note) for row in drift if row.kind == REFUSED and row.note)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a model's price was read, as its cost rows say (several values joined by "; ")."""

    plan: str | None
    source: str | None
    read: str | None  # the oldest read date
    stale: bool  # some price was read longer ago than the run's --price-max-age
    weak: str | None = None  # why a price's source may not be the provider's (a reseller's page, ...)

    def marks(self) -> str:
        """ "stale", "weak: a third party's page", both, or "": what every face writes beside the read date."""
        return "; ".join((["stale"] if self.stale else []) + ([f"weak: {self.weak}"] if self.weak else []))

    def words(self) -> str:
        parts = [p for p in (self.plan, self.source) if p]
        if self.read:
            parts.append(f"read {self.read}")
        marks = self.marks()
        return ", ".join(parts) + (f" ({marks})" if marks and parts else marks)


def _joined(values: Iterable[str | None]) -> str | None:
    return "; ".join(sorted({v for v in values if v})) or None


def provenance_of(rows: Sequence[RequestRow]) -> Provenance:
    reads = sorted(v for r in rows if (v := r.price_read))
    return Provenance(
        _joined(r.price_plan for r in rows),
        _joined(r.price_source for r in rows),
        reads[0] if reads else None,
        any(bool(r.price_stale) for r in rows),
        _joined(r.price_weak for r in rows),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class CostFigures:
    total_usd: float | None
    per_request_usd: float | None
    per_audio_minute_usd: float | None
    per_1k_chars_usd: float | None
    unpriced: int  # sent jobs with no USD price
    amounts: dict[str, float]  # unit -> amount, for prices not in USD (credits or characters)
    source: str = NONE  # billed | planned | mixed | none: what the figures above sum
    per_million_chars_usd: float | None = None
    per_hour_usd: float | None = None
    planned_usd: float | None = None  # the plan's total over the sent jobs (None: some job had no plan)
    billed_usd: float | None = None  # what the answers said they billed, over `billed_jobs`
    billed_jobs: int = 0
    planned_of_billed_usd: float | None = None  # the plan of those same jobs
    billed_per_million_chars_usd: float | None = None  # billed USD over the billed jobs' characters
    no_public_price: int = 0  # sent jobs whose offering has no documented price
    sent: int = 0
    provenance: Provenance = Provenance(None, None, None, False)
    failed_usd: float | None = None  # the cost of the priced sent jobs that returned no audio (not in per hour)
    failed_jobs: int = 0
    repriced_jobs: int = 0  # ok jobs whose cost was re-priced on the audio they returned
    # The harness's own requests (the speech marks asked in a request of their own): in no figure above, a line of
    # the run's cost of its own (None: none was sent)
    own_usd: float | None = None
    own_requests: int = 0

    @property
    def priced(self) -> bool:
        return self.per_1k_chars_usd is not None or self.per_request_usd is not None

    @property
    def gap(self) -> str | None:
        """Why there is no USD figure, in the words every face prints (None: there is one)."""
        if self.priced:
            return None
        if not self.sent:
            return "no data"
        if self.no_public_price:
            return "no public price"
        if self.amounts:
            return "priced in " + ", ".join(sorted(self.amounts))
        return "no USD price"


def _sum(values: Iterable[float | None]) -> float | None:
    found = list(values)
    return None if any(v is None for v in found) else float(sum(v for v in found if v is not None))


def _billed_rate(billed: Sequence[RequestRow]) -> float | None:
    total = _sum(billed_usd(r) for r in billed) if billed else None
    return per_million_characters_usd(None if total is None else Decimal(repr(total)), sum(r.chars for r in billed))


def _own_usd(rows: Sequence[RequestRow]) -> float | None:
    """What the harness's own requests of these jobs cost (None: none was sent; unknown where one had no USD cost)."""
    own = [r for r in rows if r.own_requests is not None or r.own_usd is not None]
    if not own or any(r.own_usd is None for r in own):
        return None
    return float(sum((Decimal(repr(float(r.own_usd or 0.0))) for r in own), Decimal(0)))


def cost_of(sent_rows: Sequence[RequestRow], ok_rows: Sequence[RequestRow]) -> CostFigures:
    """A model's cost figures over its sent jobs (`ok_rows`: those of them that returned audio)."""
    amounts: dict[str, float] = {}
    for r in sent_rows:
        if r.cost_unit not in (None, "USD"):
            amounts[str(r.cost_unit)] = amounts.get(str(r.cost_unit), 0.0) + float(r.cost_amount or 0.0)
    priced = [r for r in sent_rows if job_usd(r) is not None]
    unpriced = len(sent_rows) - len(priced)
    billed = [r for r in sent_rows if r.billed_usd is not None]
    base = CostFigures(
        total_usd=None,
        per_request_usd=None,
        per_audio_minute_usd=None,
        per_1k_chars_usd=None,
        unpriced=unpriced,
        amounts=amounts,
        source=source_of(sent_rows),
        planned_usd=_sum(planned_usd(r) for r in sent_rows) if sent_rows else None,
        billed_usd=_sum(billed_usd(r) for r in billed) if billed else None,
        billed_jobs=len(billed),
        planned_of_billed_usd=_sum(planned_usd(r) for r in billed) if billed else None,
        billed_per_million_chars_usd=_billed_rate(billed),
        no_public_price=sum(1 for r in sent_rows if r.no_public_price),
        sent=len(sent_rows),
        provenance=provenance_of(sent_rows),
        own_usd=_own_usd(sent_rows),
        own_requests=sum(int(r.own_requests or 0) for r in sent_rows),
    )
    if not priced:
        return base
    total = sum(float(job_usd(r) or 0.0) for r in priced)
    ok_keys = {r.job_key for r in ok_rows}
    heard = [
        (usd, s)
        for r in priced
        if r.job_key in ok_keys and (s := audio_seconds(r)) is not None and (usd := job_usd(r)) is not None
    ]
    failed = [r for r in priced if r.job_key not in ok_keys]
    chars = sum(int(r.chars or 0) for r in priced)
    per_million = per_million_characters_usd(Decimal(repr(total)), chars)
    per_hour = per_hour_usd(Decimal(repr(sum(usd for usd, _ in heard))), sum(s for _, s in heard)) if heard else None
    return replace(
        base,
        total_usd=None if unpriced else total,
        per_request_usd=total / len(priced),
        per_audio_minute_usd=None if per_hour is None else per_hour / 60.0,
        per_1k_chars_usd=None if per_million is None else per_million / 1000.0,
        per_million_chars_usd=per_million,
        per_hour_usd=per_hour,
        failed_usd=sum(float(job_usd(r) or 0.0) for r in failed) if failed else None,
        failed_jobs=len(failed),
        repriced_jobs=sum(1 for r in priced if repriced(r) is not None),
    )
