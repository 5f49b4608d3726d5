"""Every documented endpoint and status of every provider, checked against the current target.

Replay (default) serves recorded fixtures, streams at their recorded offsets; `--tts-target sandbox`
sends real HTTP to the local emulator; `--tts-live` to the real providers; `--tts-target URL` to a
provider's own server (URL is its base URL) or to a server laid out like the sandbox (any other URL).
Scenarios of what an official client library calls beyond the documents (`source: sdk`) are marked and
counted apart in the summary.
The plans come from the specs, so a new endpoint in a spec is a new test here without touching this file.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.contracts import RecordingRefused, ScenarioPlan, Skip, plans_for
from harness.core.registry import providers
from harness.core.spec import EvidenceSource

PLANS = [plan for provider in providers().values() for plan in plans_for(provider)]
# What an official client library calls beyond the documents (`source: sdk`), and what independent clients speak that
# no stored page shows (`source: client`): each counted apart in the summary.
SOURCE_MARKS = {EvidenceSource.SDK: [pytest.mark.sdk_source], EvidenceSource.CLIENT: [pytest.mark.client_source]}
CASES = [pytest.param(plan, id=plan.name, marks=SOURCE_MARKS.get(plan.evidence.source, [])) for plan in PLANS]


@pytest.mark.contract
@pytest.mark.parametrize("plan", CASES)
def test_contract(plan: ScenarioPlan, contract_session: Any) -> None:
    try:
        outcome = contract_session.run(plan)
    except Skip as reason:
        pytest.skip(str(reason))
    except RecordingRefused as refusal:
        pytest.fail(str(refusal), pytrace=False)
    contract_session.drift_seen.extend(outcome.drift)
    if outcome.violations:
        # A finding, not a traceback: pytest would print the Plan and session reprs around the one useful line.
        pytest.fail(contract_session.finding(outcome), pytrace=False)
