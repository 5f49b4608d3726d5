"""`harness.results` is the one owner of runs.db: no other module of the harness writes SQL (but one: the
sandbox keeps its own state database, which is not runs.db, and `harness/sandbox/snapshot.py` is its one owner),
and the results package stands on the core alone, so every engine and face can read through it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

HARNESS = Path(__file__).resolve().parents[2] / "harness"
RESULTS = HARNESS / "results"
SANDBOX_STATE = HARNESS / "sandbox" / "snapshot.py"  # the sandbox's own state file (ARCHITECTURE.md, rule 2)
SQL = re.compile(r"\b(SELECT|INSERT (OR \w+ )?INTO|CREATE (TABLE|INDEX)|ALTER TABLE|UPDATE \w+ SET|DELETE FROM)\b")


def _strings(path: Path) -> list[str]:
    """Every string literal of a module (f-string parts included), docstrings excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_sql_outside_the_results_package() -> None:
    offenders = sorted(
        f"{path.relative_to(HARNESS)}: {text.strip()[:60]!r}"
        for path in HARNESS.rglob("*.py")
        if RESULTS not in path.parents and path != SANDBOX_STATE
        for text in _strings(path)
        if SQL.search(text)
    )
    assert offenders == []


def test_the_reader_sees_sql_in_any_string() -> None:
    assert SQL.search("SELECT 1") and SQL.search("INSERT OR IGNORE INTO costs") and SQL.search("UPDATE jobs SET x")
    assert not SQL.search("select a provider") and not SQL.search("an UPDATE to the docs")


def test_results_imports_only_the_core() -> None:
    imported = {
        f"{path.name}: {name}"
        for path in RESULTS.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in ([node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names])
        if name.startswith("harness") and not name.startswith(("harness.core", "harness.results"))
    }
    assert imported == set()


def test_the_public_surface_is_sorted_and_complete() -> None:
    """Other packages enter through `harness.results` only (tests/core/test_layers.py): its `__all__` is the API."""
    import types

    import harness.results as results

    assert results.__all__ == sorted(results.__all__, key=lambda name: (not name.isupper(), name))
    public = {
        name
        for name, value in vars(results).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert public == set(results.__all__)
