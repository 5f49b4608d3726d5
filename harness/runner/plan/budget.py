"""The spending cap: no job starts whose worst-case cost would pass what is left of the budget.

A job reserves its worst-case price before its submit goes out and settles to what it really cost
when it ends (zero for a state the provider documents as not charged). Spent plus reserved never
exceeds the limit, so the total charged never does either, whatever order jobs finish in — unless an answer
billed more than the worst case its plan reserved: a bill is believed only within its bound
(`harness.core.prices.bills`: ten times the most the plan expects), so what it adds is bounded, and once spending
has passed the limit nothing more starts ("the budget is spent"), never a negative remainder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.runner.plan.jobs import PlannedJob


@dataclass(slots=True)
class Budget:
    limit: Decimal | None  # None: no cap
    spent: Decimal = Decimal(0)
    reserved: dict[str, Decimal] = field(default_factory=dict)  # job_key -> reservation
    refused: int = 0

    @property
    def remaining(self) -> Decimal | None:
        if self.limit is None:
            return None
        return max(self.limit - self.spent - sum(self.reserved.values(), Decimal(0)), Decimal(0))

    def reserve(self, job_key: str, worst_usd: Decimal | None) -> str | None:
        """Reserve `worst_usd` for a job; the refusal reason when it does not fit (or is unknown)."""
        if self.limit is None:
            self.reserved[job_key] = worst_usd or Decimal(0)
            return None
        if worst_usd is None:
            self.refused += 1
            return "its price in USD is unknown, so a budget cannot bound it"
        remaining = self.remaining
        assert remaining is not None and self.limit is not None
        if self.spent > self.limit:  # only a bill beyond its reservation passes it
            self.refused += 1
            return f"the budget is spent (${_usd(self.spent)} billed of ${_usd(self.limit)})"
        if worst_usd > remaining:
            self.refused += 1
            return f"its worst-case cost ${_usd(worst_usd)} exceeds the remaining budget ${_usd(remaining)}"
        self.reserved[job_key] = worst_usd
        return None

    def admit(self, job: PlannedJob) -> str | None:
        """Reserve a planned job's worst case; why it is not started when it does not fit, in the words
        the run stores (and `--dry-run` prints)."""
        refusal = self.reserve(job.job_key, job.price.worst_usd)
        if refusal is None:
            return None
        return f"{job.selection.label} {job.item.id}: not started: {refusal}" + (
            f" ({job.price.note})" if job.price.note else ""
        )

    def settle(self, job_key: str, charged_usd: Decimal) -> None:
        """Replace a job's reservation by what it was charged."""
        self.reserved.pop(job_key, None)
        self.spent += charged_usd

    def release(self, job_key: str) -> None:
        self.reserved.pop(job_key, None)


def _usd(value: Decimal) -> str:
    """An amount as a refusal says it: to the millionth of a dollar, no exponent, no trailing zeros."""
    shown = value.quantize(Decimal("0.000001")).normalize() if value.adjusted() < 15 else value
    return f"{shown:f}" if value.adjusted() < 15 else f"{value:.6e}"
