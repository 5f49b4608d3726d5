"""`tts-harness compare` over two fixture folders replays their recorded streams and flags a stream whose
first audio comes later than BASE's beyond the tolerance, or whose frames come in another order; the
same recordings on both sides raise nothing. BASE is a copy of the committed recordings."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from harness.cli.report import compare_command
from harness.core.registry import providers
from harness.report.compare import Metric, Ruling
from harness.report.stream_compare import compare_streams
from tests.helpers.providers_file import providers_file_in_effect
from tests.helpers.realtime import realtime_toml

REPO = Path(__file__).resolve().parents[2]
STREAM = "scenarios/ttsai/tts.stream/200-success.json"


@pytest.fixture
def realtime_declared(tmp_path: Path) -> Iterator[None]:
    path = tmp_path / "tts-harness.toml"
    path.write_text(realtime_toml(), encoding="utf-8")
    with providers_file_in_effect(path):
        yield


def _folder(root: Path, *recordings: str) -> Path:
    for recording in recordings:
        (root / recording).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "fixtures" / recording, root / recording)  # scenarios/ links to package data
    return root


def _edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _later(ms: float) -> Any:
    def shift(data: dict[str, Any]) -> None:
        for frame in data["frames"]:
            frame["t_ms"] += ms if frame["dir"] == "recv" else 0
        data["closing"]["t_ms"] += ms

    return shift


def test_the_same_recordings_raise_nothing(tmp_path: Path, realtime_declared: None) -> None:
    files = ("realtime/carte/synthesis.json", "realtime/dgram/synthesis.json")
    comparison = compare_streams(_folder(tmp_path / "base", *files), _folder(tmp_path / "new", *files), providers())
    assert comparison.exit_code == 0
    assert {c.statistic for c in comparison.checks} == {"first audio (ms, replayed)", "stream order"}
    assert all(c.metric is Metric.STREAM and c.verdict is Ruling.OK for c in comparison.checks)


def test_a_slower_first_frame_is_flagged(tmp_path: Path, realtime_declared: None) -> None:
    file = "realtime/dgram/synthesis.json"
    base, new = _folder(tmp_path / "base", file), _folder(tmp_path / "new", file)
    _edit(new / file, _later(300.0))
    comparison = compare_streams(base, new, providers())
    flagged = [c for c in comparison.regressions if c.statistic == "first audio (ms, replayed)"]
    assert [c.label for c in flagged] == ["dgram/realtime/synthesis"]
    # Both sides are replayed in real time on a loaded machine: either replay may start tens of ms late
    # (CI saw BASE 20 ms late against a 120 ms shift), so the shift is large and the bound is half of it.
    assert flagged[0].change is not None and flagged[0].change > 150


def test_a_frame_order_change_is_flagged(tmp_path: Path, realtime_declared: None) -> None:
    file = "realtime/eleven/streamed-input.json"
    base, new = _folder(tmp_path / "base", file), _folder(tmp_path / "new", file)

    def final_first(data: dict[str, Any]) -> None:
        frames = data["frames"]
        final = next(i for i, f in enumerate(frames) if "isFinal" in (f.get("text") or "") and "true" in f["text"])
        audio = next(i for i, f in enumerate(frames) if f["dir"] == "recv" and '"audio"' in (f.get("text") or ""))
        frames[audio]["text"], frames[final]["text"] = frames[final]["text"], frames[audio]["text"]

    _edit(new / file, final_first)
    statistics = {c.statistic for c in compare_streams(base, new, providers()).regressions}
    assert {"stream order", "frame rules (replayed)"} <= statistics


@pytest.mark.clock
def test_the_cli_flags_a_slower_sse_stream(tmp_path: Path) -> None:
    base, new = _folder(tmp_path / "base", STREAM), _folder(tmp_path / "new", STREAM)

    def slower(data: dict[str, Any]) -> None:
        timing = data["exchanges"][0]["response"]["body"]["timing"]
        timing["chunks"] = [[at + 150.0, size] for at, size in timing["chunks"]]

    _edit(new / STREAM, slower)
    app = typer.Typer()
    app.command()(compare_command)
    result = CliRunner().invoke(app, [str(base), str(new), "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    (flagged,) = [c for c in report["checks"] if c["verdict"] == "regression"]
    assert (flagged["provider"], flagged["model"], flagged["metric"]) == ("ttsai", "tts.stream/200-success#0", "stream")


def test_a_fixture_folder_against_a_run_is_one_usage_line(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(compare_command)
    result = CliRunner().invoke(app, [str(_folder(tmp_path / "base", STREAM)), "some-run-id"])
    assert result.exit_code == 2
    assert "is a fixture folder and the other is not" in result.output
    assert "Traceback" not in result.output


def test_a_session_of_an_undeclared_provider_is_a_note_not_a_pass(tmp_path: Path) -> None:
    file = "realtime/carte/synthesis.json"
    comparison = compare_streams(_folder(tmp_path / "base", file), _folder(tmp_path / "new", file), providers())
    assert comparison.checks == () and comparison.exit_code == 0
    assert comparison.notes == (
        "BASE realtime/carte/synthesis: carte is not a declared realtime provider here; not replayed",
        "NEW realtime/carte/synthesis: carte is not a declared realtime provider here; not replayed",
    )
