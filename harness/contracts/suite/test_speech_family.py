"""The HTTP speech family's own checks (`harness.contracts.speech_checks`), for every provider of the family: the
built-in ones and every provider a providers file declares in it.

    pytest contracts/test_speech_family.py --tts-target sandbox        # the sandbox's imitation of each
    pytest contracts/test_speech_family.py --tts-target BASE_URL       # the provider whose base URL it is
    pytest contracts/test_speech_family.py --tts-live                  # every provider, live

The target is read as everywhere else (`harness.core.target`). Replay has no recording of these checks: they skip
there. Against the sandbox a format it cannot write skips (an imitation gap, not a finding about the provider).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from harness.contracts import Skip
from harness.contracts.speech_checks import FINDING, TIMEOUT_S, checks_for, family_providers, speech_target
from harness.core.registry import providers
from harness.core.spec import Provider
from harness.core.verdict import Drift

CASES = [
    pytest.param(provider, name, id=f"{provider.name}/{name}")
    for provider in family_providers(providers())
    for name in checks_for(provider)
]


@pytest.mark.contract
@pytest.mark.parametrize(("provider", "check"), CASES)
def test_speech_family(provider: Provider, check: str, tts_target: Any, contract_session: Any) -> None:
    try:
        target = speech_target(tts_target, provider)
    except Skip as reason:
        pytest.skip(str(reason))
    family_check = checks_for(provider)[check]
    if family_check.imitation_gap and not tts_target.at_providers:
        pytest.skip(family_check.imitation_gap)
    with httpx.Client(trust_env=False, timeout=TIMEOUT_S, verify=contract_session.tls_context()) as client:
        try:
            violations = family_check.run(target, client)
        except Skip as reason:  # a check that cannot judge here (the rate with no headed answer) says why
            pytest.skip(str(reason))
    # No broken contract (a Content-Type naming the right bytes by another name): said in the summary, not failed.
    contract_session.drift_seen.extend(
        Drift(f"{provider.name}/{v.pointer}", f"{v.got} (declared {v.expected})", FINDING)
        for v in violations
        if v.rule == FINDING
    )
    violations = [v for v in violations if v.rule != FINDING]
    finding = f"{provider.name} {check}:\n  " + "\n  ".join(str(v) for v in violations)
    known = provider.known_deviations.get(check)
    if known is not None and tts_target.at_providers:
        # A deviation the providers file declares, on the provider's own server: reported, not failed; if it no
        # longer deviates, the declaration is out of date and says so.
        assert violations, f"{provider.name} {check} passes, but is declared a known deviation ({known}): remove it"
        pytest.xfail(f"known deviation ({known}): {finding}")
    assert not violations, finding
