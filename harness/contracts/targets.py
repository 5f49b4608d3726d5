"""A contract run's target: where its requests go (decided by `harness.core.target`: replay, the sandbox,
a URL, live), with the keys, the key with no balance, and which plans the target can honour (a provider's
own server cannot be asked for a 503).

The same plans run against every target; a target only decides base URLs, keys, and what is skipped.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from harness.core.spec import Provider, Upload
from harness.core.target import (
    FAULT_HEADER,
    Layout,
    RecordMode,
    TargetKind,
    default_reference_voice,
    sandbox_empty_key,
    target_keys,
)

__all__ = ["FAULT_HEADER", "ContractTarget", "RecordMode", "contract_target", "reference_upload"]

LIVE_REFERENCE_URL_ENV = "TTS_HARNESS_REFERENCE_URL"
REPLAY_REFERENCE_URL = "https://replay.invalid/reference.wav"


@dataclass(frozen=True, slots=True, kw_only=True)
class ContractTarget:
    kind: TargetKind
    base_urls: Mapping[tuple[str, str], str]  # (provider, host) -> base URL
    keys: Mapping[str, str] = field(default_factory=dict)  # provider -> key
    broke_keys: Mapping[str, str] = field(default_factory=dict)  # provider -> key with no balance
    reference_url: str = ""
    allows_faults: bool = False
    at_providers: bool = False  # the providers' own servers: keys needed, plans that need a fault skipped
    left_out: Mapping[str, str] = field(default_factory=dict)  # provider -> why this target does not serve it
    url: str | None = None  # the target's URL, printable (the sandbox's root, or the URL given)
    secrets: tuple[str, ...] = ()  # credentials the target URL carried: sent, never written
    grpc: tuple[str, bool] | None = None  # a URL laid out like the sandbox: its gRPC address, and whether TLS
    note: str = ""  # what a reader of the run should know of where its requests went (one line; "": nothing)

    def base_url(self, provider: str, host: str) -> str:
        try:
            return self.base_urls[(provider, host)]
        except KeyError:
            raise KeyError(f"target has no base URL for {provider}/{host}") from None

    def key_for(self, provider: str) -> str | None:
        return self.keys.get(provider)

    def unreachable(self, provider: Provider) -> str | None:
        """Why checks that talk to a server cannot reach `provider` on this target (None: they can)."""
        if self.kind is TargetKind.REPLAY:
            return "these checks need a server: --tts-target sandbox, --tts-target <base_url> or --tts-live"
        if provider.name in self.left_out:
            return self.left_out[provider.name]
        if self.key_for(provider.name) is None and not provider.keyless:
            return f"{provider.key_env} is not set: {provider.name} checks need its key"
        return None


def reference_upload() -> Upload:
    return Upload(filename="reference.wav", content=default_reference_voice().read_bytes(), content_type="audio/wav")


def contract_target(
    where: Layout, providers: Mapping[str, Provider], environ: Mapping[str, str] | None = None
) -> ContractTarget:
    """The contract target on `where`. Replay: recorded answers at the providers' hosts (the replay
    transport answers every request). A sandbox, started here or at a URL: its test keys (the environment's
    where a URL is given), its empty-wallet keys, its reference clip, faults on demand. The providers' own servers: keys
    from the environment only (a provider without one is skipped), the reference voice at
    `TTS_HARNESS_REFERENCE_URL`."""
    env = os.environ if environ is None else environ
    keys = {name: key for name, key in target_keys(where, providers.values(), env).items() if key is not None}
    if where.kind is TargetKind.REPLAY:
        return ContractTarget(
            kind=where.kind,
            base_urls=where.bases,
            keys=keys,
            broke_keys=keys,
            reference_url=REPLAY_REFERENCE_URL,
            allows_faults=True,
        )
    if where.at_providers:
        return ContractTarget(
            kind=where.kind,
            base_urls=where.bases,
            keys=keys,
            reference_url=env.get(LIVE_REFERENCE_URL_ENV, ""),
            at_providers=True,
            left_out=where.left_out,
            url=where.url,
            secrets=where.choice.secrets,
        )
    broke = {name: sandbox_empty_key(name) for name in keys}
    return ContractTarget(
        kind=where.kind,
        base_urls=where.bases,
        keys=keys,
        broke_keys=broke,
        reference_url=where.reference_url or "",
        allows_faults=True,
        url=where.url,
        secrets=where.choice.secrets,
        grpc=where.grpc,
    )
