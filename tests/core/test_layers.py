"""The architecture holds, for every module of the `harness` package (ARCHITECTURE.md, "Layers").

    core < providers < speech < engines {contracts, sandbox, bench, scoring, results} < report
         < use case < faces {cli, pytest_plugin, library, harness}

A provider's own emulation, `harness.providers.<name>.emulation` (the moto shape: a service's imitation in the
service's own folder), is part of the sandbox wherever it lives (`PART_OF`): in the engines layer, with the
sandbox's sibling edges and its internals, so a declaration cannot import it and it imports what the sandbox may.

Hard text is the other way round: one name in every layer that holds a part of it (`HARD_TEXT`), each part in its
own layer's package, so the layers' rules hold for it unchanged and no module is placed away from its folder.

- No module imports a layer above its own.
- Within one layer, a package uses another only along a declared edge (`SIBLING_USES`).
- Outside the composers (the use case and the faces, which wire engines together and read each option
  where it is used), a package is entered only through its public surface: its `__init__`, and there
  only names its `__all__` declares. The core and the providers are open (vocabulary and declarations).
- The whole package has no import cycle.

Imports are read from the source (every `import` and `from` in a module, those inside functions and under
`TYPE_CHECKING` included, relative ones resolved, and `importlib.import_module` with a literal name), so
a lazy import cannot slip past. `from package import submodule` depends on the submodule, as
`import package.submodule` does; the packages a dotted name passes through are not counted.
"""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parents[2] / "harness"
CORE = HARNESS / "core"
SANDBOX = HARNESS / "sandbox"

# Bottom to top. A module belongs to the longest entry its name starts with; the top package `harness`
# (the library's lazy names) only to itself. Every entry names a module that exists (tests/docs/test_named_modules.py).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("harness._version", "harness.core")),
    ("providers", ("harness.providers",)),
    ("speech", ("harness.speech",)),
    (
        "engines",
        (
            "harness.contracts",
            "harness.sandbox",
            "harness.runner",
            "harness.measurement",
            "harness.scoring",
            "harness.results",
            "harness.checks",
        ),
    ),
    ("report", ("harness.report",)),
    # history composes the results store, the report's figures and charts, and scoring's speaker encoder
    ("use case", ("harness.benchmark", "harness.history")),
    ("faces", ("harness.cli", "harness.pytest_plugin", "harness.library", "harness")),
)
# Modules that belong to a package of the table though they live elsewhere: (dotted pattern, `*` one name, the
# package). A provider's own emulation lives in its provider's folder but is sandbox code: it imitates the
# provider on the sandbox's engine, so it is placed with the sandbox, above every declaration.
PART_OF: tuple[tuple[str, str], ...] = (("harness.providers.*.emulation", "harness.sandbox"),)
# Hard text's homes, one per layer that holds a part of it, each named `hard_text` (docs/hard-text.md, "Where hard
# text lives in the code"): the item, its grammar and the verdict; the judge; the verdict rows; the figures.
HARD_TEXT: tuple[str, ...] = (
    "harness.core.hard_text",
    "harness.scoring.hard_text",
    "harness.results.hard_text",
    "harness.measurement.hard_text",
)
# Within one layer: which package may use which other one (through its public surface), and why.
SIBLING_USES: dict[str, frozenset[str]] = {
    # an emulation's speech to text (a provider's own emulation, part of the sandbox) runs scoring's recognizer
    "harness.sandbox": frozenset({"harness.scoring"}),
    # a run's own sandbox; runs.db; the figures derived from what the run recorded
    "harness.runner": frozenset({"harness.sandbox", "harness.results", "harness.measurement", "harness.checks"}),
    # a check reads a clip from its stored request and pools it with the measurement's intervals (harness.checks)
    "harness.checks": frozenset({"harness.results", "harness.measurement"}),
    "harness.measurement": frozenset({"harness.results"}),  # evidence read from, figures written to runs.db
    "harness.scoring": frozenset({"harness.results"}),  # score rows are kept with the run's rows
    "harness": frozenset({"harness.library"}),  # the top package's lazy names
}
OPEN = frozenset({"harness._version", "harness.core", "harness.providers"})  # every module public
COMPOSERS = frozenset({"use case", "faces"})  # may reach any module of a layer below

LAYER_OF = {package: index for index, (_, packages) in enumerate(LAYERS) for package in packages}
NAME_OF = {index: name for index, (name, _) in enumerate(LAYERS)}


def _module_name(path: Path) -> str:
    parts = path.relative_to(HARNESS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(path): path for path in sorted(HARNESS.rglob("*.py"))}


def _imports(path: Path) -> set[str]:
    """Every dotted name the file at `path` imports, anywhere in it."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return _imports_in(path.read_text(), package)


def _imports_in(source: str, package: str) -> set[str]:
    """Every dotted name `source` imports (`from m import a` gives `m.a`); relative ones resolved against
    `package`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found |= {f"{module}.{alias.name}" for alias in node.names}
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def _resolve(name: str, modules: set[str] | dict[str, Path] = MODULES) -> tuple[str, str | None] | None:
    """The module a dotted import name reaches and the attribute taken from it (None: the module itself);
    None for a name outside the package."""
    parts = name.split(".")
    for length in range(len(parts), 0, -1):
        module = ".".join(parts[:length])
        if module in modules:
            return module, parts[length] if length < len(parts) else None
    return None


@cache
def _edges(module: str) -> frozenset[tuple[str, str | None]]:
    """(module, attribute) pairs `module` imports from the harness, itself excluded."""
    resolved = (_resolve(name) for name in _imports(MODULES[module]) if name.split(".")[0] == "harness")
    return frozenset(edge for edge in resolved if edge is not None and edge[0] != module)


def _part_of(module: str, pattern: str) -> bool:
    """Whether `module` is the package `pattern` names (`*`: any one name) or a module inside it."""
    parts, wanted = module.split("."), pattern.split(".")
    return len(parts) >= len(wanted) and all(w in ("*", p) for p, w in zip(parts, wanted, strict=False))


def _unit(module: str) -> str | None:
    """The package of the layer table `module` belongs to."""
    if module == "harness":
        return module
    placed = next((package for pattern, package in PART_OF if _part_of(module, pattern)), None)
    if placed is not None:
        return placed
    return max(
        (p for p in LAYER_OF if p != "harness" and (module == p or module.startswith(p + "."))), key=len, default=None
    )


def _public_names(module: str) -> frozenset[str]:
    """The literal `__all__` of a module (empty when it declares none)."""
    for node in ast.parse(MODULES[module].read_text()).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and node.value is not None:
                return frozenset(ast.literal_eval(node.value))
    return frozenset()


def _crossings() -> Iterator[tuple[str, str, str, str, str | None]]:
    """(importer, its package, imported module, its package, attribute) for imports between packages."""
    for module in MODULES:
        for target, attribute in _edges(module):
            source_unit, target_unit = _unit(module), _unit(target)
            assert source_unit is not None and target_unit is not None
            if source_unit != target_unit:
                yield module, source_unit, target, target_unit, attribute


def _shown(module: str, target: str, attribute: str | None) -> str:
    return f"{module} -> {target}" + (f" ({attribute})" if attribute else "")


# --- the reader -----------------------------------------------------------------------------------------


def test_the_import_reader_sees_lazy_relative_and_dynamic_imports() -> None:
    source = (
        "def f():\n    from harness.scoring import asr\n    import harness.runner.run\n"
        "from ...sandbox import emulation\nfrom harness import report\n"
        "if TYPE_CHECKING:\n    from harness.speech import Clip\n"
        "importlib.import_module('harness.sandbox.server')\n"
    )
    found = _imports_in(source, "harness.providers.example")
    assert {
        "harness.scoring.asr",
        "harness.runner.run",
        "harness.sandbox.emulation",
        "harness.report",
        "harness.speech.Clip",
        "harness.sandbox.server",
    } <= found


def test_an_import_reaches_the_module_it_names_and_no_package_on_the_way() -> None:
    modules = {"harness", "harness.sandbox", "harness.sandbox.server", "harness.pkg", "harness.pkg.sub"}
    assert _resolve("harness.sandbox.running", modules) == ("harness.sandbox", "running")  # a name of __init__
    assert _resolve("harness.sandbox.server.running", modules) == ("harness.sandbox.server", "running")
    assert _resolve("harness.pkg.sub", modules) == ("harness.pkg.sub", None)  # from harness.pkg import sub
    assert _resolve("harness.__version__", modules) == ("harness", "__version__")  # the top package itself
    assert _resolve("httpx.AsyncClient", modules) is None


def test_a_providers_own_emulation_is_placed_with_the_sandbox() -> None:
    """Any provider's, by the pattern: above every declaration (a provider importing it imports upward), beside
    the sandbox's engine (whose internals and sibling edges it shares)."""
    for module in ("harness.providers.acme.emulation", "harness.providers.acme.emulation.responses.jobs"):
        assert _unit(module) == "harness.sandbox", module
        assert LAYER_OF[_unit(module) or ""] > LAYER_OF["harness.providers"]
    for module in (
        "harness.providers.acme",
        "harness.providers.acme.declaration",
        "harness.providers.acme.emulations",
        "harness.providers.acme.models.emulation",
        "harness.providers.emulation",
    ):
        assert _unit(module) == "harness.providers", module
    for pattern, package in PART_OF:
        assert package in LAYER_OF and _unit(pattern.replace("*", "x")) == package, pattern
    own = [m for m in MODULES if m.startswith("harness.providers.") and _unit(m) == "harness.sandbox"]
    assert own, "no provider has an emulation of its own: the placement is unexercised"


def test_every_module_has_a_layer() -> None:
    for package in ("harness.core.protocols", "harness.providers", "harness.sandbox.emulations", "harness.cli"):
        assert any(module.startswith(package + ".") for module in MODULES), package  # the scan reads the tree
    unplaced = sorted(module for module in MODULES if _unit(module) is None)
    assert not unplaced, f"place these in LAYERS (and ARCHITECTURE.md): {unplaced}"


def _in_hard_text(module: str) -> bool:
    return any(_part_of(module, home) for home in HARD_TEXT)


def test_hard_text_lives_under_one_name() -> None:
    """Each home is its layer's own `hard_text`; a module outside them reaches hard text through a home itself (its
    `__init__`, or the one module it is), never a module inside one: whatever needs the grammar, the listener or
    the forced choice belongs in a home."""
    for home in HARD_TEXT:
        assert home in MODULES and home.rpartition(".")[2] == "hard_text", home
        assert _unit(home) == home.rpartition(".")[0], home  # in its own layer's package: no placement needed
    assert {NAME_OF[LAYER_OF[_unit(home) or ""]] for home in HARD_TEXT} == {"core", "engines"}
    offenders = sorted(
        _shown(module, target, attribute)
        for module in MODULES
        if not _in_hard_text(module)
        for target, attribute in _edges(module)
        if _in_hard_text(target) and target not in HARD_TEXT
    )
    assert not offenders, offenders
    stray = sorted(
        module
        for module in MODULES
        if not _in_hard_text(module)
        and module.rpartition(".")[2] in ("span", "span_run", "spoken_grammar", "word_automaton")
    )
    assert not stray, stray


def test_a_hard_text_verdict_is_one_type() -> None:
    """Every `verdict` a hard-text home declares (a field, a property) is `HardTextVerdict`, and no other class of
    theirs is called a verdict: the judge's choice, the second opinion and the stored row (declared with the store's
    other tables, in `harness.results.tables`) hold the same value."""
    declared: list[tuple[str, str]] = []
    for module, path in MODULES.items():
        if not _in_hard_text(module) and module != "harness.results.tables":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                declared += [(f"{module}.{node.name}", "class")] if "Verdict" in node.name else []
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.AnnAssign)
                        and isinstance(stmt.target, ast.Name)
                        and stmt.target.id == "verdict"
                    ):
                        declared.append((f"{module}.{node.name}.verdict", ast.unparse(stmt.annotation)))
                    elif isinstance(stmt, ast.FunctionDef) and stmt.name == "verdict" and stmt.returns is not None:
                        declared.append((f"{module}.{node.name}.verdict()", ast.unparse(stmt.returns)))
    assert ("harness.core.hard_text.item.HardTextVerdict", "class") in declared
    assert len([name for name, kind in declared if kind != "class"]) >= 4  # choice, second opinion, score, row
    assert [
        (name, kind)
        for name, kind in declared
        if kind not in ("HardTextVerdict", "class") or (kind == "class" and not name.endswith(".HardTextVerdict"))
    ] == []


# --- the rules ------------------------------------------------------------------------------------------


def test_no_module_imports_a_layer_above_its_own() -> None:
    offenders = sorted(
        f"{_shown(module, target, attribute)}: {NAME_OF[LAYER_OF[source]]} imports {NAME_OF[LAYER_OF[unit]]}"
        for module, source, target, unit, attribute in _crossings()
        if LAYER_OF[unit] > LAYER_OF[source]
    )
    assert not offenders, offenders


def test_a_package_uses_a_sibling_only_along_a_declared_edge() -> None:
    offenders = sorted(
        _shown(module, target, attribute)
        for module, source, target, unit, attribute in _crossings()
        if LAYER_OF[unit] == LAYER_OF[source] and unit not in SIBLING_USES.get(source, frozenset())
    )
    assert not offenders, offenders


def test_packages_are_entered_through_their_public_surface() -> None:
    """Below the composers, another package is reached through its `__init__`, for names its `__all__`
    declares (the core and the providers excepted: every module of theirs is public)."""
    offenders = sorted(
        _shown(module, target, attribute)
        for module, source, target, unit, attribute in _crossings()
        if NAME_OF[LAYER_OF[source]] not in COMPOSERS
        and unit not in OPEN
        and (target != unit or (attribute is not None and attribute not in _public_names(unit)))
    )
    assert not offenders, offenders


# What the runner uses of the sandbox it starts (ARCHITECTURE.md, rule 2): it starts one (`running`, with a
# `SandboxConfig`), talks to it through its handle, reads its render waits for the client's health, and trusts its
# local CA. The use case (`harness.benchmark`) passes the same config through.
RUNNER_SANDBOX_SURFACE = frozenset({"running", "SandboxConfig", "SandboxHandle", "SandboxHealth", "local_ca"})


def test_the_runner_reaches_its_sandbox_through_a_stated_surface() -> None:
    used = {
        (module, attribute)
        for module in MODULES
        if _part_of(module, "harness.runner")
        for target, attribute in _edges(module)
        if target == "harness.sandbox"
    }
    assert used, "the scan finds the runner's imports of the sandbox"
    beyond = sorted(f"{module}: {attribute}" for module, attribute in used if attribute not in RUNNER_SANDBOX_SURFACE)
    assert not beyond, beyond
    reached = {target for module in MODULES if _part_of(module, "harness.runner") for target, _ in _edges(module)}
    assert not sorted(t for t in reached if t.startswith("harness.sandbox.")), "the runner reaches inside the sandbox"


# The runner's phases, in the order they import one another (ARCHITECTURE.md, "Layers"): a phase imports only the
# phases before it (the deliverer appends to the record, the record is of a planned job); the terminal summary, beside
# them, only the plan (its prices' notes). The runner's own modules (`run`, `session`, `dry_run`) compose them all.
RUNNER = "harness.runner"
RUNNER_PHASES: tuple[str, ...] = ("harness.runner.plan", "harness.runner.record", "harness.runner.deliver")
RUNNER_BESIDE: dict[str, frozenset[str]] = {"harness.runner.summary": frozenset({"harness.runner.plan"})}


def _phase(module: str) -> str | None:
    return next((p for p in (*RUNNER_PHASES, *RUNNER_BESIDE) if _part_of(module, p)), None)


def test_every_package_of_the_runner_is_a_phase() -> None:
    packages = {
        m
        for m, path in MODULES.items()
        if path.name == "__init__.py" and m.count(".") == 2 and m.startswith(RUNNER + ".")
    }
    assert packages == {*RUNNER_PHASES, *RUNNER_BESIDE}


def test_a_runner_phase_imports_only_the_phases_before_it() -> None:
    allowed = {phase: {*RUNNER_PHASES[: index + 1]} for index, phase in enumerate(RUNNER_PHASES)}
    allowed |= {phase: {phase, *before} for phase, before in RUNNER_BESIDE.items()}
    offenders = sorted(
        _shown(module, target, attribute)
        for module in MODULES
        if (phase := _phase(module)) is not None
        for target, attribute in _edges(module)
        if _part_of(target, RUNNER) and _phase(target) not in allowed[phase]
    )
    assert not offenders, offenders


def test_a_runner_phase_is_used_for_what_its_init_declares() -> None:
    """From outside a phase, a name taken from one of its modules is one its `__init__` declares (`__all__`): the
    surface is written down and complete; a whole module of a phase is taken only by a composer (`bench run`'s flags
    read `config`'s sections)."""
    offenders = []
    for module in MODULES:
        for target, attribute in _edges(module):
            phase = _phase(target)
            if phase is None or _phase(module) == phase:
                continue
            composer = NAME_OF[LAYER_OF[_unit(module) or ""]] in COMPOSERS
            if attribute is None and target != phase and not composer:
                offenders.append(_shown(module, target, None))
            elif attribute is not None and attribute not in _public_names(phase):
                offenders.append(_shown(module, target, attribute))
    assert not offenders, sorted(offenders)


def test_the_sibling_edges_stay_within_a_layer_and_form_no_circle() -> None:
    for source, targets in SIBLING_USES.items():
        assert all(LAYER_OF[target] == LAYER_OF[source] for target in targets), (source, targets)
    assert not _cycles({source: set(targets) for source, targets in SIBLING_USES.items()})


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = itertools.count()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = next(counter)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_circle_and_only_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_the_harness_has_no_import_cycle() -> None:
    graph = {module: {target for target, _ in _edges(module)} for module in MODULES}
    assert sum(len(targets) for targets in graph.values()) > 500  # the graph is the real one
    cycles = _cycles(graph)
    assert not cycles, cycles


# --- the bottom layers, in detail -------------------------------------------------------------------------


def test_the_sandbox_engine_reaches_providers_only_through_the_registries() -> None:
    """The engine finds providers and emulations through their entry points; nothing under harness/sandbox/ (the
    families' imitations included) imports a provider: only a provider's own emulation, in its package, does."""
    offenders = sorted(
        f"{path.relative_to(HARNESS)}: {name}"
        for path in SANDBOX.rglob("*.py")
        for name in _imports(path)
        if name.startswith("harness.providers.")
        or (path.parent == SANDBOX and name.startswith("harness.sandbox.emulations."))
    )
    assert not offenders, offenders


@pytest.mark.parametrize(
    "package", sorted(path.name for path in HARNESS.iterdir() if path.is_dir() and (path / "__init__.py").exists())
)
def test_no_one_letter_attribute_names(package: str) -> None:
    offenders = []
    for path in sorted((HARNESS / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and len(node.attr) == 1:
                offenders.append(f"{path.relative_to(HARNESS)}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ClassDef):
                offenders += [
                    f"{path.relative_to(HARNESS)}:{stmt.lineno} {node.name}.{stmt.target.id}"
                    for stmt in node.body
                    if isinstance(stmt, ast.AnnAssign)
                    and isinstance(stmt.target, ast.Name)
                    and len(stmt.target.id) == 1
                ]
    assert not offenders, offenders


def _harness_modules_loaded_by(statement: str) -> set[str]:
    """The harness modules a fresh interpreter has loaded after running `statement`."""
    code = f"import sys; {statement}; print(*(m for m in sys.modules if m.startswith('harness.')))"
    return set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())


def _below(layer: str, module: str) -> bool:
    unit = _unit(module)
    return unit is not None and LAYER_OF[unit] <= next(i for i, n in NAME_OF.items() if n == layer)


def test_importing_the_core_loads_no_provider_module() -> None:
    core = sorted(module for module in MODULES if _unit(module) in ("harness.core", "harness._version"))
    assert any(module.startswith("harness.core.protocols.") for module in core)
    loaded = _harness_modules_loaded_by("import " + ", ".join(core))
    assert not {m for m in loaded if not _below("core", m)}, loaded


def test_importing_every_provider_loads_no_engine() -> None:
    loaded = _harness_modules_loaded_by("from harness.core.registry import providers; providers()")
    assert any(m.startswith("harness.providers.") for m in loaded)
    assert not {m for m in loaded if not _below("providers", m)}, loaded


def test_core_source_names_no_provider() -> None:
    names = ("pixazo", "pixelapi", "ttsai", "tts.ai", "xtts", "chatterbox", "vibevoice")
    hits = [
        f"{path.relative_to(CORE)}:{number}"
        for path in sorted(CORE.rglob("*.py"))
        for number, line in enumerate(path.read_text().lower().splitlines(), start=1)
        if any(name in line for name in names) and not line.strip().startswith("#")
    ]
    assert not hits, hits
