"""Which job a submit in flight at a crash created, where the target can tell: the run's own sandbox.

A crash between the provider accepting a submit and the runner committing the job id leaves the job
`submitting`: against a live provider nothing can say whether that submit was accepted, so a resume
resubmits it and records the lost attempt as charged (the paid side). The built-in sandbox can say: its
restored journal holds every job it accepted (`harness.runner.record.journal`). A job it accepted that no row of
the run claims, for the same provider, endpoint and text, is the one the crash orphaned; the resume polls
it instead of buying it again, and when there is none the attempt in flight was never accepted (so it
cost nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from harness.runner.plan.jobs import PlannedJob


class SandboxRecovery:
    def __init__(self, sandbox_jobs: Iterable[Mapping[str, Any]], claimed: Iterable[str]) -> None:
        """`sandbox_jobs`: the sandbox's true job records (`GET /_sandbox/jobs`), oldest first."""
        # Oldest first: two orphans of one request (two repeats) are interchangeable.
        self._jobs = list(sandbox_jobs)
        self._claimed = set(claimed)

    def accepted(self, job: PlannedJob) -> str | None:
        """The id of the orphaned job that `job`'s submit created, claiming it; None if it created none."""
        for found in self._jobs:
            if found["id"] in self._claimed or found["provider"] != job.provider.name:
                continue
            if found["endpoint"] == job.selection.endpoint.key and _says(found["lines"], job.item.text):
                self._claimed.add(found["id"])
                return str(found["id"])
        return None


def _says(lines: Iterable[str], text: str) -> bool:
    """The sandbox job speaks this corpus text (a script's lines each appear in it, labels aside)."""
    spoken = list(lines)
    return bool(spoken) and all(line in text for line in spoken)
