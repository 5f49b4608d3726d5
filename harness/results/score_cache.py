"""Cache of model outputs keyed by what determines them, in the ``score_cache`` table.

Transcripts are the expensive part of scoring (a Whisper pass per clip); they depend on the audio bytes,
the backend, the model weights and the decoding settings, and are stored with the normalizer version they
were scored under. A transcript stored under an older normalizer version is still the same transcript,
so a lookup falls back to it: a normalizer change re-scores text without re-running ASR. Speaker
similarities and DNSMOS results use the same table under their own ``kind``.

The table is the run database's by default (`runs.db`), or a cache file of its own (`Scorer(cache=path)`,
`tts-harness score --cache`), which holds only this table.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from harness.results.database import Connection, StoreTarget, Transaction, connect, dialect_of
from harness.results.dialect import Existing, insert_sql
from harness.results.postgres import PgConnection
from harness.results.schema import create_score_cache
from harness.results.scores import now_iso


class CacheKind(StrEnum):
    TRANSCRIPT = "transcript"
    SIMILARITY = "similarity"
    DNSMOS = "dnsmos"
    HARD_TEXT = "hard-text"  # what the model said about a hard-text clip: free transcript, sentence likelihoods


@dataclass(frozen=True, slots=True, kw_only=True)
class CacheKey:
    """What determines a cached value; ``normalizer_version`` is empty for values that ignore text."""

    kind: CacheKind
    audio_sha256: str
    backend: str
    model: str
    settings: str
    normalizer_version: str = ""


class ScoreCache:
    """A thread-safe view of one database's ``score_cache`` table (a connection from
    `harness.results.connect_writer`, or a path: the run database or a cache file of its own)."""

    def __init__(self, target: Connection | StoreTarget) -> None:
        if isinstance(target, sqlite3.Connection | PgConnection):
            self._conn = target
            self._owned = False
        else:
            self._conn = connect(target)
            self._owned = True
        self._lock = threading.Lock()
        with self._lock:
            create_score_cache(self._conn)

    def get(self, key: CacheKey) -> dict[str, Any] | None:
        """The cached value, falling back to the newest row of the same key under another normalizer version."""
        with self._lock:
            row = self._conn.execute(
                "SELECT value_json FROM score_cache WHERE kind=? AND audio_sha256=? AND backend=? AND model=? "
                "AND settings=? ORDER BY normalizer_version = ? DESC, created_at DESC LIMIT 1",
                (key.kind.value, key.audio_sha256, key.backend, key.model, key.settings, key.normalizer_version),
            ).fetchone()
        if row is None:
            return None
        value: dict[str, Any] = json.loads(row[0])
        return value

    def put(self, key: CacheKey, value: dict[str, Any]) -> None:
        with self._lock, Transaction(self._conn):
            self._conn.execute(
                insert_sql(dialect_of(self._conn), "score_cache", ("kind", "audio_sha256", "backend", "model",
                           "settings", "normalizer_version", "value_json", "created_at"), Existing.REPLACE),
                (key.kind.value, key.audio_sha256, key.backend, key.model, key.settings, key.normalizer_version,
                 json.dumps(value, ensure_ascii=False), now_iso()),
            )

    def close(self) -> None:
        if self._owned:
            self._conn.close()
