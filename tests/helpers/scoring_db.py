"""A run database as the scorer finds it: the runner's clips table, and clips with their audio beside it."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

# The runner's clips table, exactly as the storage contract states it.
CLIPS_DDL = """
CREATE TABLE IF NOT EXISTS clips(clip_id TEXT PRIMARY KEY, run_id TEXT NOT NULL, provider TEXT NOT NULL,
  model TEXT NOT NULL, corpus TEXT, item_id TEXT, language TEXT, text TEXT NOT NULL, alternatives_json TEXT,
  reference_audio_path TEXT, audio_path TEXT NOT NULL, audio_sha256 TEXT NOT NULL, declared_media_type TEXT,
  declared_sample_rate INTEGER)
"""


def make_run_db(path: Path) -> Path:
    """An empty run database with the runner's clips table (the scorer adds its own tables)."""
    with sqlite3.connect(path) as conn:
        conn.execute(CLIPS_DDL)
    return path


def add_clip(db: Path, clip_id: str, run_id: str, text: str, audio: bytes, **extra: object) -> None:
    """Store audio beside the database (relative path, as a moved run directory would have)."""
    audio_dir = db.parent / "audio"
    audio_dir.mkdir(exist_ok=True)
    (audio_dir / f"{clip_id}.wav").write_bytes(audio)
    row = {
        "clip_id": clip_id,
        "run_id": run_id,
        "provider": extra.pop("provider", "sandbox"),
        "model": extra.pop("model", "joe"),
        "text": text,
        "audio_path": f"audio/{clip_id}.wav",
        "audio_sha256": hashlib.sha256(audio).hexdigest(),
        "language": extra.pop("language", "en"),
        **extra,
    }
    with sqlite3.connect(db) as conn:
        conn.execute(
            f"INSERT INTO clips ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", tuple(row.values())
        )
