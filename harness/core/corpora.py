"""Benchmark texts: versioned corpus files shipped in `harness/data/corpora/` (the repository's
`benchmarks/corpora` links there), loaded by name, or any corpus file by path; a run's corpora chosen for its
language (`run_corpora`: the shipped corpus of `--language` where the run names none of its own).

A corpus file is `{"name", "version", "language", "items": [{"id", "text", "alternatives"?,
"language"?}]}`. The version travels with every job row, so two runs are only compared on the same
texts. A selector `NAME:N` keeps the first N items: the default run uses a short slice.

A hard-text corpus (`"kind": "hard-text"`, docs/hard-text.md) adds to each item the span to judge and how
(`harness.core.hard_text`); each of its items is run twice, as written and as its control (`<id>.control`,
the span already in words), so a reading is only judged where the voice and the ASR get the control right.

A corpus file is a user's input, so loading it is bounded: its size (`MAX_CORPUS_BYTES`), its nesting
(`MAX_JSON_DEPTH`), each spoken form (`harness.core.hard_text.grammar`) and each hard-text item
(`harness.core.hard_text`); every step is linear in the file (150,000 items load in seconds,
benchmarks/perf/corpus_load.py), and a bad file is one `UsageError` line (a hard-text file with bad items: a
line per problem).
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.core.errors import UsageError
from harness.core.hard_text import HardText, read_hard_text
from harness.core.languages import primary
from harness.core.names import not_known
from harness.core.packaged import CORPORA, data_path
from harness.core.protocols.markup import Asked, markup_item, spoken

SPEAKER_LINE = re.compile(r"^\s*Speaker\s+\d+\s*:", re.MULTILINE)
HARD_TEXT = "hard-text"
MARKUP = "markup"  # each item's `pieces`: its words and the pauses asked between them (docs/markup.md)
CONTROL_SUFFIX = ".control"
# A file with many bad items names this many problems, then how many more there are.
MAX_PROBLEM_LINES = 25
# The largest corpus file read: 150,000 hard-text items written like en_hard's take about 70 MB as compact JSON
# (100 MB indented as shipped); the parsed file is held in memory, about 8 times its size.
MAX_CORPUS_BYTES = 128 * 2**20
# The deepest nesting of arrays and objects read: a corpus is 5 deep (file, items, item, misreadings, misreading);
# room for a user's extra fields, far from the depth where Python's JSON reader gives up.
MAX_JSON_DEPTH = 32
# A one-line refusal names this many repeated ids or invalid fields, then how many more there are.
_NAMED = 5


def corpora_dir() -> Path:
    """The shipped corpora: package data, so an installed harness runs its default benchmark anywhere."""
    return data_path(CORPORA)


class _ItemModel(BaseModel):
    # An item's other fields (a hard-text item's span and forms) are read from the file's own objects: a copy in
    # every model would double the memory a large corpus takes.
    model_config = ConfigDict(extra="ignore", defer_build=True)  # built when a corpus is first read, not at import

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    alternatives: list[str] = Field(default_factory=list)
    language: str | None = None


class _CorpusModel(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)  # as `_ItemModel`

    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    language: str = Field(min_length=2)
    items: list[_ItemModel] = Field(min_length=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class CorpusItem:
    id: str
    text: str
    language: str
    alternatives: tuple[str, ...] = ()
    hard: HardText | None = None  # a hard-text item: the span to judge and how
    control: bool = False  # this is the item's control (its span already written in words)
    # A markup item: its words and pauses (`harness.core.protocols.markup`), written in each provider's own tags;
    # `text` is what is heard (the words alone).
    markup: tuple[Asked, ...] | None = None

    @property
    def hard_id(self) -> str:
        """The hard-text item this clip reads (its own id, or the id its control was made from)."""
        return self.id.removesuffix(CONTROL_SUFFIX) if self.control else self.id

    @property
    def is_script(self) -> bool:
        """A multi-speaker script ("Speaker 0: …" lines), for models that take them."""
        return bool(SPEAKER_LINE.match(self.text))


@dataclass(frozen=True, slots=True, kw_only=True)
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

    @property
    def is_markup(self) -> bool:
        return self.kind == MARKUP


def parse_corpus(data: Any, path: Path | None = None, limit: int | None = None) -> Corpus:
    """The corpus in ``data``; ``limit`` keeps its first items (a hard-text item with its control)."""
    where = str(path) if path else "corpus"
    if _deeper_than(data, MAX_JSON_DEPTH):
        raise UsageError(
            f"{where}: arrays and objects nested more than {MAX_JSON_DEPTH} deep; a corpus file is not nested so deep"
        )
    try:
        model = _CorpusModel.model_validate(data)
    except ValidationError as error:
        errors = error.errors(include_url=False)
        problems = "; ".join(f"{'/'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:_NAMED])
        raise UsageError(f"{where} is not a corpus file: {_one_line(problems)}{_more(len(errors))}") from None
    counts = Counter(item.id for item in model.items)
    if len(counts) < len(model.items):
        duplicates = sorted(i for i, count in counts.items() if count > 1)
        named = ", ".join(_one_line(repr(i)) for i in duplicates[:_NAMED])
        raise UsageError(
            f"{where}: item ids must be unique; {len(duplicates):,} repeated: {named}{_more(len(duplicates))}"
        )
    chosen = model.items[:limit] if limit is not None else model.items
    kind = getattr(model, "kind", None)
    if kind == HARD_TEXT:
        hard = _hard_items(model, data["items"], chosen, where)
        return Corpus(name=model.name, version=model.version, language=model.language, items=hard, path=path, kind=kind)
    if kind == MARKUP:
        return Corpus(
            name=model.name,
            version=model.version,
            language=model.language,
            items=_markup_items(model, data["items"], chosen, where),
            path=path,
            kind=kind,
        )
    items = tuple(
        CorpusItem(
            id=item.id, text=item.text, language=item.language or model.language, alternatives=tuple(item.alternatives)
        )
        for item in chosen
    )
    return Corpus(
        name=model.name,
        version=model.version,
        language=model.language,
        items=items,
        path=path,
        kind=kind if isinstance(kind, str) else None,
    )


def _hard_items(
    model: _CorpusModel, written: list[dict[str, Any]], chosen: list[_ItemModel], where: str
) -> tuple[CorpusItem, ...]:
    """Each hard-text item as written and as its control; every problem of the file in one line each
    (``written``: the file's items, which ``model`` validated)."""
    categories = getattr(model, "categories", None)
    if categories is not None and not isinstance(categories, dict):
        raise UsageError(f"{where}: `categories` must be an object of name -> description")
    items: list[CorpusItem] = []
    problems: list[str] = []
    chosen_ids = {item.id for item in chosen}
    for item, fields in zip(model.items, written, strict=True):  # every item, also those a `:N` selector leaves out
        hard = read_hard_text(fields, categories)
        if isinstance(hard, list):
            problems.extend(f"item {_one_line(item.id)}: {_one_line(problem)}" for problem in hard)
        elif item.id in chosen_ids:
            language = item.language or model.language
            items.append(CorpusItem(id=item.id, text=item.text, language=language, alternatives=(), hard=hard))
            items.append(
                CorpusItem(
                    id=item.id + CONTROL_SUFFIX,
                    text=hard.control,
                    language=language,
                    alternatives=(),
                    hard=hard,
                    control=True,
                )
            )
    if len(problems) == 1:
        raise UsageError(f"{where} is not a valid hard-text corpus: {problems[0]}")
    if problems:
        shown = problems[:MAX_PROBLEM_LINES]
        more = len(problems) - len(shown)
        raise UsageError(
            f"{where} is not a valid hard-text corpus ({len(problems)} problems):\n  "
            + "\n  ".join(shown)
            + (f"\n  … and {more} more" if more else "")
        )
    return tuple(items)


def _markup_items(
    model: _CorpusModel, written: list[dict[str, Any]], chosen: list[_ItemModel], where: str
) -> tuple[CorpusItem, ...]:
    """Each markup item with its pieces, whose words must be its `text` (what the recogniser is held to)."""
    by_id = {str(fields.get("id")): fields for fields in written}
    items: list[CorpusItem] = []
    for item in chosen:
        try:
            pieces = markup_item(by_id[item.id].get("pieces"))
        except ValueError as error:
            raise UsageError(f"{where}: item {_one_line(item.id)}: {_one_line(str(error))}") from None
        if spoken(pieces) != " ".join(item.text.split()):
            raise UsageError(
                f"{where}: item {_one_line(item.id)}: its text must be its pieces' words, {_one_line(spoken(pieces))!r}"
            )
        items.append(
            CorpusItem(
                id=item.id, text=item.text, language=item.language or model.language, alternatives=(), markup=pieces
            )
        )
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
            said = not_known("corpus", [spec], known)
            raise UsageError(f"{said}; known: {', '.join(known) or 'none'} (or give a file)")
        path = known[spec]
    if not path.is_file():
        raise UsageError(f"corpus file {path} does not exist")
    with _collector_paused():
        return parse_corpus(_read(path), path, int(count) if count else None)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a corpus file is read and its items built. A large file makes millions
    of objects, none of them in a cycle, and each full collection the allocations trigger walks all of those made so
    far: 150,000 hard-text items took 26.8 s of CPU with it running and 17.4 s paused (benchmarks/perf/corpus_load.py,
    2026-11-29). Reference counting still frees what is dropped; a cycle made meanwhile, by any thread, waits for the
    next collection after the load. Left paused where the caller had paused it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def corpus_of(language: str) -> str:
    """The shipped corpus of `language` (its `<language>_read` where there is one), or a usage error naming those."""
    names = sorted(name for name in available() if primary(name.split("_")[0]) == primary(language))
    if not names:
        shipped = ", ".join(sorted({name.split("_")[0] for name in available()}))
        raise UsageError(f"no shipped corpus is in {language!r} (corpora are in {shipped}): give --corpus FILE")
    return next((name for name in names if name.endswith("_read")), names[0])


def run_corpora(selectors: Sequence[str], language: str | None, default: Sequence[str]) -> list[Corpus]:
    """A run's corpora: those `selectors` name, or, for a run in `language` whose selectors are the `default`
    (it named no corpus of its own), that language's shipped corpus."""
    if language and tuple(selectors) == tuple(default):
        selectors = (corpus_of(language),)
    return [load_corpus(selector) for selector in selectors]


def _read(path: Path) -> Any:
    """The JSON in ``path``, within `MAX_CORPUS_BYTES` (its bytes let go once read); one line where it is not."""
    too_large = UsageError(
        f"corpus {path} is larger than {MAX_CORPUS_BYTES // 2**20} MB, the most a corpus file may hold; split it"
    )
    try:
        if path.stat().st_size > MAX_CORPUS_BYTES:
            raise too_large
        with path.open("rb") as file:
            raw = file.read(MAX_CORPUS_BYTES + 1)  # a file that grew since
        if len(raw) > MAX_CORPUS_BYTES:
            raise too_large
        return json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read corpus {path}: {_one_line(str(error))}") from None
    except RecursionError:  # Python's reader gives up about 1,000 deep, at once
        raise UsageError(
            f"corpus {path}: arrays and objects nested more than {MAX_JSON_DEPTH} deep; a corpus file "
            "is not nested so deep"
        ) from None


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether ``data``'s arrays and objects nest more than ``limit`` deep (walked with a stack, not recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth >= limit:
                    return True
                stack.append((child, depth + 1))
    return False


def _one_line(text: str) -> str:
    """``text`` on one line: a user's id or field may hold line breaks."""
    return text if "\n" not in text and "\r" not in text else text.replace("\r", "\\r").replace("\n", "\\n")


def _more(count: int) -> str:
    return f" … and {count - _NAMED:,} more" if count > _NAMED else ""
