"""`aligner_error.py --corpus NAME --skip N`: the sentences the default's 32 leave out, so a held-out figure of
docs/measurements.md is a command, not a by-hand run."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

PERF = Path(__file__).resolve().parents[2] / "benchmarks" / "perf"


def test_a_named_corpus_after_its_first_sentences_is_what_is_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(PERF))
    script = importlib.import_module("aligner_error")
    read = [item["text"] for item in json.loads((PERF.parents[0] / "corpora" / "en_read.json").read_text())["items"]]
    default = script.sentences(32)
    held_out = script.sentences(28, "en_read", 16)
    assert held_out == read[16:44] and not set(held_out) & set(default)
    assert script.sentences(2, skip=1) == default[1:3]
    with pytest.raises(SystemExit, match="no corpus 'nope'"):
        script.sentences(2, "nope")
