"""Saved voices (persistent clones on the web host), as the sandbox keeps them: every key's shelf.

Each key has its own shelf of voices, and every shelf starts with the document's example voice
`uv_a1b2c3d4e5f6` ("My Narrator", openvoice, en; its recording is the project's Piper reference clip),
so the document's saved-voice requests work unchanged with any key, in any order: once deleted it
leaves the list, but a request that names it by id puts it back (a contract suite deletes it, then
archives it). Archived voices stay listed but are refused in TTS. The endpoints that upload, list,
delete, archive and reactivate them are answered in `responses.saved`.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace
from typing import Any

from harness.core.spec import Upload
from harness.core.target import default_reference_voice
from harness.providers.ttsai.models.uploads import UPLOAD_LIMITS, silent_wav
from harness.sandbox.emulation import Call, Reject

EXAMPLE_ID = "uv_a1b2c3d4e5f6"
EXAMPLE_CREATED = "2026-04-17T03:45:00+00:00"
SAVED_VOICE_MAX_BYTES = UPLOAD_LIMITS["clone"]
QUOTA = 100  # saved voices per account: the document promises "quota info" without a figure
CJK = ("zh", "ja", "ko")


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedVoice:
    public_id: str
    id: int
    name: str
    model_name: str
    language: str
    audio: Upload
    created_at: str
    storage_status: str = "active"

    def body(self, audio_url: str) -> dict[str, Any]:
        return {
            "public_id": self.public_id,
            "id": self.id,
            "name": self.name,
            "model_name": self.model_name,
            "language": self.language,
            "reference_audio_url": audio_url,
            "storage_status": self.storage_status,
            "created_at": self.created_at,
        }


def _example_audio() -> Upload:
    clip = default_reference_voice()
    content = clip.read_bytes() if clip.is_file() else silent_wav(8.0)
    return Upload(filename="reference.wav", content=content, content_type="audio/wav")


def auto_model(language: str) -> str:
    """The document's auto-pick: cosyvoice2 for zh/ja/ko, openvoice otherwise."""
    return "cosyvoice2" if language.split("-")[0].lower() in CJK else "openvoice"


class SavedVoices:
    """Every key's saved voices (one sandbox's worth; thread-safe)."""

    def __init__(self) -> None:
        self._shelves: dict[str, dict[str, SavedVoice]] = {}
        self._seeded: set[str] = set()
        self._urls: dict[str, str] = {}  # public_id -> the published recording
        self._next_id = 43  # the example voice is id 42
        self._lock = threading.Lock()

    def _shelf(self, key: str, wanted: str | None = None) -> dict[str, SavedVoice]:
        """A key's shelf; the example voice is (re)placed on it when new, or when asked for by id."""
        shelf = self._shelves.setdefault(key, {})
        if not shelf.get(EXAMPLE_ID) and (wanted == EXAMPLE_ID or key not in self._seeded):
            self._seeded.add(key)
            shelf[EXAMPLE_ID] = SavedVoice(
                public_id=EXAMPLE_ID,
                id=42,
                name="My Narrator",
                model_name="openvoice",
                language="en",
                audio=_example_audio(),
                created_at=EXAMPLE_CREATED,
            )
        return shelf

    def get(self, key: str, public_id: str) -> SavedVoice:
        with self._lock:
            voice = self._shelf(key, public_id).get(public_id)
        if voice is None:
            raise Reject(404, f"Saved voice '{public_id}' not found.")
        return voice

    def usable(self, key: str, public_id: str) -> SavedVoice:
        """A voice TTS may speak with: 404 when unknown, 400 when archived."""
        voice = self.get(key, public_id)
        if voice.storage_status != "active":
            raise Reject(400, f"Saved voice '{public_id}' is archived and can't be used in TTS; reactivate it first.")
        return voice

    def add(self, key: str, name: str, model: str, language: str, audio: Upload, created_at: str) -> SavedVoice:
        with self._lock:
            shelf = self._shelf(key)
            number = self._next_id
            self._next_id += 1
            digest = hashlib.sha256(f"{key}/{number}".encode()).hexdigest()[:12]
            voice = SavedVoice(
                public_id=f"uv_{digest}",
                id=number,
                name=name,
                model_name=model,
                language=language,
                audio=audio,
                created_at=created_at,
            )
            shelf[voice.public_id] = voice
            return voice

    def remove(self, key: str, public_id: str) -> None:
        with self._lock:
            if self._shelf(key, public_id).pop(public_id, None) is None:
                raise Reject(404, f"Saved voice '{public_id}' not found.")

    def set_status(self, key: str, public_id: str, status: str) -> SavedVoice:
        with self._lock:
            shelf = self._shelf(key, public_id)
            voice = shelf.get(public_id)
            if voice is None:
                raise Reject(404, f"Saved voice '{public_id}' not found.")
            shelf[public_id] = replace(voice, storage_status=status)
            return shelf[public_id]

    def all(self, key: str) -> list[SavedVoice]:
        with self._lock:
            return list(self._shelf(key).values())

    def body(self, call: Call, voice: SavedVoice) -> dict[str, Any]:
        """The voice as the API shows it; its recording is published once, on first showing."""
        with self._lock:
            url = self._urls.get(voice.public_id)
        if url is None:
            url = call.services.publish(voice.audio.content, voice.audio.content_type, f"{voice.public_id}.wav")
            with self._lock:
                url = self._urls.setdefault(voice.public_id, url)
        return voice.body(url)
