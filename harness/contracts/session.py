"""One contract run: which target, which record mode, where fixtures live; runs plans and records.

Replay mounts a plan's fixture on respx (no request can leave the process: respx fails any call it
has no route for). The sandbox, a URL and live send real HTTP; `record_mode` decides what is written back.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import respx

from harness.contracts.execute import Outcome, run_plan
from harness.contracts.finding import format_finding
from harness.contracts.plans import Plan, plans_for
from harness.contracts.recording import mount, to_scenario, write_scenario
from harness.contracts.scenario import MediaStore, load_scenario
from harness.contracts.targets import RecordMode, Target
from harness.core import declared, packaged
from harness.core.credentials import CredentialGuard, credential_headers
from harness.core.redact import known_secrets
from harness.core.spec import Provider
from harness.core.target import TargetKind
from harness.core.verdict import Drift

FIXTURES = packaged.data_path(packaged.FIXTURES)  # the built-in providers' recordings: package data


class Skip(Exception):
    """This plan cannot run on this target; the message says why."""


class MissingFixture(Exception):
    """Replay found no recording for a plan."""


# In any repository (the CLI), and its pytest spelling.
RECORD_COMMAND = ("tts-harness contracts record` (or `pytest --tts-contracts --tts-target sandbox "
                  "--tts-record-mode=new_episodes")


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
        return (f"{provider} is declared in a providers file and has no recordings in {self.root(provider)} yet; "
                f"record them (from the sandbox's imitation, or its own server with --tts-target URL): "
                f"`{RECORD_COMMAND}`")


@dataclass
class ContractSession:
    providers: Mapping[str, Provider]
    target: Target
    record_mode: RecordMode = RecordMode.NONE
    roots: FixtureRoots = field(default_factory=FixtureRoots)
    recorded: list[Path] = field(default_factory=list)
    drift_seen: list[Drift] = field(default_factory=list)
    _rewritten: set[str] = field(default_factory=set)

    def media(self, provider: str) -> MediaStore:
        return MediaStore(self.roots.root(provider) / "media")

    def plans(self) -> list[Plan]:
        return [plan for provider in self.providers.values() for plan in plans_for(provider)]

    def secrets(self) -> tuple[str, ...]:
        return (known_secrets(p.key_env for p in self.providers.values()) + tuple(self.target.keys.values())
                + self.target.secrets)

    def _records(self, plan: Plan) -> bool:
        if self.target.kind is TargetKind.REPLAY:
            return False
        if self.record_mode in (RecordMode.ALL, RecordMode.REWRITE):
            return True
        if self.record_mode in (RecordMode.ONCE, RecordMode.NEW_EPISODES):
            return load_scenario(self.roots.root(plan.provider), plan.name) is None
        return False

    def run(self, plan: Plan) -> Outcome:
        provider = self.providers[plan.provider]
        if plan.provider in self.target.left_out:
            raise Skip(self.target.left_out[plan.provider])
        if self.target.at_providers:
            if plan.live_skip:
                raise Skip(plan.live_skip)
            if self.target.key_for(plan.provider) is None and not provider.keyless:
                raise Skip(f"{provider.key_env} is not set: live {provider.name} checks need a key")
        if plan.fault and not self.target.allows_faults:
            raise Skip(f"this target cannot inject the fault {plan.fault}")
        if self.target.kind is TargetKind.REPLAY:
            return self._replay(provider, plan)
        guard = CredentialGuard.for_urls(self.target.base_urls.values(), credential_headers([provider]))
        with httpx.Client(timeout=30.0, event_hooks=guard.sync_event_hooks()) as client:
            outcome = run_plan(provider, plan, self.target, client)
        if self._records(plan):
            self._record(provider, outcome)
        return outcome

    def finding(self, outcome: Outcome) -> str:
        """A failed outcome as a finding: provider, endpoint, statuses, violations, drift, a curl line."""
        provider = self.providers[outcome.plan.provider]
        return format_finding(
            provider.name, provider.endpoint(outcome.plan.endpoint).signature, outcome.plan.name,
            self.target.kind.value, outcome.violations, outcome.drift, outcome.exchanges, self.secrets(),
        )

    def _replay(self, provider: Provider, plan: Plan) -> Outcome:
        scenario = load_scenario(self.roots.root(plan.provider), plan.name)
        if scenario is None and self.roots.is_declared(plan.provider):
            raise Skip(self.roots.not_recorded(plan.provider))  # the user records their own: not a failure
        if scenario is None:
            raise MissingFixture(
                f"no fixture for {plan.name}; record it with "
                "`pytest contracts/ --tts-target sandbox --tts-record-mode=once`"
            )
        with respx.mock(assert_all_called=False) as router, httpx.Client() as client:
            mount(router, scenario, self.media(provider.name), self.target)
            return run_plan(provider, plan, self.target, client)

    def _record(self, provider: Provider, outcome: Outcome) -> None:
        if self.record_mode is RecordMode.REWRITE and provider.name not in self._rewritten:
            shutil.rmtree(self.roots.root(provider.name) / "scenarios" / provider.name, ignore_errors=True)
            self._rewritten.add(provider.name)
        signature = provider.endpoint(outcome.plan.endpoint).signature
        scenario = to_scenario(outcome, self.target, self.media(provider.name), signature)
        self.recorded.append(write_scenario(self.roots.root(provider.name), scenario, self.target, self.secrets()))
