"""The `clips` table: one row per clip the runner produced, the scorer's input."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from harness.results.database import Connection
from harness.results.row_errors import RowError


@dataclass(frozen=True, slots=True)
class ClipRow:
    """One row of ``clips`` (columns documented in `harness.results.schema`)."""

    clip_id: str
    run_id: str
    provider: str
    model: str
    text: str
    audio_path: str
    audio_sha256: str
    corpus: str | None = None
    item_id: str | None = None
    language: str | None = None
    alternatives_json: str | None = None
    reference_audio_path: str | None = None
    declared_media_type: str | None = None
    declared_sample_rate: int | None = None

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any] | Any) -> ClipRow:
        data = dict(row)
        names = {field.name for field in fields(cls)}
        missing = {"clip_id", "run_id", "provider", "model", "text", "audio_path", "audio_sha256"} - set(data)
        if missing:
            raise RowError(f"a clips row needs {sorted(missing)}, got columns {sorted(data)}")
        return cls(**{key: value for key, value in data.items() if key in names})


def read_clips(conn: Connection, run_id: str) -> list[ClipRow]:
    """The run's clips, in a stable order."""
    rows = conn.execute("SELECT * FROM clips WHERE run_id = ? ORDER BY clip_id", (run_id,))
    return [ClipRow.from_mapping(row) for row in rows]
