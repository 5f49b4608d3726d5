"""Every registered check over time: the offerings whose newest run changed a check beyond what its declaration
allows against the run before that had them (`harness.checks.changes_between`: the clips both runs spoke, paired).
A check's change rule is its own (`harness.core.checks.ChangeRule`): the gate reads it, names no check, and fails on
each offering it finds, with the check's rule said in the failure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness.checks import CheckChange, changes_between
from harness.results import RequestRow, group


@dataclass(frozen=True, slots=True)
class CheckChanged:
    """An offering whose newest run changed a check beyond its rule."""

    change: CheckChange
    run_id: str
    before_run: str

    @property
    def provider(self) -> str:
        return self.change.provider

    @property
    def model(self) -> str:
        return self.change.model

    @property
    def check(self) -> str:
        return self.change.check.name

    @property
    def rule(self) -> str:
        return self.change.rule.describe(self.change.field.label) + f" ({self.change.check.doc})"

    def describe(self) -> str:
        return self.change.describe(self.before_run, self.run_id)


def newest_checks_changed(runs: Sequence[tuple[str, Sequence[RequestRow]]]) -> tuple[CheckChanged, ...]:
    """Each offering of the newest run (the last of `runs`: run id, its requests) whose checks changed beyond their
    rules against the latest earlier run that had the offering."""
    if not runs:
        return ()
    newest, requests = runs[-1]
    found = []
    for who, members in group(requests).items():
        before = next(((run_id, group(earlier)[who]) for run_id, earlier in reversed(runs[:-1])
                       if who in group(earlier)), None)
        if before is None:
            continue
        found += [CheckChanged(change, newest, before[0]) for change in changes_between(before[1], members)
                  if change.beyond]
    return tuple(found)
