"""What a run's evidence teaches of each provider's clock: the one owner of how evidence feeds `ProviderStamps`.

Two kinds of evidence, each one function: a submit (the server stamped `created_at` while our request was in
flight: a bracket on the clock offset) and a completion (the job was seen unfinished, then finished, and
stamped its completion in between: another bracket, evidence about the rounding convention, and the zone
of stamps printed without one). The runner's poll schedule feeds them as a job's stamps arrive, to decide
*when* to ask; `learn_run_clocks` feeds all of a run's evidence at once, in an order fixed by the evidence
itself, for the figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from harness.core.timestamps import parse_timestamp
from harness.measurement.evidence import JobEvidence, Mark
from harness.measurement.intervals import client_bracket
from harness.measurement.server_clock import Convention, ProviderStamps, is_zoned


def _note_fields(clock: ProviderStamps, job: JobEvidence) -> None:
    if job.declared_convention is not None:
        clock.declared = Convention(job.declared_convention)
    for name in ("created", "started", "completed"):
        clock.observe(name, getattr(job.stamps, name))


def learn_submit(clock: ProviderStamps, job: JobEvidence) -> bool:
    """The job's `created_at` was stamped while its submit was in flight, between sent and received: one bound
    on the server's clock. A resumed job's submit went out before a crash: its bracket is not known. Returns
    whether the job taught anything."""
    _note_fields(clock, job)
    created, sent = job.stamps.created, job.marks.get(Mark.REQUEST_SENT)
    if created is None or sent is None or job.resumed:
        return False
    clock.observe_submit(created, job.epoch + sent, job.epoch + job.marks.get(Mark.RESPONSE_HEADERS, sent))
    return True


def learn_completion(clock: ProviderStamps, job: JobEvidence) -> None:
    """The completion stamp lies inside the client's bracket of the completion: a zone-less stamp first
    teaches the zone (where the offset puts it whole quarter-hours from the bracket), then every stamp bounds
    the clock and may tell the conventions apart."""
    _note_fields(clock, job)
    completed, bracket = job.stamps.completed, client_bracket(job)
    if completed is None or bracket is None or job.resumed:
        return
    if not is_zoned(completed) and not clock.zone_known:
        stamp = parse_timestamp(completed)
        if stamp is not None and clock.offsets[clock.conventions[0]].known:
            clock.learn_zone(stamp.timestamp(), job.epoch + bracket[0], job.epoch + bracket[1])
    clock.observe_completion(completed, job.epoch + bracket[0], job.epoch + bracket[1])


def _completion_order(job: JobEvidence) -> tuple[float, str]:
    bracket = client_bracket(job)
    return (bracket[1] if bracket is not None else job.submit_order[0]), job.job_key


def learn_clock(jobs: Iterable[JobEvidence]) -> ProviderStamps:
    """One provider's clock from all of its jobs at once: every submit in the order they were sent, then every
    completion in the order they were seen. The order is the evidence's own, so the result does not depend on
    the order jobs finished or rows were stored in."""
    clock = ProviderStamps()
    ordered = sorted(jobs, key=lambda job: job.submit_order)
    for job in ordered:
        learn_submit(clock, job)
    for job in sorted(ordered, key=_completion_order):
        learn_completion(clock, job)
    return clock


def learn_run_clocks(jobs: Sequence[JobEvidence]) -> dict[str, ProviderStamps]:
    """Per provider, what the whole run's evidence says of its clock."""
    providers = sorted({job.provider for job in jobs})
    return {name: learn_clock(job for job in jobs if job.provider == name) for name in providers}
