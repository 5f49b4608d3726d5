"""The public face of harness.scoring: a complete sorted export list, and no heavy import on import."""

from __future__ import annotations

import subprocess
import sys
import types

import harness.scoring as scoring


def test_all_is_sorted_and_complete() -> None:
    assert scoring.__all__ == sorted(scoring.__all__, key=lambda name: (not name.isupper(), name))
    public = {
        name
        for name, value in vars(scoring).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert public == set(scoring.__all__)


def test_importing_scoring_loads_no_model_library() -> None:
    heavy = ("faster_whisper", "ctranslate2", "torch", "whisper", "resemblyzer", "speechmos", "pyloudnorm")
    code = f"import sys, harness.scoring, harness.cli.score; print([m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
