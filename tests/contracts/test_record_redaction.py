"""Recording never writes a key: plant recognisable keys in the environment, record every scenario of
a provider through `--tts-record-mode=all` against a loopback sandbox that accepts those keys, and search
every written byte for them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from harness.sandbox import running
from tests.helpers.planted import KEY, EchoingProxy, echo, leaks

REPO = Path(__file__).resolve().parents[2]
PLANTED = {
    "PIXAZO_API_KEY": "PLANTED-pixazo-3f9a1c2e7b",
    "PIXELAPI_API_KEY": "PLANTED-pixelapi-8d2b6e0f4a",
    "TTSAI_API_KEY": "sk-tts-PLANTED-5c7e9a1b3d",
}
ECHO = echo(KEY)


@pytest.mark.slow
def test_recorded_fixtures_hold_no_planted_key(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name, value in PLANTED.items():
        monkeypatch.setenv(name, value)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    shutil.copy(REPO / "contracts" / "test_scenarios.py", pytester.path / "test_scenarios.py")
    fixtures = tmp_path / "recorded"
    with running(profile="fast") as sandbox:
        sandbox.add_key("pixazo", PLANTED["PIXAZO_API_KEY"])
        sandbox.add_key("pixelapi", PLANTED["PIXELAPI_API_KEY"])
        result = pytester.runpytest(
            "-p",
            "no:cacheprovider",
            f"--tts-target={sandbox.url}",
            "--tts-record-mode=all",
            f"--tts-fixtures-dir={fixtures}",
            "-k",
            "pixazo and (xtts or status) or pixelapi and generate",
        )
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) >= 5, result.stdout.str()[-3000:]
    written = [p for p in fixtures.rglob("*") if p.is_file()]
    assert any(p.suffix == ".json" for p in written) and any(p.suffix == ".wav" for p in written)
    leaks = [
        f"{p.relative_to(fixtures)}: {name}"
        for p in written
        for name, value in PLANTED.items()
        if value.encode() in p.read_bytes()
    ]
    assert leaks == []
    # The keys were really sent: the recordings show the filtered credential header.
    assert any(b"[Filtered]" in p.read_bytes() for p in written if p.suffix == ".json")


def _plant(body: Any, status: int) -> Any:
    if not isinstance(body, dict):
        return body
    return {**body, "x_echo": f"your key was {ECHO}", KEY: "a field named by the key"}


@pytest.mark.slow
def test_no_piece_of_an_echoed_key_reaches_a_fixture_or_the_summary(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A server that echoes the key in every form (and as a field name: drift pointers escape it) into
    every answer: the fixtures written and what the session printed (findings, drift summary) hold no
    piece of it."""
    monkeypatch.setenv("PIXAZO_API_KEY", KEY)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    shutil.copy(REPO / "contracts" / "test_scenarios.py", pytester.path / "test_scenarios.py")
    fixtures = tmp_path / "recorded"
    with running(profile="fast") as sandbox:
        sandbox.add_key("pixazo", KEY)
        proxy = EchoingProxy(sandbox.url, KEY, _plant)
        try:
            result = pytester.runpytest(
                "-p",
                "no:cacheprovider",
                f"--tts-target={proxy.url}",
                "--tts-record-mode=all",
                f"--tts-fixtures-dir={fixtures}",
                "-k",
                "pixazo and (xtts or status)",
            )
        finally:
            proxy.close()
    assert result.parseoutcomes().get("passed", 0) >= 3, result.stdout.str()[-3000:]
    printed = result.stdout.str() + result.stderr.str()
    assert "drift seen" in printed and "[Filtered]" in printed  # the echo reached the summary, filtered
    (fixtures / "terminal.txt").write_text(printed)
    assert leaks(fixtures, KEY) == []
