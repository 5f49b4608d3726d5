"""Saved voices (persistent clones on the web host): upload once, then speak with `user_voice_id`.

Each key has its own shelf of voices, and every shelf starts with the document's example voice
`uv_a1b2c3d4e5f6` ("My Narrator", openvoice, en; its recording is the project's Piper reference clip),
so the document's saved-voice requests work unchanged with any key. Uploads are checked as documented:
5-30 s of audio (the request model checks WAV; other formats are decoded here), `consent_confirmed`
truthy, and at most 20 MB (the cloning limit, since a saved voice feeds the cloning pipeline; the
document gives no figure of its own). Archived voices stay listed but are refused in TTS.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from starlette.responses import Response

from harness.core.spec import Upload
from harness.core.timestamps import format_iso
from harness.providers.ttsai import emulation_engine as engine
from harness.providers.ttsai.emulation_asr import decode_upload
from harness.providers.ttsai.emulation_catalog import CLONE_BASES, model_not_found
from harness.providers.ttsai.emulation_errors import bad_request, file_too_large
from harness.providers.ttsai.models_voices import SavedVoiceUpload
from harness.providers.ttsai.uploads import (
    SAVED_VOICE_MAX_SECONDS,
    SAVED_VOICE_MIN_SECONDS,
    UPLOAD_LIMITS,
    silent_wav,
)
from harness.sandbox.emulation import Call, Reject
from harness.sandbox.voices import DEFAULT_VOICES_DIR
from harness.sandbox.wire import json_reply

EXAMPLE_ID = "uv_a1b2c3d4e5f6"
EXAMPLE_CREATED = "2026-04-17T03:45:00+00:00"
SAVED_VOICE_MAX_BYTES = UPLOAD_LIMITS["clone"]
QUOTA = 100  # saved voices per account: the document promises "quota info" without a figure
CJK = ("zh", "ja", "ko")


@dataclass(frozen=True, slots=True)
class SavedVoice:
    public_id: str
    id: int
    name: str
    model_name: str
    language: str
    audio: Upload
    created_at: str
    storage_status: str = "active"

    def body(self, call: Call) -> dict[str, Any]:
        url = engine.published_url(call, self.audio.content, "audio/wav", f"{self.public_id}.wav")
        return {
            "public_id": self.public_id,
            "id": self.id,
            "name": self.name,
            "model_name": self.model_name,
            "language": self.language,
            "reference_audio_url": url or f"{call.urls.base('web')}/media/user-voices/{self.public_id}.wav",
            "storage_status": self.storage_status,
            "created_at": self.created_at,
        }


def _example_audio() -> Upload:
    clip = DEFAULT_VOICES_DIR / "joe_reference.wav"
    content = clip.read_bytes() if clip.is_file() else silent_wav(8.0)
    return Upload(filename="reference.wav", content=content, content_type="audio/wav")


def auto_model(language: str) -> str:
    """The document's auto-pick: cosyvoice2 for zh/ja/ko, openvoice otherwise."""
    return "cosyvoice2" if language.split("-")[0].lower() in CJK else "openvoice"


class SavedVoices:
    """Every key's saved voices (one sandbox's worth; thread-safe)."""

    def __init__(self) -> None:
        self._shelves: dict[str, dict[str, SavedVoice]] = {}
        self._next_id = 43  # the example voice is id 42
        self._lock = threading.Lock()

    def _shelf(self, key: str) -> dict[str, SavedVoice]:
        shelf = self._shelves.get(key)
        if shelf is None:
            example = SavedVoice(EXAMPLE_ID, 42, "My Narrator", "openvoice", "en", _example_audio(), EXAMPLE_CREATED)
            shelf = self._shelves[key] = {EXAMPLE_ID: example}
        return shelf

    def get(self, key: str, public_id: str) -> SavedVoice:
        with self._lock:
            voice = self._shelf(key).get(public_id)
        if voice is None:
            raise Reject(404, f"Saved voice '{public_id}' not found.")
        return voice

    def usable(self, key: str, public_id: str) -> SavedVoice:
        """A voice TTS may speak with: 404 when unknown, 400 when archived."""
        voice = self.get(key, public_id)
        if voice.storage_status != "active":
            raise bad_request(f"Saved voice '{public_id}' is archived and can't be used in TTS; reactivate it first.")
        return voice

    def add(self, key: str, name: str, model: str, language: str, audio: Upload, created_at: str) -> SavedVoice:
        with self._lock:
            shelf = self._shelf(key)
            number = self._next_id
            self._next_id += 1
            digest = hashlib.sha256(f"{key}/{number}".encode()).hexdigest()[:12]
            voice = SavedVoice(f"uv_{digest}", number, name, model, language, audio, created_at)
            shelf[voice.public_id] = voice
            return voice

    def remove(self, key: str, public_id: str) -> None:
        with self._lock:
            if self._shelf(key).pop(public_id, None) is None:
                raise Reject(404, f"Saved voice '{public_id}' not found.")

    def set_status(self, key: str, public_id: str, status: str) -> SavedVoice:
        with self._lock:
            shelf = self._shelf(key)
            voice = shelf.get(public_id)
            if voice is None:
                raise Reject(404, f"Saved voice '{public_id}' not found.")
            shelf[public_id] = replace(voice, storage_status=status)
            return shelf[public_id]

    def all(self, key: str) -> list[SavedVoice]:
        with self._lock:
            return list(self._shelf(key).values())


class SavedVoiceHandlers:
    """The five saved-voice endpoints of the web host."""

    def __init__(self, voices: SavedVoices) -> None:
        self.voices = voices

    def register(self, handlers: dict[str, Any]) -> None:
        handlers.update({
            "saved-voices.upload": self.upload, "saved-voices.list": self.list,
            "saved-voices.delete": self.delete, "saved-voices.archive": self.archive,
            "saved-voices.reactivate": self.reactivate,
        })

    async def upload(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, SavedVoiceUpload) and call.key is not None
        size = len(params.file.content)
        if size > SAVED_VOICE_MAX_BYTES:
            raise file_too_large("file", size, SAVED_VOICE_MAX_BYTES)
        seconds = decode_upload(params.file.content, "file").duration_s
        if not SAVED_VOICE_MIN_SECONDS <= seconds <= SAVED_VOICE_MAX_SECONDS:
            raise bad_request(f"The reference audio must be {SAVED_VOICE_MIN_SECONDS:g}-{SAVED_VOICE_MAX_SECONDS:g} "
                              f"seconds long; this file lasts {seconds:.1f} s.")
        model = params.model or auto_model(params.language)
        if model not in CLONE_BASES:
            raise model_not_found(model)
        created = format_iso(engine.now(call)).replace("Z", "+00:00")
        voice = self.voices.add(call.key, params.name, model, params.language, params.file, created)
        return json_reply(voice.body(call), 201)

    async def list(self, call: Call) -> Response:
        assert call.key is not None
        voices = self.voices.all(call.key)
        active = sum(1 for v in voices if v.storage_status == "active")
        quota: Mapping[str, int] = {"used": len(voices), "active": active, "archived": len(voices) - active,
                                    "limit": QUOTA}
        return json_reply({"voices": [v.body(call) for v in voices], "quota": dict(quota)})

    async def delete(self, call: Call) -> Response:
        assert call.key is not None
        public_id = str(call.payload.get("public_id", ""))
        self.voices.remove(call.key, public_id)
        return json_reply({"success": True, "public_id": public_id, "deleted": True})

    async def archive(self, call: Call) -> Response:
        return self._status(call, "archived")

    async def reactivate(self, call: Call) -> Response:
        return self._status(call, "active")

    def _status(self, call: Call, status: str) -> Response:
        assert call.key is not None
        voice = self.voices.set_status(call.key, call.path_params.get("public_id", ""), status)
        return json_reply({"success": True, "public_id": voice.public_id, "storage_status": voice.storage_status})
