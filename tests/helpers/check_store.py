"""Made-up stored runs: a finished run's row and a done job's (`run_row`, `job_row`: the history tests' nights use
them too), and a results store of two nightly runs of two offerings of one provider (`acme`), five clips each, whose
scores a test gives clip by clip (`write_two_nights`): what a check's change between runs is judged on (`history`,
`compare`) without a benchmark run. Each clip's `scores` row holds what the scorer stored for it, and the test's own
measured figures on top."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from harness.results.store import Store
from tests.helpers.store_rows import SCORE_SETUP, write_rows

TEXTS = (
    "The old man walked slowly along the quiet road.",
    "She opened the window and let the cool air in.",
    "We listened to the gentle rain on the roof.",
    "A small boat drifted toward the rocky shore.",
    "The children laughed as the kite rose higher.",
)
RUNS = ("20261101T020000Z-aaaa", "20261102T020000Z-bbbb")

# A clip's measured score columns: (night 0 or 1, model, text) -> its columns over the scorer's defaults.
Measured = Callable[[int, str, str], Mapping[str, Any]]


def job_row(
    run_id: str, at: str, model: str, index: int, text: str, *, provider: str = "acme", **given: Any
) -> dict[str, Any]:
    """A done job of `provider/model` saying `text` at `at`, its params `{"text": text}` and an 800 ms answer (`given`:
    columns over these, `params` as a mapping)."""
    key = hashlib.sha256(f"{run_id}/{model}/{index}".encode()).hexdigest()[:24]
    params = json.dumps({"text": text, **given.pop("params", {})})
    return {
        "job_key": key,
        "run_id": run_id,
        "seq": index,
        "harness_version": "0.1.0",
        "git_revision": "abc",
        "provider": provider,
        "model": model,
        "endpoint": f"{model}.generate",
        "params_json": params,
        "params_sha256": hashlib.sha256(params.encode()).hexdigest(),
        "corpus": "en_read",
        "corpus_version": "1",
        "item_id": f"en-{index:03d}",
        "language": "en",
        "text": text,
        "chars": len(text),
        "repeat": 0,
        "state": "done",
        "outcome": "ok",
        "attempts": 1,
        "delivery": "sync",
        "e2e_ms": 800.0,
        "started_at": at,
        "finished_at": at,
        **given,
    }


def _score(job: Mapping[str, Any], at: str, measured: Mapping[str, Any]) -> dict[str, Any]:
    words = str(job["text"]).lower().rstrip(".").split()
    return {
        "clip_id": job["job_key"],
        "run_id": job["run_id"],
        **SCORE_SETUP,
        "language": "en",
        "unit": "word",
        "wer": 0.0,
        "cer": 0.0,
        "hits": len(words),
        "substitutions": 0,
        "deletions": 0,
        "insertions": 0,
        "ref_length": len(words),
        "ref_words": len(words),
        "hyp_length": len(words),
        "flags_json": "[]",
        "findings_json": "[]",
        "cache_hit": 0,
        "scored_at": at,
        "setup_asr_model": "tiny.en",
        **measured,
    }


def run_row(run_id: str, at: str, jobs: int) -> dict[str, Any]:
    """A finished sandbox run of `jobs` planned jobs, created and finished at `at`."""
    return {
        "run_id": run_id,
        "created_at": at,
        "updated_at": at,
        "finished_at": at,
        "status": "finished",
        "harness_version": "0.1.0",
        "git_revision": "abc",
        "target": "sandbox",
        "corpora_json": "{}",
        "config_json": "{}",
        "providers_json": "[]",
        "models_json": "[]",
        "repeats": 1,
        "concurrency": 1,
        "polling": "adaptive",
        "planned_jobs": jobs,
        "planned_unpriced": 0,
        "machine_json": "{}",
        "resumes": 0,
    }


def write_two_nights(path: Path, models: Sequence[str], measured: Measured) -> Path:
    """Two runs (`RUNS`, a night apart) of `acme/<model>` for each model, one clip per text of `TEXTS`, each clip's
    score columns from `measured(night, model, text)`."""
    store = Store(path)
    for night, run_id in enumerate(RUNS):
        at = f"2026-11-0{night + 1}T02:00:00.000Z"
        jobs, clips, scores = [], [], []
        for offset, model in enumerate(models):
            for index, text in enumerate(TEXTS):
                job = job_row(run_id, at, model, offset * 10 + index, text)
                jobs.append(job)
                clips.append(
                    {
                        "clip_id": job["job_key"],
                        "run_id": run_id,
                        "provider": "acme",
                        "model": model,
                        "corpus": "en_read",
                        "item_id": job["item_id"],
                        "language": "en",
                        "text": text,
                        "audio_path": "",
                        "audio_sha256": "",
                    }
                )
                scores.append(_score(job, at, measured(night, model, text)))
        write_rows(
            store,
            [("runs", [run_row(run_id, at, len(jobs))]), ("jobs", jobs), ("clips", clips), ("scores", scores)],
        )
    store.close()
    return path
