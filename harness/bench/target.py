"""Where a run's requests go, and with which key: the sandbox, the providers' live hosts, or one URL.

The executor asks a `Target` for a base URL per (provider, host) and for a key; it never reads the
environment itself. Keys stay inside the target and are handed to the transport only when a request is
built for the provider's own host (never to media URLs, which may be anywhere).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.bench.config import TargetKind
from harness.core.credentials import origin_text, usable_key
from harness.core.errors import UsageError
from harness.core.redact import Secret, userinfo_secrets, without_userinfo
from harness.core.spec import Provider

HeaderHook = Callable[[str, str, str, int], Mapping[str, str]]
"""(model label, corpus item id, phase, attempt) -> extra request headers: how tests inject sandbox faults.
Phases: submit, poll, download."""


@dataclass(slots=True)
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


def checked_key(provider: Provider, key: str) -> Secret:
    """A key as it will travel in a header (`credentials.usable_key`), or a one-line usage error naming the
    variable (never the value)."""
    return usable_key(provider.key_env, key)


def live_target(providers: Sequence[Provider], reference_url: str | None,
                environ: Mapping[str, str] | None = None) -> Target:
    """The documented hosts; every provider needs its key (`Provider.key_env`), but a keyless one."""
    env = os.environ if environ is None else environ
    missing = [f"{p.name} ({p.key_env})" for p in providers if not p.keyless and not env.get(p.key_env)]
    if missing:
        raise UsageError(
            "--target live needs an API key for every provider benchmarked; unset: " + ", ".join(missing)
            + ". Choose providers with --providers, or run against the sandbox (the default)."
        )
    # Secret: sent as itself, printed as [Filtered] (pytest -l, reprs of the target or the config).
    keys: dict[str, str | None] = {p.name: None if p.keyless else checked_key(p, env[p.key_env]) for p in providers}
    bases = {(p.name, host): url for p in providers for host, url in p.hosts.items()}
    secrets = tuple(k for k in keys.values() if k)
    return Target(TargetKind.LIVE, bases, keys, reference_url=reference_url, secrets=secrets)


def url_target(url: str, providers: Sequence[Provider], reference_url: str | None,
               environ: Mapping[str, str] | None = None) -> Target:
    """One server laid out like the sandbox (`<url>/<provider>/<host>/<documented path>`), e.g. a sandbox
    started with `tts-harness sandbox serve`; keys from the environment, else the sandbox's test keys.

    Credentials in the URL (`http://user:password@host`) are used for its requests, never stored or printed:
    `Target.url` is the URL without them, and they are secrets of the run (redacted wherever echoed)."""
    env = os.environ if environ is None else environ
    origin = url.rstrip("/")
    bases = {(p.name, host): f"{origin}/{p.name}/{host}" for p in providers for host in (*p.hosts, "cdn")}
    keys: dict[str, str | None] = {p.name: _url_key(p, env) for p in providers}
    secrets = (*(key for key in keys.values() if isinstance(key, Secret)), *userinfo_secrets(origin))
    reference = reference_url or f"{origin}/_sandbox/voices/joe_reference.wav"
    return Target(TargetKind.URL, bases, keys, url=without_userinfo(origin), reference_url=reference,
                  secrets=secrets)


def _url_key(provider: Provider, env: Mapping[str, str]) -> str | None:
    if provider.keyless:
        return None
    if env.get(provider.key_env):
        return checked_key(provider, env[provider.key_env])
    return f"sandbox-{provider.name}-key"


def key_destinations(target: Target, providers: Iterable[Provider]) -> list[str]:
    """For each provider benchmarked, the origins that will receive its key, and from which variable: what a
    user reads before a live run (or a run against a URL) sends anything. Nothing for the sandbox the run
    starts itself (its keys are its own test keys)."""
    if target.kind is TargetKind.SANDBOX:
        return []
    lines = []
    for provider in {p.name: p for p in providers}.values():
        origins = ", ".join(dict.fromkeys(origin_text(target.bases[(provider.name, host)])
                                          for host in provider.hosts if (provider.name, host) in target.bases))
        key = target.keys.get(provider.name)
        if key is None:
            lines.append(f"{provider.name}: no key sent (auth = \"none\") to {origins}")
        elif isinstance(key, Secret):
            lines.append(f"{provider.name}: the key in ${provider.key_env} goes to {origins}")
        else:
            lines.append(f"{provider.name}: the sandbox's test key goes to {origins} (${provider.key_env} is unset)")
    return lines
