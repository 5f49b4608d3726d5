"""The `score_cache` table: model outputs (transcripts, speaker similarities, DNSMOS) keyed by what
determines them. `harness.scoring.cache` decides what to cache and serialises access; this module reads
and writes the rows, in `runs.db` or in a cache file of its own (`schema.create_score_cache`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from harness.results.database import Transaction


class CacheKind(StrEnum):
    TRANSCRIPT = "transcript"
    SIMILARITY = "similarity"
    DNSMOS = "dnsmos"


@dataclass(frozen=True, slots=True)
class CacheKey:
    """What determines a cached value; ``normalizer_version`` is empty for values that ignore text."""

    kind: CacheKind
    audio_sha256: str
    backend: str
    model: str
    settings: str
    normalizer_version: str = ""


def cached_value(conn: sqlite3.Connection, key: CacheKey) -> str | None:
    """The stored JSON, falling back to the newest row of the same key under another normalizer version:
    a transcript stored under an older normalizer is still the same transcript, so a normalizer change
    re-scores text without re-running ASR."""
    row = conn.execute(
        "SELECT value_json FROM score_cache WHERE kind=? AND audio_sha256=? AND backend=? AND model=? AND settings=? "
        "ORDER BY normalizer_version = ? DESC, created_at DESC LIMIT 1",
        (key.kind.value, key.audio_sha256, key.backend, key.model, key.settings, key.normalizer_version),
    ).fetchone()
    return None if row is None else str(row[0])


def store_value(conn: sqlite3.Connection, key: CacheKey, value_json: str, created_at: str) -> None:
    with Transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO score_cache "
            "(kind, audio_sha256, backend, model, settings, normalizer_version, value_json, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key.kind.value, key.audio_sha256, key.backend, key.model, key.settings, key.normalizer_version,
             value_json, created_at),
        )
