"""Whether the client was healthy while it measured: the saturation rule, and the words every face says it in.

A benchmark measures its own harness before the system under test. The runner and the sandbox it embeds share
the machine's cores with each other and with whatever else runs there; when the client cannot keep up, its
own stalls read as the provider's latency and its own time-outs as the provider's failures. During a run
(`harness.runner.deliver.client_health`) the client's health is read in windows of about a second
(`HealthWindow`, from the probes of `harness.core.health_probes`): how late each event loop ran its timers —
the runner's, and the embedded sandbox's —, how long the sandbox's renders waited, and the CPU figures that
say why.

The rule (`SaturationRule`; measured, docs/measurements.md "The client's own health"): a window is saturated
when either loop's timers ran late for at least `stalled` of it (a loop that cannot run its timer on time
cannot read an answer or write a frame on time either), or a render of the embedded sandbox waited
`render_wait_s` for its turn (the imitated provider answers that much later than drawn, through no fault of
its own). A run is named saturated when `run_share` of its time was; a job is marked when `job_share` of its
time was, and its latency is then not the provider's: `compare` and `history` leave it out of every latency
verdict, and a job that failed so is not blamed on the provider.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from harness.core.quantiles import quantile

WINDOW_S = 1.0  # the length of a health window (a window closes late only when its reader thread does)


@dataclass(frozen=True, slots=True)
class SaturationRule:
    stalled: float = 0.2  # share of a window either loop's timers ran late
    render_wait_s: float = 2.0  # the longest wait of an embedded sandbox's render for its turn
    run_share: float = 0.05  # share of a run's time saturated before the run is named so
    job_share: float = 0.5  # share of a job's time saturated before the job is marked

    def describe(self) -> str:
        return (
            f"a second is saturated when the runner's or the embedded sandbox's event loop ran its timers late "
            f"for {self.stalled:.0%} of it or more, or a render of the embedded sandbox waited "
            f"{self.render_wait_s:g} s or more for its turn; a run is named when {self.run_share:.0%} of it was, "
            f"a job is marked when {self.job_share:.0%} of its time was"
        )


RULE = SaturationRule()


@dataclass(slots=True, kw_only=True)
class HealthWindow:
    """About a second of the client's health, from `start_s` to `end_s` (seconds from the run's start).

    The runner's loop: `stalled`, the share of the window its timers were running late (each late tick's
    lateness laid over the time it covered), `lag_p50_ms` over the ticks that ran in it, `lag_max_ms` the
    longest lateness that reached into it. The same for the embedded sandbox's loop (`sandbox_*`; None without
    one). CPU: cores this process used, the machine's busy share (0–1, every core), this process's threads
    waiting for a CPU (on average). Renders of the embedded sandbox: the most waiting at once, and the longest
    wait for a turn of a render that got one in the window."""

    start_s: float
    end_s: float
    stalled: float = 0.0
    lag_p50_ms: float | None = None
    lag_max_ms: float = 0.0
    ticks: int = 0
    sandbox_stalled: float | None = None
    sandbox_lag_p50_ms: float | None = None
    sandbox_lag_max_ms: float | None = None
    process_cores: float | None = None
    machine_busy: float | None = None
    waiting_threads: float | None = None
    renders_waiting: int | None = None
    render_wait_max_ms: float | None = None

    @property
    def length_s(self) -> float:
        return max(0.0, self.end_s - self.start_s)

    def to_json(self) -> dict[str, Any]:
        return {
            name: (round(value, 4) if isinstance(value, float) else value)
            for name, value in asdict(self).items()
            if value is not None
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HealthWindow:
        known = set(cls.__dataclass_fields__)
        return cls(**{name: value for name, value in data.items() if name in known})


def saturated(window: HealthWindow, rule: SaturationRule = RULE) -> bool:
    return bool(reasons(window, rule))


def reasons(window: HealthWindow, rule: SaturationRule = RULE) -> tuple[str, ...]:
    """What made a window saturated, in words (empty: it was not)."""
    said = []
    if window.stalled >= rule.stalled:
        said.append(f"the runner's loop ran late {window.stalled:.0%} of the time")
    if window.sandbox_stalled is not None and window.sandbox_stalled >= rule.stalled:
        said.append(f"the sandbox's loop ran late {window.sandbox_stalled:.0%} of the time")
    if window.render_wait_max_ms is not None and window.render_wait_max_ms >= rule.render_wait_s * 1000:
        said.append(f"a render waited {window.render_wait_max_ms / 1000:.1f} s")
    return tuple(said)


def lay_ticks(
    windows: Sequence[HealthWindow], ticks: Iterable[tuple[float, float]], origin: float, *, sandbox: bool = False
) -> None:
    """Lay each tick (when it ran and how late, on the clock whose reading `origin` is the run's start) on the
    windows: its lateness over every window whose time it covered (a loop blocked for three seconds stalled
    three windows, not only the one its next tick ran in), the tick itself in the window it ran in (the last
    window for one that ran after it closed). Each window's p50 is over the ticks laid in it by this call."""
    if not windows:
        return
    starts = [w.start_s for w in windows]
    ran_in: dict[int, list[float]] = {}
    for when, lag in ticks:
        end = when - origin
        index = max(0, min(len(windows) - 1, bisect.bisect_right(starts, end) - 1))
        ran_in.setdefault(index, []).append(lag * 1000)
        begin = end - lag
        while index >= 0 and windows[index].end_s > begin:
            window = windows[index]
            overlap = min(end, window.end_s) - max(begin, window.start_s)
            if overlap > 0 and window.length_s > 0:
                _stall(window, overlap / window.length_s, lag * 1000, sandbox)
            index -= 1
    for index, lags in ran_in.items():
        window = windows[index]
        if sandbox:
            window.sandbox_lag_p50_ms = quantile(lags, 0.5)
            window.sandbox_stalled = window.sandbox_stalled or 0.0
            window.sandbox_lag_max_ms = window.sandbox_lag_max_ms or 0.0
        else:
            window.lag_p50_ms = quantile(lags, 0.5)
            window.ticks += len(lags)


def lay_waits(windows: Sequence[HealthWindow], waits: Iterable[tuple[float, float]], origin: float) -> None:
    """Lay each render's wait for its turn (when it was asked for, seconds it waited; `origin` as for `lay_ticks`)
    over the windows it spanned: each window's `render_wait_max_ms` is the longest any render had waited by the
    window's end (or by its turn, within the window)."""
    for asked, waited in waits:
        begin = asked - origin
        end = begin + waited
        for window in windows:
            if window.end_s <= begin or window.start_s > end:
                continue
            by_then = (min(end, window.end_s) - begin) * 1000
            window.render_wait_max_ms = max(window.render_wait_max_ms or 0.0, by_then)


def _stall(window: HealthWindow, share: float, lag_ms: float, sandbox: bool) -> None:
    if sandbox:
        window.sandbox_stalled = min(1.0, (window.sandbox_stalled or 0.0) + share)
        window.sandbox_lag_max_ms = max(window.sandbox_lag_max_ms or 0.0, lag_ms)
    else:
        window.stalled = min(1.0, window.stalled + share)
        window.lag_max_ms = max(window.lag_max_ms, lag_ms)


@dataclass(frozen=True, slots=True, kw_only=True)
class RunHealth:
    """A run's health over its windows: the share of its time saturated, and what the client met."""

    windows: tuple[HealthWindow, ...]
    lag_p50_ms: float | None = None  # the runner's loop, over every tick of the run
    lag_p95_ms: float | None = None
    rule: SaturationRule = field(default=RULE)
    held_jobs: int = 0  # jobs held back before their clocks started while the embedded sandbox's renders piled up
    held_s: float = 0.0  # the seconds they waited in all

    @property
    def length_s(self) -> float:
        return sum(w.length_s for w in self.windows)

    @property
    def saturated_s(self) -> float:
        return sum(w.length_s for w in self.windows if saturated(w, self.rule))

    @property
    def share(self) -> float | None:
        """The share of the run's time saturated (None: nothing was measured)."""
        return self.saturated_s / self.length_s if self.length_s > 0 else None

    @property
    def named(self) -> bool:
        share = self.share
        return share is not None and share >= self.rule.run_share

    def job_share(self, start_s: float, end_s: float) -> float | None:
        return saturated_share(self.windows, start_s, end_s, self.rule)

    def job_lag_ms(self, start_s: float, end_s: float) -> float | None:
        """The longest lateness of either loop in the windows [start_s, end_s] (seconds from the run's start)
        touches; None when none does."""
        lags = [
            max(w.lag_max_ms, w.sandbox_lag_max_ms or 0.0)
            for w in self.windows
            if w.start_s <= end_s and w.end_s >= start_s
        ]
        return max(lags) if lags else None

    def after(self, earlier: RunHealth | None) -> RunHealth:
        """This session's health following an earlier session's of the same run (a resume): the windows end to
        end, this session's lag figures (a session's ticks are not kept beyond its figures)."""
        if earlier is None or not earlier.windows:
            return self
        shift = earlier.windows[-1].end_s - (self.windows[0].start_s if self.windows else 0.0)
        moved = tuple(replace(w, start_s=w.start_s + shift, end_s=w.end_s + shift) for w in self.windows)
        return RunHealth(
            windows=(*earlier.windows, *moved),
            lag_p50_ms=self.lag_p50_ms,
            lag_p95_ms=self.lag_p95_ms,
            rule=self.rule,
            held_jobs=earlier.held_jobs + self.held_jobs,
            held_s=earlier.held_s + self.held_s,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "window_s": WINDOW_S,
            "rule": asdict(self.rule),
            "lag_p50_ms": self.lag_p50_ms,
            "lag_p95_ms": self.lag_p95_ms,
            "held_jobs": self.held_jobs,
            "held_s": round(self.held_s, 3),
            "windows": [w.to_json() for w in self.windows],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunHealth:
        rule = SaturationRule(**data.get("rule", {}))
        return cls(
            windows=tuple(HealthWindow.from_json(w) for w in data.get("windows", ())),
            lag_p50_ms=data.get("lag_p50_ms"),
            lag_p95_ms=data.get("lag_p95_ms"),
            rule=rule,
            held_jobs=int(data.get("held_jobs", 0)),
            held_s=float(data.get("held_s", 0.0)),
        )

    def worst(self) -> dict[str, float]:
        """Over the saturated windows: the longest lateness of each loop, the longest render wait, the machine's
        mean busy share and the mean waiting threads (what the line says besides the share)."""
        hot = [w for w in self.windows if saturated(w, self.rule)]
        found: dict[str, float] = {}
        sandbox = [w.sandbox_lag_max_ms for w in hot if w.sandbox_lag_max_ms is not None]
        renders = [w.render_wait_max_ms for w in hot if w.render_wait_max_ms is not None]
        busy = [w.machine_busy for w in hot if w.machine_busy is not None]
        if hot:
            found["lag_max_ms"] = max(w.lag_max_ms for w in hot)
        if sandbox:
            found["sandbox_lag_max_ms"] = max(sandbox)
        if renders:
            found["render_wait_max_ms"] = max(renders)
        if busy:
            found["machine_busy"] = sum(busy) / len(busy)
        return found


def saturated_share(
    windows: Sequence[HealthWindow], start_s: float, end_s: float, rule: SaturationRule = RULE
) -> float | None:
    """The share of [start_s, end_s] (seconds from the run's start) that fell in saturated windows; None when no
    window covers any of it (the span was not watched)."""
    span = end_s - start_s
    covered = hot = 0.0
    for window in windows:
        overlap = min(end_s, window.end_s) - max(start_s, window.start_s)
        if overlap <= 0 and not (span <= 0 and window.start_s <= start_s <= window.end_s):
            continue
        if span <= 0:  # an instant: the window it fell in decides
            return 1.0 if saturated(window, rule) else 0.0
        covered += overlap
        if saturated(window, rule):
            hot += overlap
    return hot / covered if covered > 0 else None


def marked(share: float | None, rule: SaturationRule = RULE) -> bool:
    """Whether a job whose time was `share` saturated is marked (its latency not the provider's)."""
    return share is not None and share >= rule.job_share


@dataclass(frozen=True, slots=True, kw_only=True)
class Saturation:
    """What a face says about a run's client health: the run's share and lag, its marked jobs and failures."""

    share: float | None
    lag_p50_ms: float | None
    jobs: int
    marked_jobs: int
    failed: int
    marked_failed: int
    worst: dict[str, float] = field(default_factory=dict)
    rule: SaturationRule = RULE
    held_jobs: int = 0
    held_s: float = 0.0

    @property
    def measured(self) -> bool:
        return self.share is not None

    @property
    def named(self) -> bool:
        return (self.share is not None and self.share >= self.rule.run_share) or self.marked_jobs > 0

    def held(self) -> str | None:
        """The jobs the run held back before their clocks started, in one line (None: none)."""
        if not self.held_jobs:
            return None
        return (
            f"{self.held_jobs} jobs waited {self.held_s:,.1f} s in all before they started, while the embedded "
            "sandbox's renders piled up (its own work: not in their latency)."
        )

    def line(self) -> str | None:
        """One line for every face, or None when there is nothing to say (a healthy run, or one not watched)."""
        if not self.named or self.share is None:
            return None
        worst, why = self.worst, []
        if self.lag_p50_ms is not None:
            why.append(
                f"event-loop lag p50 {self.lag_p50_ms:,.0f} ms"
                + (f", up to {worst['lag_max_ms'] / 1000:,.1f} s" if "lag_max_ms" in worst else "")
            )
        if "sandbox_lag_max_ms" in worst:
            why.append(f"the embedded sandbox's loop late up to {worst['sandbox_lag_max_ms'] / 1000:,.1f} s")
        if worst.get("render_wait_max_ms"):
            why.append(f"its renders waiting up to {worst['render_wait_max_ms'] / 1000:,.1f} s")
        if "machine_busy" in worst:
            why.append(f"the machine's CPU {worst['machine_busy']:.0%} busy")
        text = f"client saturated for {self.share:.0%} of the run" + (f" ({'; '.join(why)})" if why else "")
        text += f": latency here is not the providers'. {self.marked_jobs} of {self.jobs} jobs ran mostly while it was"
        text += " (marked: left out of compare's and history's latency verdicts)"
        if self.marked_failed:
            text += f"; {self.marked_failed} of the {self.failed} failures among them, not the providers' to answer for"
        return text + "."
