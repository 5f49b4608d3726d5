"""A class name says one thing: no two modules of the harness's own code define a class of the same name (issue 69).

Two `Refusal`s (a job family's and an HTTP speech family's) or two `Plan`s (a run's and a key's account plan) make a
reader, an import and a search guess which one is meant; each is named for its one meaning (`JobRefusal`,
`SpeechRefusal`; `Plan`, `AccountPlan`). The harness's own code is every module but a provider's declaration
modules: a provider's wire models (`harness/providers/<name>/models.py`, `sockets.py`, ...) name the shapes of its
own documents (`ErrorBody`, `SpeechRequest`), each inside its provider's package and entered through it, so the same
document name in two providers is two providers' words, not one name with two meanings. A provider's own emulation
(`harness/providers/<name>/emulation/`) is sandbox code, and counted.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

HARNESS = Path(__file__).resolve().parents[2] / "harness"
# a class statement at any depth (read as text, not parsed: the whole package in a tenth of the time)
CLASS = re.compile(r"^[ \t]*class (\w+)\s*[:(\[]", re.MULTILINE)


def _own(path: Path) -> bool:
    """Whether `path` is the harness's own code: not a module of a provider's declaration (its emulation is)."""
    parts = path.relative_to(HARNESS).parts
    return not (parts[0] == "providers" and len(parts) > 2 and "emulation" not in parts)


def defined_twice(paths: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Class name -> the modules that define it, for every name defined in more than one of (`module`, `source`)."""
    where: dict[str, set[str]] = defaultdict(set)
    for module, source in paths:
        where_defined = {match.group(1) for match in CLASS.finditer(source)}
        for name in where_defined:
            where[name].add(module)
    return {name: sorted(modules) for name, modules in sorted(where.items()) if len(modules) > 1}


def test_the_reader_finds_a_name_defined_in_two_modules() -> None:
    sources = [
        ("a", "class Plan:\n    pass\n"),
        ("b", "def f():\n    class Plan(Base): ...\n"),
        ("c", "class Other: ...\n"),
        ("d", '"""\nclass Plan is a word here\n"""\n'),
    ]
    assert defined_twice(sources) == {"Plan": ["a", "b"]}
    assert _own(HARNESS / "providers" / "ttsai" / "emulation" / "models" / "catalog.py")
    assert not _own(HARNESS / "providers" / "openai" / "models.py") and _own(HARNESS / "core" / "spec.py")


def test_no_class_name_is_defined_in_two_modules_of_the_harness() -> None:
    paths = [
        (str(path.relative_to(HARNESS)), path.read_text(encoding="utf-8"))
        for path in sorted(HARNESS.rglob("*.py"))
        if _own(path)
    ]
    assert len(paths) > 300  # the scan reads the tree
    assert defined_twice(paths) == {}
