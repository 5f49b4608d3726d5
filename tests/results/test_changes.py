"""The writers' updates (`harness.results.changes`, and a finished job's `JobOutcome`) are typed: each names only
columns of its table, each of the type that table's record declares; the store refuses an update of another table or
one that is no `RowChange` (a dict of column names, as the writers once handed it)."""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from pathlib import Path

import pytest

from harness.results import JobCancel, JobOutcome, KeptAudio, RowChange, RunStatus, Store
from harness.results import changes as changes_module
from harness.results.tables import TABLE_BY_NAME

CHANGES = [
    item
    for item in vars(changes_module).values()
    if isinstance(item, type) and issubclass(item, RowChange) and item is not RowChange
]


def _types(record: type) -> dict[str, set[type]]:
    found = {}
    for name, annotation in typing.get_type_hints(record).items():
        if name == "table":
            continue
        arguments = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
        found[name] = set(arguments) - {type(None)}
    return found


@pytest.mark.parametrize("change", [*CHANGES, JobOutcome], ids=lambda c: c.__name__)
def test_every_update_names_columns_of_its_table_of_their_type(change: type[RowChange]) -> None:
    declared = _types(TABLE_BY_NAME[change.table].record)
    own = _types(change)
    if change is JobOutcome:  # its parts' columns are set where the job has them
        own = {name: kinds for name, kinds in own.items() if name not in ("cancel", "audio")}
        own |= _types(JobCancel) | _types(KeptAudio)
    assert {f.name for f in fields(change)} - {"cancel", "audio"} <= set(declared)
    for name, kinds in own.items():
        assert kinds == declared[name], f"{change.__name__}.{name}: {kinds} != {declared[name]}"


def test_the_store_takes_only_an_update_of_the_table(tmp_path: Path) -> None:
    store = Store(tmp_path / "runs.db")
    try:
        with pytest.raises(TypeError, match="an update of jobs"):
            store.update_job("j", RunStatus(status="running", updated_at="now"))
        with pytest.raises(TypeError, match="an update of runs"):
            store.update_run("r", {"status": "running"})  # type: ignore[arg-type]
    finally:
        store.close()
