"""When a job's next status request goes out: one ordered decision, each override named.

The provider's word first: a closed gate (Retry-After, an exhausted rate-limit window) is never polled
through, and after failed polls its documented backoff decides. Then, the first rule that applies:
1. `backoff` — the last poll failed: the provider's backoff for that many failures in a row;
2. `resume` — the first poll of a job resumed after a crash goes at once (it may have finished meanwhile);
3. `clock` — a submit held to pin the provider's clock (`clock_probe`): its job is asked almost at once for
   its `created_at`;
4. the learnt schedule (`AdaptiveSchedule`'s explore/queued/approach/mass/tail, or `fixed`); while a webhook
   is awaited, `webhook-fallback`: polls are only a safety net, at four times that gap, two seconds at least;
and last the budget: never past the job's deadline. The stored reason names the rule that decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.runner.deliver.polling.clock_probe import PROBE_POLL_S

WEBHOOK_STRETCH, WEBHOOK_FLOOR_S = 4.0, 2.0  # a webhook leads: polls only catch a callback that never came


@dataclass(frozen=True, slots=True, kw_only=True)
class PollStep:
    """What the next poll of one job depends on, read at one instant (seconds)."""

    learnt: tuple[float, str]  # the schedule's delay and its reason for this job's context
    gate_wait: float = 0.0  # until the provider's gate opens (Retry-After, a rate-limit window)
    backoff: float | None = None  # the provider's backoff after failed polls (None: the last poll answered)
    resumed_first: bool = False  # the first poll of a job resumed after a crash
    probing: bool = False  # the job's submit was held to pin the clock and its created_at is unread
    webhook: bool = False  # a callback is awaited
    until_deadline: float = float("inf")


def _first_rule(step: PollStep) -> tuple[float, str]:
    if step.backoff is not None:
        return step.backoff, "backoff"
    if step.resumed_first:
        return 0.0, "resume"
    delay, reason = step.learnt
    if step.probing:
        return min(delay, PROBE_POLL_S), "clock"
    if step.webhook:
        return max(delay * WEBHOOK_STRETCH, WEBHOOK_FLOOR_S), "webhook-fallback"
    return delay, reason


def next_poll(step: PollStep) -> tuple[float, str]:
    """The delay before the next status request, and the rule that decided it."""
    delay, reason = _first_rule(step)
    if step.gate_wait > delay:
        delay, reason = step.gate_wait, "retry-after"
    return max(min(delay, step.until_deadline), 0.0), reason
