"""A failing contract reads like a finding: a provider that renames one field in a recorded answer makes
`pytest contracts/` print provider, endpoint, statuses, each violation as pointer / expected / got, the
unknown field beside the missing one as a likely rename, and a curl line with the key filtered — and
none of pytest's reprs of the plan or the session."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIO = Path("scenarios/pixazo/xtts-v2.generate/202-success.json")


def _renamed(fixtures: Path) -> None:
    """The status answers now say `media_urls` where the documents say `media_url`."""
    path = fixtures / SCENARIO
    data = json.loads(path.read_text())
    for exchange in data["exchanges"]:
        body = exchange["response"]["body"].get("json")
        if isinstance(body, dict) and isinstance(body.get("output"), dict):
            body["output"]["media_urls"] = body["output"].pop("media_url")
    path.write_text(json.dumps(data))


def test_a_renamed_field_fails_as_a_readable_finding(pytester: pytest.Pytester, tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    (fixtures / SCENARIO).parent.mkdir(parents=True)
    shutil.copy(REPO / "fixtures" / SCENARIO, fixtures / SCENARIO)
    shutil.copytree(REPO / "fixtures" / "media", fixtures / "media")
    _renamed(fixtures)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    shutil.copy(REPO / "contracts" / "test_scenarios.py", pytester.path / "test_scenarios.py")

    result = pytester.runpytest(
        "-p", "no:cacheprovider", f"--tts-fixtures-dir={fixtures}", "-k", "pixazo/xtts-v2.generate/202-success"
    )

    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "*pixazo POST /voice-clone/v1/xtts-v2/generate: * violation* (scenario "
            "pixazo/xtts-v2.generate/202-success, replay)",
            "*answers: 202 xtts-v2.generate, * × 200 requests.status",
            "*requests.status?*?/output/media_url  ?schema?",
            "*expected: a required field",
            "*got:      missing",
            "*beside it: requests.status*/output/media_urls is not in the documents: renamed media_url → media_urls?",
            "*reproduce:",
            "*curl -X POST https://gateway.pixazo.ai/voice-clone/v1/xtts-v2/generate "
            "-H 'Ocp-Apim-Subscription-Key: ?Filtered?' -H 'Content-Type: application/json' -d *",
            "*curl -X GET https://gateway.pixazo.ai/v2/requests/status/* -H 'Ocp-Apim-Subscription-Key: ?Filtered?'",
        ]
    )
    assert "Plan(" not in out and "ContractSession(" not in out
    assert "replay-key" not in out  # the replay key is a secret like any other
