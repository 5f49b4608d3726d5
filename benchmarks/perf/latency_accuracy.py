"""How close the runner's latency is to the truth under the providers' documented conditions, how sure
it says it is, and how many polls it spends for it.

Against the sandbox's `realistic` profile — Pixazo `created_at` to the millisecond and `completed_at` at
whole seconds in both documented forms (`…:20.000Z`, `2026-05-22 13:19:23`), PixelAPI at whole seconds,
TTS.ai job results without stamps — with the server's clock off ours by each of --skews seconds, the
runner measures, side by side and each as a normal run:

    poll      every provider's queued model, polled adaptively        e2e: request sent -> completion
    webhook   Pixazo with X-Webhook-URL (polls only as a safety net)   e2e
    stream    TTS.ai's SSE stream (POST /v1/tts/stream/)               time to first audio, perceived

The sandbox knows every job's true state-change times and every stream's true chunk timeline; for each
(skew, provider, mode) this prints |estimate − truth| at p50/p95/max, how often the stored interval
[e2e_lo_ms, e2e_hi_ms] holds the truth, its median width and the status polls per job. For streams the
error is that of the perceived time to first audio (observed, so no interval: coverage is null).

    python benchmarks/perf/latency_accuracy.py [--items 24] [--skews -5,0,5] [--json]

One skew at a time, each with a sandbox of its own; about six minutes on 2 cores with the defaults.

Goals (issue 13): coverage >= 95% everywhere; Pixazo and PixelAPI p95 <= 250 ms at <= 10 polls/job;
TTS.ai jobs p95 <= 400 ms at <= 10 polls; Pixazo webhooks p95 <= 50 ms; streams' perceived time to first
audio within 10 ms p95; the same at skew -5 s and +5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from harness.bench.config import BenchConfig, PollingMode
from harness.bench.runner import Runner, prepare
from harness.bench.session import benchmarkable, sandbox_target
from harness.bench.target import Target
from harness.core.quantiles import quantile
from harness.results import Store

#: mode -> (models, polling)
MODES: dict[str, tuple[tuple[str, ...], PollingMode]] = {
    "poll": (("pixazo/chatterbox", "pixelapi/voice-design", "ttsai/kokoro"), PollingMode.ADAPTIVE),
    "webhook": (("pixazo/chatterbox",), PollingMode.WEBHOOK),
    "stream": (("ttsai/kokoro-stream",), PollingMode.ADAPTIVE),
}


@dataclass(frozen=True, slots=True)
class Sample:
    provider: str
    true_ms: float
    estimate_ms: float
    low_ms: float
    high_ms: float
    polls: int
    ttfa_error_ms: float | None = None  # streams: perceived time to first audio, measured − true


def _marks(store: Store, job_key: str) -> dict[str, float]:
    return {m["name"]: m["t_ms"] for m in store.query("SELECT name, t_ms FROM marks WHERE job_key = ?", (job_key,))}


def _samples(store: Store, runner: Runner, sandbox: Any, mode: str) -> list[Sample]:
    samples = []
    rows = store.query("SELECT * FROM jobs WHERE run_id = ? AND outcome = 'ok' ORDER BY seq", (runner.prepared.run_id,))
    for row in rows:
        sent_ms = _marks(store, row["job_key"])["request_sent"]
        # The sandbox runs in this process: its clock and ours are the same monotonic clock.
        sent = runner.run_start + (row["start_offset_ms"] + sent_ms) / 1000.0
        if mode == "stream":
            truth = sandbox.state.streams.find(row["text"])  # one stream per text in a sandbox
            heard = truth.heard_at() if truth is not None else None
            if heard is None or row["perceived_ttfa_ms"] is None:
                continue
            true_ms = (heard - sent) * 1000.0
            samples.append(Sample(row["provider"], true_ms, row["perceived_ttfa_ms"], row["perceived_ttfa_ms"],
                                  row["perceived_ttfa_ms"], 0, row["perceived_ttfa_ms"] - true_ms))
            continue
        if row["delivery"] not in ("poll", "webhook"):
            continue
        finished = sandbox.job(row["provider_job_id"])["transitions"][-1]["at"]
        samples.append(Sample(row["provider"], (finished - sent) * 1000.0, row["e2e_ms"], row["e2e_lo_ms"],
                              row["e2e_hi_ms"], int(row["polls"])))
    return samples


def _figures(skew: float, mode: str, provider: str, samples: list[Sample]) -> dict[str, Any]:
    errors = [abs(s.estimate_ms - s.true_ms) for s in samples]
    # A stream's time to first audio is observed, not estimated: it has no interval to cover the truth.
    covered = [s.low_ms <= s.true_ms <= s.high_ms for s in samples] if mode != "stream" else []
    figures: dict[str, Any] = {
        "provider": provider, "mode": mode, "skew_s": skew, "jobs": len(samples),
        "p50_abs_error_ms": _round(quantile(errors, 0.50)), "p95_abs_error_ms": _round(quantile(errors, 0.95)),
        "max_abs_error_ms": _round(max(errors, default=None)),
        "interval_coverage": round(sum(covered) / len(covered), 3) if covered else None,
        "median_interval_ms": _round(quantile([s.high_ms - s.low_ms for s in samples], 0.50)) if covered else None,
        "mean_polls": round(sum(s.polls for s in samples) / len(samples), 2) if samples else None,
    }
    if mode == "stream":
        figures["ttfa_p95_abs_error_ms"] = _round(quantile([abs(s.ttfa_error_ms or 0.0) for s in samples], 0.95))
    return figures


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


async def _run_all(runners: list[Runner]) -> None:
    async def one(runner: Runner) -> None:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=32), timeout=60.0) as client:
            await runner.execute(client)

    await asyncio.gather(*(one(r) for r in runners))


def _runners(base: BenchConfig, store: Store, target: Target, skew: float, modes: list[str]
             ) -> Iterator[tuple[str, Runner]]:
    providers = benchmarkable()
    for mode in modes:
        models, polling = MODES[mode]
        names = sorted({m.split("/")[0] for m in models})
        # A key per mode: rate limits are per key, and one mode's polls must not slow another's.
        keys = dict(target.keys)
        for name in names:
            keys[name] = f"latency-accuracy-{mode}-{skew:+g}-{name}"
            target.handle.add_key(name, keys[name])
        config = base.updated(models=models, providers=tuple(names), polling=polling)
        prepared = prepare(config, {n: providers[n] for n in names}, store, target.reference_url)
        runner = Runner(prepared, store, dataclasses.replace(target, keys=keys))
        runner.record_plan()
        yield mode, runner


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # 24: a p95 over fewer jobs is little more than their maximum.
    parser.add_argument("--items", type=int, default=24, help="en_read items per model")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", default="realistic")
    parser.add_argument("--skews", default="-5,0,5", help="server clock − ours, seconds, comma-separated")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--concurrency", type=int, default=6, help="jobs in flight per mode")
    parser.add_argument("--precise-stamps", action="store_true", help="millisecond stamps (convenient conditions)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line per skew, provider and mode")
    parser.add_argument("--keep", type=Path, help="keep runs.db in this folder (to look at the polls)")
    args = parser.parse_args()

    skews = [float(s) for s in args.skews.split(",")]
    modes = args.modes.split(",")
    providers = benchmarkable()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        base = BenchConfig(out=args.keep or Path(folder), score=False, report=False, corpus=(f"en_read:{args.items}",),
                           sandbox_profile=args.profile, seed=args.seed, concurrency=args.concurrency,
                           provider_concurrency=args.concurrency, precise_stamps=args.precise_stamps)
        store = Store(base.output.db_path)
        results = []
        # One skew at a time, each with its own sandbox: they would only compete for the two cores, and a
        # webhook's or a stream's figure is a matter of milliseconds.
        for skew in skews:
            with sandbox_target(base.updated(clock_skew=skew), list(providers.values())) as target:
                runs = list(_runners(base, store, target, skew, modes))
                # Streams after the jobs, for the same reason (the sandbox runs in this process too).
                asyncio.run(_run_all([runner for mode, runner in runs if mode != "stream"]))
                asyncio.run(_run_all([runner for mode, runner in runs if mode == "stream"]))
                for mode, runner in runs:
                    samples = _samples(store, runner, target.handle, mode)
                    for provider in sorted({s.provider for s in samples}):
                        results.append(_figures(skew, mode, provider, [s for s in samples if s.provider == provider]))
        store.close()
    elapsed = time.perf_counter() - started
    if args.json:
        for figures in results:
            print(json.dumps(figures))
        return 0
    stamps = "millisecond" if args.precise_stamps else "documented"
    print(f"latency_accuracy: sandbox {args.profile}, {stamps} stamps, seed {args.seed}, {args.items} texts per "
          f"model, skews {args.skews} s, {elapsed:.0f} s")
    print(f"{'skew':>5} {'provider':<9} {'mode':<8} {'jobs':>4} {'|err| p50/p95/max ms':>22} {'coverage':>8} "
          f"{'width ms':>8} {'polls':>5}")
    for f in results:
        errors = f"{f['p50_abs_error_ms']}/{f['p95_abs_error_ms']}/{f['max_abs_error_ms']}"
        print(f"{f['skew_s']:>+5g} {f['provider']:<9} {f['mode']:<8} {f['jobs']:>4} {errors:>22} "
              f"{f['interval_coverage']!s:>8} {f['median_interval_ms']!s:>8} {f['mean_polls']!s:>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
