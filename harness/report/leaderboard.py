"""The leaderboard: every figure of a report, per provider × model, with its interval.

The figures and their definitions are `harness.results.figures`' (the same the terminal summary and
`compare` print); this module adds what a report shows beside them, computed over the same rows:

* success rate = ok / sent, with a Wilson 95% interval;
* each registered check's figures its views place among the keys (`harness.checks.views.EntryKeys`): the
  latency's and the streams' as their check pools them;
* pooled WER (word-unit clips) with an interval that holds at two clips (``stats.ratio_interval``), CER
  (character-unit clips) pooled apart; the per-utterance means beside them;
* every registered check (`harness.checks`) pooled as it declares;
* a registered check's share of successes with its Wilson 95% interval, where its views give one
  (`harness.checks.views.ShareColumn`), under its key for every offering;
* Pareto: not dominated in (cost per 1M characters, pooled WER), both lower-is-better; the cost is the
  billed one where the answers said, else the planned one, over the priced jobs (every priced model is placed);
  the front is the report's shortlist (`FRONT_RULE`), and a model on it whose jobs did not all succeed is said so;
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
    OfferingCheck,
    OwnViews,
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
    ratio_interval,
)
from harness.results import (
    ErrorCounts,
    ModelFigures,
    PooledErrorRate,
    RequestRow,
    RunRows,
    group,
    model_figures,
)

_NO_SHARE = Interval(float("nan"), float("nan"), float("nan"), 0)


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
    wer_pooled: Interval  # word-unit clips
    wer_mean: float | None
    cer_pooled: float | None  # character-unit (zh/ja) clips, pooled apart
    cer_mean: float | None
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
        return dict(self.shares).get(key, _NO_SHARE)

    def own_figure(self, key: str) -> Any:
        """A figure of a check with views of its own; None where the offering has none."""
        return dict(self.own).get(key)

    def own_quantile(self, key: str, name: str) -> Interval | None:
        """A quantile ("p50", ..., "mean") of a check's figure of intervals by name (a time's), with its interval;
        None where no clip gave the figure."""
        found = (self.own_figure(key) or {}).get(name)
        return None if found is None else Interval(*found)

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    @property
    def every_job_ok(self) -> bool:
        return self.ok == self.sent

    def to_json(self) -> dict[str, Any]:
        return self._with_entry_keys(
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
                "wer_pooled": self.wer_pooled.to_json(),
                "wer_mean": self.wer_mean,
                "cer_pooled": self.cer_pooled,
                "cer_mean": self.cer_mean,
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

    def _with_entry_keys(self, found: dict[str, Any]) -> dict[str, Any]:
        """The JSON with each check's figures its views place among the keys (`harness.checks.views.EntryKeys`), each
        group right after its built-in key."""
        items = list(found.items())
        for _, views in with_views():
            for placed in views.entry_keys:
                at = next((i + 1 for i, (key, _) in enumerate(items) if key == placed.after), len(items))
                items[at:at] = [(key, _own_json(self.own_figure(key))) for key in placed.keys]
        return dict(items)


def _own_json(value: Any) -> Any:
    """A check's figure as the JSON gives it: a figure of intervals by name (a time's quantiles) as those intervals."""
    if isinstance(value, dict):
        return {name: Interval(*one).to_json() for name, one in value.items()}
    return value


#: A model's family as the leaderboard's filter names it: how its audio came (the rows' `delivery`).
FAMILIES = {
    "sync": "one request, the audio in the answer",
    "stream": "one request, the audio streamed (SSE, chunks)",
    "socket": "a realtime socket or gRPC stream, text in and audio out",
    "poll": "an asynchronous job, polled",
    "webhook": "an asynchronous job, its webhook",
}

#: The shortlist's rule, stated where the front is shown (the report's shortlist, the chart's title).
FRONT_RULE = (
    "The shortlist is the cost/WER Pareto front: every model with a USD price and clips scored in words "
    "that no other such model beats on both — none is both cheaper (USD per 1M characters) and at least "
    "as intelligible (pooled WER), or as cheap and more intelligible. Latency is not in the rule: read it "
    "beside each. A model on the front whose jobs did not all succeed is marked with how many did: its "
    "cost and WER rest on the jobs that succeeded."
)


@dataclass(frozen=True, slots=True)
class Leaderboard:
    entries: tuple[Entry, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def shortlist(self) -> tuple[Entry, ...]:
        """The Pareto front, cheapest first (the front's order: each dearer one is more intelligible)."""
        front = [e for e in self.entries if e.pareto]
        return tuple(sorted(front, key=lambda e: (e.cost_per_million_chars_usd or 0.0, e.wer_pooled.value, e.label)))

    def entry(self, provider: str, model: str) -> Entry:
        for entry in self.entries:
            if (entry.provider, entry.model) == (provider, model):
                return entry
        raise KeyError(f"no leaderboard entry {provider}/{model}")

    def to_json(self) -> dict[str, Any]:
        return {"entries": [e.to_json() for e in self.entries], "notes": list(self.notes)}


def _pooled(rate: PooledErrorRate | None, clips: Sequence[ErrorCounts]) -> Interval:
    """The pooled rate with its interval over clips (`harness.measurement.pooled_rate`: honest at two clips)."""
    interval = ratio_interval([float(c.errors) for c in clips], [float(c.ref_length) for c in clips])
    return interval if rate is None else replace(interval, value=rate.pooled)


def entry_for(figures: ModelFigures) -> Entry:
    cost, rates = figures.cost, figures.rates
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
        wer_pooled=_pooled(rates.wer, rates.word_clips),
        wer_mean=rates.wer.per_utterance_mean if rates.wer else None,
        cer_pooled=rates.cer.pooled if rates.cer else None,
        cer_mean=rates.cer.per_utterance_mean if rates.cer else None,
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
    placed = [
        (i, (e.cost_per_million_chars_usd, e.wer_pooled.value))
        for i, e in enumerate(entries)
        if e.cost_per_million_chars_usd is not None and e.wer_pooled.sample_size > 0
    ]
    notes = []
    if placed:
        flags = pareto_front([(float(c), float(w)) for _, (c, w) in placed if c is not None])
        for (index, _point), on_front in zip(placed, flags, strict=True):
            entries[index] = replace(entries[index], pareto=on_front)
    notes.extend(_partial_front(entries))
    notes.extend(_unplaced(entries))
    stale = [e.label for e in entries if e.price_stale]
    if stale:
        notes.append(
            f"Stale prices (read longer ago than the run's --price-max-age; check the source): {', '.join(stale)}"
        )
    notes.extend(_price_notes(entries))
    return Leaderboard(tuple(entries), tuple(notes))


def _with_own(entries: list[Entry], rows: RunRows) -> list[Entry]:
    """Each entry with the figures of every check with views of its own, where it has any."""
    own: dict[tuple[str, str], dict[str, Any]] = {}
    for _, views in with_views():
        for found in views.run_figures(rows):
            own.setdefault((found.provider, found.model), {}).update(
                {key: found.values.get(key) for key in (*views.figure_keys, *views.report_keys)}
            )
    return [
        replace(e, own=tuple(figures.items())) if (figures := own.get((e.provider, e.model))) else e for e in entries
    ]


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


def _unplaced(entries: Sequence[Entry]) -> list[str]:
    """Why each model is not on the cost/WER chart, one note per reason: a model with no public price is not
    one with no data."""
    reasons: dict[str, list[str]] = {}
    for e in entries:
        if e.cost_per_million_chars_usd is None:
            reasons.setdefault(e.cost_gap or "no USD price", []).append(e.label)
        elif e.wer_pooled.sample_size == 0:
            reasons.setdefault("no clip scored in words", []).append(e.label)
    return [f"Not on the cost/WER chart ({reason}): {', '.join(labels)}" for reason, labels in reasons.items()]
