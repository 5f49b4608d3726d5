"""The documents a newcomer reads first stay readable, and true of the tree.

- README.md reaches its first link to deeper documents within 120 lines, and defines each of its terms where it first
  uses it (the word in bold there);
- ARCHITECTURE.md stays a map: at most 250 lines (the detail is in the modules' docstrings and docs/);
- every relative link of the README, ARCHITECTURE.md, CONTRIBUTING.md and docs/*.md names a file the repository
  holds, and every page they name (`SOMETHING.md`) is one (a page of another checkout, such as a STACK.md, is no
  reference for a reader of this one);
- docs/store.md lists exactly the tables the store's DDL creates.
"""

from __future__ import annotations

import re
from pathlib import Path

from harness.results import connect_writer

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
DOCUMENTS = (README, REPO / "ARCHITECTURE.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md")))
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
URL = re.compile(r"[a-z][\w+.-]*://\S+")
PAGE = re.compile(r"(?<![\w./-])((?:docs/)?[A-Z][A-Z0-9_-]*\.md|docs/[\w-]+\.md)\b")
README_TERMS = ("provider", "offering", "the seeds' gateways", "the market", "sandbox", "contract", "replay")


def _relative(target: str) -> bool:
    return not re.match(r"[a-z][\w+.-]*:", target) and not target.startswith("#")


def _relative_links(document: Path) -> list[str]:
    return [target for target in LINK.findall(document.read_text(encoding="utf-8")) if _relative(target)]


def test_the_readme_sends_the_reader_on_within_120_lines() -> None:
    """A link to a deeper document: another page (`.md`) or a folder of the repository, not a picture."""
    lines = README.read_text(encoding="utf-8").splitlines()
    first = next(
        number
        for number, line in enumerate(lines, start=1)
        if any(_relative(t) and t.split("#")[0].endswith((".md", "/")) for t in LINK.findall(line))
    )
    assert first <= 120, f"README.md's first link to deeper documents is on line {first}"


def test_the_readme_defines_each_term_where_it_first_uses_it() -> None:
    text = README.read_text(encoding="utf-8").split("\n", 1)[1]  # the title is a name, not a use
    for term in README_TERMS:
        first = re.search(rf"(?<!\w){re.escape(term)}s?(?!\w)", text, re.IGNORECASE)
        assert first is not None, term
        assert text[: first.start()].endswith("**"), (
            f"README.md uses {term!r} before it defines it: ...{text[max(0, first.start() - 60) : first.end() + 20]}..."
        )


def test_the_architecture_document_is_a_map() -> None:
    lines = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 250, f"ARCHITECTURE.md has {len(lines)} lines: move detail to docstrings and docs/"


def test_every_relative_link_names_a_file_of_the_repository() -> None:
    broken = [
        f"{document.relative_to(REPO)}: {target}"
        for document in DOCUMENTS
        for target in _relative_links(document)
        if not (document.parent / target.split("#")[0]).exists()
    ]
    assert sum(len(_relative_links(document)) for document in DOCUMENTS) > 50  # the reader finds the links
    assert broken == []


def test_every_page_a_document_names_is_in_the_repository() -> None:
    """A page named in the text, linked or not: the top-level ones (`CONTRIBUTING.md`) and the docs' (`docs/x.md`).
    Lower-case names elsewhere are other people's files (a provider's `language-support.md`, an output file)."""
    named = {
        (document, page)
        for document in DOCUMENTS
        for page in PAGE.findall(URL.sub(" ", document.read_text(encoding="utf-8")))
    }
    assert len({page for _, page in named}) > 10  # the reader finds the pages
    missing = sorted(
        f"{document.relative_to(REPO)}: {page}"
        for document, page in named
        if not (REPO / page).is_file() and not (REPO / "docs" / page).is_file()
    )
    assert missing == []


def _documented_tables() -> list[str]:
    text = (REPO / "docs" / "store.md").read_text(encoding="utf-8")
    section = text[text.index("\n## Tables\n") :]
    section = section[: section.index("\n## ", 1)]
    return re.findall(r"^\| `(\w+)` \|", section, re.M)


def test_the_store_page_lists_the_tables_the_ddl_creates(tmp_path: Path) -> None:
    conn = connect_writer(tmp_path / "runs.db")
    try:
        created = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    documented = _documented_tables()
    assert len(documented) == len(set(documented)), documented
    assert set(documented) == created - {"sqlite_sequence"}

    assert documented[:3] == ["meta", "runs", "jobs"]  # the reader reads the page's table, in its order
