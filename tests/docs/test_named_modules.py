"""Every module the map names exists: ARCHITECTURE.md, the README, CONTRIBUTING.md and the docs pages, and the layers
test's own tables (`LAYERS`, `SIBLING_USES`, `PART_OF` of tests/core/test_layers.py).

A document names code in three forms, and each is checked against the tree:
  paths       `harness/runner/run.py`, `tests/core/test_layers.py`, `docs/store.md`, and the short forms relative to
              `harness/` (`core/prices/charge.py`, `sandbox/emulations/`, `runner/plan/jobs` for runner/plan/jobs.py,
              `runner/plan/jobs.with_normalisation` for a name of it): a path whose first part is a folder of the
              repository or a package of `harness/` must exist; one with a placeholder (`<name>`, `{id}`, `*`) is a
              pattern, not a name
  dotted      `harness.results.dearer`, `harness.sandbox.running`: the longest part that is a module must exist, and
              what follows it must be a submodule or a name that module defines
  bare files  `declaration.py`: some file of the repository has that name
A name that no longer exists (a module deleted or never written) fails here, naming the document and the name.
"""

from __future__ import annotations

import ast
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

from tests.core.test_layers import LAYERS, PART_OF, RUNNER_BESIDE, RUNNER_PHASES, SIBLING_USES

REPO = Path(__file__).resolve().parents[2]
HARNESS = REPO / "harness"
# The map and every page it sends a newcomer to. docs/providers.md is left out: it names a provider its example
# would create (`harness/providers/acme/`) and files of the providers' own client libraries (`tts.py`) on purpose.
DOCUMENTS = (
    REPO / "ARCHITECTURE.md",
    REPO / "README.md",
    REPO / "CONTRIBUTING.md",
    *(path for path in sorted((REPO / "docs").glob("*.md")) if path.name != "providers.md"),
)

URL = re.compile(r"[a-z][\w+.-]*://\S+")
PATH = re.compile(r"(?<![\w./@-])(\.?[\w-]+(?:/[\w.<>{}*…-]+)*/[\w.<>{}*…-]*)")
DOTTED = re.compile(r"(?<![\w./-])(harness(?:\.\w+)+)")
BARE_FILE = re.compile(r"(?<![\w./<>-])([A-Za-z_][\w-]*\.py)\b")
PLACEHOLDER = re.compile(r"[<>{}*…]")
SHAPE = re.compile(r"^```\w*\n[^\n]*<\w+>[^\n]*\n.*?^```", re.S | re.M)


@cache
def _tracked() -> tuple[str, ...]:
    """The repository's files as git knows them (a fresh clone's tree: no caches, no build output)."""
    listed = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    return tuple(listed.splitlines())


def _roots() -> frozenset[str]:
    top = {path.split("/", 1)[0] for path in _tracked()}
    return frozenset(top | {path.name for path in HARNESS.iterdir() if path.is_dir()})


def _exists(relative: str) -> bool:
    """Whether `relative` names a file or folder of the repository, or of `harness/` (the short forms), as written,
    as a module without `.py`, or as a module followed by a name it defines (`runner/plan/jobs.with_normalisation`)."""
    relative = relative.rstrip("/")
    if any((base / candidate).exists() for base in (REPO, HARNESS) for candidate in (relative, relative + ".py")):
        return True
    folder, _, last = relative.rpartition("/")
    module, _, name = last.partition(".")
    files = [base / folder / f"{module}.py" for base in (REPO, HARNESS)]
    return bool(name) and any(f.is_file() and name.split(".")[0] in _defined_names(f) for f in files)


def _module_file(dotted: str) -> Path | None:
    path = REPO.joinpath(*dotted.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def _defined_names(module_file: Path) -> frozenset[str]:
    """The names a module binds at its top level (definitions, assignments, imports) and lists in `__all__`."""
    names: set[str] = set()
    for node in ast.parse(module_file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {target.id for target in targets if isinstance(target, ast.Name)}
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and node.value is not None:
                names |= set(ast.literal_eval(node.value))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return frozenset(names)


def _dotted_exists(dotted: str) -> bool:
    parts = dotted.split(".")
    for length in range(len(parts), 0, -1):
        module_file = _module_file(".".join(parts[:length]))
        if module_file is not None:
            return length == len(parts) or parts[length] in _defined_names(module_file)
    return False


def named(text: str) -> dict[str, set[str]]:
    """The code a document names, by form: {"path": ..., "dotted": ..., "file": ...}. A block whose first line is a
    pattern (`harness/providers/<name>/`: a package's shape) lists the names a package may hold, not modules."""
    text = SHAPE.sub(" ", URL.sub(" ", text))
    roots = _roots()
    paths = {match.rstrip(".,;:)'`") for match in PATH.findall(text)}
    return {
        "path": {p for p in paths if not PLACEHOLDER.search(p) and p.split("/", 1)[0] in roots},
        "dotted": set(DOTTED.findall(text)),
        "file": set(BARE_FILE.findall(text)),
    }


def missing(text: str) -> list[str]:
    """The names in `text` that the repository does not hold."""
    found = named(text)
    basenames = {path.rsplit("/", 1)[-1] for path in _tracked()}
    return sorted(
        [f"path {p}" for p in found["path"] if not _exists(p)]
        + [f"module {d}" for d in found["dotted"] if not _dotted_exists(d)]
        + [f"file {f}" for f in found["file"] if f not in basenames]
    )


# --- the reader can fail ----------------------------------------------------------------------------------


def test_each_form_of_a_stale_name_is_caught() -> None:
    """Names of the kind the map once held: a deleted module by its short path, a module never written by its
    dotted name, a file by its bare name; beside real ones in the same forms, which pass."""
    text = (
        "`core/protocols/cartesia.py` is the realtime protocols; `harness.runner.usecase` runs it; see "
        "`harness/sandbox/gone.py`, `runner/plan/jobs.with_nothing` and `nowhere_at_all.py`.\n"
        "Real: `core/protocols/http_speech.py`, `harness.results.dearer`, `harness.sandbox.running`, "
        "`runner/plan/jobs.with_normalisation`, `sandbox/emulations/`, `harness/providers/<name>/`, "
        "tests/core/test_layers.py, https://example.com/core/nothing.py, tts-harness.toml, `declaration.py`.\n"
        "```text\nharness/providers/<name>/\n    endpoints.py   a shape's name, not a module\n```\n"
    )
    assert missing(text) == [
        "file nowhere_at_all.py",
        "module harness.runner.usecase",
        "path core/protocols/cartesia.py",
        "path harness/sandbox/gone.py",
        "path runner/plan/jobs.with_nothing",
    ]


def test_a_dotted_name_past_its_module_must_be_a_name_the_module_defines() -> None:
    assert _dotted_exists("harness.results.Store") and _dotted_exists("harness.core.spec.Provider")
    assert not _dotted_exists("harness.results.NoSuchThing") and not _dotted_exists("harness.nothing")


# --- the documents and the layers test --------------------------------------------------------------------


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(REPO)))
def test_every_module_a_document_names_exists(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    assert sum(len(names) for names in named(text).values()) > 0, "the reader finds the document's names"
    assert missing(text) == []


def test_every_entry_of_the_layers_test_exists() -> None:
    """The layers test places packages by name: an entry naming no module (a package renamed, or one planned and
    never written) would place nothing and hide in the table."""
    packages = [package for _, layer in LAYERS for package in layer]
    packages += [package for source, targets in SIBLING_USES.items() for package in (source, *targets)]
    packages += [package for _, package in PART_OF]
    packages += [*RUNNER_PHASES, *RUNNER_BESIDE, *(p for before in RUNNER_BESIDE.values() for p in before)]
    assert sorted(p for p in set(packages) if _module_file(p) is None) == []
    for pattern, _ in PART_OF:  # a pattern (`*`: any one name) matches at least one package of the tree
        folders = HARNESS.parent.glob("/".join(pattern.split(".")))
        assert any((folder / "__init__.py").is_file() for folder in folders), pattern
