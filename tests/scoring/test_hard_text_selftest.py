"""benchmarks/perf/hard_text_selftest.py --smoke: Piper reads right and wrong readings, the span scorer judges."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from harness.speech import Engine, unavailable_reason
from tests.helpers.hard_text import hard_corpus
from tests.helpers.repo import REPO_ROOT

SCRIPT = REPO_ROOT / "benchmarks" / "perf" / "hard_text_selftest.py"


def _script() -> ModuleType:
    if str(SCRIPT.parent) not in sys.path:  # its sibling `goals`, as `python benchmarks/perf/...` finds it
        sys.path.insert(0, str(SCRIPT.parent))
    spec = importlib.util.spec_from_file_location("hard_text_selftest", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_smoke_self_test_passes_right_readings_and_fails_wrong_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "mini.json"
    corpus.write_text(json.dumps(hard_corpus()))
    folder = tmp_path / "judgeable"
    assert _script().main(["--smoke", "--corpus", str(corpus), "--write", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "7 renders of" in out and "| money | 2 | 1.00 | 2 | 1.00 (2) | 0 | 0 | 0 | yes |" in out
    assert "wrong readings passed 0" in out
    written = json.loads((folder / "tiny.en.json").read_text())
    assert written["asr_model"].startswith("tiny.en#") and written["threshold"] == 0.9
    assert written["method"] == "forced-choice" and written["voices"] == ["piper"]
    assert set(written["categories"]) == {"money", "year"}  # the first two items
    assert written["categories"]["money"]["judgeable"] is True


def test_a_reading_the_voices_say_as_letters_is_left_out() -> None:
    script = _script()
    assert script.said_as_letters(("eight", "pm")) and not script.said_as_letters(("eight", "am"))


def test_a_reading_is_said_with_its_letters_named() -> None:
    assert _script().spoken_text(("v", "two", "a", "m")) == "V two eigh M"
    assert _script().spoken_text(("a", "quarter", "past")) == "a quarter past"


@pytest.mark.skipif(unavailable_reason(Engine.KOKORO) is not None, reason=str(unavailable_reason(Engine.KOKORO)))
def test_the_second_natural_voice_is_heard_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Kokoro's voice (the self-test's second voice beside Piper): tiny.en passes its right readings and fails
    its wrong ones on the first two items."""
    corpus = tmp_path / "mini.json"
    corpus.write_text(json.dumps(hard_corpus()))
    assert _script().main(["--smoke", "--corpus", str(corpus), "--voices", "kokoro", "--examples", "5"]) == 0
    out = capsys.readouterr().out
    assert "7 renders of" in out and "by kokoro" in out and "wrong readings passed 0" in out
    assert "| money | 2 | 1.00 | 2 | 1.00 (2) | 0 | 0 | 0 | yes |" in out
