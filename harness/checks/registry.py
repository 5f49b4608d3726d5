"""The registry of checks: every module of `harness.checks` that defines `CHECK` is a check, found by walking the
package, so a new check is its module and nothing lists it again (pytest finds hooks by their declaration; here the
faces find checks by theirs). The order is the modules' names, so every face lists the checks alike."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from harness.checks.views import ClipCell, OwnViews, RunNote, RunNoteView
from harness.core.checks import CheckDeclaration
from harness.results import RequestRow, RunRows


@dataclass(frozen=True, slots=True)
class ClipCheck:
    """A check's reading of one clip: each field's value (None: not measurable on this clip) and its findings, each
    (kind, the line that says what broke); a field a clip gives several values of (each break's error) in
    `samples`."""

    values: Mapping[str, float | None]
    findings: tuple[tuple[str, str], ...] = ()
    samples: Mapping[str, tuple[float, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DeclaredCheck:
    """A check: its declaration and the pure function of a stored request (its job and its score) that reads one
    clip (the declaration's `reads` are the only columns it may use)."""

    declaration: CheckDeclaration
    measure: Callable[[RequestRow], ClipCheck] = field(repr=False, compare=False)
    views: OwnViews | None = field(default=None, repr=False, compare=False)  # each face's view, where its own

    @property
    def name(self) -> str:
        return self.declaration.name


# Modules of the package that hold the machinery, not a check.
_MACHINERY = frozenset({"registry", "pooled", "change", "views"})


def _declared(attribute: str) -> tuple[DeclaredCheck, ...]:
    """Every check the package's modules define as `attribute`, by module name."""
    found = []
    here = str(Path(__file__).parent)
    for module in sorted(info.name for info in pkgutil.iter_modules([here]) if info.name not in _MACHINERY):
        check = getattr(importlib.import_module(f"harness.checks.{module}"), attribute, None)
        if isinstance(check, DeclaredCheck):
            if check.name != module:
                raise RuntimeError(f"harness.checks.{module} declares a check named {check.name!r}")
            found.append(check)
    return tuple(found)


@functools.cache
def registered() -> tuple[DeclaredCheck, ...]:
    """Every check the package holds, by module name."""
    return _declared("CHECK")


def generic() -> tuple[DeclaredCheck, ...]:
    """The registered checks the generic machinery pools, shows and judges: every one but those with views of their
    own (`harness.checks.views`), which their views show instead."""
    return tuple(check for check in registered() if check.views is None)


def with_views() -> tuple[tuple[DeclaredCheck, OwnViews], ...]:
    """The registered checks with views of their own, each with them, in the registry's order."""
    return tuple((check, check.views) for check in registered() if check.views is not None)


def run_notes(rows: RunRows) -> tuple[tuple[RunNoteView, RunNote], ...]:
    """What every registered check of the run's own measuring says of the run (its `RunNote`), with the view that
    says where each face says it, in the registry's order."""
    return tuple((view, view.note(rows)) for _, views in with_views() if (view := views.run_note) is not None)


def clip_cells() -> tuple[tuple[DeclaredCheck, ClipCell], ...]:
    """Every registered check's cell of each clip in the report's table of utterances, with the check (whose `measure`
    reads the clip), in the registry's order."""
    return tuple((check, cell) for check, views in with_views() if (cell := views.clip_cell) is not None)
