"""A run's markup verdicts per offering, from the jobs' stored `markup_honoured` and `markup_json` columns (schema 16,
written by `harness.benchmark.judge_markup` as `harness.measurement.markup` judged each clip): what the summary,
`--format json`, the report, `compare` and `history` read. An offering no clip of which was judged for markup has no
figures: shown as "—", never 0.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from harness.results.run_records import RequestRow


@dataclass(frozen=True, slots=True)
class MarkupFigures:
    """One offering's markup clips: how many were honoured (every pause within tolerance, no tag spoken) of those
    judged, and the median |heard - asked| over the pauses asked (None: none asked)."""

    provider: str
    model: str
    honoured: int
    judged: int
    break_error_p50_ms: float | None

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    @property
    def share(self) -> float:
        return self.honoured / self.judged

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "model": self.model, "honoured": self.honoured, "judged": self.judged,
                "honoured_share": round(self.share, 4), "break_error_p50_ms": self.break_error_p50_ms}


def _break_errors(row: RequestRow) -> list[float]:
    try:
        pauses = json.loads(str(row.markup_json or "{}")).get("pauses", [])
        return [abs(float(heard) - float(asked)) for asked, heard, *_ in pauses]
    except (ValueError, TypeError, AttributeError):
        return []  # a row written by another version: its share still counts


def markup_figures(requests: Sequence[RequestRow]) -> tuple[MarkupFigures, ...]:
    """Per offering with a judged markup clip, in the order of the rows; none for a run without a markup corpus."""
    by_model: dict[tuple[str, str], list[RequestRow]] = {}
    for row in requests:
        if row.markup_honoured is not None:
            by_model.setdefault((row.provider, row.model), []).append(row)
    found = []
    for (provider, model), rows in by_model.items():
        errors = [error for row in rows for error in _break_errors(row)]
        found.append(MarkupFigures(provider, model, sum(1 for r in rows if r.markup_honoured), len(rows),
                                   round(median(errors), 1) if errors else None))
    return tuple(found)
