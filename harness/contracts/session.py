"""One contract run: which target, which record mode, where fixtures live; runs plans and records.

Replay answers a plan from its fixture through `ReplayTransport` (no request can leave the process: a
request no recording answers fails), streamed bodies at their recorded offsets; a fixture's
`first_audio_within_ms` is then asserted on the first audio as this client read it.
The sandbox, a URL and live send real HTTP; `record_mode` decides what is written back.
"""

from __future__ import annotations

import shutil
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from harness.contracts.execute import PlanOutcome, run_plan
from harness.contracts.finding import format_finding
from harness.contracts.plans import ScenarioPlan, plans_for
from harness.contracts.recording import read_scenario, replay_transport, to_scenario, write_scenario
from harness.contracts.replay import FIRST_AUDIO_FIELD, TimingTransport, first_audio_ms, late_first_audio
from harness.contracts.scenario import MediaStore, load_scenario
from harness.contracts.targets import ContractTarget, RecordMode
from harness.core import declared, packaged
from harness.core.credentials import CredentialGuard, credential_headers
from harness.core.redact import known_secrets
from harness.core.spec import Provider
from harness.core.target import TargetKind
from harness.core.tls import shared_tls_context
from harness.core.verdict import Drift

FIXTURES = packaged.data_path(packaged.FIXTURES)  # the built-in providers' recordings: package data


class Skip(Exception):
    """This plan cannot run on this target; the message says why."""


class RecordingRefused(Exception):
    """Recording this plan would write into the installed harness; the message says what to give instead."""


class MissingFixture(Exception):
    """Replay found no recording for a plan."""


# In any repository (the CLI), and its pytest spelling.
RECORD_COMMAND = (
    "tts-harness contracts record` (or `pytest --tts-contracts --tts-target sandbox --tts-record-mode=new_episodes"
)


@dataclass(frozen=True, slots=True)
class FixtureRoots:
    """Where fixtures live: the harness's own for its built-in providers, and the user's for the providers
    a providers file declares (beside that file, `declared.fixtures_dir`), so recording a declared provider
    never writes into the installed harness or its checkout. A `--tts-fixtures-dir` holds both."""

    builtin: Path = FIXTURES
    declared: Path | None = None
    declared_names: frozenset[str] = frozenset()

    @classmethod
    def resolve(cls, fixtures_dir: str | Path | None, declared_names: frozenset[str] = frozenset()) -> FixtureRoots:
        if fixtures_dir:
            chosen = Path(fixtures_dir)
            return cls(chosen, chosen, declared_names)
        return cls(FIXTURES, declared.fixtures_dir(), declared_names)

    def is_declared(self, provider: str) -> bool:
        return provider in self.declared_names

    def root(self, provider: str) -> Path:
        if self.is_declared(provider):
            if self.declared is None:
                raise MissingFixture(f"{provider} is declared but no providers file is in effect")
            return self.declared
        return self.builtin

    def all(self) -> tuple[Path, ...]:
        return tuple(dict.fromkeys(p for p in (self.builtin, self.declared) if p is not None))

    def not_recorded(self, provider: str) -> str:
        """Why a declared provider's scenario has no fixture yet, and the command that records it."""
        return (
            f"{provider} is declared in a providers file and has no recordings in {self.root(provider)} yet; "
            f"record them (from the sandbox's imitation, or its own server with --tts-target URL): "
            f"`{RECORD_COMMAND}`"
        )


@dataclass(kw_only=True)
class ContractSession:
    providers: Mapping[str, Provider]
    target: ContractTarget
    record_mode: RecordMode = RecordMode.NONE
    roots: FixtureRoots = field(default_factory=FixtureRoots)
    recorded: list[Path] = field(default_factory=list)
    drift_seen: list[Drift] = field(default_factory=list)
    _rewritten: set[str] = field(default_factory=set)
    _promises: dict[str, Any] = field(default_factory=dict)  # first_audio_within_ms by scenario, kept for REWRITE
    _tls: ssl.SSLContext | None = None  # made once: loading the CA certificates costs ~20 ms a plan otherwise

    def media(self, provider: str) -> MediaStore:
        return MediaStore(self.roots.root(provider) / "media")

    def plans(self) -> list[ScenarioPlan]:
        return [plan for provider in self.providers.values() for plan in plans_for(provider)]

    def secrets(self) -> tuple[str, ...]:
        return (
            known_secrets(p.key_env for p in self.providers.values())
            + tuple(self.target.keys.values())
            + self.target.secrets
        )

    def tls_context(self) -> ssl.SSLContext:
        """The TLS settings every plan's and every family check's connections use (the environment's certificates,
        as httpx reads them), read once: reading the certificate bundle is about 20 ms a client. Each plan still
        opens connections of its own."""
        if self._tls is None:
            self._tls = shared_tls_context(trust_env=True)
        return self._tls

    def _records(self, plan: ScenarioPlan) -> bool:
        if self.target.kind is TargetKind.REPLAY:
            return False
        if self.record_mode in (RecordMode.ALL, RecordMode.REWRITE):
            return True
        if self.record_mode in (RecordMode.ONCE, RecordMode.NEW_EPISODES):
            return load_scenario(self.roots.root(plan.provider), plan.name) is None
        return False

    def run(self, plan: ScenarioPlan) -> PlanOutcome:
        provider = self.providers[plan.provider]
        if plan.provider in self.target.left_out:
            raise Skip(self.target.left_out[plan.provider])
        if provider.auth.signer is not None and (cannot := provider.auth.signer.unavailable()):
            raise Skip(f"{provider.name}: {cannot}")  # a base install: the signing extra is not there
        if self.target.at_providers:
            if plan.live_skip:
                raise Skip(plan.live_skip)
            if self.target.key_for(plan.provider) is None and not provider.keyless:
                raise Skip(f"{provider.key_env} is not set: live {provider.name} checks need a key")
        if plan.imitation_gap and not self.target.at_providers:
            raise Skip(plan.imitation_gap)
        if plan.fault and not self.target.allows_faults:
            raise Skip(f"this target cannot inject the fault {plan.fault}")
        if self.target.kind is TargetKind.REPLAY:
            return self._replay(provider, plan)
        if self._records(plan):
            self._refuse_installed(plan.provider)  # before anything is sent (a live request may be paid)
        guard = CredentialGuard.for_urls(self.target.base_urls.values(), credential_headers([provider]))
        # Answers are stamped as they are read, so a recorded stream keeps its offsets (harness.contracts.replay).
        with httpx.Client(
            timeout=30.0,
            event_hooks=guard.sync_event_hooks(),
            transport=TimingTransport(httpx.HTTPTransport(verify=self.tls_context())),
        ) as client:
            outcome = run_plan(provider, plan, self.target, client)
            self._undo(provider, outcome, client)
        if self._records(plan):
            self._record(provider, outcome)
        return outcome

    def _undo(self, provider: Provider, outcome: PlanOutcome, client: httpx.Client) -> None:
        """After a 2xx answer of an endpoint that changes the server's state and declares its reverse
        (`Endpoint.undone_by`), that reverse's own success scenario, so no scenario depends on another's order:
        an archive left the documents' saved voice archived, and the saved-voice speech scenario, run after it
        on one worker, met a 400. A reverse that fails is said as drift on this scenario."""
        reverse = provider.endpoint(outcome.plan.endpoint).undone_by
        if not reverse or not any(200 <= answer.status_code < 300 for _, _, answer in outcome.exchanges):
            return
        plan = next(
            p
            for p in plans_for(provider)
            if p.endpoint == reverse
            and 200 <= p.expect_status < 300
            and p.fault is None
            and p.evidence.source is outcome.plan.evidence.source
        )
        undone = run_plan(provider, plan, self.target, client)
        if undone.violations:
            outcome.drift.append(Drift(reverse, f"left changed: {reverse} answered {undone.violations[0].got}"))

    def finding(self, outcome: PlanOutcome) -> str:
        """A failed outcome as a finding: provider, endpoint, statuses, violations, drift, a curl line."""
        provider = self.providers[outcome.plan.provider]
        return format_finding(
            provider.name,
            signature=provider.endpoint(outcome.plan.endpoint).signature,
            scenario=outcome.plan.name,
            target=self.target.kind.value,
            violations=outcome.violations,
            drift=outcome.drift,
            exchanges=outcome.exchanges,
            secrets=self.secrets(),
        )

    def _replay(self, provider: Provider, plan: ScenarioPlan) -> PlanOutcome:
        scenario = load_scenario(self.roots.root(plan.provider), plan.name)
        if scenario is None and self.roots.is_declared(plan.provider):
            raise Skip(self.roots.not_recorded(plan.provider))  # the user records their own: not a failure
        if scenario is None:
            raise MissingFixture(
                f"no fixture for {plan.name}; record it with "
                "`pytest contracts/ --tts-target sandbox --tts-record-mode=once`"
            )
        # Answers come at their recorded offsets and are stamped as read, as when they were recorded.
        transport = TimingTransport(replay_transport(scenario, self.media(provider.name), self.target))
        with httpx.Client(transport=transport) as client:
            outcome = run_plan(provider, plan, self.target, client)
        within = scenario.extra.get(FIRST_AUDIO_FIELD)
        for key, _, response in outcome.exchanges:
            late = late_first_audio(within, first_audio_ms(response), key)
            if late is not None:
                outcome.violations.append(late)
        return outcome

    def _refuse_installed(self, provider: str) -> None:
        """A built-in provider's recordings are the harness's own files: rewritten in its source tree (that is
        how they are made), never inside an installed package, where pip owns them and an upgrade loses them."""
        if self.roots.is_declared(provider) or self.roots.builtin != FIXTURES or packaged.in_source_checkout():
            return
        raise RecordingRefused(
            f"recording {provider} would write into the installed tts-harness ({FIXTURES}); give "
            "--tts-fixtures-dir DIR (or `tts-harness contracts record --fixtures-dir DIR`) to record it there"
        )

    def _record(self, provider: Provider, outcome: PlanOutcome) -> None:
        root = self.roots.root(provider.name)
        if self.record_mode is RecordMode.REWRITE and provider.name not in self._rewritten:
            self._promises.update(_promises_of(root, provider.name))  # they outlive the rewrite
            shutil.rmtree(root / "scenarios" / provider.name, ignore_errors=True)
            self._rewritten.add(provider.name)
        signature = provider.endpoint(outcome.plan.endpoint).signature
        scenario = to_scenario(outcome, self.target, self.media(provider.name), signature)
        kept = load_scenario(root, outcome.plan.name)
        promise = kept.extra.get(FIRST_AUDIO_FIELD) if kept else self._promises.get(outcome.plan.name)
        if promise is not None:  # a threshold the user set outlives a re-record
            scenario = replace(scenario, extra={**scenario.extra, FIRST_AUDIO_FIELD: promise})
        self.recorded.append(write_scenario(self.roots.root(provider.name), scenario, self.target, self.secrets()))


def _promises_of(root: Path, provider: str) -> dict[str, Any]:
    """Each of the provider's recorded scenarios that promises a first audio, and its promise."""
    found: dict[str, Any] = {}
    for path in sorted((root / "scenarios" / provider).rglob("*.json")):
        scenario = read_scenario(path)
        if FIRST_AUDIO_FIELD in scenario.extra:
            found[scenario.name] = scenario.extra[FIRST_AUDIO_FIELD]
    return found
