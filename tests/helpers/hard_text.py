"""A few hard-text items in the corpus format (docs/hard-text.md), for the loader's and the judge's tests, and a
watch on the corpus loader (`watch_corpus_reads`): judging is handed the corpora a run loaded, never loads one."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ITEMS: list[dict[str, Any]] = [
    {
        "id": "money-001",
        "category": "money",
        "text": "The ticket costs $12.50 at the door tonight.",
        "span": "$12.50",
        "accepted": ["twelve dollars [and] fifty [cents]", "twelve fifty"],
        "misreadings": [
            {"say": "twelve point five zero dollars", "error": "decimal-read-as-point"},
            {"say": "dollar twelve fifty", "error": "symbol-order"},
        ],
        "control": "The ticket costs twelve dollars and fifty cents at the door tonight.",
        "meaning_changes": True,
    },
    {
        "id": "year-001",
        "category": "year",
        "text": "My grandmother was born in 1984 in a small village.",
        "span": "1984",
        "accepted": ["nineteen eighty four"],
        "misreadings": [
            {"say": "one nine eight four", "error": "year-digit-by-digit"},
            {"say": "one thousand nine hundred [and] eighty four", "error": "year-read-as-cardinal"},
        ],
        "control": "My grandmother was born in nineteen eighty four in a small village.",
        "meaning_changes": False,
    },
    {
        "id": "address-001",
        "category": "address",
        "text": "Please send the letter to 9 Oak Dr. before the weekend.",
        "span": "9 Oak Dr.",
        "accepted": ["nine oak drive"],
        "misreadings": [{"say": "nine oak doctor", "error": "abbreviation-expanded-wrong"}],
        "control": "Please send the letter to nine oak drive before the weekend.",
        "meaning_changes": True,
    },
]


def hard_corpus(items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A hard-text corpus file's content (a fresh copy: a test may spoil it)."""
    return {
        "name": "hard_mini",
        "version": "1",
        "language": "en",
        "kind": "hard-text",
        "categories": {"money": "Amounts of money", "year": "Years", "address": "Street addresses"},
        "items": copy.deepcopy(items if items is not None else ITEMS),
    }


@dataclass
class CorpusReads:
    """What `watch_corpus_reads` saw: each corpus file read from disk (by path), each judging pass, and every load
    attempted while one ran (each refused)."""

    files: list[str] = field(default_factory=list)
    judgings: int = 0
    while_judging: list[str] = field(default_factory=list)


def watch_corpus_reads(monkeypatch: pytest.MonkeyPatch) -> CorpusReads:
    """Count every corpus file the loader reads, and make judging (`harness.benchmark.judge_hard_text`, the one path
    of a run and of `tts-harness score`) refuse to load a corpus: the corpora the run loaded are handed to it. A load
    while judging raises and is recorded, so a path that swallowed the error still shows it."""
    from harness import benchmark
    from harness.core import corpora as corpus
    from harness.core import hard_text
    from harness.core.hard_text import item

    seen = CorpusReads()
    judging = False
    read = corpus._read

    def counted_read(path: Path) -> Any:
        seen.files.append(str(path))
        if judging:
            seen.while_judging.append(f"_read({path})")
            raise AssertionError(f"judging read the corpus {path} from disk again")
        return read(path)

    def refused(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if judging:
                seen.while_judging.append(name)
                raise AssertionError(f"judging called {name}: the loaded corpora are passed to it")
            return original(*args, **kwargs)

        return guarded

    judge = benchmark.judge_hard_text

    def judged(*args: Any, **kwargs: Any) -> Any:
        nonlocal judging
        seen.judgings += 1
        judging = True
        try:
            return judge(*args, **kwargs)
        finally:
            judging = False

    monkeypatch.setattr(corpus, "_read", counted_read)
    for name in ("load_corpus", "parse_corpus", "read_hard_text"):
        monkeypatch.setattr(corpus, name, refused(f"harness.core.corpora.{name}", getattr(corpus, name)))
    for module in (hard_text, item):
        monkeypatch.setattr(module, "read_hard_text", refused("read_hard_text", item.read_hard_text))
    monkeypatch.setattr(benchmark, "judge_hard_text", judged)
    return seen
