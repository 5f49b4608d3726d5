"""The running sandbox's shared state: one object the request pipeline, control API and Python API share.

It is created before the server starts (so a test holds it from the first moment) and used from two
threads: the server's event loop and the caller's. Every part it holds is thread-safe on its own.
"""

from __future__ import annotations

import asyncio
import random
import threading
import uuid
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from harness.core.health_probes import LoopLag
from harness.core.protocols.catalogues import AccountCatalogue
from harness.sandbox.accounts import Accounts, anonymous_wallet, default_key, empty_key, tier_key
from harness.sandbox.clock import Clock, RealClock
from harness.sandbox.config import SandboxConfig
from harness.sandbox.job_audio import Producer
from harness.sandbox.jobs import EmulatedJob, JobStore
from harness.sandbox.loading import Served, load_served
from harness.sandbox.netguard import NetPolicy
from harness.sandbox.profiles import ProfileSettings, Timing
from harness.sandbox.published_media import PublishedMedia
from harness.sandbox.ratelimit import RateLimiter
from harness.sandbox.stamps import SandboxStamps
from harness.sandbox.streams import StreamLog
from harness.sandbox.urls import Origins
from harness.sandbox.voices import ReferenceVoices
from harness.sandbox.webhook_sink import WebhookSink
from harness.sandbox.webhooks import DeliveryLog, Dispatcher


class JobJournal(Protocol):
    """Where a sandbox whose jobs and wallets must outlive its process writes them (`snapshot.Journal`)."""

    def accepted(self, job: EmulatedJob) -> None:
        """A job was accepted and charged; called before its submitter hears of it."""

    def produced(self, job: EmulatedJob) -> None:
        """A job's result (or failure) is known."""

    def called_back(self, job: EmulatedJob) -> None:
        """A job's callbacks are all delivered (or given up): a later sandbox does not deliver them again."""

    def wallets(self) -> None:
        """A wallet changed outside any job."""

    def close(self) -> None: ...


class Counters:
    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._counts[name] += amount

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._counts.items()))


UNLISTED_FIELD = "a field the documents do not list: accepted, as the documents do not say it is refused"


class Findings:
    """What the imitation accepted that the documents do not show as such (`GET /_sandbox/findings`): a request field
    the declaration does not list, on an endpoint whose documents do not say what the provider does with one; a value
    the documents say the provider answers in its own way (an unrecognised model spoken as the default). Each
    distinct (provider, endpoint, field, finding) once, with how many requests sent it."""

    def __init__(self) -> None:
        self._seen: Counter[tuple[str, str, str, str]] = Counter()
        self._lock = threading.Lock()

    def record(self, provider: str, endpoint: str, fields: tuple[str, ...], finding: str = UNLISTED_FIELD) -> bool:
        """Count each field; whether any of them is new (the log says a finding once)."""
        with self._lock:
            new = any((provider, endpoint, name, finding) not in self._seen for name in fields)
            self._seen.update((provider, endpoint, name, finding) for name in fields)
            return new

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return [
                {"provider": provider, "endpoint": endpoint, "field": name, "requests": count, "finding": finding}
                for (provider, endpoint, name, finding), count in sorted(self._seen.items())
            ]


@dataclass(kw_only=True)
class ProviderDrift:
    """A provider that changed, on demand (`POST /_sandbox/drift`): what a nightly history must catch. Every
    synchronous answer and every job's processing takes `added_latency_s` longer; every voice speaks
    `pitch_shift` semitones off (the same words and pace, another voice: a silent model swap); every voice
    makes the `misread` misreadings of hard text (`harness.sandbox.misreadings`: years digit by digit...); a provider
    named in `billing` says its answers billed that many times what its documents say it bills for the same text (a
    provider that starts billing more); a provider named in `language_fallback` speaks that language (English, "en")
    whatever language a request asks for (a voice falling back to English: `harness.sandbox.languages`); a provider
    named in `streams` breaks its streams' seams or rate that way (`harness.sandbox.stream_faults`: clicks or gaps at
    seams, a header mid-stream, 24 kHz samples labelled 16 kHz, or, `after_cancel`, its sockets' speech sent on after a
    cancel); a provider named in `marks` breaks its timing marks that way (`stream_faults.MARKS_KINDS`: shifted,
    scaled, an end repeated, restarting, merged words, none sent); a provider named in `markup` speaks its markup's tags
    aloud or drops its pauses (`harness.sandbox.markup.MARKUP_KINDS`)."""

    added_latency_s: float = 0.0
    pitch_shift: float = 0.0
    misread: tuple[str, ...] = ()
    billing: dict[str, float] = field(default_factory=dict)  # provider -> factor of its billing signals
    language_fallback: dict[str, str] = field(default_factory=dict)  # provider -> the language it answers in
    streams: dict[str, str] = field(default_factory=dict)  # provider -> a stream fault (`stream_faults.DRIFT_KINDS`)
    marks: dict[str, str] = field(default_factory=dict)  # provider -> a marks fault (`stream_faults.MARKS_KINDS`)
    markup: dict[str, str] = field(default_factory=dict)  # provider -> a markup fault (`markup.MARKUP_KINDS`)


class SandboxState:
    def __init__(self, config: SandboxConfig, served: list[Served] | None = None) -> None:
        self.config = config
        self.settings = ProfileSettings.of(config.profile)
        skew = self.settings.clock_skew_s if config.clock_skew_s is None else config.clock_skew_s
        self.stamps = SandboxStamps(skew_s=skew, precise=config.precise_stamps)
        self.clock: Clock = config.clock or RealClock()
        self.streams = StreamLog(self.clock, config.seed, self.settings.time_scale)
        self.served = {s.provider.name: s for s in (served if served is not None else load_served(config.providers))}
        self.policy = NetPolicy.of(config.allow_hosts, config.allow_http_webhooks)
        self.voices = ReferenceVoices(config.voices_dir)
        self.accounts = Accounts()
        self.limiter = RateLimiter()
        self.jobs = JobStore(config.max_jobs)
        self.producer = Producer(self.voices, self.policy, workers=config.synth_workers)
        self.deliveries = DeliveryLog()
        self.dispatcher = Dispatcher(
            self.clock,
            self.policy,
            self.deliveries,
            backoff_s=self.settings.webhook_backoff_s,
            sync_cycle_s=self.settings.sync_cycle_s,
        )
        self.counters = Counters()
        self.findings = Findings()
        # The team's own catalogues, by provider (`SandboxConfig.catalogues`, `POST /_sandbox/catalogue`).
        self.catalogues: dict[str, AccountCatalogue] = dict(config.catalogues)
        self.sink = WebhookSink()
        self.published = PublishedMedia()
        self._chaos = random.Random(f"{config.seed}/chaos")
        self._chaos_lock = threading.Lock()
        self._work = random.Random(f"{config.seed}/work")  # durations of synchronous answers
        self._work_lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.loop_lag = LoopLag()
        self._watching = False
        self._hang_release: asyncio.Event | None = None
        self._hanging = 0
        self._hanging_changed = threading.Condition()
        self.tasks: set[asyncio.Task[None]] = set()
        self._stopping = threading.Event()  # `stop`: the server is going away
        self.drift = ProviderDrift()  # none until a test asks (`control.drift`)
        # Set when the sandbox's jobs and wallets must outlive its process (`Sandbox.keep_state`).
        self.journal: JobJournal | None = None
        # Each provider host's own port, once the server has bound them (`server.bind_origins`).
        self.origins: Origins | None = None
        self._install_keys()

    # --- keys ---------------------------------------------------------------------------------------

    def _install_keys(self) -> None:
        for name, served in self.served.items():
            emulation = served.emulation
            default_tier = emulation.tier(emulation.default_tier)
            self.accounts.add(name, default_key(name), tier=default_tier.name, balance=emulation.default_balance)
            self.accounts.add(name, empty_key(name), tier=default_tier.name, balance=Decimal(0))
            for tier in emulation.tiers:
                starting = tier.balance if tier.balance is not None else emulation.default_balance
                self.accounts.add(name, tier_key(name, tier.name), tier=tier.name, balance=starting)
        for spec in self.config.keys:
            if spec.provider not in self.served:
                continue
            emulation = self.served[spec.provider].emulation
            chosen = emulation.tier(spec.tier or emulation.default_tier)
            balance: Decimal | None = spec.balance
            if spec.unlimited:
                balance = None
            elif balance is None:
                balance = chosen.balance if chosen.balance is not None else emulation.default_balance
            self.accounts.add(spec.provider, spec.key, tier=chosen.name, balance=balance)

    def payer(self, provider: str, key: str | None, client: str) -> str | None:
        """The wallet a call spends from: its key, or its address's anonymous wallet (opened on first use)
        where the provider serves key-less calls; None when there is nothing to charge."""
        if key is not None:
            return key
        emulation = self.served[provider].emulation
        if emulation.anonymous_tier is None:
            return None
        tier = emulation.tier(emulation.anonymous_tier)
        wallet = anonymous_wallet(client)
        balance = tier.balance if tier.balance is not None else emulation.default_balance
        self.accounts.ensure(provider, wallet, tier=tier.name, balance=balance)
        return wallet

    # --- randomness ---------------------------------------------------------------------------------

    def chaos_rng(self) -> random.Random:
        """The shared generator chaos draws come from; callers hold `chaos_lock` while drawing."""
        return self._chaos

    @property
    def chaos_lock(self) -> threading.Lock:
        return self._chaos_lock

    def draw_work(self, timing: Timing, characters: int) -> float:
        """Seconds a synchronous answer takes: the model's queue wait plus processing, profile-scaled."""
        with self._work_lock:
            queue, processing = timing.draw(characters, self._work, self.settings.time_scale)
        return queue + processing + self.drift.added_latency_s

    def job_rng(self, sequence: int) -> random.Random:
        """A generator of its own per job: a job's draws do not depend on what other requests did."""
        return random.Random(f"{self.config.seed}/job/{sequence}")

    def uuid7(self, rng: random.Random, reading: float) -> str:
        """A UUIDv7 whose time is the sandbox clock's wall time and whose random bits come from `rng`."""
        millis = int(self.clock.wall(reading).timestamp() * 1000) & ((1 << 48) - 1)
        rand_a = rng.getrandbits(12)
        rand_b = rng.getrandbits(62)
        value = (millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
        return str(uuid.UUID(int=value))

    # --- the server's loop --------------------------------------------------------------------------

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._hang_release = asyncio.Event()

    def watch_health(self) -> None:
        """Start timing this loop's lag (from any thread, once): an embedded sandbox's share of its run's health,
        read with `Sandbox.health`. Not started unless asked: a sandbox serving for days keeps no ticks."""
        loop = self.loop
        if loop is None or self._watching:
            return
        self._watching = True

        def begin() -> None:
            self.spawn(self.loop_lag.run())

        loop.call_soon_threadsafe(begin)

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """Run a background coroutine on the server loop, keeping a reference until it ends."""
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def hang_release(self) -> asyncio.Event:
        if self._hang_release is None:
            raise RuntimeError("the sandbox server is not running")
        return self._hang_release

    def hang_begins(self) -> None:
        with self._hanging_changed:
            self._hanging += 1
            self._hanging_changed.notify_all()

    def hang_ends(self) -> None:
        with self._hanging_changed:
            self._hanging -= 1
            self._hanging_changed.notify_all()

    def wait_hanging(self, count: int, timeout: float = 10.0) -> None:
        """Block until at least `count` requests hang (so a test releases them only once they do)."""
        with self._hanging_changed:
            if not self._hanging_changed.wait_for(lambda: self._hanging >= count, timeout):
                raise TimeoutError(f"{self._hanging} requests hang; waited for {count}")

    def stop(self) -> None:
        """The server begins to stop (callable from any thread; `server.running` calls it as its block ends):
        hangs end, and from now on a request that fails fails because what it needs is going away — the
        synthesis pool shut down, the loop closing — not through a bug (`pipeline` answers it quietly)."""
        self._stopping.set()
        self.release_hangs()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def release_hangs(self) -> None:
        """End every hang in progress (callable from any thread)."""
        loop, event = self.loop, self._hang_release
        if loop is None or event is None or loop.is_closed():
            return

        def release() -> None:
            event.set()
            self._hang_release = asyncio.Event()  # later hangs hang again

        loop.call_soon_threadsafe(release)
