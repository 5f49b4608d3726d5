"""Saved voices (persistent clones on the web host): upload once, then speak with `user_voice_id`.

Each key has its own shelf of voices, and every shelf starts with the document's example voice
`uv_a1b2c3d4e5f6` ("My Narrator", openvoice, en; its recording is the project's Piper reference clip),
so the document's saved-voice requests work unchanged with any key, in any order: once deleted it
leaves the list, but a request that names it by id puts it back (a contract suite deletes it, then
archives it). Uploads are checked as documented:
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
from harness.core.target import default_reference_voice
from harness.core.timestamps import format_iso
from harness.providers.ttsai.models_voices import SavedVoiceUpload
from harness.providers.ttsai.uploads import (
    SAVED_VOICE_MAX_SECONDS,
    SAVED_VOICE_MIN_SECONDS,
    UPLOAD_LIMITS,
    silent_wav,
)
from harness.sandbox.emulation import Call, Reject
from harness.sandbox.emulations.ttsai import billing
from harness.sandbox.emulations.ttsai.asr import decode_upload
from harness.sandbox.emulations.ttsai.catalog import CLONE_BASES, model_not_found
from harness.sandbox.emulations.ttsai.errors import bad_request, file_too_large
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
            shelf[EXAMPLE_ID] = SavedVoice(EXAMPLE_ID, 42, "My Narrator", "openvoice", "en", _example_audio(),
                                           EXAMPLE_CREATED)
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
        billing.ensure_funds(call, billing.price(call))
        if not SAVED_VOICE_MIN_SECONDS <= seconds <= SAVED_VOICE_MAX_SECONDS:
            raise bad_request(f"The reference audio must be {SAVED_VOICE_MIN_SECONDS:g}-{SAVED_VOICE_MAX_SECONDS:g} "
                              f"seconds long; this file lasts {seconds:.1f} s.")
        model = params.model or auto_model(params.language)
        if model not in CLONE_BASES:
            raise model_not_found(model)
        created = format_iso(call.services.now()).replace("Z", "+00:00")
        voice = self.voices.add(call.key, params.name, model, params.language, params.file, created)
        # 200 or 201: the document writes neither; the spec's success status (the lower) is answered.
        return json_reply(self.voices.body(call, voice), call.endpoint.success_status)

    async def list(self, call: Call) -> Response:
        assert call.key is not None
        voices = self.voices.all(call.key)
        active = sum(1 for v in voices if v.storage_status == "active")
        quota: Mapping[str, int] = {"used": len(voices), "active": active, "archived": len(voices) - active,
                                    "limit": QUOTA}
        return json_reply({"voices": [self.voices.body(call, v) for v in voices], "quota": dict(quota)})

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
