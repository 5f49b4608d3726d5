"""The leaderboard: every figure of a report, per provider × model, with its interval.

The figures and their definitions are `harness.results.figures`' (the same the terminal summary and
`compare` print); this module adds what a report shows beside them, computed over the same rows:

* success rate = ok / sent, with a Wilson 95% interval;
* every registered check (`harness.checks`) pooled as it declares;
* the figures of a registered check with views of its own, each under its key where its view places it among the
  built-in ones (`harness.checks.views.EntryFigures`), as the check pools them: the latency's and the streams'
  quantiles with their intervals after `success` and `polls_mean`, the pooled WER with its interval, the CER pooled
  apart and the per-utterance means beside them after `scored`;
* a registered check's share of successes with its Wilson 95% interval, where its views give one
  (`harness.checks.views.ShareColumn`), under its key for every offering;
* Pareto: not dominated in (cost per 1M characters, the figure a registered check's view weighs against cost:
  `harness.checks.views.QualityAxis`, the pooled WER), both lower-is-better; the cost is the billed one where the
  answers said, else the planned one, over the priced jobs (every priced model with the figure is placed); the front
  is the report's shortlist (`front_rule`), and a model on it whose jobs did not all succeed is said so;
* what the leaderboard filters by: how each model's audio came (its family: sync, stream, socket, poll, webhook)
  and the languages it was sent;
* cost beside it: planned and billed totals, $ per 1M characters and per hour of audio, where the price was
  read, and why a model has none (no data is not no public price).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from harness.checks import (
    EntryFigure,
    OfferingCheck,
    OwnViews,
    QualityAxis,
    counted_columns,
    offering_checks,
    offering_value,
    registered,
    with_views,
)
from harness.core.checks import CheckDeclaration
from harness.report.stats import (
    Interval,
    proportion_interval,
)
from harness.results import (
    ModelFigures,
    RequestRow,
    RunRows,
    group,
    model_figures,
)

_EMPTY = Interval(float("nan"), float("nan"), float("nan"), 0)


def _shared() -> tuple[tuple[str, str, str, OwnViews], ...]:
    """Each registered check's share (`harness.checks.views.ShareColumn`): its key, the keys of its successes and
    trials among the check's figures, and the check's views, in the registry's order."""
    found = []
    for check, views in with_views():
        if views.share is not None:
            item = check.declaration.field_named(views.share.field)
            successes, trials = item.of
            found.append((check.declaration.key(item), successes, trials, views))
    return tuple(found)


def _share_keys() -> tuple[str, ...]:
    return tuple(key for key, *_ in _shared())


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One provider × model line of the leaderboard."""

    provider: str
    model: str
    sent: int
    ok: int
    skipped: int
    success: Interval
    cost_total_usd: float | None
    cost_per_request_usd: float | None
    cost_per_audio_minute_usd: float | None
    cost_per_1k_chars_usd: float | None
    unpriced: int
    audio_minutes: float
    chars: int
    scored: int
    flagged_clips: int
    findings: dict[str, int]
    errors: dict[str, int]
    polls_mean: float | None
    pareto: bool = False
    # cost as planned and as billed (harness.results.cost_figures)
    cost_source: str = "none"  # billed | planned | mixed | none: what the cost figures above use
    cost_per_million_chars_usd: float | None = None
    cost_per_hour_usd: float | None = None  # per hour of audio returned
    planned_usd: float | None = None  # the plan's total over the sent jobs
    billed_usd: float | None = None  # what the answers said they billed, over `billed_jobs`
    billed_jobs: int = 0
    planned_of_billed_usd: float | None = None  # the plan of those same jobs
    billed_per_million_chars_usd: float | None = None  # billed USD over the billed jobs' characters
    cost_gap: str | None = None  # why there is no USD figure: no data | no public price | priced in <unit> | ...
    price_plan: str | None = None
    price_source: str | None = None
    price_read: str | None = None
    price_stale: bool = False
    deliveries: tuple[str, ...] = ()  # how its audio came (sync, stream, socket, poll, webhook): its family
    languages: tuple[str, ...] = ()  # the languages of the texts it was sent
    price_weak: str | None = None  # why the price's source may not be the provider's (a reseller's page, ...)
    failed_usd: float | None = None  # the failed jobs' cost, apart from $ per audio hour
    own_usd: float | None = None  # the harness's own requests (speech marks asked apart): in no price above
    own_requests: int = 0
    # Each registered check's share with its interval (`harness.checks.views.ShareColumn`), by its key; absent: none
    shares: tuple[tuple[str, Interval], ...] = ()
    # The figures of each registered check with views of its own (harness.checks.views), by their keys; absent: none
    own: tuple[tuple[str, Any], ...] = ()
    # Every registered check of the model (harness.checks), pooled as each declares; a check none of its clips gave a
    # figure of is absent (its cells show "–", never 0).
    checks: tuple[OfferingCheck, ...] = ()

    def share(self, key: str) -> Interval:
        """A check's share of the offering (`ShareColumn`), an empty interval where it has none."""
        return dict(self.shares).get(key, _EMPTY)

    def own_figure(self, key: str) -> Any:
        """A figure of a check with views of its own; None where the offering has none."""
        return dict(self.own).get(key)

    def own_interval(self, key: str) -> Interval:
        """A figure of a check with views of its own that is an interval (value, low, high, clips); an empty interval
        where the offering has none."""
        figure = self.own_figure(key)
        return _EMPTY if figure is None else Interval(*figure)

    def own_quantile(self, key: str, name: str) -> Interval | None:
        """A quantile ("p50", ..., "mean") of a check's figure of intervals by name (a time's), with its interval;
        None where no clip gave the figure."""
        found = (self.own_figure(key) or {}).get(name)
        return None if found is None else Interval(*found)

    def _entry_figure(self, one: EntryFigure) -> Any:
        """A check's figure as the JSON gives it: an interval (`one.interval`) or intervals by name (a time's
        quantiles) as JSON intervals, any other as it is."""
        if one.interval:
            return self.own_interval(one.figure).to_json()
        value = self.own_figure(one.figure)
        if isinstance(value, dict):
            return {name: Interval(*each).to_json() for name, each in value.items()}
        return value

    def _placed(self, shown: dict[str, Any]) -> dict[str, Any]:
        """`shown` with each check's figures the leaderboard gives right after the built-in key its view names
        (`harness.checks.views.EntryFigures`), in the registry's order."""
        after: dict[str, list[tuple[str, Any]]] = {}
        for _, views in with_views():
            for figures in views.entry:
                shown_after = after.setdefault(figures.after, [])
                shown_after.extend((one.key, self._entry_figure(one)) for one in figures.figures)
        placed: dict[str, Any] = {}
        for key, value in shown.items():
            placed[key] = value
            placed.update(after.get(key, ()))
        return placed

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    @property
    def every_job_ok(self) -> bool:
        return self.ok == self.sent

    def to_json(self) -> dict[str, Any]:
        return self._placed(
            {
                "provider": self.provider,
                "model": self.model,
                "sent": self.sent,
                "ok": self.ok,
                "skipped": self.skipped,
                "success": self.success.to_json(),
                "cost_total_usd": self.cost_total_usd,
                "cost_per_request_usd": self.cost_per_request_usd,
                "cost_per_audio_minute_usd": self.cost_per_audio_minute_usd,
                "cost_per_1k_chars_usd": self.cost_per_1k_chars_usd,
                "unpriced": self.unpriced,
                "audio_minutes": self.audio_minutes,
                "chars": self.chars,
                "scored": self.scored,
                "flagged_clips": self.flagged_clips,
                "findings": self.findings,
                "errors": self.errors,
                "polls_mean": self.polls_mean,
                "cost_source": self.cost_source,
                "cost_per_million_chars_usd": self.cost_per_million_chars_usd,
                "cost_per_hour_usd": self.cost_per_hour_usd,
                "planned_usd": self.planned_usd,
                "billed_usd": self.billed_usd,
                "billed_jobs": self.billed_jobs,
                "planned_of_billed_usd": self.planned_of_billed_usd,
                "billed_per_million_chars_usd": self.billed_per_million_chars_usd,
                "cost_gap": self.cost_gap,
                "price": {
                    "plan": self.price_plan,
                    "source": self.price_source,
                    "read": self.price_read,
                    "stale": self.price_stale,
                    "weak": self.price_weak,
                },
                "failed_usd": self.failed_usd,
                "own_usd": self.own_usd,
                "own_requests": self.own_requests,
                "pareto": self.pareto,
                "deliveries": list(self.deliveries),
                "languages": list(self.languages),
                # every check's share, for every offering: an empty interval where it has none (the key always there)
                **{key: self.share(key).to_json() for key in _share_keys()},
                **{key: self.own_figure(key) for _, views in with_views() for key in views.figure_keys},
                # a counted check's ratio under its own key (None: nothing measured it, never 0), the others' figures
                **{
                    check.key(item): _rounded(offering_value(self.checks, check, item), item.json_digits)
                    for check, item in counted_columns()
                },
                "checks": {one.check.name: one.to_json() for one in self.checks if not one.check.counted},
                # a counted check said in a table of every offering (its `table`): its figures as that table's JSON
                **{
                    check.name: next((one.counted_json() for one in self.checks if one.check.name == check.name), None)
                    for check in _tabled()
                },
            }
        )


#: A model's family as the leaderboard's filter names it: how its audio came (the rows' `delivery`).
FAMILIES = {
    "sync": "one request, the audio in the answer",
    "stream": "one request, the audio streamed (SSE, chunks)",
    "socket": "a realtime socket or gRPC stream, text in and audio out",
    "poll": "an asynchronous job, polled",
    "webhook": "an asynchronous job, its webhook",
}


def front_axis() -> QualityAxis | None:
    """The figure the shortlist weighs against cost: the first registered check's whose views give one
    (`harness.checks.views.QualityAxis`); None: no front."""
    return next((views.front for _, views in with_views() if views.front is not None), None)


def front_rule(axis: QualityAxis) -> str:
    """The shortlist's rule, stated where the front is shown (the report's shortlist, the chart's title)."""
    return (
        f"The shortlist is the cost/{axis.label} Pareto front: every model with a USD price and {axis.placed} "
        "that no other such model beats on both — none is both cheaper (USD per 1M characters) and at least "
        f"as {axis.good} ({axis.name}), or as cheap and more {axis.good}. Latency is not in the rule: read it "
        "beside each. A model on the front whose jobs did not all succeed is marked with how many did: its "
        f"cost and {axis.label} rest on the jobs that succeeded."
    )


@dataclass(frozen=True, slots=True)
class Leaderboard:
    entries: tuple[Entry, ...]
    notes: tuple[str, ...] = field(default=())
    front: QualityAxis | None = field(default_factory=front_axis)  # what the front weighs against cost

    def quality(self, entry: Entry) -> Interval:
        """The entry's figure the front weighs against cost, with its interval; empty where it has none."""
        return _EMPTY if self.front is None else entry.own_interval(self.front.figure)

    def placed(self, entry: Entry) -> bool:
        """Whether the front and the cost chart place the entry: a USD price and the front's figure of some clip."""
        return entry.cost_per_million_chars_usd is not None and self.quality(entry).sample_size > 0

    @property
    def shortlist(self) -> tuple[Entry, ...]:
        """The Pareto front, cheapest first (the front's order: each dearer one is better by the front's figure)."""
        front = [e for e in self.entries if e.pareto]
        return tuple(sorted(front, key=lambda e: (e.cost_per_million_chars_usd or 0.0, self.quality(e).value, e.label)))

    def entry(self, provider: str, model: str) -> Entry:
        for entry in self.entries:
            if (entry.provider, entry.model) == (provider, model):
                return entry
        raise KeyError(f"no leaderboard entry {provider}/{model}")

    def to_json(self) -> dict[str, Any]:
        return {"entries": [e.to_json() for e in self.entries], "notes": list(self.notes)}


def entry_for(figures: ModelFigures) -> Entry:
    cost = figures.cost
    return Entry(
        provider=figures.provider,
        model=figures.model,
        sent=figures.sent,
        ok=figures.ok,
        skipped=figures.skipped,
        success=proportion_interval(figures.ok, figures.sent),
        cost_total_usd=cost.total_usd,
        cost_per_request_usd=cost.per_request_usd,
        cost_per_audio_minute_usd=cost.per_audio_minute_usd,
        cost_per_1k_chars_usd=cost.per_1k_chars_usd,
        unpriced=cost.unpriced,
        audio_minutes=figures.audio_minutes,
        chars=figures.chars,
        scored=figures.scored,
        flagged_clips=figures.flagged_clips,
        findings=figures.findings,
        errors=figures.errors,
        polls_mean=figures.polls_per_job,
        cost_source=cost.source,
        cost_per_million_chars_usd=cost.per_million_chars_usd,
        cost_per_hour_usd=cost.per_hour_usd,
        planned_usd=cost.planned_usd,
        billed_usd=cost.billed_usd,
        billed_jobs=cost.billed_jobs,
        planned_of_billed_usd=cost.planned_of_billed_usd,
        billed_per_million_chars_usd=cost.billed_per_million_chars_usd,
        cost_gap=cost.gap,
        price_plan=cost.provenance.plan,
        price_source=cost.provenance.source,
        price_read=cost.provenance.read,
        price_stale=cost.provenance.stale,
        price_weak=cost.provenance.weak,
        failed_usd=cost.failed_usd,
        own_usd=cost.own_usd,
        own_requests=cost.own_requests,
    )


def pareto_front(points: Sequence[tuple[float, float]]) -> list[bool]:
    """For each (cost, error) point, whether no other point is at least as good in both and better in one."""
    front = []
    for i, (cost, err) in enumerate(points):
        dominated = any(c <= cost and e <= err and (c < cost or e < err) for j, (c, e) in enumerate(points) if j != i)
        front.append(not dominated)
    return front


def build_leaderboard(rows: RunRows) -> Leaderboard:
    groups = group(rows.requests)
    entries = _with_shares(
        [
            _with_kinds(entry_for(figures), groups.get((figures.provider, figures.model), ()))
            for figures in model_figures(rows)
        ],
        rows,
    )
    entries = _with_own(entries, rows)
    checked = offering_checks(rows.requests)
    entries = [replace(e, checks=tuple(one for one in checked if one.label == e.label)) for e in entries]
    unranked = Leaderboard(tuple(entries))
    placed = [index for index, e in enumerate(entries) if unranked.placed(e)]
    notes = []
    if placed:
        flags = pareto_front(
            [(float(entries[i].cost_per_million_chars_usd or 0.0), unranked.quality(entries[i]).value) for i in placed]
        )
        for index, on_front in zip(placed, flags, strict=True):
            entries[index] = replace(entries[index], pareto=on_front)
    notes.extend(_partial_front(entries))
    notes.extend(_unplaced(unranked))
    stale = [e.label for e in entries if e.price_stale]
    if stale:
        notes.append(
            f"Stale prices (read longer ago than the run's --price-max-age; check the source): {', '.join(stale)}"
        )
    notes.extend(_price_notes(entries))
    return Leaderboard(tuple(entries), tuple(notes), unranked.front)


def _with_own(entries: list[Entry], rows: RunRows) -> list[Entry]:
    """Each entry with the figures of every check with views of its own, where it has any."""
    own: dict[tuple[str, str], dict[str, Any]] = {}
    for _, views in with_views():
        for found in views.run_figures(rows):
            own.setdefault((found.provider, found.model), {}).update(
                {key: found.values.get(key) for key in _own_keys(views)}
            )
    return [
        replace(e, own=tuple(figures.items())) if (figures := own.get((e.provider, e.model))) else e for e in entries
    ]


def _own_keys(views: OwnViews) -> tuple[str, ...]:
    """The figures of a check the entry keeps: those its JSON gives, those the report's faces read, those its views
    place among the built-in keys and the one the front weighs."""
    placed = tuple(one.figure for group in views.entry for one in group.figures)
    weighed = () if views.front is None else (views.front.figure,)
    return tuple(dict.fromkeys((*views.figure_keys, *views.report_keys, *placed, *weighed)))


def _tabled() -> tuple[CheckDeclaration, ...]:
    """The registered counted checks said in a table of every offering (their `table`)."""
    return tuple(check.declaration for check in registered() if check.declaration.table)


def _rounded(value: float | None, digits: int | None) -> float | None:
    return value if value is None or digits is None else round(value, digits)


def _with_kinds(entry: Entry, rows: Sequence[RequestRow]) -> Entry:
    """The entry with how its audio came and the languages it was sent, from its rows: what the leaderboard filters
    by."""
    return replace(
        entry,
        deliveries=tuple(sorted({str(r.delivery) for r in rows if r.delivery})),
        languages=tuple(sorted({str(r.language) for r in rows if r.language})),
    )


def _partial_front(entries: Sequence[Entry]) -> list[str]:
    """Models on the front whose jobs did not all succeed: said, never starred silently."""
    partial = [f"{e.label} ({e.ok} of {e.sent} ok)" for e in entries if e.pareto and not e.every_job_ok]
    return [f"On the Pareto front from only the jobs that succeeded: {', '.join(partial)}"] if partial else []


def _price_notes(entries: Sequence[Entry]) -> list[str]:
    """The weak price sources, and the failed jobs' cost kept apart from $ per audio hour, one note each."""
    notes = []
    weak = [f"{e.label} ({e.price_weak})" for e in entries if e.price_weak]
    if weak:
        notes.append(f"Weak price sources (not the provider's own dated page; check the source): {', '.join(weak)}")
    failed = [f"{e.label} ${e.failed_usd:.4f}" for e in entries if e.failed_usd]
    if failed:
        notes.append(
            "Cost of failed jobs, apart from $ per audio hour (the ok jobs' cost over their audio): "
            f"{', '.join(failed)}"
        )
    own = [f"{e.label} ${e.own_usd:.4f} ({e.own_requests})" for e in entries if e.own_usd is not None]
    if own:
        notes.append(
            "The harness's own requests (speech marks asked apart), spent but in no cost or price above: "
            f"${sum(e.own_usd or 0.0 for e in entries):.4f}: {', '.join(own)}"
        )
    return notes


def _with_shares(entries: list[Entry], rows: RunRows) -> list[Entry]:
    """Each entry with every registered check's share of it (`ShareColumn`: successes over trials, Wilson 95%),
    where the check has figures of the whole offering."""
    shares: dict[tuple[str, str], dict[str, Interval]] = {}
    for key, successes, trials, views in _shared():
        for one in views.run_figures(rows):
            if not one.part:
                shares.setdefault((one.provider, one.model), {})[key] = proportion_interval(
                    one.values[successes], one.values[trials]
                )
    return [
        replace(entry, shares=tuple(found.items())) if (found := shares.get((entry.provider, entry.model))) else entry
        for entry in entries
    ]


def _unplaced(board: Leaderboard) -> list[str]:
    """Why each model is not on the cost chart, one note per reason: a model with no public price is not one with
    no data."""
    if (axis := board.front) is None:
        return []
    reasons: dict[str, list[str]] = {}
    for e in board.entries:
        if e.cost_per_million_chars_usd is None:
            reasons.setdefault(e.cost_gap or "no USD price", []).append(e.label)
        elif board.quality(e).sample_size == 0:
            reasons.setdefault(axis.unplaced, []).append(e.label)
    return [f"Not on the cost/{axis.label} chart ({reason}): {', '.join(labels)}" for reason, labels in reasons.items()]
