"""Cache of model outputs keyed by what determines them, in the ``score_cache`` table.

Transcripts are the expensive part of scoring (a Whisper pass per clip); they depend on the audio bytes,
the backend, the model weights and the decoding settings, and are stored with the normalizer version they
were scored under. A transcript stored under an older normalizer version is still the same transcript,
so a lookup falls back to it: a normalizer change re-scores text without re-running ASR. Speaker
similarities and DNSMOS results use the same table under their own ``kind``.

A value is a typed payload (`CachedTranscript`, `HeardTranscript`, `CachedSimilarity`, `CachedDnsmos`), read by
attribute: `ScoreCache.get(key, CachedTranscript)` gives the record or, where the stored JSON is not one (written by
an older harness, without a field the record needs, a value of another type), None — a miss, computed again.

The table is the run database's by default (`runs.db`), or a cache file of its own (`Scorer(cache=path)`,
`tts-harness score --cache`), which holds only this table.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import types
import typing
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

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


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedTranscript:
    """A clip's transcript and the ASR seconds it took (its share of the batch)."""

    transcript: str
    asr_seconds: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HeardTranscript(CachedTranscript):
    """A transcript of a language the scorer checks, with the language heard: one cached before the language check
    existed has no `heard_language` and is transcribed again."""

    heard_language: str | None
    heard_probability: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedSimilarity:
    """A clip's speaker similarity to its reference voice (None: no embedding of one of them)."""

    similarity: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedDnsmos:
    """A clip's DNSMOS scores; none of them: the model gave no result."""

    overall: float | None = None
    signal: float | None = None
    background: float | None = None
    p808: float | None = None


PayloadT = TypeVar("PayloadT")


def payload_of(record: type[PayloadT], value: Any) -> PayloadT | None:
    """A stored JSON value as the payload record, or None where it is not one (not an object, a field it needs
    absent, a value not of its field's type): a miss, never an error."""
    if not isinstance(value, dict):
        return None
    hints = typing.get_type_hints(record)
    found: dict[str, Any] = {}
    for item in dataclasses.fields(record):  # type: ignore[arg-type]
        if item.name not in value:
            if item.default is dataclasses.MISSING:
                return None
            continue
        if not _holds(hints[item.name], value[item.name]):
            return None
        found[item.name] = value[item.name]
    return record(**found)


def _holds(annotation: Any, value: Any) -> bool:
    arguments = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    if value is None:
        return type(None) in arguments
    if isinstance(value, bool):
        return bool in arguments
    if isinstance(value, int) and float in arguments:
        return True
    return any(kind is not type(None) and isinstance(value, kind) for kind in arguments)


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

    def get(self, key: CacheKey, record: type[PayloadT]) -> PayloadT | None:
        """The cached value as its payload record, falling back to the newest row of the same key under another
        normalizer version; None where nothing is cached or what is cached is not such a record."""
        return payload_of(record, self.payload(key))

    def payload(self, key: CacheKey) -> Any:
        """The cached JSON as stored (for a payload that reads itself, `harness.scoring.hard_text`), or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT value_json FROM score_cache WHERE kind=? AND audio_sha256=? AND backend=? AND model=? "
                "AND settings=? ORDER BY normalizer_version = ? DESC, created_at DESC LIMIT 1",
                (key.kind.value, key.audio_sha256, key.backend, key.model, key.settings, key.normalizer_version),
            ).fetchone()
        if row is None:
            return None
        try:
            return json.loads(row[0])
        except (ValueError, RecursionError):
            return None

    def put(self, key: CacheKey, value: Any) -> None:
        """Caches a payload record (or, for a payload that writes itself, its JSON object)."""
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.asdict(value)
        with self._lock, Transaction(self._conn):
            self._conn.execute(
                insert_sql(
                    dialect_of(self._conn),
                    "score_cache",
                    (
                        "kind",
                        "audio_sha256",
                        "backend",
                        "model",
                        "settings",
                        "normalizer_version",
                        "value_json",
                        "created_at",
                    ),
                    Existing.REPLACE,
                ),
                (
                    key.kind.value,
                    key.audio_sha256,
                    key.backend,
                    key.model,
                    key.settings,
                    key.normalizer_version,
                    json.dumps(value, ensure_ascii=False),
                    now_iso(),
                ),
            )

    def close(self) -> None:
        if self._owned:
            self._conn.close()
