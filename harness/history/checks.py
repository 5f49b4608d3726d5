"""Every registered check over time: the offerings whose newest run changed a check beyond what its declaration
allows against the run before that had them (`harness.checks.changes_between`: the clips both runs spoke, paired).
A check's change rule is its own (`harness.core.checks.ChangeRule`): the gate reads it, names no check, and fails on
each offering it finds, with the check's rule said in the failure. A counted check (its findings deterministic) is
judged run against run by its rule (`newest_counted_worse`), under the heading and JUnit name its rule declares; a
check with views of its own by its own (`newest_own_worse`: `harness.checks.views`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness.checks import CheckChange, CountedChange, DeclaredCheck, OwnViews, Worse, changes_between, offering_checks
from harness.history.newest import newest_beside_before
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
        before = next(
            ((run_id, group(earlier)[who]) for run_id, earlier in reversed(runs[:-1]) if who in group(earlier)), None
        )
        if before is None:
            continue
        found += [
            CheckChanged(change, newest, before[0]) for change in changes_between(before[1], members) if change.beyond
        ]
    return tuple(found)


@dataclass(frozen=True, slots=True)
class CountedWorse:
    """An offering whose newest run made a counted check worse by its rule (`harness.checks.CountedChange`)."""

    change: CountedChange
    run_id: str
    before: str | None  # the run compared with (None: no run before had the offering's check)

    @property
    def provider(self) -> str:
        return self.change.after.provider

    @property
    def model(self) -> str:
        return self.change.after.model

    @property
    def check(self) -> str:
        return self.change.check.name

    def describe(self) -> str:
        return self.change.describe(self.run_id, self.before)


def newest_counted_worse(
    runs: Sequence[tuple[str, Sequence[RequestRow]]], check: DeclaredCheck
) -> tuple[CountedWorse, ...]:
    """Each offering of the newest run (the last of `runs`: run id, its requests) that the counted `check`'s rule
    flags against the latest earlier run that had the offering's check (none before: the rule's "none")."""
    per_run = [(run_id, offering_checks(requests, [check])) for run_id, requests in runs]
    return tuple(
        CountedWorse(change, newest, before[0] if before else None)
        for newest, after, before in newest_beside_before(per_run)
        if (change := CountedChange(after=after, before=before[1] if before else None)).worse
    )


def newest_own_worse(runs: Sequence[tuple[str, Sequence[RequestRow]]], views: OwnViews) -> tuple[Worse, ...]:
    """Each offering of the newest run (the last of `runs`: run id, its requests) that a check with views of its own
    flags against the latest earlier run that had the offering's figures of it."""
    per_run = [(run_id, views.figures(requests)) for run_id, requests in runs]
    return tuple(
        found
        for newest, after, before in newest_beside_before(per_run)
        if (found := views.worse(newest, after, before)) is not None
    )


def newest_own_kept(runs: Sequence[tuple[str, Sequence[RequestRow]]], views: OwnViews) -> tuple[Worse, ...]:
    """Each offering of the newest run that still breaks a check's own rule as the latest earlier run that had it
    did (`OwnViews.kept`): no new failure, but said."""
    if views.kept is None:
        return ()
    per_run = [(run_id, views.figures(requests)) for run_id, requests in runs]
    return tuple(
        found
        for newest, after, before in newest_beside_before(per_run)
        if (found := views.kept(newest, after, before)) is not None
    )
