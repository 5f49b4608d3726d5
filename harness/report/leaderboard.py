"""The leaderboard: every figure of a report, per provider × model, computed from the raw rows only.

The definitions, so a reader (and ``tests/report/test_recompute.py``) can recompute each number from the
exported ``requests`` rows:

* sent = jobs with outcome ``ok`` or ``error`` (``skipped`` jobs never reached the wire);
  success rate = ok / sent, with a Wilson 95% interval;
* latency = ``e2e_ms`` of ok jobs not ``resumed`` after a crash (their clocks span the crash); p50/p95/p99
  are numpy's linear quantiles, with percentile-bootstrap 95% intervals (``stats``), plus the mean;
  TTFA the same over ``ttfa_ms`` when the provider streams;
* cost: total = sum of ``cost_usd`` over sent jobs (failed jobs keep their cost rows: 0 when not charged);
  per request = total / sent; per audio minute = total / (sum of ok clips' ``duration_s`` / 60);
  per 1,000 characters = 1000 × total / sum of sent jobs' ``chars``. Unknown (None) when any sent job is
  unpriced (``cost_usd`` NULL): a partial sum would understate it;
* WER pooled = sum(substitutions + deletions + insertions) / sum(ref_length) over scored word-unit clips,
  with a bootstrap interval over utterances; WER mean = mean of per-clip ``wer``; CER pooled = sum
  ``char_errors`` / sum ``ref_chars``, CER mean = mean of ``cer``;
* similarity and quality (DNSMOS overall): means with bootstrap intervals over the clips that have them;
* findings: clips with at least one flag, and counts per flag; errors: sent jobs that failed, per class;
* polls per job: mean of ``polls`` over sent jobs delivered by polling;
* Pareto: not dominated in (cost per 1,000 characters, pooled WER), both lower-is-better.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from harness.report.rows import Row, RunRows, json_list
from harness.report.stats import (
    Interval,
    mean_interval,
    proportion_interval,
    quantile_interval,
    ratio_interval,
)

QUANTILES = (0.5, 0.95, 0.99)
SENT = ("ok", "error")


@dataclass(frozen=True, slots=True)
class Entry:
    """One provider × model line of the leaderboard."""

    provider: str
    model: str
    sent: int
    ok: int
    skipped: int
    success: Interval
    latency: dict[str, Interval]  # "p50", "p95", "p99", "mean" of e2e_ms
    ttfa: dict[str, Interval]  # same keys over ttfa_ms; empty when nothing streamed
    cost_total_usd: float | None
    cost_per_request_usd: float | None
    cost_per_audio_minute_usd: float | None
    cost_per_1k_chars_usd: float | None
    unpriced: int
    audio_minutes: float
    chars: int
    scored: int
    wer_pooled: Interval
    wer_mean: float | None
    cer_pooled: float | None
    cer_mean: float | None
    similarity: Interval
    quality: Interval
    flagged_clips: int
    findings: dict[str, int]
    errors: dict[str, int]
    polls_mean: float | None
    pareto: bool = False
    latency_width_ms: float | None = None  # median width of the per-job interval that holds the true latency
    perceived_ttfa: dict[str, Interval] = field(default_factory=dict)  # streams: when speech is first heard

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    def to_json(self) -> dict[str, Any]:
        def intervals(values: dict[str, Interval]) -> dict[str, Any]:
            return {key: value.to_json() for key, value in values.items()}

        return {
            "provider": self.provider,
            "model": self.model,
            "sent": self.sent,
            "ok": self.ok,
            "skipped": self.skipped,
            "success": self.success.to_json(),
            "latency_ms": intervals(self.latency),
            "ttfa_ms": intervals(self.ttfa),
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
            "similarity": self.similarity.to_json(),
            "quality": self.quality.to_json(),
            "flagged_clips": self.flagged_clips,
            "findings": self.findings,
            "errors": self.errors,
            "polls_mean": self.polls_mean,
            "latency_width_ms": self.latency_width_ms,
            "perceived_ttfa_ms": intervals(self.perceived_ttfa),
            "pareto": self.pareto,
        }


@dataclass(frozen=True, slots=True)
class Leaderboard:
    entries: tuple[Entry, ...]
    notes: tuple[str, ...] = field(default=())

    def entry(self, provider: str, model: str) -> Entry:
        for entry in self.entries:
            if (entry.provider, entry.model) == (provider, model):
                return entry
        raise KeyError(f"no leaderboard entry {provider}/{model}")

    def to_json(self) -> dict[str, Any]:
        return {"entries": [e.to_json() for e in self.entries], "notes": list(self.notes)}


def _floats(rows: Iterable[Row], column: str) -> list[float]:
    return [float(v) for r in rows if (v := r[column]) is not None]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _median(values: Sequence[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _distribution(values: Sequence[float]) -> dict[str, Interval]:
    if not values:
        return {}
    found = {f"p{round(q * 100)}": quantile_interval(values, q) for q in QUANTILES}
    found["mean"] = mean_interval(values)
    return found


def _costs(sent: Sequence[Row], ok: Sequence[Row]) -> tuple[float | None, float | None, float | None, float | None]:
    """(total, per request, per audio minute, per 1,000 characters) in USD, None when unknown."""
    if not sent or any(r["cost_usd"] is None for r in sent):
        return None, None, None, None
    total = sum(float(r["cost_usd"] or 0.0) for r in sent)
    minutes = sum(_floats(ok, "duration_s")) / 60.0
    chars = sum(int(r["chars"] or 0) for r in sent)
    return (
        total,
        total / len(sent),
        total / minutes if minutes > 0 else None,
        1000.0 * total / chars if chars > 0 else None,
    )


def _error_rates(scored: Sequence[Row]) -> tuple[Interval, float | None, float | None, float | None]:
    words = [r for r in scored if r["unit"] == "word" and r["ref_length"]]
    errors = [float(int(r["substitutions"] or 0) + int(r["deletions"] or 0) + int(r["insertions"] or 0)) for r in words]
    wer_pooled = ratio_interval(errors, [float(r["ref_length"] or 0) for r in words])
    wer_mean = _mean(_floats(words, "wer"))
    chars = [r for r in scored if r["ref_chars"]]
    ref_chars = sum(int(r["ref_chars"] or 0) for r in chars)
    cer_pooled = sum(int(r["char_errors"] or 0) for r in chars) / ref_chars if ref_chars else None
    return wer_pooled, wer_mean, cer_pooled, _mean(_floats(scored, "cer"))


def entry_for(provider: str, model: str, rows: Sequence[Row]) -> Entry:
    sent = [r for r in rows if r["outcome"] in SENT]
    ok = [r for r in sent if r["outcome"] == "ok"]
    failed = [r for r in sent if r["outcome"] == "error"]
    timed = [r for r in ok if not r["resumed"]]
    scored = [r for r in ok if r["scored"] and not r["score_error"]]
    total, per_request, per_minute, per_1k = _costs(sent, ok)
    wer_pooled, wer_mean, cer_pooled, cer_mean = _error_rates(scored)
    findings: Counter[str] = Counter(flag for r in scored for flag in json_list(r["flags"]))
    polled = [float(r["polls"] or 0) for r in sent if r["delivery"] == "poll"]
    return Entry(
        provider=provider,
        model=model,
        sent=len(sent),
        ok=len(ok),
        skipped=len(rows) - len(sent),
        success=proportion_interval(len(ok), len(sent)),
        latency=_distribution(_floats(timed, "e2e_ms")),
        ttfa=_distribution(_floats(timed, "ttfa_ms")),
        latency_width_ms=_median(_floats(timed, "e2e_bracket_ms")),
        perceived_ttfa=_distribution(_floats(timed, "perceived_ttfa_ms")),
        cost_total_usd=total,
        cost_per_request_usd=per_request,
        cost_per_audio_minute_usd=per_minute,
        cost_per_1k_chars_usd=per_1k,
        unpriced=sum(1 for r in sent if r["cost_usd"] is None),
        audio_minutes=sum(_floats(ok, "duration_s")) / 60.0,
        chars=sum(int(r["chars"] or 0) for r in sent),
        scored=len(scored),
        wer_pooled=wer_pooled,
        wer_mean=wer_mean,
        cer_pooled=cer_pooled,
        cer_mean=cer_mean,
        similarity=mean_interval(_floats(scored, "similarity")),
        quality=mean_interval(_floats(scored, "dnsmos_overall")),
        flagged_clips=sum(1 for r in scored if json_list(r["flags"])),
        findings=dict(sorted(findings.items())),
        errors=dict(sorted(Counter(str(r["error_class"] or "unclassified") for r in failed).items())),
        polls_mean=_mean(polled),
    )


def pareto_front(points: Sequence[tuple[float, float]]) -> list[bool]:
    """For each (cost, error) point, whether no other point is at least as good in both and better in one."""
    front = []
    for i, (cost, err) in enumerate(points):
        dominated = any(
            c <= cost and e <= err and (c < cost or e < err) for j, (c, e) in enumerate(points) if j != i
        )
        front.append(not dominated)
    return front


def group(rows: Iterable[Row]) -> dict[tuple[str, str], list[Row]]:
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((str(row["provider"]), str(row["model"])), []).append(row)
    return dict(sorted(groups.items()))


def build_leaderboard(rows: RunRows) -> Leaderboard:
    entries = [entry_for(provider, model, members) for (provider, model), members in group(rows.requests).items()]
    placed = [
        (i, (e.cost_per_1k_chars_usd, e.wer_pooled.value))
        for i, e in enumerate(entries)
        if e.cost_per_1k_chars_usd is not None and e.wer_pooled.sample_size > 0
    ]
    notes = []
    if placed:
        flags = pareto_front([(float(c), float(w)) for _, (c, w) in placed if c is not None])
        for (index, _point), on_front in zip(placed, flags, strict=True):
            entries[index] = replace(entries[index], pareto=on_front)
    unplaced = [e.label for e in entries if e.cost_per_1k_chars_usd is None or e.wer_pooled.sample_size == 0]
    if unplaced:
        notes.append(f"Not on the cost/WER chart (no USD price or no scored clip): {', '.join(unplaced)}")
    return Leaderboard(tuple(entries), tuple(notes))
