"""The code keeps the shape ARCHITECTURE.md promises: no function in `harness/` longer than a screen, the
benchmark use case wired in one place (`harness/benchmark.py`) that every face calls, and no row of the store read
by a string key outside the store's own mapping (`harness/results/`): readers hand out records, whose attributes the
type checker sees."""

from __future__ import annotations

import ast
import re
from pathlib import Path

HARNESS = Path(__file__).resolve().parents[2] / "harness"
MAX_FUNCTION_LINES = 80


def _functions(path: Path) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every def in the file, nested ones and methods included."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return [(node.name, node.lineno, (node.end_lineno or node.lineno) - node.lineno + 1)
            for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_the_scan_sees_nested_and_async_functions(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("class A:\n    async def m(self):\n        def inner():\n            pass\n        return 1\n")
    assert sorted(_functions(source)) == [("inner", 3, 2), ("m", 2, 4)]


def test_no_function_in_harness_is_longer_than_80_lines() -> None:
    modules = sorted(HARNESS.rglob("*.py"))
    assert len(modules) > 100  # the scan reads the real tree
    too_long = [f"{path.relative_to(HARNESS.parent)}:{line} {name} ({length} lines)"
                for path in modules for name, line, length in _functions(path) if length > MAX_FUNCTION_LINES]
    assert not too_long, "split these functions:\n" + "\n".join(too_long)


KEYED_ROW = re.compile(r"""\brow\[["']""")  # `row["ttfa_ms"]`: a column read by its name, unseen by the type checker


def _keyed_rows(root: Path) -> list[str]:
    """Every `row["..."]` in a module under `root` outside its `results/` (the store's own mapping)."""
    return [f"{path.relative_to(root.parent)}:{number}" for path in sorted(root.rglob("*.py"))
            if "results" not in path.relative_to(root).parts[:1]
            for number, line in enumerate(path.read_text().splitlines(), start=1) if KEYED_ROW.search(line)]


def test_the_keyed_row_scan_sees_one_and_spares_the_store(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "reading.py").write_text('value = row["ttfa_ms"]\n')
    (tmp_path / "report.py").write_text("clip = row.ttfa_ms\nvalue = row['ttfa_ms']\n")
    assert _keyed_rows(tmp_path) == [f"{tmp_path.name}/report.py:2"]


def test_no_store_row_is_read_by_a_string_key_outside_the_store() -> None:
    keyed = _keyed_rows(HARNESS)
    assert not keyed, "read the record's attribute (`row.ttfa_ms`), not its key:\n" + "\n".join(keyed)


def _imported(path: Path, function: str | None = None) -> set[str]:
    """Every module and every `module.name` the file (or one function of it) imports, lazy imports included."""
    tree: ast.AST = ast.parse(path.read_text())
    if function is not None:
        tree = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == function)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return found


# What wiring the benchmark means: the scorer, the summary's computation, the report, the runner's session
# and the results database. The faces only print what the use case hands them (`summary.render` prints).
WIRING = ("harness.scoring", "harness.report", "harness.bench.session", "harness.results",
          "harness.bench.summary.summarize", "harness.bench.runner.resolve_config", "harness.bench.dry_run.dry_run",
          "harness.cli.score")


def test_the_faces_leave_the_benchmark_to_the_use_case() -> None:
    """`bench run` (the whole module) and `harness.run_benchmark` (the library's other functions score
    single files, a use case of their own) import none of the wiring, and do import the use case."""
    for face, function in ((HARNESS / "cli" / "bench.py", None), (HARNESS / "library.py", "run_benchmark")):
        imported = _imported(face, function)
        wired = sorted(name for name in imported if any(name == w or name.startswith(w + ".") for w in WIRING))
        assert not wired, f"{face.name} wires {wired}: call harness.benchmark instead"
        assert any(name == "harness.benchmark" or name.startswith("harness.benchmark.") for name in imported), face
