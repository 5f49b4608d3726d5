"""The realtime protocols' frame-level checks, for every provider with a WebSocket endpoint: the built-in
elevenlabs, cartesia and deepgram, and every provider declared with `elevenlabs`, `cartesia` or `deepgram-speak`
in a providers file.

    pytest --tts-contracts -k test_realtime --tts-target sandbox                      # the sandbox's imitations
    pytest --tts-contracts -k test_realtime --tts-target sandbox --tts-record-mode=once  # ... and keep the sessions
    pytest --tts-contracts -k test_realtime                                           # replay the kept sessions
    pytest --tts-contracts -k test_realtime --tts-target BASE_URL                     # the declared provider there
    pytest --tts-contracts -k test_realtime --tts-live                                # every declared provider

The target is read as by every contract check (`harness.core.target`, the plugin's `tts_target`): a
declared provider's base URL is that provider (the others skip), any other URL a sandbox-style root.

A session is kept as `<root>/realtime/<provider>/<check>.json`, the root being the user's folder
(`tts-harness-fixtures/` beside the providers file, or `--tts-fixtures-dir`): every frame with its offset,
keys filtered. Replay plays it back from a loopback server at its recorded offsets
(`harness.contracts.replay_socket`) and judges what the client saw, timing included: a fixture's
`first_audio_within_ms` (kept across re-recordings) fails a replay whose first audio comes later. See
`harness.contracts.realtime_checks` for the checks and `harness.contracts.frame_checks` for the frame rules.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.contracts import Skip
from harness.contracts.realtime_checks import RealtimeTarget, judge, plans, rate_plan, run_check, sandbox_paced
from harness.contracts.replay import FIRST_AUDIO_FIELD
from harness.contracts.replay_socket import judge_replayed
from harness.contracts.session import FixtureRoots
from harness.contracts.socket_rate import socket_rate
from harness.contracts.speech_checks import TIMEOUT_S, speech_target
from harness.contracts.targets import ContractTarget
from harness.core import event_loop
from harness.core.protocols.http_speech import SpeechService
from harness.core.protocols.realtime_grammar import Session, websocket_url
from harness.core.redact import Redactor
from harness.core.registry import declared_providers, providers
from harness.core.spec import EvidenceSource, Provider
from harness.core.target import TargetKind

RECORDING_MODES = ("once", "new_episodes", "all", "rewrite")
DECLARED = frozenset(p.name for p in declared_providers())


def _socket_checks(provider: Provider) -> Iterator[tuple[str, str]]:
    """Each socket of the provider ("" for its first, whose test ids and fixtures keep their names) with each of its
    checks; the cancel, and another socket's timing marks, are judged apart (CANCEL_CASES, MARKS_CASES)."""
    for index, channel in enumerate(provider.channels):
        key = channel.key if index else ""
        for check in plans(RealtimeTarget(provider, "", "", channel_key=key)):
            if check != "cancel" and not (index and check == "timing-marks"):
                yield key, check


# Every socket of every provider (a speech-to-speech socket may be a provider's second), each check a case: the
# first's as `<provider>/<check>`, another's as `<provider>/<socket>/<check>`. A socket no stored page documents,
# declared from independent clients (`source: client`): its checks counted apart.
CASES = [
    pytest.param(
        provider,
        key,
        check,
        id=f"{provider.name}/{key + '/' if key else ''}{check}",
        marks=[pytest.mark.client_source]
        if provider.channel(key or provider.channels[0].key).evidence.source is EvidenceSource.CLIENT
        else [],
    )
    for provider in providers().values()
    if provider.channels
    for key, check in _socket_checks(provider)
] or [
    pytest.param(
        None,
        "",
        "",
        id="no-provider",
        marks=pytest.mark.skip(
            reason="no realtime provider is declared: add one to tts-harness.toml with a "
            "realtime `protocol` (docs/realtime.md names each)"
        ),
    )
]


# Every socket with a documented cancel, each judged apart (`CASES` leaves the cancel out).
CANCEL_CASES = [
    pytest.param(
        provider,
        channel.key,
        id=f"{provider.name}/{channel.key}/cancel",
        marks=[pytest.mark.client_source] if channel.evidence.source is EvidenceSource.CLIENT else [],
    )
    for provider in providers().values()
    for channel in provider.channels
    if channel.grammar.cancel is not None
]


# Every socket after a provider's first whose answers carry timing marks (a multi-context socket beside a
# single-utterance one), its timing-marks check judged apart (`CASES` leaves it out, its fixtures and ids kept; issue
# 79: the others' marks went unread).
MARKS_CASES = [
    pytest.param(
        provider,
        channel.key,
        id=f"{provider.name}/{channel.key}/timing-marks",
        marks=[pytest.mark.client_source] if channel.evidence.source is EvidenceSource.CLIENT else [],
    )
    for provider in providers().values()
    for channel in provider.channels[1:]
    if channel.grammar.timing_marks
]


# Every socket, each judged apart: its audio's rate against the same text from the provider's HTTP endpoint.
RATE_CASES = [
    pytest.param(
        provider,
        channel.key,
        id=f"{provider.name}/{channel.key}/rate",
        marks=[pytest.mark.client_source] if channel.evidence.source is EvidenceSource.CLIENT else [],
    )
    for provider in providers().values()
    if isinstance(provider.family, SpeechService)
    for channel in provider.channels
]


def _target(provider: Provider, tts_target: ContractTarget) -> RealtimeTarget | None:
    """Where this run's target has the provider; None for replay."""
    if tts_target.kind is TargetKind.REPLAY:
        return None
    reason = tts_target.unreachable(provider)
    if reason is not None:
        pytest.skip(reason)
    base = tts_target.base_url(provider.name, provider.channels[0].host)
    return RealtimeTarget(provider, base, tts_target.key_for(provider.name) or "")


def _fixture(request: pytest.FixtureRequest, provider: Provider, check: str) -> Path:
    """Where a session is kept: the provider's fixture root (a declared provider's is the user's folder,
    beside the providers file; never the installed harness)."""
    roots = FixtureRoots.resolve(request.config.option.tts_fixtures_dir, DECLARED)
    return roots.root(provider.name) / "realtime" / provider.name / f"{check}.json"


def _keep(session: Session, target: RealtimeTarget, path: Path) -> None:
    """Write the session as a fixture: the origin templated, every key filtered."""
    kept = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data = {key: kept[key] for key in (FIRST_AUDIO_FIELD,) if key in kept} | session.to_json()
    data["url"] = data["url"].replace(websocket_url(target.base_url.rstrip("/")), "{base_url}")
    text = Redactor((target.key,)).text(json.dumps(data, indent=1))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")


def _records(request: pytest.FixtureRequest, path: Path) -> bool:
    mode = request.config.option.tts_record_mode or "none"
    return mode in ("all", "rewrite") or (mode in RECORDING_MODES and not path.exists())


@pytest.mark.contract
@pytest.mark.parametrize(("provider", "channel_key", "check"), CASES)
def test_realtime(provider: Provider, channel_key: str, check: str, request: Any, tts_target: ContractTarget) -> None:
    found = _target(provider, tts_target)
    fixture = _fixture(request, provider, f"{check}-{channel_key}" if channel_key else check)
    host = provider.channel(channel_key).host if channel_key else provider.channels[0].host
    target = (
        None
        if found is None
        else replace(found, base_url=tts_target.base_url(provider.name, host), channel_key=channel_key)
    )
    judged_by = target or RealtimeTarget(provider, provider.hosts[host].rstrip("/"), "", channel_key=channel_key)
    plan = plans(judged_by)[check]()
    if target is None:
        if not fixture.exists():
            pytest.skip(
                f"no recorded {check} session for {provider.name}{' ' + channel_key if channel_key else ''}: "
                "record one with --tts-target sandbox --tts-record-mode=once"
            )
        _, findings = judge_replayed(provider, check, json.loads(fixture.read_text(encoding="utf-8")), channel_key)
    else:
        session = event_loop.run(run_check(target, plan))
        if _records(request, fixture):
            _keep(session, target, fixture)
        findings = judge(judged_by, plan, session)
    assert not findings.violations, f"{provider.name} {channel_key} {check}:\n  " + findings.text().replace(
        "\n", "\n  "
    )


@pytest.mark.contract
@pytest.mark.parametrize(("provider", "channel_key"), CANCEL_CASES)
def test_cancel(provider: Provider, channel_key: str, request: Any, tts_target: ContractTarget) -> None:
    """The socket's documented cancel, CANCEL_AFTER_S after the first audio: what follows is what the documents
    promise (`harness.core.protocols.cancel`). Replayed from a kept session where one was recorded."""
    _check_on_socket(provider, channel_key, "cancel", request, tts_target)


def _check_on_socket(
    provider: Provider, channel_key: str, check: str, request: Any, tts_target: ContractTarget
) -> None:
    """One of the realtime checks on a provider's socket `channel_key`, against the target or replayed from the
    session kept as `<check>-<channel_key>.json` (skipped, saying how to record one, where none was); paced as a
    client speaks against the sandbox where the check times what follows (cancel)."""
    found = _target(provider, tts_target)
    fixture = _fixture(request, provider, f"{check}-{channel_key}")
    host = provider.channel(channel_key).host
    base = provider.hosts[host].rstrip("/") if found is None else tts_target.base_url(provider.name, host)
    target = replace(found or RealtimeTarget(provider, base, ""), base_url=base, channel_key=channel_key)
    plan = plans(target)[check]()
    if check == "cancel" and tts_target.kind is TargetKind.SANDBOX:
        plan = sandbox_paced(plan)
    if found is None:
        if not fixture.exists():
            pytest.skip(
                f"no recorded {check} session for {provider.name} {channel_key}: record one with "
                "--tts-target sandbox --tts-record-mode=once"
            )
        session = Session.from_json(json.loads(fixture.read_text(encoding="utf-8")))
    else:
        session = event_loop.run(run_check(target, plan))
        if _records(request, fixture):
            _keep(session, target, fixture)
    findings = judge(target, plan, session)
    assert not findings.violations, f"{provider.name} {channel_key} {check}:\n  " + findings.text().replace(
        "\n", "\n  "
    )


@pytest.mark.contract
@pytest.mark.parametrize(("provider", "channel_key"), MARKS_CASES)
def test_socket_marks(provider: Provider, channel_key: str, request: Any, tts_target: ContractTarget) -> None:
    """A provider's other socket's timing marks, judged as its first socket's are (the one verdict `bench run`
    gives, `harness.core.timing_marks.judge_marks`). Replayed from a kept session where one was recorded."""
    _check_on_socket(provider, channel_key, "timing-marks", request, tts_target)


@pytest.mark.contract
@pytest.mark.parametrize(("provider", "channel_key"), RATE_CASES)
def test_rate(provider: Provider, channel_key: str, tts_target: ContractTarget, contract_session: Any) -> None:
    """The socket's samples of the sample text last as long at their declared rate as the same text in a headed
    answer of the provider's HTTP endpoint (`harness.contracts.socket_rate`); skipped, with the reason, where no
    headed answer or no 16-bit samples let it judge, and in replay (no headed answer is recorded beside a session)."""
    found = _target(provider, tts_target)
    if found is None:
        pytest.skip("the rate check asks the provider's HTTP endpoint for the same text: not judged in replay")
    host = provider.channel(channel_key).host
    target = replace(found, base_url=tts_target.base_url(provider.name, host), channel_key=channel_key)
    plan = rate_plan(target)  # at a rate a client chose, where the socket lets one be asked
    try:
        speech = speech_target(tts_target, provider)
        session = event_loop.run(run_check(target, plan))
        with httpx.Client(trust_env=False, timeout=TIMEOUT_S, verify=contract_session.tls_context()) as client:
            violations = socket_rate(target, session, speech, client)
    except Skip as reason:
        pytest.skip(str(reason))
    assert not violations, f"{provider.name} {channel_key} rate:\n  " + "\n  ".join(str(v) for v in violations)
