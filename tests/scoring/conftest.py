"""Shared fixtures for the scoring tests: one loaded tiny.en per session, a private model cache, a run db.

Speech comes from the harness's own offline voices (Piper "joe", espeak-ng), rendered deterministically,
so no recording is checked in besides the reference voices. Helpers reach tests through the ``kit``
fixture (tests are imported with --import-mode=importlib, so they cannot import this module).
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

from harness.scoring import Scorer
from harness.scoring.asr.faster import FasterWhisperBackend

REPO_ROOT = Path(__file__).resolve().parents[2]
VOICES = REPO_ROOT / "fixtures" / "voices"

# The runner's clips table, exactly as the storage contract states it.
CLIPS_DDL = """
CREATE TABLE IF NOT EXISTS clips(clip_id TEXT PRIMARY KEY, run_id TEXT NOT NULL, provider TEXT NOT NULL,
  model TEXT NOT NULL, corpus TEXT, item_id TEXT, language TEXT, text TEXT NOT NULL, alternatives_json TEXT,
  reference_audio_path TEXT, audio_path TEXT NOT NULL, audio_sha256 TEXT NOT NULL, declared_media_type TEXT,
  declared_sample_rate INTEGER)
"""

Samples = npt.NDArray[np.float32]


def render(text: str, engine: str = "piper", sample_rate: int = 22050, length_scale: float = 1.0) -> Samples:
    """Deterministic speech from the harness's offline voices."""
    from harness.speech import Engine, Rendition, default_engine

    clip = default_engine().render(
        text, Rendition(engine=Engine(engine), length_scale=length_scale, sample_rate=sample_rate)
    )
    return np.array(clip.samples, dtype=np.float32)


def wav_bytes(samples: Samples, rate: int, subtype: str = "PCM_16", fmt: str = "WAV") -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format=fmt, subtype=subtype)
    return buffer.getvalue()


def speak(text: str, engine: str = "piper", sample_rate: int = 22050, length_scale: float = 1.0) -> bytes:
    """WAV bytes of rendered speech."""
    return wav_bytes(render(text, engine, sample_rate, length_scale), sample_rate)


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


class Kit:
    """The helpers above, handed to tests as one fixture."""

    render = staticmethod(render)
    wav_bytes = staticmethod(wav_bytes)
    speak = staticmethod(speak)
    add_clip = staticmethod(add_clip)
    voices = VOICES
    clips_ddl = CLIPS_DDL


@pytest.fixture(scope="session")
def kit() -> Kit:
    return Kit()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Converted and assembled models go to a per-session folder, never the developer's ~/.cache."""
    monkeypatch.setenv("TTS_HARNESS_CACHE", str(tmp_path_factory.getbasetemp() / "harness-cache"))


@pytest.fixture(scope="session")
def tiny_backend() -> FasterWhisperBackend:
    """faster-whisper with the shipped tiny.en, loaded once for the whole session."""
    backend = FasterWhisperBackend()
    backend._load()
    return backend


@pytest.fixture
def scorer(tiny_backend: FasterWhisperBackend) -> Scorer:
    """A cache-less scorer on the shared model; similarity off (the heavy tests turn it on)."""
    return Scorer(asr=tiny_backend, similarity=False)


@pytest.fixture
def run_db(tmp_path: Path) -> Path:
    """An empty run database with the runner's clips table."""
    return make_run_db(tmp_path / "runs.db")
