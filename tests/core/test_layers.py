"""The architecture holds: the core names no provider and imports no engine."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "harness" / "core"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_core_modules_import_only_the_core() -> None:
    offenders = {
        f"{path.name}: {name}"
        for path in CORE.glob("*.py")
        for name in _imports(path)
        if name.startswith("harness.") and not name.startswith(("harness.core", "harness._version"))
    }
    assert not offenders, offenders


def test_importing_the_core_loads_no_provider_module() -> None:
    code = (
        "import sys, harness.core.spec, harness.core.validate, harness.core.transport, harness.core.lifecycle, "
        "harness.core.registry, harness.core.drift, harness.core.params, harness.core.redact; "
        "print(sorted(m for m in sys.modules if m.startswith('harness.') and not m.startswith('harness.core')))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "providers" not in loaded and "sandbox" not in loaded, loaded


def test_core_source_names_no_provider() -> None:
    names = ("pixazo", "pixelapi", "ttsai", "tts.ai", "xtts", "chatterbox", "vibevoice")
    hits = [
        f"{path.name}:{number}"
        for path in CORE.glob("*.py")
        for number, line in enumerate(path.read_text().lower().splitlines(), start=1)
        if any(name in line for name in names) and not line.strip().startswith("#")
    ]
    assert not hits, hits
