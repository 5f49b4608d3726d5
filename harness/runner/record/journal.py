"""What a run keeps to resume from its own sandbox: the sandbox's state file, and the jobs it accepted.

A run against the built-in sandbox starts the sandbox inside its own process, so a crash takes both
down. The run hands its sandbox a state file beside `runs.db` (`sandbox/<run id>.sqlite`): the sandbox
journals there every job before its submit is answered, and every wallet (`harness.sandbox`'s
`snapshot`). A resumed run hands the same file to its new sandbox, which continues the jobs in flight with
their ids, timelines and charges; and because that journal holds every job the sandbox accepted, the
run can tell which one a submit interrupted before its answer was committed created (`recovery`).

The runner talks to its sandbox only through the narrow `SandboxHandle` (a state path and what the
`/_sandbox` control API answers), never through the sandbox's internals.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from harness.results import Store
from harness.runner.plan.config import TargetKind
from harness.runner.plan.target import Target
from harness.runner.record.recovery import SandboxRecovery

if TYPE_CHECKING:
    from harness.sandbox import SandboxHandle


def sandbox_state_path(db_path: Path, run_id: str) -> Path:
    """Where the sandbox of run `run_id` keeps its state: beside the run's database."""
    return db_path.parent / "sandbox" / f"{run_id}.sqlite"


def keep_sandbox_state(target: Target, store: Store, run_id: str) -> list[str]:
    """The run's own sandbox keeps its jobs and wallets beside the run's database, and a resumed run's
    sandbox starts from them: jobs in flight at a crash finish with the same ids and the same charges.
    Call before anything is sent to the sandbox; the notes to print."""
    if target.kind is not TargetKind.SANDBOX or target.handle is None:
        return []
    sandbox: SandboxHandle = target.handle
    path = sandbox_state_path(store.path, run_id)
    journalled = path.is_file()  # a run from before the journal existed: its sandbox cannot tell
    restored = sandbox.keep_state(path)
    if journalled:
        claimed = [job.provider_job_id for job in store.jobs(run_id) if job.provider_job_id]
        target.recovery = SandboxRecovery(sandbox.jobs(), claimed)
    return [f"the sandbox continues {restored} jobs of the interrupted run"] if restored else []
