"""How close the runner's latency is to the truth under the providers' documented conditions, how sure
it says it is, and how many polls it spends for it.

Against the sandbox's `realistic` profile — Pixazo `created_at` to the millisecond and `completed_at` at
whole seconds in both documented forms (`…:20.000Z`, `2026-05-22 13:19:23`), PixelAPI at whole seconds,
TTS.ai job results without stamps — with the server's clock off ours by each of --skews seconds, the
runner measures, side by side and each as a normal run:

    poll      every provider's queued model, polled adaptively        e2e: request sent -> completion
    webhook   Pixazo with X-Webhook-URL (polls only as a safety net)   e2e
    stream    TTS.ai's SSE stream (POST /v1/tts/stream/)               time to first audio, perceived

Each under three stamp conventions (`--stampings`): `documented` (whole seconds truncated, zone-less
stamps in UTC), `rounding` (whole seconds rounded, as a `DATETIME(0)` column stores them) and `mixed-zone`
(zone-less stamps in the server's local time, UTC+1, beside zoned ones); streams carry no stamps, so they
run under `documented` only.

The sandbox knows every job's true state-change times and every stream's true chunk timeline; for each
(stamping, skew, provider, mode) and each figure the runner stores — e2e, e2e_server, queue, processing
for jobs; ttfa and perceived_ttfa (audible TTFA) for streams — this prints |estimate − truth| at
p50/p95/max, how often the stored interval [<figure>_lo_ms, <figure>_hi_ms] holds the truth (coverage),
the interval's median width, and the status polls per job.

    python benchmarks/perf/latency_accuracy.py [--items 24] [--skews -5,0,5] [--stampings ...] [--json]

`--smoke`: one text per model, skew 0, the documented stamps, every mode, on the fast profile (seconds).

To look at one case's outliers: `--providers pixelapi --modes poll --stampings rounding --keep DIR` runs
only those, and keeps runs.db (every poll) with truth.jsonl (each job's truth beside its stored figures).

With `--load-sweep 1,4,16` each mode runs as a load sweep (the same plan at each per-provider level, one after
another, against the realistic profile's worker pools) and every figure is printed per level: is each
latency still true, and its interval still honest, when the provider queues?

One (stamping, skew) at a time, each with a sandbox of its own; about fifteen minutes on 2 cores.

Goals (issue 22): coverage >= 95% for every figure and stamp convention; whole-second e2e p95 <= 250 ms
with max <= 350 ms; audible TTFA p95 <= 5 ms against the exact onset; the same at skew -5 s and +5 s. Every job
ok and beside its truth (a stream's by the `X-Sandbox-Tag` it sent). Goals about time are judged only where this
process was not saturated while it measured (`goals.verdict`); a run that misses one says so and exits 1.
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

import goals  # beside this script
import httpx
import smoke_mode  # beside this script

from harness.core.quantiles import quantile
from harness.core.target import TAG_HEADER
from harness.results import Store, read_rows, run_ids, saturation
from harness.runner.plan.config import BenchConfig, PollingMode
from harness.runner.plan.target import Target
from harness.runner.run import Runner, prepare
from harness.runner.session import benchmarkable, sandbox_target

#: mode -> (models, polling)
MODES: dict[str, tuple[tuple[str, ...], PollingMode]] = {
    "poll": (("pixazo/chatterbox", "pixelapi/voice-design", "ttsai/kokoro"), PollingMode.ADAPTIVE),
    "webhook": (("pixazo/chatterbox",), PollingMode.WEBHOOK),
    "stream": (("ttsai/kokoro-stream",), PollingMode.ADAPTIVE),
}


#: stamping -> how the sandbox prints its stamps (harness.sandbox.stamps.SandboxStamps fields) and the modes it runs
STAMPINGS: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "documented": ({}, ("poll", "webhook", "stream")),
    "rounding": ({"rounds": True}, ("poll", "webhook")),
    "mixed-zone": ({"local_zone_h": 1.0}, ("poll", "webhook")),
}
JOB_FIGURES = ("e2e", "e2e_server", "queue", "processing")
STREAM_FIGURES = ("ttfa", "perceived_ttfa")


@dataclass(frozen=True, slots=True)
class Sample:
    """One job: per figure, its truth (ms) and the stored estimate and interval (None when not stored)."""

    job_key: str
    provider: str
    polls: int
    level: int | None  # the load sweep's level the job ran at (None: not a sweep)
    truth: dict[str, float]
    stored: dict[str, tuple[float | None, float | None, float | None]]  # figure -> (estimate, low, high)


def _marks(store: Store, job_key: str) -> dict[str, float]:
    return {m["name"]: m["t_ms"] for m in store.query("SELECT name, t_ms FROM marks WHERE job_key = ?", (job_key,))}


def _job_truth(sandbox: Any, job_id: str, sent: float) -> dict[str, float]:
    changes = sandbox.job(job_id)["transitions"]
    created, finished = changes[0]["at"], changes[-1]["at"]
    started = next((c["at"] for c in changes if c["phase"] == "processing"), finished)
    return {
        "e2e": finished - sent,
        "e2e_server": finished - created,
        "queue": started - created,
        "processing": finished - started,
    }


def _tag(label: str, item_id: str) -> str:
    """The `X-Sandbox-Tag` each job sends (its offering and item): the sandbox keeps it on the stream it causes."""
    return f"{label} {item_id}"


def _stream_truth(sandbox: Any, tag: str, sent: float) -> dict[str, float]:
    found = [t for t in list(sandbox.state.streams.streams.values()) if t.tag == tag]
    truth = found[0] if len(found) == 1 else None  # none, or several: no truth is this job's own
    if truth is None or not truth.chunk_at:
        return {}
    heard = truth.heard_at()
    figures = {"ttfa": truth.chunk_at[0] - sent}
    return figures | ({} if heard is None else {"perceived_ttfa": heard - sent})


def _samples(store: Store, runner: Runner, sandbox: Any, mode: str) -> list[Sample]:
    samples = []
    rows = store.query("SELECT * FROM jobs WHERE run_id = ? AND outcome = 'ok' ORDER BY seq", (runner.prepared.run_id,))
    for row in rows:
        sent_ms = _marks(store, row["job_key"])["request_sent"]
        # The sandbox runs in this process: its clock and ours are the same monotonic clock.
        sent = runner.run_start + (row["start_offset_ms"] + sent_ms) / 1000.0
        if mode == "stream":
            truth, names = (
                _stream_truth(sandbox, _tag(f"{row['provider']}/{row['model']}", row["item_id"]), sent),
                STREAM_FIGURES,
            )
        elif row["delivery"] in ("poll", "webhook"):
            truth, names = _job_truth(sandbox, row["provider_job_id"], sent), JOB_FIGURES
        else:
            continue
        stored = {name: (row[f"{name}_ms"], row[f"{name}_lo_ms"], row[f"{name}_hi_ms"]) for name in names}
        samples.append(
            Sample(
                row["job_key"],
                row["provider"],
                int(row["polls"]),
                row["load_level"],
                {k: v * 1000.0 for k, v in truth.items()},
                stored,
            )
        )
    return samples


def _figure(samples: list[Sample], name: str) -> dict[str, Any] | None:
    """Error, coverage and width of one figure over the jobs that stored it."""
    held = [(s.truth[name], *s.stored[name]) for s in samples if name in s.truth and s.stored[name][0] is not None]
    if not held:
        return None
    errors = [abs(estimate - truth) for truth, estimate, _, _ in held]
    bounded = [(truth, low, high) for truth, _, low, high in held if low is not None and high is not None]
    return {
        "stored": len(held),
        "p50_abs_error_ms": _round(quantile(errors, 0.50)),
        "p95_abs_error_ms": _round(quantile(errors, 0.95)),
        "max_abs_error_ms": _round(max(errors)),
        "coverage": round(sum(low - 1e-6 <= t <= high + 1e-6 for t, low, high in bounded) / len(bounded), 3)
        if bounded
        else None,
        "median_width_ms": _round(quantile([high - low for _, low, high in bounded], 0.50)) if bounded else None,
    }


def _figures(
    stamping: str, skew: float, mode: str, provider: str, samples: list[Sample], level: int | None
) -> dict[str, Any]:
    names = STREAM_FIGURES if mode == "stream" else JOB_FIGURES
    return {
        "stamping": stamping,
        "provider": provider,
        "mode": mode,
        "skew_s": skew,
        "level": level,
        "jobs": len(samples),
        "mean_polls": round(sum(s.polls for s in samples) / len(samples), 2) if samples else None,
        "figures": {name: figure for name in names if (figure := _figure(samples, name)) is not None},
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


GOAL_COVERAGE = 0.95
P95_FROM = 20  # jobs: the p95 of fewer is little more than their maximum (the goals are stated for 24)
GOAL_E2E_P95_MS, GOAL_E2E_MAX_MS = 250.0, 350.0  # e2e, with stamps of whole seconds
GOAL_AUDIBLE_TTFA_P95_MS = 5.0


def missed(results: list[dict[str, Any]]) -> tuple[list[str], list[str], list[str]]:
    """The goals missed (see the module's docstring): those that hold on any machine (every job beside its truth,
    every figure of its mode stored), those about time (coverage, the errors' size), and the error goals a sample
    too small cannot judge (a p95 of fewer than `P95_FROM` jobs)."""
    exact: list[str] = []
    timing: list[str] = []
    unjudged: set[str] = set()
    for f in results:
        who = f"{f['stamping']} {f['skew_s']:+g} s {f['provider']} {f['mode']}" + (
            f" at {f['level']}" if f["level"] else ""
        )
        names = STREAM_FIGURES if f["mode"] == "stream" else ("e2e",)
        absent = [name for name in names if name not in f["figures"]]
        if not f["jobs"] or absent:
            exact.append(f"{who}: {f['jobs']} jobs beside their truth; no {', '.join(absent) or 'figure'}")
        if f["jobs"] < P95_FROM:  # a share or a p95 of a few jobs says little: one late read is all of it
            unjudged.add(f"coverage and the errors' p95 on {f['jobs']} jobs a figure (from {P95_FROM})")
            continue
        for name, figure in f["figures"].items():
            if figure["coverage"] is not None and figure["coverage"] < GOAL_COVERAGE:
                timing.append(f"{who} {name}: coverage {figure['coverage']} < {GOAL_COVERAGE}")
        e2e, heard = f["figures"].get("e2e"), f["figures"].get("perceived_ttfa")
        if e2e and (e2e["p95_abs_error_ms"] > GOAL_E2E_P95_MS or e2e["max_abs_error_ms"] > GOAL_E2E_MAX_MS):
            timing.append(
                f"{who} e2e: |error| p95 {e2e['p95_abs_error_ms']} ms, max {e2e['max_abs_error_ms']} ms "
                f"(goal {GOAL_E2E_P95_MS:g}, {GOAL_E2E_MAX_MS:g})"
            )
        if heard and heard["p95_abs_error_ms"] > GOAL_AUDIBLE_TTFA_P95_MS:
            timing.append(
                f"{who} perceived_ttfa: |error| p95 {heard['p95_abs_error_ms']} ms > {GOAL_AUDIBLE_TTFA_P95_MS:g} ms"
            )
    return exact, timing, sorted(unjudged)


async def _run_all(runners: list[Runner]) -> None:
    async def one(runner: Runner) -> None:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=32), timeout=60.0) as client:
            await runner.execute(client)

    await asyncio.gather(*(one(r) for r in runners))


def _runners(
    base: BenchConfig, store: Store, target: Target, label: str, modes: list[str], only: frozenset[str] | None = None
) -> Iterator[tuple[str, Runner]]:
    providers = benchmarkable()
    for mode in modes:
        models, polling = MODES[mode]
        models = tuple(m for m in models if only is None or m.split("/")[0] in only)
        if not models:
            continue
        names = sorted({m.split("/")[0] for m in models})
        # A key per mode: rate limits are per key, and one mode's polls must not slow another's.
        keys = dict(target.keys)
        for name in names:
            keys[name] = f"latency-accuracy-{mode}-{label}-{name}"
            target.handle.add_key(name, keys[name])
        config = base.updated(models=models, providers=tuple(names), polling=polling)
        prepared = prepare(config, {n: providers[n] for n in names}, store, target.reference_url)
        runner = Runner(
            prepared,
            store,
            dataclasses.replace(target, keys=keys, headers=lambda label, item, *_: {TAG_HEADER: _tag(label, item)}),
        )
        runner.record_plan()
        yield mode, runner


def _measure(
    base: BenchConfig,
    store: Store,
    stamping: str,
    skew: float,
    modes: list[str],
    only: frozenset[str] | None = None,
    keep: Path | None = None,
) -> list[dict[str, Any]]:
    """One sandbox printing stamps as `stamping` says, its clock `skew` s off ours; every mode's figures."""
    providers = benchmarkable()
    printing, supported = STAMPINGS[stamping]
    modes = [m for m in modes if m in supported]
    results = []
    with sandbox_target(base.updated(clock_skew=skew), list(providers.values())) as target:
        state = target.handle.state
        state.stamps = dataclasses.replace(state.stamps, **printing)
        runs = list(_runners(base, store, target, f"{stamping}{skew:+g}", modes, only))
        # Streams after the jobs: the sandbox runs in this process too, and a stream's figure is a
        # matter of milliseconds.
        asyncio.run(_run_all([runner for mode, runner in runs if mode != "stream"]))
        asyncio.run(_run_all([runner for mode, runner in runs if mode == "stream"]))
        for mode, runner in runs:
            samples = _samples(store, runner, target.handle, mode)
            if keep is not None:
                _keep_truth(keep, stamping, skew, mode, samples)
            for provider, level in sorted({(s.provider, s.level or 0) for s in samples}):
                chosen = [s for s in samples if s.provider == provider and (s.level or 0) == level]
                results.append(_figures(stamping, skew, mode, provider, chosen, level or None))
    return results


def _keep_truth(folder: Path, stamping: str, skew: float, mode: str, samples: list[Sample]) -> None:
    """Each job's truth beside what was stored, one JSON line a job (`truth.jsonl` beside the kept runs.db):
    the sandbox's truth lives in this process only, and an outlier's polls are read with it."""
    with (folder / "truth.jsonl").open("a", encoding="utf-8") as out:
        for s in samples:
            out.write(
                json.dumps(
                    {
                        "job_key": s.job_key,
                        "stamping": stamping,
                        "skew_s": skew,
                        "mode": mode,
                        "provider": s.provider,
                        "level": s.level,
                        "truth_ms": s.truth,
                        "stored_ms": s.stored,
                    }
                )
                + "\n"
            )


def _print_table(results: list[dict[str, Any]]) -> None:
    print(
        f"{'stamping':<10} {'skew':>5} {'provider':<9} {'mode':<8} {'level':>5} {'jobs':>4} {'polls':>5}  "
        f"{'figure':<15} {'|err| p50/p95/max ms':>22} {'coverage':>8} {'width ms':>8}"
    )
    for f in results:
        for name, figure in f["figures"].items():
            errors = f"{figure['p50_abs_error_ms']}/{figure['p95_abs_error_ms']}/{figure['max_abs_error_ms']}"
            level = f["level"] or "-"
            print(
                f"{f['stamping']:<10} {f['skew_s']:>+5g} {f['provider']:<9} {f['mode']:<8} {level!s:>5} "
                f"{f['jobs']:>4} {f['mean_polls']!s:>5}  {name:<15} {errors:>22} {figure['coverage']!s:>8} "
                f"{figure['median_width_ms']!s:>8}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # 24: a p95 over fewer jobs is little more than their maximum.
    parser.add_argument("--items", type=int, default=24, help="en_read items per model")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", default="realistic")
    parser.add_argument("--skews", default="-5,0,5", help="server clock − ours, seconds, comma-separated")
    parser.add_argument("--stampings", default=",".join(STAMPINGS), help="stamp conventions, comma-separated")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument(
        "--providers",
        help="only these providers' models, comma-separated (default: all), "
        "e.g. pixelapi to look at one provider's outliers",
    )
    parser.add_argument("--concurrency", type=int, default=6, help="jobs in flight per provider and mode")
    parser.add_argument("--load-sweep", help="levels of per-provider concurrency, e.g. 1,4,16: figures per level")
    parser.add_argument("--precise-stamps", action="store_true", help="millisecond stamps (convenient conditions)")
    parser.add_argument(
        "--json", action="store_true", help="one JSON object per line per stamping, skew, provider, mode (and level)"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep runs.db in this folder (to look at the polls), and "
        "each job's truth beside its stored figures (truth.jsonl)",
    )
    args = smoke_mode.parse(parser, argv, items=1, skews="0", stampings="documented", profile="fast")

    skews = [float(s) for s in args.skews.split(",")]
    only = frozenset(args.providers.split(",")) if args.providers else None
    started = time.perf_counter()
    with goals.Watch() as watch, tempfile.TemporaryDirectory() as folder:
        base = BenchConfig(
            out=args.keep or Path(folder),
            score=False,
            report=False,
            corpus=(f"en_read:{args.items}",),
            sandbox_profile=args.profile,
            seed=args.seed,
            concurrency=args.load_sweep or args.concurrency,
            precise_stamps=args.precise_stamps,
        )
        store = Store(base.output.db_path)
        results = [
            figures
            for stamping in args.stampings.split(",")
            for skew in skews
            for figures in _measure(base, store, stamping, skew, args.modes.split(","), only, args.keep)
        ]
        for run_id in run_ids(store.conn):  # each run's own view of its client (the runner and its sandbox)
            watch.note(saturation(read_rows(store.conn, run_id)).line())
        store.close()
    elapsed = time.perf_counter() - started
    exact, timing, unjudged = missed(results)
    if args.json:
        for figures in results:
            print(json.dumps(figures))
        return goals.verdict(exact, timing, watch, unjudged)
    stamps = "millisecond" if args.precise_stamps else "documented-resolution"
    load = f"load sweep {args.load_sweep}" if args.load_sweep else f"concurrency {args.concurrency}"
    print(
        f"latency_accuracy: sandbox {args.profile}, {stamps} stamps, seed {args.seed}, {args.items} texts per "
        f"model, skews {args.skews} s, stampings {args.stampings}, {load}, {elapsed:.0f} s"
    )
    _print_table(results)
    return goals.verdict(exact, timing, watch, unjudged)


if __name__ == "__main__":
    sys.exit(main())
