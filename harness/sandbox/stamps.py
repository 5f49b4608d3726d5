"""The server's clock as a client meets it: off the client's by a few hundred milliseconds, and printing
its stamps as coarsely as the providers' documents show.

Some documents print `created_at` to the millisecond but `updated_at`/`completed_at` at whole
seconds, as `2026-03-31T07:32:20.000Z` or as `2026-05-22 13:19:23` without a zone; others' stamps are all
whole seconds. A benchmark measured against millisecond stamps from the truth's own timeline is measured
under convenient conditions, so whole seconds are the default of every profile and millisecond stamps
only come when asked for (`precise`). The skew moves every stamp the server prints; the truth API
(`/_sandbox/...`) keeps the exact instants.

Two more conventions real servers use, for the latency accuracy check (`benchmarks/perf/latency_accuracy.py`):
whole seconds *rounded* rather than truncated (`rounds`, as a `DATETIME(0)` column stores them), and
zone-less stamps in the server's local time rather than UTC (`local_zone_h`) beside zoned ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from harness.core.timestamps import format_iso


class StampForm(StrEnum):
    ISO = "iso"  # 2026-03-31T07:32:20.000Z
    SPACE = "space"  # 2026-05-22 13:19:23 (no zone)


@dataclass(frozen=True, slots=True)
class SandboxStamps:
    """How one sandbox prints times: its clock's offset from the truth, and whether whole seconds."""

    skew_s: float = 0.0  # server clock − true clock
    precise: bool = False  # millisecond stamps everywhere (never a profile's default)
    rounds: bool = False  # whole seconds rounded to the nearest, not truncated
    local_zone_h: float = 0.0  # zone-less stamps print the local time this many hours east of UTC

    def server(self, moment: datetime) -> datetime:
        """A true instant as the server's clock reads it."""
        return moment + timedelta(seconds=self.skew_s)

    def fine(self, moment: datetime) -> str:
        """A stamp the documents print to the millisecond (a `created_at`)."""
        return format_iso(self.server(moment))

    def whole(self, moment: datetime, form: StampForm = StampForm.ISO) -> str:
        """A stamp the documents print at whole seconds, truncated as a clock that stores seconds does (or
        rounded, as a `DATETIME(0)` column does)."""
        shown = self.server(moment).astimezone(UTC)
        if not self.precise:
            shown = (shown + timedelta(seconds=0.5) if self.rounds else shown).replace(microsecond=0)
        if form is StampForm.SPACE:
            shown += timedelta(hours=self.local_zone_h)
            fraction = f".{shown.microsecond // 1000:03d}" if self.precise else ""
            return shown.strftime("%Y-%m-%d %H:%M:%S") + fraction
        return format_iso(shown)


def form_of_job(job_id: str) -> StampForm:
    """The documents print status-shaped bodies in both forms; a job keeps one (drawn from its id)."""
    return StampForm.SPACE if hashlib.sha256(job_id.encode()).digest()[0] & 1 else StampForm.ISO
