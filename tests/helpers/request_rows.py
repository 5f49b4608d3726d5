"""Made-up rows of a run for pure tests of the figures: a `RequestRow` with what the test says and the rest a plain
job's (a run's store fills every column; a test names only those its figure reads)."""

from __future__ import annotations

from typing import Any

from harness.results import RequestRow

_PLAIN_JOB: dict[str, Any] = {
    "run_id": "r", "job_key": "j", "seq": 0, "provider": "p", "model": "m", "endpoint": "synthesize",
    "corpus": "en_read", "corpus_version": "1", "item_id": "1", "text": "Hello.", "chars": 6, "repeat": 0,
    "state": "done", "attempts": 1, "resumed": 0, "polls": 0, "poll_errors": 0, "harness_version": "0",
    "git_revision": "", "params_sha256": "",
}


def request_row(**values: Any) -> RequestRow:
    return RequestRow(**{**_PLAIN_JOB, **values})
