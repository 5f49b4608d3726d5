"""The results suite runs on both dialects a store speaks: every test taking `store_target` runs on a SQLite
file and on a real PostgreSQL server the session starts (tests.helpers.postgres), or skips the latter with
the reason none could start."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.postgres import Server, fresh_schema, running


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server | str]:
    with running() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.xdist_group("postgres"))])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty store: a SQLite file, or a schema of its own on the PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "runs.db")
    server = request.getfixturevalue("postgres")
    if isinstance(server, str):
        pytest.skip(f"no PostgreSQL server: {server}")
    return fresh_schema(server)


@pytest.fixture
def store_target_postgres(postgres: Server | str) -> str:
    """A new, empty store on the PostgreSQL server alone (its test carries `xdist_group("postgres")`, as the
    PostgreSQL half of `store_target` does: one worker starts the server)."""
    if isinstance(postgres, str):
        pytest.skip(f"no PostgreSQL server: {postgres}")
    return fresh_schema(postgres)
