"""The regression gate over recorded streams: two fixture folders (the committed recordings and a fresh
re-record, or two branches'), every stream both hold replayed at its recorded offsets and measured as a
client measures it (`harness.contracts.replayed_streams`), then compared:

=============================  ==========================================  ==================================
check                          statistic                                    a regression when
=============================  ==========================================  ==================================
first audio (ms, replayed)     time to first audio of the replayed stream   NEW later than BASE by more than
                                                                            max(first_audio_ms, first_audio_rel
                                                                            × BASE): 25 ms or 10% by default
stream order                   the kinds of what came, runs collapsed       NEW's order differs from BASE's
frame rules (replayed)         the frame checks' findings on the replayed   NEW has a finding BASE has not
                               session (WebSocket sessions)
=============================  ==========================================  ==================================

One replay per side: the replay's own error (a few ms, measured by benchmarks/perf/replay_accuracy.py)
is what the absolute tolerance absorbs. Every check's metric is `stream` (`--fail-on stream`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from harness.contracts import ReplayedStream, replayed_streams
from harness.core.spec import Provider
from harness.report.compare import Check, Comparison, GateThresholds, Metric, Ruling


def _who(name: str) -> tuple[str, str]:
    """(provider, what): "ttsai/tts.stream/200-success#0" -> ttsai; "realtime/eleven/synthesis" -> eleven."""
    parts = name.split("/")
    if parts[0] == "realtime" and len(parts) == 3:
        return parts[1], f"realtime/{parts[2]}"
    return parts[0], "/".join(parts[1:])


def _first_audio(base: ReplayedStream, new: ReplayedStream, t: GateThresholds) -> Check | None:
    if base.first_audio_ms is None or new.first_audio_ms is None:
        return None
    allowed = max(t.first_audio_ms, t.first_audio_rel * base.first_audio_ms)
    later = new.first_audio_ms - base.first_audio_ms
    verdict = Ruling.REGRESSION if later > allowed else Ruling.OK
    provider, model = _who(new.name)
    return Check(
        provider=provider,
        model=model,
        metric=Metric.STREAM,
        statistic="first audio (ms, replayed)",
        verdict=verdict,
        threshold=f"+{t.first_audio_ms:g} ms or +{t.first_audio_rel:.0%} of BASE",
        change=later,
        details=(
            f"{base.first_audio_ms:.1f} ms -> {new.first_audio_ms:.1f} ms ({later:+.1f} ms; allowed +{allowed:.1f} ms)",
        ),
        unit="ms",
        beyond=later > allowed,
    )


def _order(base: ReplayedStream, new: ReplayedStream) -> Check:
    changed = base.order != new.order
    provider, model = _who(new.name)
    return Check(
        provider=provider,
        model=model,
        metric=Metric.STREAM,
        statistic="stream order",
        verdict=Ruling.REGRESSION if changed else Ruling.OK,
        threshold="any change",
        change=float(changed),
        details=(f"{', '.join(base.order) or 'nothing'} -> {', '.join(new.order) or 'nothing'}",),
        beyond=changed,
    )


def _findings(base: ReplayedStream, new: ReplayedStream) -> Check:
    fresh = tuple(line for line in new.violations if line not in set(base.violations))
    provider, model = _who(new.name)
    return Check(
        provider=provider,
        model=model,
        metric=Metric.STREAM,
        statistic="frame rules (replayed)",
        verdict=Ruling.REGRESSION if fresh else Ruling.OK,
        threshold="any new finding",
        change=float(len(fresh)),
        details=fresh,
        beyond=bool(fresh),
    )


def _checks(
    base: Mapping[str, ReplayedStream], new: Mapping[str, ReplayedStream], t: GateThresholds
) -> Iterator[Check]:
    for name in sorted(set(base) & set(new)):
        first = _first_audio(base[name], new[name], t)
        if first is not None:
            yield first
        yield _order(base[name], new[name])
        if base[name].violations or new[name].violations:
            yield _findings(base[name], new[name])


def compare_streams(
    base_root: Path,
    new_root: Path,
    providers: Mapping[str, Provider],
    fail_on: Iterable[Metric] = tuple(Metric),
    thresholds: GateThresholds | None = None,
) -> Comparison:
    """BASE's and NEW's recorded streams replayed and compared (a `Comparison` like `compare_runs`')."""
    t = thresholds or GateThresholds()
    base, base_notes = replayed_streams(base_root, providers)
    new, new_notes = replayed_streams(new_root, providers)
    notes = [f"BASE {note}" for note in base_notes] + [f"NEW {note}" for note in new_notes]
    notes += [f"{name} only in BASE: not compared" for name in sorted(set(base) - set(new))]
    notes += [f"{name} only in NEW: not compared" for name in sorted(set(new) - set(base))]
    untimed = sorted(name for name in set(base) & set(new) if not (base[name].timed and new[name].timed))
    notes += [f"{name}: recorded without offsets on one side; its order compared, not its timing" for name in untimed]
    return Comparison(
        base_run=str(base_root),
        new_run=str(new_root),
        thresholds=t,
        fail_on=frozenset(fail_on),
        checks=tuple(_checks(base, new, t)),
        notes=tuple(notes),
    )
