"""When to ask for a job's status: an adaptive schedule that is accurate where it matters and frugal
elsewhere, and fixed-interval schedules to compare it with.

A fixed interval quantises end-to-end latency by up to one interval and spends most of its polls
where nothing happens. The adaptive schedule learns, per (provider, model), how long jobs take as a
function of their text length (a log-linear fit over the run's completed jobs, shrunk towards priors
while they are few) and spends a per-job budget where completion is likely: one poll to the start of
the learned mass, an even cadence inside it (phased to split the server's whole seconds, at thirds in
its core), backing off past it. Before a model has data it explores geometrically.

The parts: `duration_model` (what the schedule believes of a model's durations), `adaptive` and `schedules`
(the schedules), `server_seconds` (where the server's seconds begin, to phase polls against whole-second
stamps), `clock_probe` (held submits that pin the server's clock), `book` (one schedule per model), and
`next_poll` — the one ordered decision of every poll's delay (the provider's Retry-After and backoff, a
resume, a clock probe, the schedule, the budget). A schedule decides only *when* to ask; what a latency is,
and how sure, is `harness.measurement`'s, derived from the run's evidence afterwards (docs/latency.md).
"""

from harness.runner.deliver.polling.adaptive import CORE_MIN_EXTRA, AdaptiveSchedule
from harness.runner.deliver.polling.book import ScheduleBook
from harness.runner.deliver.polling.clock_probe import CLOCK_PIN_S, CLOCK_PROBES, PROBE_POLL_S, ClockProbe, probe_delay
from harness.runner.deliver.polling.duration_model import DurationModel
from harness.runner.deliver.polling.next_poll import PollStep, next_poll
from harness.runner.deliver.polling.schedules import FixedSchedule, PollContext, Schedule
from harness.runner.deliver.polling.server_seconds import SecondOrigins, second_origins, stamp_resolution

__all__ = [
    "CLOCK_PIN_S",
    "CLOCK_PROBES",
    "CORE_MIN_EXTRA",
    "PROBE_POLL_S",
    "AdaptiveSchedule",
    "ClockProbe",
    "DurationModel",
    "FixedSchedule",
    "PollContext",
    "PollStep",
    "Schedule",
    "ScheduleBook",
    "SecondOrigins",
    "next_poll",
    "probe_delay",
    "second_origins",
    "stamp_resolution",
]
