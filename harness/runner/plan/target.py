"""A run's target: where its requests go (decided by `harness.core.target`), with the run's keys and hooks.

The executor asks a `Target` for a base URL per (provider, host) and for a key; it never reads the
environment itself. Keys stay inside the target and are handed to the transport only when a request is
built for the provider's own host (never to media URLs, which may be anywhere).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.core.credentials import origin_text
from harness.core.errors import UsageError
from harness.core.redact import Secret
from harness.core.spec import Provider
from harness.core.target import Layout, TargetKind, target_keys

HeaderHook = Callable[[str, str, str, int], Mapping[str, str]]
"""(model label, corpus item id, phase, attempt) -> extra request headers: how tests inject sandbox faults.
Phases: submit, poll, download."""


@dataclass(slots=True, kw_only=True)
class Target:
    kind: TargetKind
    bases: Mapping[tuple[str, str], str]  # (provider, host key) -> base URL
    keys: Mapping[str, str | None]  # provider -> key (None: send no key)
    url: str | None = None  # target=url: the given URL; sandbox: its origin (informational)
    sandbox_profile: str | None = None
    sandbox_seed: int | None = None
    reference_url: str | None = None  # a reference voice the target can fetch (URL-cloning models)
    headers: HeaderHook | None = None
    secrets: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    handle: Any = None  # the running sandbox, when the run started one (tests read its true times)
    recovery: Any = None  # SandboxRecovery: the job a submit in flight at a crash created, where known
    grpc: tuple[str, bool] | None = None  # a URL laid out like the sandbox: its gRPC address, and whether TLS

    def base_url(self, provider: Provider, host: str) -> str:
        try:
            return self.bases[(provider.name, host)]
        except KeyError:
            raise UsageError(f"target {self.kind} has no base URL for {provider.name} host {host!r}") from None

    def serves(self, provider: str) -> bool:
        return any(name == provider for name, _ in self.bases)

    def key(self, provider: Provider) -> str | None:
        return self.keys.get(provider.name)

    def extra_headers(self, label: str, item_id: str, phase: str, attempt: int) -> Mapping[str, str]:
        return self.headers(label, item_id, phase, attempt) if self.headers else {}


def bench_target(where: Layout, providers: Sequence[Provider], environ: Mapping[str, str] | None = None) -> Target:
    """The run's target on `where`. The providers' own servers need every served provider's key but a
    keyless one's (a run without one would fail job by job, after spending on the others). Its
    `reference_url` is the target's own copy of the default voice (a user's --reference-url is read with
    --reference, in `runner.references`)."""
    keys = target_keys(where, providers, environ)
    if where.at_providers:
        missing = [
            f"{p.name} ({p.key_env})" for p in providers if p.name in keys and keys[p.name] is None and not p.keyless
        ]
        if missing:
            raise UsageError(
                f"--target {where.choice} needs an API key for every provider benchmarked; unset: "
                + ", ".join(missing)
                + ". Choose providers with --providers, or run against the sandbox (the default)."
            )
    # Credentials in a target URL are sent (the bases carry them) but never stored or printed: `url` is
    # printable, and they are secrets of the run.
    secrets = (*(key for key in keys.values() if isinstance(key, Secret)), *where.choice.secrets)
    target = Target(
        kind=where.kind,
        bases=dict(where.bases),
        keys=keys,
        url=where.url,
        reference_url=where.reference_url,
        secrets=secrets,
        grpc=where.grpc,
    )
    target.notes += [f"provider {name} left out: {reason}" for name, reason in where.left_out.items()]
    return target


def key_destinations(target: Target, providers: Iterable[Provider]) -> list[str]:
    """For each provider benchmarked, the origins that will receive its key, and from which variable: what a
    user reads before a live run (or a run against a URL) sends anything. Nothing for the sandbox the run
    starts itself (its keys are its own test keys)."""
    if target.kind is TargetKind.SANDBOX:
        return []
    lines = []
    for provider in {p.name: p for p in providers}.values():
        origins = ", ".join(
            dict.fromkeys(
                origin_text(target.bases[(provider.name, host)])
                for host in provider.hosts
                if (provider.name, host) in target.bases
            )
        )
        key = target.keys.get(provider.name)
        if key is None:
            lines.append(f'{provider.name}: no key sent (auth = "none") to {origins}')
        elif isinstance(key, Secret) and provider.auth.signer is not None:
            lines.append(
                f"{provider.name}: requests to {origins} are signed with the key in ${provider.key_env} "
                f"({provider.auth.signer.name}); the key itself is not sent"
            )
        elif isinstance(key, Secret):
            lines.append(f"{provider.name}: the key in ${provider.key_env} goes to {origins}")
        else:
            lines.append(f"{provider.name}: the sandbox's test key goes to {origins} (${provider.key_env} is unset)")
    return lines
