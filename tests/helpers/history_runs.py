"""Nights of stored runs for the history tests, written through the results store as the runner writes them:
one model, a few jobs a run, latencies with run-to-run noise, a latency step or a voice swap injected from a
given run on (a swapped voice speaks at another pace: every clip's duration changes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from harness.results.store import Store
from tests.helpers.check_store import job_row, run_row
from tests.helpers.store_rows import write_rows

START = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
TEXTS = (
    "The old man walked slowly along the quiet road.",
    "She opened the window and let the cool air in.",
    "We listened to the gentle rain on the roof.",
    "A small boat drifted toward the rocky shore.",
)


def _stamp(night: int) -> str:
    return (START + timedelta(days=night)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def write_nights(
    store_target: str | Path,
    nights: int = 30,
    *,
    seed: int = 0,
    latency_step_at: int | None = None,
    swap_at: int | None = None,
    provider: str = "acme",
    model: str = "clear",
) -> list[str]:
    """Write `nights` runs; returns their ids, oldest first. Run-level noise: 5% on latency, 2% on pace."""
    rng = np.random.default_rng(seed)
    store = Store(store_target)
    ids = []
    for night in range(nights):
        run_id = f"{_stamp(night)[:10].replace('-', '')}T020000Z-{seed:02d}{night:02d}"
        at = _stamp(night)
        level = (
            800.0
            * float(np.exp(rng.normal(0, 0.05)))
            * (1.6 if latency_step_at is not None and night >= latency_step_at else 1.0)
        )
        pace = float(np.exp(rng.normal(0, 0.02))) * (1.25 if swap_at is not None and night >= swap_at else 1.0)
        run = run_row(run_id, at, len(TEXTS))
        jobs = [
            job_row(
                run_id,
                at,
                model,
                index,
                text,
                provider=provider,
                params={"voice": "joe"},
                e2e_ms=level * float(np.exp(rng.normal(0, 0.03))),
                audio_ms=60.0 * len(text) * pace,
                cost_usd=0.0001 * len(text),
            )
            for index, text in enumerate(TEXTS)
        ]
        write_rows(store, [("runs", [run]), ("jobs", jobs)])
        ids.append(run_id)
    store.close()
    return ids
