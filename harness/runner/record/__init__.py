"""What a run keeps, as evidence: each job's record (`records`) and its moments on the monotonic clock (`timing`), the
run's provenance (`provenance`), its one writer (`lease`), what it keeps to resume from its own sandbox (`journal`,
`recovery`), and an answer's timing marks (`marks_evidence`). It imports only the plan. What the other phases, the
runner's own modules (`run`, `session`, `dry_run`) and the composers use of it is its surface, `__all__`; the rest is
the phase's own.
"""

from __future__ import annotations

from harness.runner.record.journal import keep_sandbox_state
from harness.runner.record.lease import Lease
from harness.runner.record.marks_evidence import answer_marks, socket_marks
from harness.runner.record.provenance import HARNESS_VERSION, git_revision, iso_from_epoch, iso_now, machine
from harness.runner.record.records import AudioFile, JobRecord
from harness.runner.record.timing import HttpTrace, JobMoments, Mark, PollRecord, mono_of, now, wall_of

__all__ = [
    "HARNESS_VERSION",
    "AudioFile",
    "HttpTrace",
    "JobMoments",
    "JobRecord",
    "Lease",
    "Mark",
    "PollRecord",
    "answer_marks",
    "git_revision",
    "iso_from_epoch",
    "iso_now",
    "keep_sandbox_state",
    "machine",
    "mono_of",
    "now",
    "socket_marks",
    "wall_of",
]
