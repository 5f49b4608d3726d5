"""What a process that started a sandbox for its own use may ask of it: the narrow handle.

A benchmark run starts the sandbox inside itself; it needs the addresses and test keys to send to, a
reference clip to clone, a state file so a later sandbox continues this one's jobs and wallets, and the
jobs the sandbox accepted (what `GET /_sandbox/jobs` answers over HTTP), and how its own loop and render queue
fared (a run's client health: the sandbox shares the run's cores). Nothing else: not the
sandbox's state, jobs or accounts as objects. `running(...)` yields a `Sandbox`, which is one (tests use
its wider surface: the clock, hangs, webhooks).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from harness.core.health_probes import Tick
from harness.sandbox.job_audio import RenderReading


@dataclass(frozen=True, slots=True)
class SandboxHealth:
    """How the sandbox's own loop and render queue fared since the last reading: its loop's timer ticks
    (`harness.core.health_probes.LoopLag`) and its renders (`RenderReading`)."""

    ticks: list[Tick]
    renders: RenderReading


class SandboxHandle(Protocol):
    @property
    def url(self) -> str:
        """The sandbox's origin, `http://127.0.0.1:PORT`."""

    @property
    def providers(self) -> list[str]:
        """The providers it serves (those with an emulation)."""

    @property
    def grpc_target(self) -> str | None:
        """Where its gRPC methods are served, `127.0.0.1:PORT` (None: no served provider declares one)."""

    @property
    def ca_file(self) -> Path | None:
        """The CA a client trusts when it serves TLS (None: plain)."""

    def base_url(self, provider: str, host: str | None = None) -> str:
        """The base URL standing for a provider's documented host, beneath its mount (`/<provider>/<host>`)."""

    def origin(self, provider: str, host: str | None = None) -> str:
        """The same host at an origin of its own (a port per host): the live base URL's path at its root."""

    def default_key(self, provider: str) -> str:
        """The provider's test key with a large balance."""

    def voice_url(self, name: str) -> str:
        """A loopback URL of one of the reference clips it serves."""

    def keep_state(self, path: Path) -> int:
        """Continue the jobs and wallets an earlier sandbox left in `path` and keep this one's there; how
        many jobs it continues. Called once, before anything is sent."""

    def jobs(self) -> list[dict[str, Any]]:
        """Every stored job's true record, oldest first (`GET /_sandbox/jobs`)."""

    def health(self) -> SandboxHealth:
        """Its loop's lag and its render queue since the last call (the first call starts timing the loop)."""

    def renders_waiting(self) -> int:
        """Renders asked for and not done yet, now (a run holds new jobs back while they pile up)."""
