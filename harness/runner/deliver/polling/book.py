"""One schedule per model of a run."""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.runner.deliver.polling.adaptive import AdaptiveSchedule
from harness.runner.deliver.polling.schedules import FixedSchedule, Schedule
from harness.runner.plan.config import PollingMode


@dataclass(slots=True)
class ScheduleBook:
    """One schedule per model of a run (webhook runs poll adaptively, as a safety net only)."""

    mode: PollingMode
    interval: float = 1.0
    max_polls: int | None = None  # `--max-polls`: each adaptive schedule's per-job budget (None: its own)
    schedules: dict[str, Schedule] = field(default_factory=dict)

    def get(self, label: str) -> Schedule:
        schedule = self.schedules.get(label)
        if schedule is None:
            schedule = self.schedules[label] = self._new()
        return schedule

    def _new(self) -> Schedule:
        if self.mode is PollingMode.FIXED:
            return FixedSchedule(self.interval)
        adaptive = AdaptiveSchedule()
        if self.max_polls is not None:  # the plan (what a job should spend) stays within the budget
            adaptive.budget, adaptive.plan = self.max_polls, min(adaptive.plan, 0.6 * self.max_polls)
        return adaptive
