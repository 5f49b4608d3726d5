"""The code keeps the shape ARCHITECTURE.md promises: no function in `harness/` longer than a screen, wide values
built by keyword, the benchmark use case wired in one place (`harness/benchmark.py`) that every face calls, and no
row of the store read by a string key outside the store's own mapping (`harness/results/`): readers hand out
records, whose attributes the type checker sees."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

HARNESS = Path(__file__).resolve().parents[2] / "harness"
MAX_FUNCTION_LINES = 80


@cache
def _harness() -> tuple[tuple[Path, list[ast.AST]], ...]:
    """Every module of harness/ (relative to the repository) and its nodes: parsed and walked once for the scans
    below."""
    modules = sorted(HARNESS.rglob("*.py"))
    assert len(modules) > 100  # the scan reads the real tree
    return tuple(
        (path.relative_to(HARNESS.parent), list(ast.walk(ast.parse(path.read_text(), filename=str(path)))))
        for path in modules
    )


def _functions(nodes: Iterable[ast.AST]) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every def among the nodes, nested ones and methods included."""
    return [
        (node.name, node.lineno, (node.end_lineno or node.lineno) - node.lineno + 1)
        for node in nodes
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def test_the_scan_sees_nested_and_async_functions(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("class A:\n    async def m(self):\n        def inner():\n            pass\n        return 1\n")
    assert sorted(_functions(ast.walk(ast.parse(source.read_text())))) == [("inner", 3, 2), ("m", 2, 4)]


def test_no_function_in_harness_is_longer_than_80_lines() -> None:
    too_long = [
        f"{path}:{line} {name} ({length} lines)"
        for path, nodes in _harness()
        for name, line, length in _functions(nodes)
        if length > MAX_FUNCTION_LINES
    ]
    assert not too_long, "split these functions:\n" + "\n".join(too_long)


KEYED_ROW = re.compile(r"""\brow\[["']""")  # `row["ttfa_ms"]`: a column read by its name, unseen by the type checker


def _keyed_rows(root: Path) -> list[str]:
    """Every `row["..."]` in a module under `root` outside its `results/` (the store's own mapping)."""
    return [
        f"{path.relative_to(root.parent)}:{number}"
        for path in sorted(root.rglob("*.py"))
        if "results" not in path.relative_to(root).parts[:1]
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if KEYED_ROW.search(line)
    ]


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
WIRING = (
    "harness.scoring",
    "harness.report",
    "harness.runner.session",
    "harness.results",
    "harness.runner.summary.figures.summarize",
    "harness.runner.run.resolve_config",
    "harness.runner.dry_run.dry_run",
    "harness.cli.score",
)


def test_the_faces_leave_the_benchmark_to_the_use_case() -> None:
    """`bench run` (the whole module) and `harness.run_benchmark` (the library's other functions score
    single files, a use case of their own) import none of the wiring, and do import the use case."""
    for face, function in ((HARNESS / "cli" / "bench.py", None), (HARNESS / "library.py", "run_benchmark")):
        imported = _imported(face, function)
        wired = sorted(name for name in imported if any(name == w or name.startswith(w + ".") for w in WIRING))
        assert not wired, f"{face.name} wires {wired}: call harness.benchmark instead"
        assert any(name == "harness.benchmark" or name.startswith("harness.benchmark.") for name in imported), face


# Issue 69: a wide value is built by keyword. A dataclass of more than five fields is keyword-only, and no call
# passes eight or more positional arguments (an argument found by counting is easily the wrong one).
MAX_POSITIONAL_FIELDS = 5
MAX_POSITIONAL_ARGUMENTS = 7
# Positional by nature, having no parameter names to give: a binary layout's fields, a C function's arguments.
FOREIGN = {"struct.pack", "lib.espeak_Synth"}


def _dataclass_fields(node: ast.ClassDef) -> int | None:
    """How many fields a positional `@dataclass` class declares; None when it is keyword-only or no dataclass."""
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""
        if name != "dataclass":
            continue
        if isinstance(decorator, ast.Call) and any(
            k.arg == "kw_only" and isinstance(k.value, ast.Constant) and k.value.value is True
            for k in decorator.keywords
        ):
            return None
        fields = [
            ast.unparse(s.annotation)
            for s in node.body
            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
        ]
        if any("KW_ONLY" in annotation for annotation in fields):
            return None
        return sum("ClassVar" not in annotation for annotation in fields)
    return None


def _wide_shapes(path: Path, nodes: Iterable[ast.AST]) -> list[str]:
    """The positional dataclasses of more than five fields and the calls of eight or more positional arguments."""
    found = []
    for node in nodes:
        if isinstance(node, ast.ClassDef):
            fields = _dataclass_fields(node)
            if fields is not None and fields > MAX_POSITIONAL_FIELDS:
                found.append(f"{path}:{node.lineno} dataclass {node.name} ({fields} fields): make it kw_only=True")
        elif (
            isinstance(node, ast.Call)
            and len(node.args) > MAX_POSITIONAL_ARGUMENTS
            and ast.unparse(node.func) not in FOREIGN
        ):
            found.append(
                f"{path}:{node.lineno} {ast.unparse(node.func)}(...) with {len(node.args)} positional "
                "arguments: name them"
            )
    return found


def test_the_wide_shape_scan_finds_positional_records_and_calls() -> None:
    fields = "".join(f"    {name}: int\n" for name in "abcdef")
    source = (
        f"from dataclasses import KW_ONLY, dataclass\n@dataclass(frozen=True)\nclass Wide:\n{fields}"
        f"@dataclass(kw_only=True)\nclass Named:\n{fields}"
        f"@dataclass\nclass Starred:\n    _: KW_ONLY\n{fields}"
        f"@dataclass\nclass Narrow:\n{fields[:-11]}"
        "f(1, 2, 3, 4, 5, 6, 7, 8)\nf(1, 2, 3, 4, 5, 6, 7, h=8)\nstruct.pack('<8B', 1, 2, 3, 4, 5, 6, 7, 8)\n"
    )
    found = _wide_shapes(Path("sample.py"), ast.walk(ast.parse(source)))
    assert found == [
        "sample.py:3 dataclass Wide (6 fields): make it kw_only=True",
        "sample.py:34 f(...) with 8 positional arguments: name them",
    ]


def test_wide_values_in_harness_are_built_by_keyword() -> None:
    found = [line for path, nodes in _harness() for line in _wide_shapes(path, nodes)]
    assert not found, "name these:\n" + "\n".join(found)
