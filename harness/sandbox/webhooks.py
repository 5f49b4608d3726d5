"""Webhook delivery as the jobs providers' documents describe it, with a log tests and the runner can read.

`terminal` mode: exactly one POST when the job reaches its terminal state (two with the
duplicate-webhook fault, as "network retries can deliver the same callback more than once").
`sync` mode: a POST on every queue poll cycle while the job runs, plus the terminal one.
A failed terminal delivery (no answer, or not 2xx) is retried with doubling backoff on the sandbox clock,
up to `MAX_ATTEMPTS`; progress (sync) posts are best effort. Targets pass the network guard like any URL.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from harness.core.timestamps import format_iso
from harness.sandbox.clock import Clock
from harness.sandbox.emulation import WebhookMode, WebhookTarget
from harness.sandbox.faults import Fault
from harness.sandbox.jobs import EmulatedJob
from harness.sandbox.netguard import NetPolicy, UrlRefused

MAX_ATTEMPTS = 5
MAX_SYNC_POSTS = 200
POST_TIMEOUT_S = 5.0
LOG_SIZE = 10_000

PayloadAt = Callable[[float], Mapping[str, Any]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Delivery:
    """One POST attempt."""

    job_id: str
    url: str
    event: str  # "sync", "terminal" or "duplicate"
    attempt: int
    state: str  # the status the payload carried
    status_code: int | None  # the receiver's answer; None when there was none
    error: str | None
    at: float  # sandbox clock reading of the attempt
    wall: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


class DeliveryLog:
    """Every attempt, bounded; threads may wait for entries to arrive."""

    def __init__(self, size: int = LOG_SIZE) -> None:
        self._entries: deque[Delivery] = deque(maxlen=size)
        self._changed = threading.Condition()

    def add(self, delivery: Delivery) -> None:
        with self._changed:
            self._entries.append(delivery)
            self._changed.notify_all()

    def entries(self, job_id: str | None = None) -> list[Delivery]:
        with self._changed:
            return [d for d in self._entries if job_id is None or d.job_id == job_id]

    def wait_for(self, count: int, job_id: str | None = None, timeout: float = 10.0) -> list[Delivery]:
        """Block until at least `count` attempts are logged (for `job_id` if given); TimeoutError otherwise."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.entries(job_id)) >= count, timeout):
                raise TimeoutError(f"{len(self.entries(job_id))} webhook attempts logged, waited for {count}")
            return self.entries(job_id)


class Dispatcher:
    def __init__(
        self, clock: Clock, policy: NetPolicy, log: DeliveryLog, *, backoff_s: float, sync_cycle_s: float
    ) -> None:
        self.clock = clock
        self.policy = policy
        self.log = log
        self.backoff_s = backoff_s
        self.sync_cycle_s = min(sync_cycle_s, 15.0)  # "caps the queue's polling delay at 15s"
        self.client: httpx.AsyncClient | None = None  # set by the server at start-up

    def check(self, target: WebhookTarget, https_only: bool) -> None:
        """Refuse a target at submit: the guard, and https unless the operator allows http (tests)."""
        parsed = self.policy.check(target.url, target.field)
        if https_only and parsed.scheme != "https" and not self.policy.allow_http_webhooks:
            raise UrlRefused(f"{target.field} must be an https:// URL; plain http:// URLs are rejected")

    async def run(self, job: EmulatedJob, target: WebhookTarget, done: asyncio.Event, payload_at: PayloadAt) -> None:
        """Deliver one job's callbacks; returns when the last one is delivered or given up."""
        try:
            if target.mode is WebhookMode.SYNC:
                await self._sync_posts(job, target, done, payload_at)
            await done.wait()
            end = job.ends_at()
            if end == float("inf"):
                return  # a job that never finishes never calls back
            await self.clock.sleep_until(end)
            await self._deliver(job, target, "terminal", payload_at)
            if Fault.DUPLICATE_WEBHOOK in job.faults:
                await self._deliver(job, target, "duplicate", payload_at)
        finally:
            job.webhooks_done.set()

    async def _sync_posts(
        self,
        job: EmulatedJob,
        target: WebhookTarget,
        done: asyncio.Event,
        payload_at: PayloadAt,
    ) -> None:
        due = job.timeline.created
        for _ in range(MAX_SYNC_POSTS):
            if due >= job.ends_at():
                return
            await self.clock.sleep_until(due)
            now = self.clock.now()
            if now >= job.ends_at():
                return
            await self._post(job, target, "sync", 1, payload_at(now))
            due = now + self.sync_cycle_s

    async def _deliver(self, job: EmulatedJob, target: WebhookTarget, event: str, payload_at: PayloadAt) -> None:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if await self._post(job, target, event, attempt, payload_at(self.clock.now())):
                return
            if attempt < MAX_ATTEMPTS:
                await self.clock.sleep_until(self.clock.now() + self.backoff_s * 2 ** (attempt - 1))

    async def _post(
        self, job: EmulatedJob, target: WebhookTarget, event: str, attempt: int, payload: Mapping[str, Any]
    ) -> bool:
        now = self.clock.now()
        status_code: int | None = None
        error: str | None = None
        try:
            url = self.policy.check(target.url, target.field)
            if self.client is None:
                raise RuntimeError("the sandbox's HTTP client is not started")
            response = await self.client.post(url, json=dict(payload), timeout=POST_TIMEOUT_S, follow_redirects=False)
            status_code = response.status_code
        except (httpx.HTTPError, UrlRefused, RuntimeError) as failure:
            error = f"{type(failure).__name__}: {failure}"
        delivery = Delivery(
            job_id=job.id,
            url=target.url,
            event=event,
            attempt=attempt,
            state=job.states.word(job.phase(now)),
            status_code=status_code,
            error=error,
            at=now,
            wall=format_iso(self.clock.wall(now)),
        )
        self.log.add(delivery)
        return delivery.ok
