"""`pytest contracts/` counts the `source: docs` scenarios apart in its summary: they are the evidence
the specs did not write, and a reader must see how many of them ran and how they went."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_the_summary_counts_the_docs_scenarios_apart(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    shutil.copy(REPO / "contracts" / "test_doc_scenarios.py", pytester.path / "test_doc_scenarios.py")
    shutil.copy(REPO / "contracts" / "test_scenarios.py", pytester.path / "test_scenarios.py")

    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "documented_example or pixazo/xtts-v2")

    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0, result.stdout.str()[-2000:]
    result.stdout.fnmatch_lines(
        [
            "*tts-harness contracts*",
            "source docs: * scenarios from the documents' examples; * passed, 0 failed, 0 skipped",
            "target replay: * scenarios over * endpoints of * providers; 7 passed, 0 failed, 0 skipped",
        ]
    )
    docs = int(result.stdout.str().split("source docs: ")[1].split(" ")[0])
    assert docs >= 57 + 5  # every catalogued example and the prose's counter-examples


def test_the_summary_counts_the_sdk_scenarios_apart(pytester: pytest.Pytester) -> None:
    """What TTS.ai's official client calls beyond its documents (`source: sdk`) is another kind of evidence:
    counted on its own line, beside the replay total that includes it."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    shutil.copy(REPO / "contracts" / "test_scenarios.py", pytester.path / "test_scenarios.py")

    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "ttsai/sdk.models.list or ttsai/saved-voice.tts")

    assert result.parseoutcomes().get("failed", 0) == 0, result.stdout.str()[-2000:]
    result.stdout.fnmatch_lines(
        [
            "*tts-harness contracts*",
            "source sdk: 5 scenarios from official client libraries' calls; 5 passed, 0 failed, 0 skipped",
            "target replay: * scenarios over * endpoints of * providers; 14 passed, 0 failed, 0 skipped",
        ]
    )
