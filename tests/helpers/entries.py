"""A leaderboard entry of one offering with nothing measured but what a test gives it: a face's cell or JSON of a
check's figures (`Entry.own`, `Entry.checks`) without a run."""

from __future__ import annotations

import math
from typing import Any

from harness.report.leaderboard import Entry
from harness.report.stats import Interval


def bare_entry(**given: Any) -> Entry:
    """p/m: one job sent and answered, nothing priced, scored or flagged, no success interval; `given` sets any field
    (`model`, `own`, `checks`)."""
    nan = Interval(math.nan, math.nan, math.nan, 0)
    return Entry(
        **{
            "provider": "p",
            "model": "m",
            "sent": 1,
            "ok": 1,
            "skipped": 0,
            "success": nan,
            "cost_total_usd": None,
            "cost_per_request_usd": None,
            "cost_per_audio_minute_usd": None,
            "cost_per_1k_chars_usd": None,
            "unpriced": 0,
            "audio_minutes": 0.0,
            "chars": 0,
            "scored": 0,
            "flagged_clips": 0,
            "findings": {},
            "errors": {},
            "polls_mean": None,
            **given,
        }
    )
