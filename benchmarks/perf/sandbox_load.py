"""Load on the sandbox: N concurrent Pixazo jobs over loopback, submit -> poll -> download, with real audio.

Prints throughput and the error count (the goal is 0 errors, every job's audio downloaded; a run that misses it
says so and exits 1). A few texts and the four Pixazo models are
rotated so synthesis is cached after a warm-up round; what is measured is the server: routing, auth,
validation, job store, timelines, media serving.

By default the sandbox runs as its own process (`tts-harness serve` on a free port), so client and server
do not share one interpreter lock. The client spreads its requests over several `httpx.AsyncClient`s:
one shared pool serialises badly under many waiting requests (measured here: ~600 requests/s at
concurrency 1, ~100 at 50, against a server that answers ~1,300/s to a raw asyncio client).

    python benchmarks/perf/sandbox_load.py                       # 1,000 jobs
    python benchmarks/perf/sandbox_load.py --jobs 200 --clients 10
    python benchmarks/perf/sandbox_load.py --url http://127.0.0.1:8765   # a running `tts-harness serve`
    python benchmarks/perf/sandbox_load.py --in-process                  # sandbox in a thread of this process
    python benchmarks/perf/sandbox_load.py --smoke                       # a few jobs, one text: seconds
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import goals  # beside this script
import httpx
import smoke_mode  # beside this script
from served import served_sandbox

import harness
from harness.core.target import mount_path, sandbox_voice_url
from harness.sandbox import default_key

TEXTS = (
    "The quick brown fox jumps over the lazy dog.",
    "Please call Stella and ask her to bring these things.",
    "A load test speaks the same few sentences many times.",
    "Caching keeps the synthesis out of the measurement.",
)
TERMINAL = {"COMPLETED", "FAILED", "ERROR"}


def requests_for(voice_url: str, texts: int = len(TEXTS)) -> list[tuple[str, dict[str, Any]]]:
    """(path, body) of every model x text combination (the first `texts` texts)."""
    jobs: list[tuple[str, dict[str, Any]]] = []
    for text in TEXTS[:texts]:
        jobs.append(("/voice-clone/v1/xtts-v2/generate", {"speaker": voice_url, "text": text}))
        jobs.append(("/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request", {"text": text}))
        jobs.append(
            (
                "/vibevoice/v1/vibevoice/generateRequest",
                {"script": f"Speaker 0: {text}", "speakers": [{"preset": "Carter [EN]"}]},
            )
        )
        jobs.append(
            (
                "/vibevoice-realtime-0-5b-135/v1/vibevoice-realtime-0-5b-request",
                {"script": f"Speaker 0: {text}", "speakers": [{"preset": "Frank [EN]"}]},
            )
        )
    return jobs


@dataclass
class Tally:
    errors: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    latencies: list[float] = field(default_factory=list)
    audio_bytes: int = 0


async def one_job(
    client: httpx.AsyncClient,
    base: str,
    headers: dict[str, str],
    path: str,
    body: dict[str, Any],
    tally: Tally,
    poll_s: float,
    timeout_s: float,
) -> None:
    started = time.perf_counter()
    try:
        submitted = await client.post(base + path, json=body, headers=headers)
        tally.requests += 1
        if submitted.status_code != 202:
            tally.errors[f"submit {submitted.status_code}"] += 1
            return
        polling_url = submitted.json()["polling_url"]
        while True:
            await asyncio.sleep(poll_s)
            polled = await client.get(polling_url, headers=headers)
            tally.requests += 1
            if polled.status_code != 200:
                tally.errors[f"status {polled.status_code}"] += 1
                return
            status = polled.json()
            if status["status"] in TERMINAL:
                break
            if time.perf_counter() - started > timeout_s:
                tally.errors["job timeout"] += 1
                return
        if status["status"] != "COMPLETED":
            tally.errors[f"job {status['status']}"] += 1
            return
        media = await client.get(status["output"]["media_url"][0])
        tally.requests += 1
        if media.status_code != 200 or not media.content.startswith(b"RIFF"):
            tally.errors[f"media {media.status_code}"] += 1
            return
        tally.audio_bytes += len(media.content)
        tally.latencies.append(time.perf_counter() - started)
    except httpx.HTTPError as error:
        tally.errors[type(error).__name__] += 1


async def drive(
    origin: str,
    key: str,
    jobs: int,
    clients: int,
    connections: int,
    poll_s: float,
    timeout_s: float,
    texts: int = len(TEXTS),
) -> list[str]:
    """Drive the jobs; the goals missed (errors, or jobs without their audio), in words."""
    base = origin + mount_path("pixazo", "gateway")
    headers = {"Ocp-Apim-Subscription-Key": key}
    catalogue = requests_for(sandbox_voice_url(origin), texts)
    per_client = max(1, connections // clients)
    limits = httpx.Limits(max_connections=per_client, max_keepalive_connections=per_client)
    timeout = httpx.Timeout(timeout_s, pool=None)
    pool = [httpx.AsyncClient(limits=limits, timeout=timeout, trust_env=False) for _ in range(clients)]
    try:
        warm = Tally()
        await asyncio.gather(
            *(
                one_job(pool[i % clients], base, headers, path, body, warm, poll_s, timeout_s)
                for i, (path, body) in enumerate(catalogue)
            )
        )
        print(f"warm-up: {len(catalogue)} jobs (every model x text), errors: {sum(warm.errors.values())}")
        tally = Tally()
        started = time.perf_counter()
        await asyncio.gather(
            *(
                one_job(pool[i % clients], base, headers, *catalogue[i % len(catalogue)], tally, poll_s, timeout_s)
                for i in range(jobs)
            )
        )
        elapsed = time.perf_counter() - started
    finally:
        await asyncio.gather(*(client.aclose() for client in pool))
    errors = sum(tally.errors.values())
    latencies = sorted(tally.latencies)
    print(f"jobs: {jobs} concurrent ({clients} clients x {per_client} connections, poll every {poll_s * 1000:.0f} ms)")
    print(f"wall time: {elapsed:.2f} s")
    print(
        f"throughput: {jobs / elapsed:.1f} jobs/s, {tally.requests / elapsed:.1f} requests/s "
        f"({tally.requests} requests)"
    )
    if latencies:
        p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        print(
            f"job latency (submit -> audio downloaded): median {statistics.median(latencies):.3f} s, "
            f"p95 {p95:.3f} s, max {latencies[-1]:.3f} s"
        )
    print(f"audio downloaded: {tally.audio_bytes / 1e6:.1f} MB")
    print(f"errors: {errors}" + (f" {dict(tally.errors)}" if errors else ""))
    missed = [f"{errors} errors: {dict(tally.errors)}"] if errors else []
    if len(latencies) != jobs:
        missed.append(f"{len(latencies)} of {jobs} jobs got their audio")
    return missed


@contextmanager
def target(url: str | None, in_process: bool) -> Iterator[tuple[str, str]]:
    if url:
        yield url.rstrip("/"), default_key("pixazo")
        return
    if in_process:
        with harness.running_sandbox(profile="fast", seed=0, max_jobs=20_000, providers=("pixazo",)) as sandbox:
            yield sandbox.url, sandbox.default_key("pixazo")
            counters = sandbox.counters()
            print(
                f"sandbox: {counters.get('jobs.created', 0)} jobs, {counters.get('synthesis.renders', 0)} renders "
                "(the rest from cache)"
            )
        return
    with served_sandbox("--max-jobs", "20000") as served:
        yield served, default_key("pixazo")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=1000, help="concurrent jobs (default 1000)")
    parser.add_argument("--clients", type=int, default=20, help="httpx clients the jobs are spread over")
    parser.add_argument("--connections", type=int, default=100, help="connections in all")
    parser.add_argument("--poll", type=float, default=0.1, help="poll interval in seconds")
    parser.add_argument("--timeout", type=float, default=300.0, help="give a job up after this many seconds")
    parser.add_argument("--url", help="origin of a running sandbox (default: start one)")
    parser.add_argument("--in-process", action="store_true", help="run the sandbox in a thread of this process")
    parser.add_argument("--texts", type=int, default=len(TEXTS), help="texts rotated over the jobs")
    args = smoke_mode.parse(
        parser, argv, jobs=4, clients=1, connections=4, poll=0.02, timeout=60.0, texts=1, in_process=True
    )
    with target(args.url, args.in_process) as (origin, key):
        missed = asyncio.run(
            drive(origin, key, args.jobs, args.clients, args.connections, args.poll, args.timeout, args.texts)
        )
    return goals.verdict(missed)


if __name__ == "__main__":
    raise SystemExit(main())
