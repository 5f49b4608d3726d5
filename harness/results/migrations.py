"""Schema changes of `runs.db`, applied in order when a writer opens it, so a database written by an older
harness stays readable: columns are only ever added (NULL in old rows, or filled by the migration's
backfill), never renamed or dropped. The scorer's tables migrate here too.

A reader that opens a database read-only (the report) never migrates it: it reads a column a migration
would add as NULL (`harness.results.reading`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from harness.results.database import Connection, columns_of, dialect_of
from harness.results.dialect import Existing, ddl, insert_sql
from harness.results.table_spec import FIRST_VERSION
from harness.results.tables import TABLES


@dataclass(frozen=True, slots=True)
class Migration:
    """The columns one schema version added (from the tables' declarations), and the statements that fill them in
    rows already there."""

    columns: Sequence[tuple[str, str, str]]  # (table, column, its definition: `Column.added_sql`)
    backfill: Sequence[str] = ()


# Every schema version after the first, and why it came. Its columns are the fields declared `column(added=N)` in
# `harness.results.tables` (older rows: NULL there, unless a backfill below fills them in).
VERSIONS: Mapping[int, str] = {
    2: "latency intervals that must hold the true latency; streams' figures (issue 22)",
    3: "the ASR model a scoring pass was asked for: a pass stamps a zh clip with the multilingual model that read it, "
    "and only this column says the clip belongs to the same pass as its English neighbours",
    4: "every latency figure an interval that holds the truth; the stamp convention; the provider's request id "
    "(issue 22)",
    5: "load: the sweep level a job ran at and what was really in flight; the run's global cap (issue 22)",
    6: "realtime: how the text was fed, and the stream figures a voice agent chooses on (issue 24)",
    7: "latency from the evidence: what a figure is derived from, kept beside what was derived (issue 38)",
    8: "cost as billed: where the planned price was read, what the answer billed, which a figure uses (issue 51)",
    9: "cost faces: why a price's source is weak, and the plan's audio-metered parts (issue 61)",
    10: "the client's own health, per run and per job (issue 61)",
    11: "the language check: the language heard in a non-English clip, and how sure (issue 60)",
    12: "hard text judged by forced choice: margins, thresholds, the free transcript's reading (issue 58)",
    13: "seams and the rate heard (issue 66)",
    14: "timing marks true to the audio (issue 65)",
    15: "cancel: a socket job cancelled mid-utterance (issue 66)",
    16: "markup honoured (issue 66)",
    17: "the headerless samples a request asked for: a header in any chunk of their stream is a seam finding "
    "(issue 79)",
    18: "the transcript a speech-to-speech socket sends beside its audio, against what the ear hears (issue 80)",
}
# Rows scored before version 3 were grouped by the model that read them: the backfill keeps that.
BACKFILLS: Mapping[int, tuple[str, ...]] = {
    3: ("UPDATE scores SET setup_asr_model = asr_model WHERE setup_asr_model IS NULL",),
}


def _added(version: int) -> tuple[tuple[str, str, str], ...]:
    return tuple((table.name, column.name, column.added_sql) for table in TABLES for column in table.added_in(version))


def _undeclared_versions() -> set[int]:
    return {column.added for table in TABLES for column in table.columns} - {FIRST_VERSION, *VERSIONS}


if _undeclared_versions():  # a field added in a version no entry above explains
    raise RuntimeError(f"schema versions declared by a column but not in VERSIONS: {sorted(_undeclared_versions())}")

MIGRATIONS: Mapping[str, Migration] = {
    str(version): Migration(_added(version), BACKFILLS.get(version, ())) for version in sorted(VERSIONS)
}
LATEST = max(MIGRATIONS, key=int)


def migrate(conn: Connection) -> None:
    """Bring an existing database to the latest version (idempotent; a fresh one is already there)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    current = int(row[0]) if row else 1
    for version in sorted(MIGRATIONS, key=int):
        if int(version) <= current:
            continue
        migration = MIGRATIONS[version]
        for table, column, definition in migration.columns:
            if column not in columns_of(conn, table):
                conn.execute(ddl(dialect_of(conn), f"ALTER TABLE {table} ADD COLUMN {definition}"))
        for statement in migration.backfill:
            conn.execute(statement)
        conn.execute(
            insert_sql(dialect_of(conn), "meta", ("key", "value"), Existing.REPLACE), ("schema_version", version)
        )
