"""What an operator (CLI flags, pytest fixture, benchmark) can set about a sandbox, in one value."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from harness.core.protocols.catalogues import AccountCatalogue
from harness.sandbox.clock import Clock
from harness.sandbox.profiles import Profile

MAX_CLOCK_SKEW_S = 86_400.0  # a day: past it no provider's clock is merely off, and datetimes overflow sooner

Transcriber = Callable[[bytes], str]
"""Audio file bytes -> transcript; the hook speech-to-text endpoints use (runs in a worker thread)."""


@dataclass(frozen=True, slots=True)
class KeySpec:
    """An extra API key: on `tier` (default: the emulation's default tier) with `balance` USD (None: tier's)."""

    provider: str
    key: str
    tier: str | None = None
    balance: Decimal | None = None
    unlimited: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SandboxConfig:
    profile: Profile = Profile.FAST
    seed: int = 0
    clock: Clock | None = None  # None: the real monotonic clock
    allow_hosts: tuple[str, ...] = ()  # hosts besides loopback the sandbox may fetch from / call back
    allow_http_webhooks: bool = False  # accept http:// webhook URLs (the documents require https)
    voices_dir: Path | None = None  # reference clips served at /_sandbox/voices (default: reference_voices_dir())
    max_jobs: int = 10_000  # the bounded job store
    keys: tuple[KeySpec, ...] = ()
    disabled_models: frozenset[str] = frozenset()  # model ids answered with "Model not found"
    providers: tuple[str, ...] | None = None  # serve only these (default: every registered emulation)
    transcriber: Transcriber | None = None
    synth_workers: int = 2
    hang_limit_s: float = 30.0  # real seconds after which any hang ends, released or not
    log_requests: bool = False
    clock_skew_s: float | None = None  # server clock − client clock; None: the profile's (realistic 0.3 s)
    precise_stamps: bool = False  # millisecond stamps where the documents print whole seconds
    # The team's own catalogue per provider: voices and models its account holds, ids to refuse as missing
    # (`harness.core.protocols.catalogues`; read from a file by `harness.core.account_catalogue`).
    catalogues: Mapping[str, AccountCatalogue] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)  # emulation-specific knobs, by name

    def __post_init__(self) -> None:
        """Refuse settings no server could honour, with the reason (a face prints it as one line)."""
        if self.max_jobs < 1:
            raise ValueError(f"max_jobs must be at least 1 (the store keeps every job in flight), got {self.max_jobs}")
        if self.synth_workers < 1:
            raise ValueError(f"synth_workers must be at least 1, got {self.synth_workers}")
        skew = self.clock_skew_s
        if skew is not None and not (math.isfinite(skew) and abs(skew) <= MAX_CLOCK_SKEW_S):
            raise ValueError(
                f"clock skew must be a number of seconds within ±{MAX_CLOCK_SKEW_S:g}, got {skew!r} "
                "(every timestamp the sandbox prints is the true time plus it)"
            )
        if not (math.isfinite(self.hang_limit_s) and self.hang_limit_s > 0):
            raise ValueError(f"hang_limit_s must be a positive number of seconds, got {self.hang_limit_s!r}")
