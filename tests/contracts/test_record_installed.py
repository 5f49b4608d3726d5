"""Recording a built-in provider never writes into an installed harness: where the harness is a package (not
its own source tree) the record modes refuse, before sending, in one line naming `--tts-fixtures-dir`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.contracts.session import FIXTURES
from harness.core import packaged
from harness.sandbox import running

REPO = Path(__file__).resolve().parents[2]


def _snapshot(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_an_installed_harness_refuses_to_record_its_built_in_providers(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(packaged, "in_source_checkout", lambda: False)  # as from site-packages
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    shutil.copy(REPO / "contracts" / "test_scenarios.py", pytester.path / "test_scenarios.py")
    before = _snapshot(FIXTURES / "scenarios" / "pixazo")
    with running(profile="fast") as sandbox:
        refused = pytester.runpytest(
            "-p",
            "no:cacheprovider",
            f"--tts-target={sandbox.url}",
            "--tts-record-mode=all",
            "-k",
            "pixazo and xtts and generate",
        )
        sent = len(sandbox.jobs())
        # Given a folder of the user's, the same command records there.
        kept = tmp_path / "mine"
        recorded = pytester.runpytest(
            "-p",
            "no:cacheprovider",
            f"--tts-target={sandbox.url}",
            "--tts-record-mode=all",
            f"--tts-fixtures-dir={kept}",
            "-k",
            "pixazo and xtts and generate",
        )
    failed = refused.parseoutcomes().get("failed", 0)
    assert failed >= 1 and refused.parseoutcomes().get("passed", 0) == 0, refused.stdout.str()[-2000:]
    refused.stdout.fnmatch_lines(
        ["*recording pixazo would write into the installed tts-harness*--tts-fixtures-dir DIR*"]
    )
    assert "Traceback" not in refused.stdout.str()
    assert sent == 0  # refused before anything was sent
    assert _snapshot(FIXTURES / "scenarios" / "pixazo") == before
    assert recorded.parseoutcomes().get("passed", 0) == failed, recorded.stdout.str()[-2000:]
    assert list((kept / "scenarios" / "pixazo").rglob("*.json"))
