"""Where requests go: the one reading of a target (`--target`, `--tts-target`), and the sandbox's address
rules every face and engine builds URLs and keys with.

Targets (one `TargetKind` each):

    replay     recorded fixtures served at the providers' documented hosts (the contract suite only)
    sandbox    the local emulator, started by the harness
    live       the providers' documented (or declared) hosts, with their keys from the environment
    URL        one http(s) URL, which means exactly one of:
               - the base URL of a registered provider (a declared provider's `base_url`, or one of a
                 built-in provider's hosts): that provider, at its own addresses, with its own key; the
                 other providers are not there and are left out, each with the reason;
               - any other URL: a server laid out like the sandbox (`tts-harness serve`, or a proxy in
                 front of one): `<url>/<provider>/<host>/<documented path>`, keys from the environment
                 where set, else the sandbox's test keys.
               A URL that is the base URL of two providers is a usage error: which one is meant is
               ambiguous, and guessing would only fail later as a 404 or 405.

The meaning is decided by that rule, never by probing the server, so a dry run, a replay and a real run
read one URL the same way. Credentials in a URL (`http://user:pass@proxy`) are used for its requests and
never stored or printed: a `TargetChoice` prints without them, holds them apart, and names them as
secrets of the run (redacted wherever a server echoes them).

The sandbox's address rules (one server mounts provider P's host H at `/P/H`; its gRPC methods listen on the port
after its own, `grpc_address`; test keys `sandbox-P-key`, `sandbox-P-TIER`, `sandbox-P-empty`; reference clips at
`/_sandbox/voices/<file>`) live here so that the clients (runner, contract suite, plugin, CLI) and the sandbox itself
share them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlsplit

from harness.core.errors import UsageError
from harness.core.packaged import VOICES, data_path
from harness.core.redact import Secret, userinfo_secrets

if TYPE_CHECKING:  # annotations only: the pytest plugin imports this module in every pytest process
    from harness.core.spec import Provider

# --- the sandbox's address and key rules -------------------------------------------------------------

#: The sandbox-only host that serves generated media (a provider's CDN or signed-URL host).
MEDIA_HOST = "cdn"
#: The sandbox's own control API (clock, jobs' true times, reference clips, webhook sink).
CONTROL_PREFIX = "/_sandbox"
#: The request header that asks the sandbox for a fault (`X-Sandbox-Fault: http-503`).
FAULT_HEADER = "X-Sandbox-Fault"
#: A request header the sandbox keeps on every stream the request makes (`/_sandbox/streams`: `tag`): how a client
#: finds the truth of the stream it caused among many of the same text (`X-Sandbox-Tag: eleven/flash en-001`).
TAG_HEADER = "X-Sandbox-Tag"
#: The key a replayed request carries: fixtures are recorded with keys filtered, so any key matches.
REPLAY_KEY = "replay-key"


def mount_path(provider: str, host: str) -> str:
    """Where the sandbox serves `provider`'s host `host`: beneath it the documented paths work unchanged."""
    return f"/{provider}/{host}"


def grpc_port_after(port: int) -> int:
    """The port a server laid out like the sandbox serves its gRPC methods on: the one after its HTTP port (gRPC
    needs HTTP/2 on a port of its own; `tts-harness serve` binds it there, and prints it)."""
    return port + 1


def grpc_address(root: str) -> tuple[str, bool] | None:
    """Where a server laid out like the sandbox at `root` serves its gRPC methods — `host:port`, the port after the
    root's (`grpc_port_after`) — and whether they speak TLS (an https root); None where `root` names no host."""
    parts = urlsplit(root)
    if not parts.hostname or parts.scheme not in ("http", "https"):
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port out of range: no address follows from it
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{host}:{grpc_port_after(port)}", parts.scheme == "https"


def sandbox_key(provider: str) -> str:
    """The sandbox's test key that works out of the box for `provider` (a large balance)."""
    return f"sandbox-{provider}-key"


def sandbox_empty_key(provider: str) -> str:
    """The sandbox's test key of the default tier with a zero balance (every priced submit answers 402)."""
    return f"sandbox-{provider}-empty"


def sandbox_tier_key(provider: str, tier: str) -> str:
    return f"sandbox-{provider}-{tier}"


def sandbox_voice_url(root: str, name: str | None = None) -> str:
    """The sandbox's loopback URL of a reference clip (default: the default reference voice)."""
    return f"{root.rstrip('/')}{CONTROL_PREFIX}/voices/{name or default_reference_voice().name}"


def answers_as_sandbox(root: str) -> bool:
    """Whether the server at `root` (credentials in it are sent) answers as the sandbox does: it serves the default
    reference voice where the sandbox does (`sandbox_voice_url`, a control route open without a token even beyond
    loopback). One HEAD request, no key: a URL laid out like the sandbox is asked before a run reads it so."""
    import httpx

    from harness.core.tls import shared_tls_context

    try:
        with httpx.Client(trust_env=False, timeout=10.0, verify=shared_tls_context(trust_env=False)) as client:
            return client.head(sandbox_voice_url(root)).is_success
    except httpx.HTTPError:
        return False


def not_like_the_sandbox(url: str) -> str:
    """What a run at `url`, no provider's base URL and not answering as the sandbox does, is told (one line): each
    provider's requests went where the sandbox puts them, which a server of one provider's API does not serve."""
    return (
        f"{url} is no provider's base URL and does not answer as the sandbox does (no reference voice at "
        f"{CONTROL_PREFIX}/voices): each provider's requests go to {url}/<provider>/<host>, as the sandbox lays them "
        f"out. A server of one provider's API: `tts-harness conform {url}`, or declare it in a providers file "
        "(like = NAME, base_url = URL)"
    )


# --- the reference voice ------------------------------------------------------------------------------

_VOICES_DIR = data_path(VOICES)
_DEFAULT_REFERENCE = "joe_reference.wav"


def reference_voices_dir() -> Path:
    """The project's generated reference clips (package data, so an installed harness has them too; the
    repository's `fixtures/voices` points here). The sandbox serves and recognises this folder."""
    return _VOICES_DIR


def default_reference_voice() -> Path:
    """The reference a cloning request uploads when the user gives none: the embedded voice, ~8 s."""
    return _VOICES_DIR / _DEFAULT_REFERENCE


# --- kinds and the parser -----------------------------------------------------------------------------


class RecordMode(StrEnum):
    """When the contract suite writes fixtures: pytest-recording's (VCR's) meanings. Here, beside the targets, so
    the pytest plugin reads its choices without loading the contract engine."""

    NONE = "none"  # replay only; a missing fixture is an error
    ONCE = "once"  # record a scenario whose fixture does not exist, replay the others
    NEW_EPISODES = "new_episodes"  # replay what exists, record what does not
    ALL = "all"  # record everything, overwriting
    REWRITE = "rewrite"  # delete the provider's fixtures first, then record everything


class TargetKind(StrEnum):
    REPLAY = "replay"  # recorded fixtures; nothing leaves the process
    SANDBOX = "sandbox"  # the local emulator, started by the harness
    LIVE = "live"  # the providers' documented hosts; needs keys, spends money
    URL = "url"  # one URL: a provider's base URL, or a server laid out like the sandbox


@dataclass(frozen=True, slots=True)
class TargetChoice:
    """A parsed target: its kind and, for a URL, the URL normalised (no trailing slash) and printable (no
    credentials); credentials the URL carried are kept apart (`userinfo`, never in a repr) and sent."""

    kind: TargetKind
    url: str | None = None
    userinfo: str = field(default="", repr=False)  # "user:password" as given, percent-encoding kept

    def __str__(self) -> str:
        return self.url or self.kind.value

    @property
    def request_url(self) -> str | None:
        """The URL requests go to: with its credentials (httpx sends them as Basic auth)."""
        if self.url is None or not self.userinfo:
            return self.url
        scheme, rest = self.url.split("://", 1)
        return f"{scheme}://{self.userinfo}@{rest}"

    @property
    def secrets(self) -> tuple[str, ...]:
        """The URL's credentials, for the run's redactor."""
        return userinfo_secrets(self.request_url) if self.userinfo and self.request_url else ()

    def as_option(self) -> str:
        """The value that parses back to this choice (credentials included: keep it out of what is written)."""
        return self.request_url or self.kind.value


def parse_target(
    value: str, allowed: Collection[TargetKind] = tuple(TargetKind), option: str = "--target"
) -> TargetChoice:
    """`value` as a target, or a one-line `UsageError` that lists the forms `allowed` here."""
    text = value.strip()
    word = text.lower()
    if word in {kind.value for kind in allowed if kind is not TargetKind.URL}:
        return TargetChoice(TargetKind(word))
    if "://" in text and TargetKind.URL in allowed:
        return _url_choice(text, option, allowed)
    raise UsageError(f"{option} {_masked(text)!r}: expected {_forms(allowed)}")


def _forms(allowed: Collection[TargetKind]) -> str:
    words = [kind.value for kind in TargetKind if kind in allowed and kind is not TargetKind.URL]
    if TargetKind.URL in allowed:
        words.append("an http(s) URL (a provider's base URL, or a sandbox root such as http://127.0.0.1:8765)")
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _masked(text: str) -> str:
    """`text` with anything between `//` and `@` hidden: error messages never repeat a password."""
    return re.sub(r"//[^/?#]*@", "//***@", text)


def _url_choice(text: str, option: str, allowed: Collection[TargetKind]) -> TargetChoice:
    shown = _masked(text)
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - a port that is not a number in range raises here
    except ValueError as error:
        raise UsageError(f"{option} {shown!r} is not a valid URL ({error}); expected {_forms(allowed)}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option} {shown!r}: expected {_forms(allowed)}")
    if parts.query or parts.fragment:
        raise UsageError(f"{option} {shown!r}: a base URL has no query or fragment")
    userinfo, _, host = parts.netloc.rpartition("@")
    url = SplitResult(parts.scheme.lower(), host.lower(), parts.path.rstrip("/"), "", "").geturl()
    return TargetChoice(TargetKind.URL, url, userinfo)


# --- what a target serves -----------------------------------------------------------------------------


def _comparable(url: str) -> tuple[str, str, int | None, str] | None:
    """A URL reduced to what decides where a request goes (scheme, host, port, path), or None."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        return None
    return parts.scheme.lower(), (parts.hostname or "").lower(), port, parts.path.rstrip("/")


def provider_at(url: str, providers: Iterable[Provider]) -> Provider | None:
    """The provider whose documented or declared base URL `url` is; None when it is no provider's.
    Two providers with that base URL: a one-line `UsageError` (the URL would name neither for sure)."""
    wanted = _comparable(url)
    owners = [p for p in providers if any(_comparable(base) == wanted for base in p.hosts.values())]
    if len(owners) > 1:
        raise UsageError(
            f"target {url} is the base URL of {' and '.join(p.name for p in owners)}: it cannot "
            "name one provider; give each provider its own base_url (or select one)"
        )
    return owners[0] if owners else None


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each provider's hosts are on one target, and which providers it leaves out (and why)."""

    choice: TargetChoice
    bases: Mapping[tuple[str, str], str]  # (provider, host key) -> base URL
    sandbox_root: str | None = None  # set when the target is laid out like the sandbox
    left_out: Mapping[str, str] = field(default_factory=dict)  # provider -> why this target does not serve it

    @property
    def kind(self) -> TargetKind:
        return self.choice.kind

    @property
    def at_providers(self) -> bool:
        """Requests reach the providers' own servers: their keys, their money, no fault on demand."""
        return self.sandbox_root is None and self.kind is not TargetKind.REPLAY

    @property
    def reference_url(self) -> str | None:
        """A URL of the default reference voice this target can fetch (the sandbox serves one)."""
        return sandbox_voice_url(self.sandbox_root) if self.sandbox_root else None

    @property
    def url(self) -> str | None:
        """Where the target is, printable: the sandbox's root, or the URL given (without credentials)."""
        return self.sandbox_root or self.choice.url

    @property
    def grpc(self) -> tuple[str, bool] | None:
        """Where a URL laid out like the sandbox serves gRPC methods, and whether over TLS (`grpc_address`); None for
        any other target (a sandbox the harness started says its own port; a provider's own server, its
        declared address)."""
        return grpc_address(self.sandbox_root) if self.kind is TargetKind.URL and self.sandbox_root else None

    def serves(self, provider: str) -> bool:
        return any(name == provider for name, _ in self.bases)


REGION_WORD = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")  # us-east-1, westeurope, eastus2


def region_of(provider: Provider, environ: Mapping[str, str] | None = None) -> str:
    """The region a provider's requests go to: its `region_env`'s value, else its documented default; ""
    when it has neither. A value that is no region's name is a one-line usage error (it lands in a host)."""
    env = os.environ if environ is None else environ
    given = env.get(provider.region_env, "").strip() if provider.region_env else ""
    if given and not REGION_WORD.match(given):
        raise UsageError(
            f"{provider.region_env}={given[:40]!r} is not a region name (lower-case letters, digits, "
            "dashes: eastus, us-east-1)"
        )
    return given or provider.default_region


def regional(provider: Provider) -> bool:
    """Whether a provider's hosts name a region (`https://{region}.tts.speech.microsoft.com`)."""
    return any("{region}" in url for url in provider.hosts.values())


REPLAY_REGION = "region"  # a replayed request goes nowhere: a regional host needs a name, not the user's region


def documented_bases(
    providers: Iterable[Provider], environ: Mapping[str, str] | None = None, fallback_region: str = ""
) -> dict[tuple[str, str], str]:
    """Each provider host's documented base URL, its region filled in (else `fallback_region`); a provider
    whose region is unknown has none (`layout` says why it is left out)."""
    bases: dict[tuple[str, str], str] = {}
    for provider in providers:
        region = (region_of(provider, environ) or fallback_region) if regional(provider) else ""
        if regional(provider) and not region:
            continue
        for host, url in provider.hosts.items():
            bases[(provider.name, host)] = url.replace("{region}", region).rstrip("/")
    return bases


def _unplaced(providers: Iterable[Provider], bases: Mapping[tuple[str, str], str]) -> dict[str, str]:
    """Why a provider with regions has no base URL: its region variable is not set."""
    return {
        p.name: f"{p.name} needs its region: set {p.region_env or 'its region variable'}"
        for p in providers
        if regional(p) and not any(name == p.name for name, _ in bases)
    }


def sandbox_bases(root: str, providers: Iterable[Provider]) -> dict[tuple[str, str], str]:
    origin = root.rstrip("/")
    return {(p.name, host): origin + mount_path(p.name, host) for p in providers for host in p.hosts}


def layout(choice: TargetChoice, providers: Iterable[Provider], sandbox_root: str | None = None) -> Layout:
    """Where `providers` are reached on `choice`. A sandbox target needs the root of the running sandbox
    (known once it listens): `sandbox_root`."""
    chosen = list(providers)
    if choice.kind is TargetKind.SANDBOX:
        if sandbox_root is None:
            raise ValueError("a sandbox target is laid out only once the sandbox listens: give sandbox_root")
        return Layout(choice, sandbox_bases(sandbox_root, chosen), sandbox_root.rstrip("/"))
    if choice.kind is not TargetKind.URL or choice.url is None or choice.request_url is None:
        bases = documented_bases(chosen, fallback_region=REPLAY_REGION if choice.kind is TargetKind.REPLAY else "")
        return Layout(choice, bases, left_out=_unplaced(chosen, bases))
    owner = provider_at(choice.url, chosen)
    if owner is None:
        return Layout(choice, sandbox_bases(choice.request_url, chosen), choice.url)
    reason = f"{choice.url} is {owner.name}'s base URL: only {owner.name} is there"
    # The host the URL names is reached as given (with its credentials, if any); the others as documented.
    bases = {
        key: choice.request_url if _comparable(base) == _comparable(choice.url) else base
        for key, base in documented_bases([owner]).items()
    }
    return Layout(choice, bases, left_out={p.name: reason for p in chosen if p is not owner})


# --- keys ---------------------------------------------------------------------------------------------


def checked_key(provider: Provider, key: str) -> Secret:
    """A key as it will travel in a header (`credentials.usable_key`), or a one-line usage error naming the
    variable (never the value). A `Secret`: sent as itself, printed as [Filtered]."""
    from harness.core.credentials import usable_key  # httpx and the declarations: only where a key is checked

    return usable_key(provider.key_env, key)


def target_keys(
    where: Layout, providers: Iterable[Provider], environ: Mapping[str, str] | None = None
) -> dict[str, str | None]:
    """The key each served provider's requests carry (None: none; a keyless provider never gets one).

    Replay: a placeholder. A sandbox started by the harness knows only its test keys. A server laid out
    like the sandbox at a URL may have been given the user's keys (a recording proxy): the environment's
    key wins, else the test key. The providers' own servers: the environment's key only."""
    env = os.environ if environ is None else environ
    keys: dict[str, str | None] = {}
    for provider in providers:
        if not where.serves(provider.name):
            continue
        given = env.get(provider.key_env)
        signer = provider.auth.signer
        if given and signer is not None:  # a signing key travels with its id: one credential string
            given = signer.credential_from(given, env)
        if where.kind is TargetKind.REPLAY:
            keys[provider.name] = REPLAY_KEY
        elif where.kind is TargetKind.SANDBOX:
            keys[provider.name] = sandbox_key(provider.name)
        elif provider.keyless:
            keys[provider.name] = None
        elif given:
            keys[provider.name] = checked_key(provider, given)
        else:
            keys[provider.name] = None if where.at_providers else sandbox_key(provider.name)
    return keys
