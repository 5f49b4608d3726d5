"""The `scores` table's rows and their writer (columns documented in `harness.results.schema`).

The scorer turns each `ClipScore` into a `ScoreRow` (`harness.scoring.score_row`); this module is the only
one that writes them, on a connection from `connect_writer`. One row per clip × ASR backend/model ×
normalizer version: re-scoring replaces it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime

from harness.results.database import Connection, Transaction, dialect_of
from harness.results.dialect import Existing, insert_sql


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreRow:
    clip_id: str
    run_id: str
    asr_backend: str
    asr_model: str
    setup_asr_model: str
    normalizer_version: str
    normalizer_name: str
    asr_settings: str
    harness_version: str
    audio_sha256: str | None
    language: str
    unit: str
    transcript: str | None
    normalized_reference: str | None
    normalized_transcript: str | None
    reference_candidate: int | None
    wer: float | None
    cer: float | None
    hits: int
    substitutions: int
    deletions: int
    insertions: int
    ref_length: int
    ref_words: int
    hyp_length: int
    flags_json: str
    findings_json: str
    similarity: float | None
    similarity_model: str | None
    media_type: str | None
    sample_rate: int | None
    channels: int | None
    duration_s: float | None
    speech_s: float | None
    expected_speech_s: float | None
    leading_silence_s: float | None
    trailing_silence_s: float | None
    clipping_ratio: float | None
    loudness_lufs: float | None
    dnsmos_overall: float | None
    dnsmos_signal: float | None
    dnsmos_background: float | None
    dnsmos_p808: float | None
    dnsmos_model: str | None
    cache_hit: int
    asr_seconds: float | None
    error: str | None
    scored_at: str
    heard_language: str | None = None  # schema 11: the language check (non-English clips)
    heard_probability: float | None = None


def now_iso() -> str:
    """The wall-clock stamp of the scorer's rows (`scored_at`, `created_at`)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


SCORE_COLUMNS = tuple(field.name for field in fields(ScoreRow))


def write_scores(conn: Connection, rows: Sequence[ScoreRow]) -> None:
    """Insert or replace the rows in one transaction (a connection from `harness.results.database.connect`)."""
    if rows:
        with Transaction(conn):
            conn.executemany(insert_sql(dialect_of(conn), "scores", SCORE_COLUMNS, Existing.REPLACE, named=True),
                             [asdict(row) for row in rows])
