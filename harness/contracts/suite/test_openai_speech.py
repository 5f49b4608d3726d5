"""The OpenAI speech protocol's own checks, for every provider that speaks it: the built-in `openai` and every
provider declared with it in a providers file.

    pytest contracts/test_openai_speech.py --tts-target sandbox        # the sandbox's imitation of each
    pytest contracts/test_openai_speech.py --tts-target BASE_URL       # the declared provider at BASE_URL
    pytest contracts/test_openai_speech.py --tts-live                  # every declared provider, live

The target is read as everywhere else (`harness.core.target`): `--tts-target BASE_URL` names the declared
provider whose `base_url` it is (the others skip), its key from its `key_env`; any other URL is a server
laid out like the sandbox (`<url>/<name>/v1`). Replay has no recording of these checks: they skip there.
Against the sandbox, `format-aac` skips: it has no AAC encoder.
See `harness.contracts.openai_speech` for what each check looks at.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from harness.contracts import Skip
from harness.contracts.openai_speech import SpeechTarget, checks_for, speech_target
from harness.core.protocols.openai_speech import PROTOCOL
from harness.core.registry import providers
from harness.core.spec import Provider

SANDBOX_CANNOT = "format-aac"  # an imitation gap, not a finding about the provider
SPEAKERS = [provider for provider in providers().values() if provider.protocol == PROTOCOL]
CASES = [pytest.param(provider, name, id=f"{provider.name}/{name}") for provider in SPEAKERS
         for name in checks_for(SpeechTarget(provider, "", ""))] or [
    pytest.param(None, "", id="no-provider", marks=pytest.mark.skip(
        reason="no OpenAI-compatible provider is declared: add one to tts-harness.toml (docs/providers-file.md)"))]


@pytest.mark.contract
@pytest.mark.parametrize(("provider", "check"), CASES)
def test_openai_speech(provider: Provider, check: str, tts_target: Any) -> None:
    try:
        target = speech_target(tts_target, provider)
    except Skip as reason:
        pytest.skip(str(reason))
    if check == SANDBOX_CANNOT and not tts_target.at_providers:
        pytest.skip("the sandbox has no AAC encoder: it refuses aac (400), so it cannot stand in for this check")
    with httpx.Client(trust_env=False) as client:
        violations = checks_for(target)[check](target, client)
    finding = f"{provider.name} {check}:\n  " + "\n  ".join(str(v) for v in violations)
    known = provider.known_deviations.get(check)
    if known is not None and tts_target.at_providers:
        # A deviation the providers file declares, on the provider's own server: reported, not failed;
        # if it no longer deviates, the declaration is out of date and says so.
        assert violations, f"{provider.name} {check} passes, but is declared a known deviation ({known}): remove it"
        pytest.xfail(f"known deviation ({known}): {finding}")
    assert not violations, finding
