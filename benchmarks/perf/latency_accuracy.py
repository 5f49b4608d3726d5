"""How close the runner's end-to-end latency is to the truth, and how many polls it spends for it.

Against the sandbox (realistic profile: jobs of about 1-20 s), three pollers run side by side on the
same texts at the same time — the runner's adaptive schedule, and fixed 1 s and 5 s pollers as the
providers' documents suggest — each as a normal run of the runner. The sandbox knows every job's true
state-change times; for every job this prints |measured − true| end-to-end latency at p50/p95/max and
status polls per job, for three ways of measuring:

    naive       terminal status seen − request sent (what most benchmarks report)
    poll-only   the middle of the poll bracket (last poll that saw the job pending, first that saw it done)
    runner      the runner's `e2e_ms`: the bracket narrowed by the server's timestamps when they agree

    python benchmarks/perf/latency_accuracy.py [--items 10] [--seed 7] [--profile realistic]

Goal (issue 4): runner p95 <= 50 ms with <= 10 polls per job.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx

from harness.bench.config import BenchConfig, PollingMode
from harness.bench.runner import Runner, prepare
from harness.bench.session import benchmarkable, sandbox_target
from harness.bench.store import Store
from harness.bench.timing import mono_of
from harness.core.quantiles import quantile

POLLERS = (
    ("adaptive (runner)", {"polling": PollingMode.ADAPTIVE}),
    ("fixed 1 s", {"polling": PollingMode.FIXED, "poll_interval": 1.0}),
    ("fixed 5 s", {"polling": PollingMode.FIXED, "poll_interval": 5.0}),
)


@dataclass(frozen=True, slots=True)
class Sample:
    true_ms: float
    naive_ms: float
    poll_only_ms: float
    runner_ms: float
    polls: int


def _start(row: sqlite3.Row) -> float:
    return mono_of(datetime.fromisoformat(row["started_at"].replace("Z", "+00:00")).timestamp())


def _samples(store: Store, run_id: str, sandbox: object) -> list[Sample]:
    samples = []
    for row in store.query("SELECT * FROM jobs WHERE run_id = ? AND outcome = 'ok' AND delivery = 'poll' "
                           "ORDER BY seq", (run_id,)):  # sync answers have no polls to judge
        truth = sandbox.job(row["provider_job_id"])  # type: ignore[attr-defined]
        changes = truth["transitions"]
        created, finished = changes[0]["at"], changes[-1]["at"]
        marks = {
            m["name"]: m["t_ms"]
            for m in store.query("SELECT name, t_ms FROM marks WHERE job_key = ?", (row["job_key"],))
        }
        polls = store.query("SELECT * FROM polls WHERE job_key = ? ORDER BY seq", (row["job_key"],))
        terminal = polls[-1]  # a finished job's last poll is the one that saw it finished
        pending = [p for p in polls[:-1] if p["received_ms"] is not None and p["error_class"] is None]
        sent_ms = marks["request_sent"]

        def instant(poll: sqlite3.Row) -> float:
            return (poll["sent_ms"] + poll["received_ms"]) / 2

        low = instant(pending[-1]) if pending else sent_ms
        poll_only = (low + instant(terminal)) / 2 - sent_ms
        # The client's e2e starts when its request left; the sandbox's when it stamped the job: compare the
        # completion instants on the one monotonic clock both share, measured from the true creation.
        sent_abs = _start(row) + sent_ms / 1000.0
        offset_ms = (sent_abs - created) * 1000.0  # request sent relative to true creation (about -1 ms)
        samples.append(
            Sample(
                true_ms=(finished - created) * 1000.0,
                naive_ms=row["e2e_client_ms"] + offset_ms,
                poll_only_ms=poll_only + offset_ms,
                runner_ms=row["e2e_ms"] + offset_ms,
                polls=row["polls"],
            )
        )
    return samples


async def _run_all(runners: list[Runner]) -> None:
    async def one(runner: Runner) -> None:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=32), timeout=60.0) as client:
            await runner.execute(client)

    await asyncio.gather(*(one(r) for r in runners))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10, help="en_read items per model")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", default="realistic")
    parser.add_argument("--providers", default="pixazo,pixelapi")
    parser.add_argument("--concurrency", type=int, default=6, help="jobs in flight per poller")
    args = parser.parse_args()

    providers = {k: v for k, v in benchmarkable().items() if k in args.providers.split(",")}
    with tempfile.TemporaryDirectory() as folder:
        base = BenchConfig(
            out=Path(folder),
            score=False,
            report=False,
            corpus=(f"en_read:{args.items}",),
            providers=tuple(providers),
            sandbox_profile=args.profile,
            seed=args.seed,
            concurrency=args.concurrency,
            provider_concurrency=args.concurrency,
        )
        store = Store(base.db_path)
        started = time.perf_counter()
        with sandbox_target(base, list(providers.values())) as target:
            runners = []
            for index, (_, settings) in enumerate(POLLERS):
                # A key per poller: rate limits are per key, and one poller's polls must not slow another's.
                keys = {}
                for name in providers:
                    keys[name] = f"latency-accuracy-{index}-{name}"
                    target.handle.add_key(name, keys[name])
                own = dataclasses.replace(target, keys=keys)
                config = base.model_copy(update=settings)
                prepared = prepare(config, providers, store, target.reference_url)
                runner = Runner(prepared, store, own)
                runner.record_plan()
                runners.append(runner)
            asyncio.run(_run_all(runners))
            results = [
                (name, _samples(store, r.prepared.run_id, target.handle))
                for (name, _), r in zip(POLLERS, runners, strict=True)
            ]
        elapsed = time.perf_counter() - started
        store.close()

    print(
        f"latency_accuracy: sandbox profile {args.profile}, seed {args.seed}, {args.items} texts x "
        f"{len(providers)} providers' models, {elapsed:.0f} s"
    )
    header = f"{'poller':<18} {'jobs':>4} {'true e2e s':>11} {'polls/job':>9} {'p95':>4}   " + "   ".join(
        f"{name:>22}" for name in ("|naive-true| p50/p95/max", "|poll-only-true| ms", "|runner-true| ms")
    )
    print(header)
    for name, samples in results:
        if not samples:
            print(f"{name:<18} no finished jobs")
            continue

        def stat(values: list[float]) -> str:
            return "/".join(f"{quantile(values, q) or 0:,.0f}" for q in (0.50, 0.95, 1.0))

        polls = [float(s.polls) for s in samples]
        true_range = f"{min(s.true_ms for s in samples) / 1000:.1f}-{max(s.true_ms for s in samples) / 1000:.1f}"
        print(
            f"{name:<18} {len(samples):>4} {true_range:>11} {sum(polls) / len(polls):>9.1f} "
            f"{quantile(polls, 0.95) or 0:>4.0f}   "
            f"{stat([abs(s.naive_ms - s.true_ms) for s in samples]):>22}   "
            f"{stat([abs(s.poll_only_ms - s.true_ms) for s in samples]):>22}   "
            f"{stat([abs(s.runner_ms - s.true_ms) for s in samples]):>22}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
