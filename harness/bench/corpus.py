"""Benchmark texts: versioned corpus files shipped in `harness/data/corpora/` (the repository's
`benchmarks/corpora` links there), loaded by name, or any corpus file by path.

A corpus file is `{"name", "version", "language", "items": [{"id", "text", "alternatives"?,
"language"?}]}`. The version travels with every job row, so two runs are only compared on the same
texts. A selector `NAME:N` keeps the first N items: the default run uses a short slice.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.core.errors import UsageError
from harness.core.packaged import CORPORA, data_path

SPEAKER_LINE = re.compile(r"^\s*Speaker\s+\d+\s*:", re.MULTILINE)


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


def parse_corpus(data: Any, path: Path | None = None) -> Corpus:
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
    items = tuple(
        CorpusItem(item.id, item.text, item.language or model.language, tuple(item.alternatives))
        for item in model.items
    )
    return Corpus(model.name, model.version, model.language, items, path)


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
    corpus = parse_corpus(data, path)
    if count:
        corpus = Corpus(corpus.name, corpus.version, corpus.language, corpus.items[: int(count)], path)
    return corpus
