"""Where a contract run sends its requests: recorded fixtures (replay), the sandbox, a URL, or live.

The same plans run against every target; a target only decides base URLs, keys, and which plans it
can honour (a live provider cannot be asked for a 503).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from harness.core.redact import Secret
from harness.core.spec import Provider, Upload

FAULT_HEADER = "X-Sandbox-Fault"
REFERENCE_VOICE = Path(__file__).resolve().parents[2] / "fixtures" / "voices" / "joe_reference.wav"
LIVE_REFERENCE_URL_ENV = "TTS_HARNESS_REFERENCE_URL"


class Mode(StrEnum):
    REPLAY = "replay"
    SANDBOX = "sandbox"
    LIVE = "live"


class RecordMode(StrEnum):
    """pytest-recording's (VCR's) meanings."""

    NONE = "none"  # replay only; a missing fixture is an error
    ONCE = "once"  # record a scenario whose fixture does not exist, replay the others
    NEW_EPISODES = "new_episodes"  # replay what exists, record what does not
    ALL = "all"  # record everything, overwriting
    REWRITE = "rewrite"  # delete the provider's fixtures first, then record everything


@dataclass(frozen=True, slots=True)
class Target:
    mode: Mode
    base_urls: Mapping[tuple[str, str], str]  # (provider, host) -> base URL
    keys: Mapping[str, str] = field(default_factory=dict)  # provider -> key
    broke_keys: Mapping[str, str] = field(default_factory=dict)  # provider -> key with no balance
    reference_url: str = ""
    allows_faults: bool = False

    def base_url(self, provider: str, host: str) -> str:
        try:
            return self.base_urls[(provider, host)]
        except KeyError:
            raise KeyError(f"target has no base URL for {provider}/{host}") from None

    def key_for(self, provider: str) -> str | None:
        return self.keys.get(provider)


def reference_upload() -> Upload:
    return Upload(filename="reference.wav", content=REFERENCE_VOICE.read_bytes(), content_type="audio/wav")


def replay_target(providers: Mapping[str, Provider]) -> Target:
    """Recorded answers are served at the providers' real hosts; respx intercepts every request."""
    bases = {(p.name, host): url for p in providers.values() for host, url in p.hosts.items()}
    keys = {name: "replay-key" for name in providers}
    return Target(Mode.REPLAY, bases, keys, keys, reference_url="https://replay.invalid/reference.wav",
                  allows_faults=True)


def live_target(providers: Mapping[str, Provider], environ: Mapping[str, str] | None = None) -> Target:
    env = os.environ if environ is None else environ
    bases = {(p.name, host): url for p in providers.values() for host, url in p.hosts.items()}
    # Secret: the key is sent as itself but printed as [Filtered] (pytest -l, JUnit XML, reprs).
    keys = {p.name: Secret(env[p.key_env]) for p in providers.values() if env.get(p.key_env)}
    return Target(Mode.LIVE, bases, keys, reference_url=env.get(LIVE_REFERENCE_URL_ENV, ""))


def sandbox_target(
    root_url: str,
    providers: Mapping[str, Provider],
    keys: Mapping[str, str],
    broke_keys: Mapping[str, str],
    reference_url: str,
) -> Target:
    """A running sandbox at `root_url`: each provider host is mounted at `/<provider>/<host>`."""
    root = root_url.rstrip("/")
    bases = {(p.name, host): f"{root}/{p.name}/{host}" for p in providers.values() for host in p.hosts}
    return Target(Mode.SANDBOX, bases, keys, broke_keys, reference_url=reference_url, allows_faults=True)
