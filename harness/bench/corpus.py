"""Benchmark texts: versioned corpus files shipped in `harness/data/corpora/` (the repository's
`benchmarks/corpora` links there), loaded by name, or any corpus file by path.

A corpus file is `{"name", "version", "language", "items": [{"id", "text", "alternatives"?,
"language"?}]}`. The version travels with every job row, so two runs are only compared on the same
texts. A selector `NAME:N` keeps the first N items: the default run uses a short slice.

A hard-text corpus (`"kind": "hard-text"`, docs/hard-text.md) adds to each item the span to judge and how
(`harness.core.hard_text`); each of its items is run twice, as written and as its control (`<id>.control`,
the span already in words), so a reading is only judged where the voice and the ASR get the control right.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.core.errors import UsageError
from harness.core.hard_text import HardText, read_hard_text
from harness.core.packaged import CORPORA, data_path

SPEAKER_LINE = re.compile(r"^\s*Speaker\s+\d+\s*:", re.MULTILINE)
HARD_TEXT = "hard-text"
CONTROL_SUFFIX = ".control"
# A file with many bad items names this many problems, then how many more there are.
MAX_PROBLEM_LINES = 25


def corpora_dir() -> Path:
    """The shipped corpora: package data, so an installed harness runs its default benchmark anywhere."""
    return data_path(CORPORA)


class _ItemModel(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    alternatives: list[str] = Field(default_factory=list)
    language: str | None = None


class _CorpusModel(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    language: str = Field(min_length=2)
    items: list[_ItemModel] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class CorpusItem:
    id: str
    text: str
    language: str
    alternatives: tuple[str, ...] = ()
    hard: HardText | None = None  # a hard-text item: the span to judge and how
    control: bool = False  # this is the item's control (its span already written in words)

    @property
    def hard_id(self) -> str:
        """The hard-text item this clip reads (its own id, or the id its control was made from)."""
        return self.id.removesuffix(CONTROL_SUFFIX) if self.control else self.id

    @property
    def is_script(self) -> bool:
        """A multi-speaker script ("Speaker 0: …" lines), for models that take them."""
        return bool(SPEAKER_LINE.match(self.text))


@dataclass(frozen=True, slots=True)
class Corpus:
    name: str
    version: str
    language: str
    items: tuple[CorpusItem, ...]
    path: Path | None = None
    kind: str | None = None

    @property
    def is_hard_text(self) -> bool:
        return self.kind == HARD_TEXT


def parse_corpus(data: Any, path: Path | None = None, limit: int | None = None) -> Corpus:
    """The corpus in ``data``; ``limit`` keeps its first items (a hard-text item with its control)."""
    where = str(path) if path else "corpus"
    try:
        model = _CorpusModel.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{'/'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors(include_url=False))
        raise UsageError(f"{where} is not a corpus file: {problems}") from None
    ids = [item.id for item in model.items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise UsageError(f"{where}: item ids must be unique; repeated: {', '.join(duplicates)}")
    chosen = model.items[:limit] if limit is not None else model.items
    kind = getattr(model, "kind", None)
    if kind == HARD_TEXT:
        return Corpus(model.name, model.version, model.language, _hard_items(model, chosen, where), path, kind)
    items = tuple(
        CorpusItem(item.id, item.text, item.language or model.language, tuple(item.alternatives))
        for item in chosen
    )
    return Corpus(model.name, model.version, model.language, items, path, kind if isinstance(kind, str) else None)


def _hard_items(model: _CorpusModel, chosen: list[_ItemModel], where: str) -> tuple[CorpusItem, ...]:
    """Each hard-text item as written and as its control; every problem of the file in one line each."""
    categories = getattr(model, "categories", None)
    if categories is not None and not isinstance(categories, dict):
        raise UsageError(f"{where}: `categories` must be an object of name -> description")
    items: list[CorpusItem] = []
    problems: list[str] = []
    chosen_ids = {item.id for item in chosen}
    for item in model.items:  # every item is checked, also those a `:N` selector leaves out
        hard = read_hard_text(item.model_dump(), categories)
        if isinstance(hard, list):
            problems.extend(f"item {item.id}: {problem}" for problem in hard)
        elif item.id in chosen_ids:
            language = item.language or model.language
            items.append(CorpusItem(item.id, item.text, language, (), hard))
            items.append(CorpusItem(item.id + CONTROL_SUFFIX, hard.control, language, (), hard, control=True))
    if problems:
        shown = problems[:MAX_PROBLEM_LINES]
        more = len(problems) - len(shown)
        raise UsageError(f"{where} is not a valid hard-text corpus ({len(problems)} problems):\n  "
                         + "\n  ".join(shown) + (f"\n  … and {more} more" if more else ""))
    return tuple(items)


def available() -> dict[str, Path]:
    """Corpus names shipped with the harness (`corpora_dir`)."""
    return {path.stem: path for path in sorted(corpora_dir().glob("*.json"))}


def load_corpus(selector: str) -> Corpus:
    """`NAME`, `NAME:N`, `path/to/file.json` or `path/to/file.json:N`."""
    spec, _, count = selector.rpartition(":") if re.search(r":\d+$", selector) else (selector, "", "")
    path = Path(spec)
    if not path.suffix:
        known = available()
        if spec not in known:
            raise UsageError(f"unknown corpus {spec!r}; known: {', '.join(known) or 'none'} (or give a file)")
        path = known[spec]
    if not path.is_file():
        raise UsageError(f"corpus file {path} does not exist")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read corpus {path}: {error}") from None
    return parse_corpus(data, path, int(count) if count else None)
