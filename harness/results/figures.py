"""Every figure of a run, per provider × model, computed from its raw rows only — the terminal summary,
the report's leaderboard and `compare` all take theirs from here, so two faces cannot print two answers.

The definitions, so a reader can recompute each number from the exported ``requests`` rows:

* sent = jobs with outcome ``ok`` or ``error`` (``skipped`` jobs never reached the wire);
* timed = ok jobs not ``resumed`` after a crash (their client clocks span the crash): every latency —
  ``e2e_ms``, ``ttfa_ms``, ``perceived_ttfa_ms`` — and a stream's listener's figures are taken over them, pooled
  once by the check that declares them (`harness.checks`: its `figures`, which every face reads);
* cost (`harness.results.cost_figures`): a job's cost is the billed one where its answer said, else the
  planned one (failed jobs keep their cost rows: 0 when not charged); per request = total / sent, per 1M
  characters (and per 1,000) = total / sum of ``chars``, per hour of audio (and per minute) = total / seconds
  of the ok jobs' audio, each over the priced sent jobs; the total is unknown (None) when any sent job is
  unpriced: a partial sum would understate it; the amounts in other units (credits, characters) are summed
  apart; planned and billed totals beside them, which of the two the figures use, and the price's provenance;
* scored = ok clips with a score and no scoring error (their WER and CER are the WER/CER check's, pooled once by
  `harness.results.pooling` over them: `harness.checks`);
* findings (a check's figures are its own: `harness.checks`): scored clips with at least one flag, and counts per
  flag; errors: failed sent jobs per class;
* polls per job: mean of ``polls`` over sent jobs delivered by polling or webhook (its fallback polls);
* the text rates the sockets were fed at (``text_rate``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from harness.core.errors import ErrorClass
from harness.results.cost_figures import CostFigures, cost_of
from harness.results.rows import RunRows, json_list
from harness.results.run_records import RequestRow
from harness.results.store import UNFETCHED

SENT = ("ok", "error")
POLLED = ("poll", "webhook")
QUANTILES = (0.5, 0.95, 0.99)


def group(rows: Iterable[RequestRow]) -> dict[tuple[str, str], list[RequestRow]]:
    """Rows per (provider, model), in name order."""
    groups: dict[tuple[str, str], list[RequestRow]] = {}
    for row in rows:
        groups.setdefault((row.provider, row.model), []).append(row)
    return dict(sorted(groups.items()))


def sent(rows: Iterable[RequestRow]) -> list[RequestRow]:
    return [r for r in rows if r.outcome in SENT]


def timed(rows: Iterable[RequestRow]) -> list[RequestRow]:
    return [r for r in rows if r.outcome == "ok" and not r.resumed]


def polled(rows: Iterable[RequestRow]) -> list[RequestRow]:
    """Sent jobs whose result was waited for by polling (or by a webhook, whose fallback polls count)."""
    return [r for r in sent(rows) if r.delivery in POLLED]


def scored(rows: Iterable[RequestRow]) -> list[RequestRow]:
    return [r for r in rows if r.outcome == "ok" and r.scored and not r.score_error]


def floats(values: Iterable[float | None]) -> list[float]:
    """The values there are (a column's over some rows: `floats(r.e2e_ms for r in rows)`), as floats."""
    return [float(v) for v in values if v is not None]


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def text_rates(clocked: Sequence[RequestRow]) -> tuple[float | None, ...]:
    """How the sockets of the timed jobs were fed (None: the text whole), each rate once."""
    fed = {r.text_rate for r in clocked if r.delivery == "socket"}
    return tuple(sorted(fed, key=lambda rate: -1.0 if rate is None else rate))


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelFigures:
    """One provider × model line: what every face shows of it."""

    provider: str
    model: str
    jobs: int
    sent: int
    ok: int
    failed: int
    skipped: int  # never sent (budget, invalid request); jobs of an interrupted run may be neither
    polls_per_job: float | None
    cost: CostFigures
    audio_minutes: float
    chars: int
    scored: int
    flagged_clips: int
    findings: dict[str, int]
    errors: dict[str, int]  # error class -> failed sent jobs
    text_rates: tuple[float | None, ...] = ()  # how its timed sockets were fed (None: whole), each rate once

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"


def figures_of(provider: str, model: str, rows: Sequence[RequestRow]) -> ModelFigures:
    went = sent(rows)
    ok = [r for r in went if r.outcome == "ok"]
    clocked, clips = timed(rows), scored(rows)
    findings: Counter[str] = Counter(flag for r in clips for flag in json_list(r.flags))
    return ModelFigures(
        provider=provider,
        model=model,
        jobs=len(rows),
        sent=len(went),
        ok=len(ok),
        failed=len(went) - len(ok),
        skipped=sum(1 for r in rows if r.outcome == "skipped"),
        polls_per_job=mean([float(r.polls or 0) for r in polled(rows)]),
        cost=cost_of(went, ok),
        audio_minutes=sum(floats(r.duration_s for r in ok)) / 60.0,
        chars=sum(int(r.chars or 0) for r in went),
        scored=len(clips),
        flagged_clips=sum(1 for r in clips if json_list(r.flags)),
        findings=dict(sorted(findings.items())),
        errors=dict(
            sorted(Counter(str(r.error_class or "unclassified") for r in went if r.outcome == "error").items())
        ),
        text_rates=text_rates(clocked),
    )


def model_figures(rows: RunRows) -> tuple[ModelFigures, ...]:
    """Every provider × model of the run, in name order."""
    return tuple(figures_of(provider, model, members) for (provider, model), members in group(rows.requests).items())


@dataclass(frozen=True, slots=True)
class RunTally:
    """How the run's jobs ended and what went wrong on the way."""

    outcomes: dict[str, int]  # error class, else ok/skipped, else the state of an unfinished job -> jobs
    events: dict[str, int]  # error class -> every error recorded (retried ones included)
    downloads_retried: int  # ok jobs whose audio came only after a retried download
    results_lost: int  # finished jobs whose audio never came
    pending: int  # accepted (charged) jobs whose result is still to fetch (state `unfetched`)


@dataclass(frozen=True, slots=True)
class EndedBy:
    """One error that ended jobs of an offering: its class and message (as stored, redacted), and how many jobs."""

    label: str  # provider/model
    error_class: str
    message: str
    jobs: int


def ended_by(rows: RunRows, per_offering: int = 3, shown: int = 8) -> tuple[EndedBy, ...]:
    """The errors that ended the run's failed jobs, commonest first: at most `per_offering` messages an offering and
    `shown` in all (every one is in the jobs' and errors' rows). A message is grouped as written: a server that
    names each job in its refusal is one line a job."""
    counted = Counter(
        (f"{r.provider}/{r.model}", str(r.error_class or "unclassified"), " ".join(str(r.error_message or "").split()))
        for r in rows.requests
        if r.outcome == "error"
    )
    taken: Counter[str] = Counter()
    found: list[EndedBy] = []
    for (label, error_class, message), jobs in sorted(counted.items(), key=lambda item: (-item[1], item[0])):
        if taken[label] < per_offering and len(found) < shown:
            taken[label] += 1
            found.append(EndedBy(label, error_class, message, jobs))
    return tuple(found)


def newly_ended_by(base: RunRows, new: RunRows, shown: int = 5) -> tuple[EndedBy, ...]:
    """The errors that ended NEW's jobs and no job of BASE, of the offerings both ran, commonest first (at most
    `shown`): what a provider that changed started to answer (a voice withdrawn, a field now refused)."""
    everything = {"per_offering": len(new.requests) or 1, "shown": len(new.requests) or 1}
    before = {(seen.label, seen.error_class, seen.message) for seen in ended_by(base, **everything)}
    both = {f"{r.provider}/{r.model}" for r in base.requests}
    fresh = [
        seen
        for seen in ended_by(new, **everything)
        if seen.label in both and (seen.label, seen.error_class, seen.message) not in before
    ]
    return tuple(fresh[:shown])


def tally(rows: RunRows) -> RunTally:
    outcomes = Counter(str(r.error_class or r.outcome or r.state) for r in rows.requests)
    events = Counter(e.error_class for e in rows.errors)
    ok = {r.job_key for r in rows.requests if r.outcome == "ok"}
    retried = {e.job_key for e in rows.errors if e.phase == "download" and not e.fatal and e.job_key in ok}
    return RunTally(
        dict(outcomes), dict(events), len(retried), outcomes.get(ErrorClass.LOST, 0), outcomes.get(UNFETCHED, 0)
    )
