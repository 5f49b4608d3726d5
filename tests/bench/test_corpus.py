"""Corpora: every shipped file loads, has a version, and the sets the issue asks for exist."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.core.corpora import available, load_corpus, parse_corpus
from harness.core.errors import UsageError


def test_every_shipped_corpus_loads_with_a_version() -> None:
    names = available()
    for required in (
        "en_read",
        "en_numbers",
        "en_long",
        "en_dialogue",
        "es_short",
        "fr_short",
        "de_short",
        "zh_short",
        "ja_short",
    ):
        assert required in names
    for name in names:
        corpus = load_corpus(name)
        assert corpus.version and corpus.items
        assert all(item.language == corpus.language for item in corpus.items)


def test_the_english_read_set_has_at_least_fifty_sentences() -> None:
    assert len(load_corpus("en_read").items) >= 50


def test_long_texts_sit_at_the_500_character_limit() -> None:
    lengths = sorted(len(item.text) for item in load_corpus("en_long").items)
    assert 500 in lengths and max(lengths) > 500 and any(480 <= n < 500 for n in lengths)


def test_dialogues_are_scripts() -> None:
    assert all(item.is_script for item in load_corpus("en_dialogue").items)


def test_slices_and_files(tmp_path: Path) -> None:
    assert len(load_corpus("en_read:3").items) == 3
    path = tmp_path / "mine.json"
    path.write_text(
        json.dumps(
            {
                "name": "mine",
                "version": "7",
                "language": "en",
                "items": [{"id": "a", "text": "Hello."}, {"id": "b", "text": "Bye."}],
            }
        )
    )
    corpus = load_corpus(f"{path}:1")
    assert (corpus.name, corpus.version, [i.id for i in corpus.items]) == ("mine", "7", ["a"])


def test_bad_corpora_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="known:"):
        load_corpus("nope")
    with pytest.raises(UsageError, match="unique"):
        parse_corpus(
            {
                "name": "x",
                "version": "1",
                "language": "en",
                "items": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}],
            }
        )
    with pytest.raises(UsageError, match="version"):
        parse_corpus({"name": "x", "language": "en", "items": [{"id": "a", "text": "x"}]})


def test_a_corpus_loads_with_the_cycle_collector_paused_and_leaves_it_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A large file's objects hold no cycle; full collections walking them were a third of a large load's CPU
    # (docs/hard-text.md). The collector's state is seen where the file is read and where its items are built.
    import gc

    from harness.core import corpora

    seen: list[tuple[str, bool]] = []
    read, parse = corpora._read, corpora.parse_corpus

    def reading(path: Path) -> object:
        seen.append(("read", gc.isenabled()))
        return read(path)

    def parsing(*args: object) -> object:
        seen.append(("parse", gc.isenabled()))
        return parse(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(corpora, "_read", reading)
    monkeypatch.setattr(corpora, "parse_corpus", parsing)
    try:
        assert gc.isenabled()
        load_corpus("en_hard")
        assert gc.isenabled()  # running again after the load
        gc.disable()
        load_corpus("en_hard")
        assert not gc.isenabled()  # paused by the caller: still paused
    finally:
        gc.enable()
    assert seen == [("read", False), ("parse", False)] * 2
