"""Cache of model outputs keyed by what determines them, in the ``score_cache`` table.

Transcripts are the expensive part of scoring (a Whisper pass per clip); they depend on the audio bytes,
the backend, the model weights and the decoding settings, and are stored with the normalizer version they
were scored under. A transcript stored under an older normalizer version is still the same transcript,
so a lookup falls back to it: a normalizer change re-scores text without re-running ASR. Speaker
similarities and DNSMOS results use the same table under their own ``kind``.

The table is the run database's by default (`runs.db`, whose every table `harness.results` owns), or a
cache file of its own; either way its rows are read and written by `harness.results.score_cache`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from harness.results.database import connect
from harness.results.schema import create_score_cache
from harness.results.score_cache import CacheKey, cached_value, store_value
from harness.scoring.score_row import now_iso


class ScoreCache:
    """A thread-safe view of one database's ``score_cache`` table."""

    def __init__(self, target: sqlite3.Connection | str | Path) -> None:
        if isinstance(target, sqlite3.Connection):
            self._conn = target
            self._owned = False
        else:
            self._conn = connect(target)
            self._owned = True
        self._lock = threading.Lock()
        with self._lock:
            create_score_cache(self._conn)

    def get(self, key: CacheKey) -> dict[str, Any] | None:
        """The cached value, falling back to any normalizer version for transcripts."""
        with self._lock:
            stored = cached_value(self._conn, key)
        if stored is None:
            return None
        value: dict[str, Any] = json.loads(stored)
        return value

    def put(self, key: CacheKey, value: dict[str, Any]) -> None:
        with self._lock:
            store_value(self._conn, key, json.dumps(value, ensure_ascii=False), now_iso())

    def close(self) -> None:
        if self._owned:
            self._conn.close()
