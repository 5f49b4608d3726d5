"""The OpenAI speech protocol's own checks, for every provider declared in a providers file.

    pytest contracts/test_openai_speech.py --target sandbox        # the sandbox's imitation of each
    pytest contracts/test_openai_speech.py --target BASE_URL       # the declared provider at BASE_URL
    pytest contracts/test_openai_speech.py --live                  # every declared provider, live

`--target BASE_URL` names a declared provider by its `base_url` (the others are skipped), its key from
its `key_env`; any other URL is taken as a sandbox root (`<root>/<name>/v1`). Replay has no recording of
these checks: they skip there. Against the sandbox, `format-aac` skips: it has no AAC encoder.
See `harness.contracts.openai_speech` for what each check looks at.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest

from harness.contracts.openai_speech import SpeechTarget, checks_for
from harness.core.protocols.openai_speech import HOST
from harness.core.registry import declared_providers
from harness.core.spec import Provider

SANDBOX_CANNOT = "format-aac"  # an imitation gap, not a finding about the provider
CASES = [pytest.param(provider, name, id=f"{provider.name}/{name}") for provider in declared_providers()
         for name in checks_for(SpeechTarget(provider, "", ""))] or [
    pytest.param(None, "", id="no-provider", marks=pytest.mark.skip(
        reason="no OpenAI-compatible provider is declared: add one to tts-harness.toml (docs/providers-file.md)"))]


def _target(provider: Provider, check: str, request: pytest.FixtureRequest) -> SpeechTarget:
    option = request.config.option
    declared_url = provider.hosts[HOST].rstrip("/")
    if option.live or option.target.rstrip("/") == declared_url:
        key = "" if provider.keyless else os.environ.get(provider.key_env, "")
        if not key and not provider.keyless:
            pytest.skip(f"{provider.key_env} is not set: {provider.name} checks need its key")
        return SpeechTarget(provider, declared_url, key)
    if option.target == "replay":
        pytest.skip("protocol checks need a server: --target sandbox, --target <base_url> or --live")
    if check == SANDBOX_CANNOT:
        pytest.skip("the sandbox has no AAC encoder: it refuses aac (400), so it cannot stand in for this check")
    if option.target == "sandbox":
        sandbox = request.getfixturevalue("sandbox")
        return SpeechTarget(provider, sandbox.base_url(provider.name, HOST), sandbox.default_key(provider.name))
    if any(option.target.rstrip("/") == p.hosts[HOST].rstrip("/") for p in declared_providers()):
        pytest.skip(f"--target names another declared provider, not {provider.name}")
    root = option.target.rstrip("/")
    key = "" if provider.keyless else os.environ.get(provider.key_env) or f"sandbox-{provider.name}-key"
    return SpeechTarget(provider, f"{root}/{provider.name}/{HOST}", key)


@pytest.mark.contract
@pytest.mark.parametrize(("provider", "check"), CASES)
def test_openai_speech(provider: Provider, check: str, request: Any) -> None:
    target = _target(provider, check, request)
    with httpx.Client(trust_env=False) as client:
        violations = checks_for(target)[check](target, client)
    assert not violations, f"{provider.name} {check}:\n  " + "\n  ".join(str(v) for v in violations)
