"""A run's cancels per offering, from the jobs' stored `cancel_*` columns (schema 14, written by
`harness.runner.deliver.socket_cancel` as `harness.core.protocols.cancel` judged each): what the summary, `--format
json`, the
report and `compare` read. An offering none of whose jobs was cancelled has no figures: shown as "—", never 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from harness.results.run_records import RequestRow

VERDICTS = ("kept", "violation", "finding", "unmeasured")


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelFigures:
    """One offering's cancelled jobs: cancel-to-silence (median and worst, over the jobs measured), the audio frames
    and seconds that came after the acknowledgement (summed), and the verdicts."""

    provider: str
    model: str
    cancelled: int  # jobs cancelled (a cancel sent)
    measured: int  # of them, the ones whose cancel met speech still to come
    to_silence_p50_ms: float | None
    to_silence_max_ms: float | None
    after_ack_frames: int | None
    after_ack_s: float | None  # None: some audio after it could not be decoded here
    verdicts: Mapping[str, int]

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"


def _number(value: Any) -> float | None:
    return None if value is None else float(str(value))


def cancel_figures(requests: Sequence[RequestRow]) -> tuple[CancelFigures, ...]:
    """Per offering with a cancelled job, in the order of the rows; none for a run without `--cancel-after`."""
    by_model: dict[tuple[str, str], list[RequestRow]] = {}
    for row in requests:
        if row.cancel_after_ms is not None:
            by_model.setdefault((row.provider, row.model), []).append(row)
    found = []
    for (provider, model), rows in by_model.items():
        measured = [r for r in rows if r.cancel_to_silence_ms is not None]
        silence = [ms for r in measured if (ms := r.cancel_to_silence_ms) is not None]
        frames = [r.cancel_after_ack_frames for r in measured
                  if r.cancel_after_ack_frames is not None]
        seconds = [_number(r.cancel_after_ack_s) for r in measured]
        verdicts = {v: n for v in VERDICTS if (n := sum(1 for r in rows if r.cancel_verdict == v))}
        found.append(
            CancelFigures(
                provider=provider,
                model=model,
                cancelled=len(rows),
                measured=len(measured),
                to_silence_p50_ms=median(silence) if silence else None,
                to_silence_max_ms=max(silence) if silence else None,
                after_ack_frames=sum(frames) if frames else None,
                after_ack_s=None
                if not seconds or any(s is None for s in seconds)
                else sum(s for s in seconds if s is not None),
                verdicts=verdicts,
            )
        )
    return tuple(found)
