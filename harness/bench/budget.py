"""The spending cap: no job starts whose worst-case cost would pass what is left of the budget.

A job reserves its worst-case price before its submit goes out and settles to what it really cost
when it ends (zero for a state the provider documents as not charged). Spent plus reserved never
exceeds the limit, so the total charged never does either, whatever order jobs finish in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.bench.plan import PlannedJob


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
        return self.limit - self.spent - sum(self.reserved.values(), Decimal(0))

    def reserve(self, job_key: str, worst_usd: Decimal | None) -> str | None:
        """Reserve `worst_usd` for a job; the refusal reason when it does not fit (or is unknown)."""
        if self.limit is None:
            self.reserved[job_key] = worst_usd or Decimal(0)
            return None
        if worst_usd is None:
            self.refused += 1
            return "its price in USD is unknown, so a budget cannot bound it"
        remaining = self.remaining
        assert remaining is not None
        if worst_usd > remaining:
            self.refused += 1
            return f"its worst-case cost ${worst_usd} exceeds the remaining budget ${remaining}"
        self.reserved[job_key] = worst_usd
        return None

    def admit(self, job: PlannedJob) -> str | None:
        """Reserve a planned job's worst case; why it is not started when it does not fit, in the words
        the run stores (and `--dry-run` prints)."""
        refusal = self.reserve(job.job_key, job.price.worst_usd)
        if refusal is None:
            return None
        return (f"{job.selection.label} {job.item.id}: not started: {refusal}"
                + (f" ({job.price.note})" if job.price.note else ""))

    def settle(self, job_key: str, charged_usd: Decimal) -> None:
        """Replace a job's reservation by what it was charged."""
        self.reserved.pop(job_key, None)
        self.spent += charged_usd

    def release(self, job_key: str) -> None:
        self.reserved.pop(job_key, None)
