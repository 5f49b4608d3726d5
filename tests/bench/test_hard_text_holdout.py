"""The held-out hard-text set (benchmarks/perf/data/en_hard_holdout.json, docs/hard-text.md "Items written apart from
en_hard"): its figures say how the judge does on text it was not tuned on only while it stays apart from en_hard."""

from __future__ import annotations

import json
from collections import Counter

from harness.core.corpora import load_corpus
from tests.helpers.repo import REPO_ROOT

HOLDOUT = REPO_ROOT / "benchmarks" / "perf" / "data" / "en_hard_holdout.json"


def test_the_held_out_set_loads_and_shares_no_sentence_or_span_with_en_hard() -> None:
    held_out, en_hard = load_corpus(str(HOLDOUT)), load_corpus("en_hard")
    assert held_out.is_hard_text
    written = [item for item in held_out.items if not item.control]
    assert len(written) == 126 and set(Counter(item.hard.category for item in written if item.hard).values()) == {6}
    theirs = [item for item in en_hard.items if not item.control and item.hard]
    spans = {item.hard.span.lower() for item in theirs if item.hard}
    texts = {item.text.lower() for item in theirs}
    for item in written:
        assert item.hard is not None
        assert item.hard.span.lower() not in spans, item.id
        assert item.text.lower() not in texts, item.id
    raw = json.loads(HOLDOUT.read_text(encoding="utf-8"))
    assert (
        raw["categories"]
        == json.loads((REPO_ROOT / "harness" / "data" / "corpora" / "en_hard.json").read_text(encoding="utf-8"))[
            "categories"
        ]
    )
