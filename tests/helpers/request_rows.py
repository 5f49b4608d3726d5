"""Made-up rows of a run for pure tests of the figures: a `RequestRow` with what the test says and the rest a plain
job's (a run's store fills every column; a test names only those its figure reads)."""

from __future__ import annotations

import json
from typing import Any

from harness.results import ChunkRow, ClipRow, JobRow, RequestRow

_PLAIN_JOB: dict[str, Any] = {
    "run_id": "r",
    "job_key": "j",
    "seq": 0,
    "provider": "p",
    "model": "m",
    "endpoint": "synthesize",
    "corpus": "en_read",
    "corpus_version": "1",
    "item_id": "1",
    "text": "Hello.",
    "chars": 6,
    "repeat": 0,
    "state": "done",
    "attempts": 1,
    "resumed": 0,
    "polls": 0,
    "poll_errors": 0,
    "harness_version": "0",
    "git_revision": "",
    "params_sha256": "",
}


def request_row(**values: Any) -> RequestRow:
    return RequestRow(**{**_PLAIN_JOB, **values})


_PLANNED_JOB: dict[str, Any] = {
    "job_key": "j",
    "run_id": "r",
    "seq": 0,
    "harness_version": "0",
    "git_revision": "",
    "provider": "p",
    "model": "m",
    "endpoint": "synthesize",
    "params_json": "{}",
    "params_sha256": "",
    "corpus": "en_read",
    "corpus_version": "1",
    "item_id": "1",
    "text": "Hello.",
    "chars": 6,
    "repeat": 0,
}


def job_row(**values: Any) -> JobRow:
    """A stored `jobs` row with what the test says and the rest a planned job's."""
    return JobRow(**{**_PLANNED_JOB, **values})


def chunk_row(**values: Any) -> ChunkRow:
    """A stored `chunks` row: a stream's chunk, the rest of its columns a plain job's."""
    return ChunkRow(
        **{
            "run_id": "r",
            "job_key": "j",
            "provider": "p",
            "model": "m",
            "item_id": "1",
            "seq": 0,
            "earliest_ms": 0.0,
            "latest_ms": 0.0,
            "bytes": 0,
            **values,
        }
    )


def clip_row(**values: Any) -> ClipRow:
    """A stored `clips` row: a kept clip, the rest of its columns a plain job's."""
    return ClipRow(
        **{
            "clip_id": "j",
            "run_id": "r",
            "provider": "p",
            "model": "m",
            "text": "Hello.",
            "audio_path": "",
            "audio_sha256": "",
            **values,
        }
    )


def language_clip(
    item: str,
    language: str,
    heard: str | None,
    *,
    model: str = "m",
    probability: float = 0.95,
    asr_model: str = "base#b58256269b05",
    **values: Any,
) -> RequestRow:
    """A scored clip of `acme`'s `model` asked in `language` and heard as `heard` (None: not checked), flagged
    `wrong_language` as the scorer flags it (heard as another with p >= 0.5); `values` add or replace fields."""
    wrong = heard is not None and heard != language and probability >= 0.5
    fields: dict[str, Any] = {
        "provider": "acme",
        "model": model,
        "item_id": item,
        "language": language,
        "outcome": "ok",
        "scored": 1,
        "asr_model": asr_model,
        "heard_language": heard,
        "heard_probability": None if heard is None else probability,
        "flags": json.dumps(["wrong_language"] if wrong else []),
    }
    return request_row(**(fields | values))
