"""The realtime protocols' frame-level checks, for every provider declared with `elevenlabs`, `cartesia`
or `deepgram-speak` in a providers file.

    pytest contracts/test_realtime.py --target sandbox                       # the sandbox's imitations
    pytest contracts/test_realtime.py --target sandbox --record-mode=once    # ... and keep the sessions
    pytest contracts/test_realtime.py                                        # replay the kept sessions
    pytest contracts/test_realtime.py --target BASE_URL                      # the declared provider there
    pytest contracts/test_realtime.py --live                                 # every declared provider

A session is kept as `fixtures/realtime/<provider>/<check>.json` (every frame with its offset, keys
filtered), so replay judges exactly what was recorded, timing included. See
`harness.contracts.realtime_checks` for the checks and `harness.contracts.realtime` for the frame rules.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest

from harness.contracts.realtime_checks import RealtimeTarget, judge, plans, run_check
from harness.contracts.session import FIXTURES
from harness.core.protocols.realtime import Session, websocket_url
from harness.core.redact import Redactor
from harness.core.registry import declared_providers
from harness.core.spec import Provider

RECORDING_MODES = ("once", "new_episodes", "all", "rewrite")
CASES = [pytest.param(provider, check, id=f"{provider.name}/{check}")
         for provider in declared_providers() if provider.channels
         for check in plans(RealtimeTarget(provider, "", ""))] or [
    pytest.param(None, "", id="no-provider", marks=pytest.mark.skip(
        reason="no realtime provider is declared: add one with protocol = \"elevenlabs\", \"cartesia\" or "
               "\"deepgram-speak\" to tts-harness.toml (docs/realtime.md)"))]


def _declared_url(provider: Provider) -> str:
    return provider.hosts[provider.channels[0].host].rstrip("/")


def _target(provider: Provider, request: pytest.FixtureRequest) -> RealtimeTarget | None:
    """Where this run says the provider is; None for replay."""
    option = request.config.option
    declared_url = _declared_url(provider)
    if option.live or option.target.rstrip("/") == declared_url:
        key = os.environ.get(provider.key_env)
        if not key:
            pytest.skip(f"{provider.key_env} is not set: {provider.name} checks need its key")
        return RealtimeTarget(provider, declared_url, key)
    if option.target == "replay":
        return None
    host = provider.channels[0].host
    if option.target == "sandbox":
        sandbox = request.getfixturevalue("sandbox")
        return RealtimeTarget(provider, sandbox.base_url(provider.name, host), sandbox.default_key(provider.name))
    if any(option.target.rstrip("/") == _declared_url(p) for p in declared_providers() if p.channels):
        pytest.skip(f"--target names another declared provider, not {provider.name}")
    root = option.target.rstrip("/")
    return RealtimeTarget(provider, f"{root}/{provider.name}/{host}",
                          os.environ.get(provider.key_env) or f"sandbox-{provider.name}-key")


def _fixture(request: pytest.FixtureRequest, provider: Provider, check: str) -> Path:
    folder = request.config.option.fixtures_dir
    return (Path(folder) if folder else FIXTURES) / "realtime" / provider.name / f"{check}.json"


def _keep(session: Session, target: RealtimeTarget, path: Path) -> None:
    """Write the session as a fixture: the origin templated, every key filtered."""
    data = session.to_json()
    data["url"] = data["url"].replace(websocket_url(target.base_url.rstrip("/")), "{base_url}")
    text = Redactor((target.key,)).text(json.dumps(data, indent=1))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")


def _records(request: pytest.FixtureRequest, path: Path) -> bool:
    mode = getattr(request.config.option, "record_mode", None) or "none"
    return mode in ("all", "rewrite") or (mode in RECORDING_MODES and not path.exists())


@pytest.mark.contract
@pytest.mark.parametrize(("provider", "check"), CASES)
def test_realtime(provider: Provider, check: str, request: Any) -> None:
    target = _target(provider, request)
    fixture = _fixture(request, provider, check)
    judged_by = target or RealtimeTarget(provider, _declared_url(provider), "")
    plan = plans(judged_by)[check]()
    if target is None:
        if not fixture.exists():
            pytest.skip(f"no recorded {check} session for {provider.name}: record one with "
                        "--target sandbox --record-mode=once")
        session = Session.from_json(json.loads(fixture.read_text(encoding="utf-8")))
    else:
        session = asyncio.run(run_check(target, plan))
        if _records(request, fixture):
            _keep(session, target, fixture)
    findings = judge(judged_by, plan, session)
    assert not findings.violations, f"{provider.name} {check}:\n  " + findings.text().replace("\n", "\n  ")
