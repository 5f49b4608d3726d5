"""SQLite tables the scorer owns in the run database: ``scores`` and ``score_cache``.

The benchmark runner owns ``clips`` (one row per generated clip, with its text and audio path); scores
live beside it so a report joins timings and quality in one query. ``scores`` holds one row per
clip x ASR backend/model x normalizer version, every figure and every version stamp; re-scoring replaces
the row. ``score_cache`` holds expensive intermediate results (transcripts, speaker similarities, DNSMOS)
keyed by what determines them, so re-scoring never re-runs a model on unchanged audio.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from harness.scoring.results import ClipScore

SCORES_DDL = """
CREATE TABLE IF NOT EXISTS scores (
    clip_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    asr_backend TEXT NOT NULL,
    asr_model TEXT NOT NULL,
    normalizer_version TEXT NOT NULL,
    normalizer_name TEXT NOT NULL,
    asr_settings TEXT NOT NULL,
    harness_version TEXT NOT NULL,
    audio_sha256 TEXT,
    language TEXT NOT NULL,
    unit TEXT NOT NULL,
    transcript TEXT,
    normalized_reference TEXT,
    normalized_transcript TEXT,
    reference_candidate INTEGER,
    wer REAL,
    cer REAL,
    hits INTEGER NOT NULL,
    substitutions INTEGER NOT NULL,
    deletions INTEGER NOT NULL,
    insertions INTEGER NOT NULL,
    ref_length INTEGER NOT NULL,
    ref_words INTEGER NOT NULL,
    hyp_length INTEGER NOT NULL,
    flags_json TEXT NOT NULL,
    findings_json TEXT NOT NULL,
    similarity REAL,
    similarity_model TEXT,
    media_type TEXT,
    sample_rate INTEGER,
    channels INTEGER,
    duration_s REAL,
    speech_s REAL,
    expected_speech_s REAL,
    leading_silence_s REAL,
    trailing_silence_s REAL,
    clipping_ratio REAL,
    loudness_lufs REAL,
    dnsmos_overall REAL,
    dnsmos_signal REAL,
    dnsmos_background REAL,
    dnsmos_p808 REAL,
    dnsmos_model TEXT,
    cache_hit INTEGER NOT NULL,
    asr_seconds REAL,
    error TEXT,
    scored_at TEXT NOT NULL,
    PRIMARY KEY (clip_id, asr_backend, asr_model, normalizer_version)
)
"""
SCORES_INDEX_DDL = "CREATE INDEX IF NOT EXISTS scores_run ON scores (run_id)"
SCORE_CACHE_DDL = """
CREATE TABLE IF NOT EXISTS score_cache (
    kind TEXT NOT NULL,
    audio_sha256 TEXT NOT NULL,
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    settings TEXT NOT NULL,
    normalizer_version TEXT NOT NULL,
    value_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (kind, audio_sha256, backend, model, settings, normalizer_version)
)
"""


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the scorer's tables if absent (never touches the runner's ``clips`` table)."""
    with conn:
        conn.execute(SCORES_DDL)
        conn.execute(SCORES_INDEX_DDL)
        conn.execute(SCORE_CACHE_DDL)


def connect(path: str, *, timeout_s: float = 30.0) -> sqlite3.Connection:
    """A connection that waits for the runner's writes instead of failing with 'database is locked'."""
    conn = sqlite3.connect(path, timeout=timeout_s, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def score_row(run_id: str, clip_id: str, score: ClipScore) -> dict[str, Any]:
    """The ``scores`` row of one clip score."""
    conformance = score.conformance
    dnsmos = score.dnsmos
    versions = score.versions
    return {
        "clip_id": clip_id,
        "run_id": run_id,
        "asr_backend": versions.asr_backend,
        "asr_model": versions.asr_model,
        "normalizer_version": versions.normalizer_version,
        "normalizer_name": versions.normalizer_name,
        "asr_settings": versions.asr_settings,
        "harness_version": versions.harness_version,
        "audio_sha256": score.audio_sha256,
        "language": score.language,
        "unit": score.unit.value,
        "transcript": score.transcript,
        "normalized_reference": score.normalized_reference,
        "normalized_transcript": score.normalized_transcript,
        "reference_candidate": score.reference_candidate,
        "wer": score.wer,
        "cer": score.cer,
        "hits": score.hits,
        "substitutions": score.substitutions,
        "deletions": score.deletions,
        "insertions": score.insertions,
        "ref_length": score.ref_length,
        "ref_words": score.ref_words,
        "hyp_length": score.hyp_length,
        "flags_json": json.dumps([flag.value for flag in score.flags]),
        "findings_json": json.dumps([finding.to_json() for finding in score.findings]),
        "similarity": score.similarity,
        "similarity_model": versions.similarity_model if score.similarity is not None else None,
        "media_type": conformance.media_type if conformance else None,
        "sample_rate": conformance.sample_rate if conformance else None,
        "channels": conformance.channels if conformance else None,
        "duration_s": conformance.duration_s if conformance else None,
        "speech_s": conformance.speech_s if conformance else None,
        "expected_speech_s": conformance.expected_speech_s if conformance else None,
        "leading_silence_s": conformance.leading_silence_s if conformance else None,
        "trailing_silence_s": conformance.trailing_silence_s if conformance else None,
        "clipping_ratio": conformance.clipping_ratio if conformance else None,
        "loudness_lufs": conformance.loudness_lufs if conformance else None,
        "dnsmos_overall": dnsmos.overall if dnsmos else None,
        "dnsmos_signal": dnsmos.signal if dnsmos else None,
        "dnsmos_background": dnsmos.background if dnsmos else None,
        "dnsmos_p808": dnsmos.p808 if dnsmos else None,
        "dnsmos_model": versions.dnsmos_model if dnsmos else None,
        "cache_hit": int(score.cache_hit),
        "asr_seconds": score.asr_seconds,
        "error": score.error,
        "scored_at": now_iso(),
    }


def write_scores(conn: sqlite3.Connection, run_id: str, scores: list[tuple[str, ClipScore]]) -> None:
    """Insert or replace the rows of (clip_id, score) pairs in one transaction."""
    rows = [score_row(run_id, clip_id, score) for clip_id, score in scores]
    if not rows:
        return
    columns = list(rows[0])
    sql = (
        f"INSERT OR REPLACE INTO scores ({', '.join(columns)}) VALUES ({', '.join(':' + column for column in columns)})"
    )
    with conn:
        conn.executemany(sql, rows)
