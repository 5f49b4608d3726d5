"""TTS.ai's saved-voice endpoints on the web host: upload once, then speak with `user_voice_id`.

Uploads are checked as documented: 5-30 s of audio (the request model checks WAV; other formats are
decoded here), `consent_confirmed` truthy, and at most 20 MB (the cloning limit, since a saved voice
feeds the cloning pipeline; the document gives no figure of its own). The shelves themselves are
`models.saved`.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response

from harness.core.timestamps import format_iso
from harness.providers.ttsai.emulation.models.catalog import CLONE_BASES, model_not_found
from harness.providers.ttsai.emulation.models.saved import QUOTA, SAVED_VOICE_MAX_BYTES, SavedVoices, auto_model
from harness.providers.ttsai.emulation.responses import billing
from harness.providers.ttsai.emulation.responses.asr import decode_upload
from harness.providers.ttsai.emulation.responses.refusals import bad_request, file_too_large
from harness.providers.ttsai.models.catalog import SavedVoiceUpload
from harness.providers.ttsai.models.uploads import SAVED_VOICE_MAX_SECONDS, SAVED_VOICE_MIN_SECONDS
from harness.sandbox.emulation import Call
from harness.sandbox.http_bodies import json_reply


class SavedVoiceHandlers:
    """The five saved-voice endpoints of the web host."""

    def __init__(self, voices: SavedVoices) -> None:
        self.voices = voices

    async def upload(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, SavedVoiceUpload) and call.key is not None
        size = len(params.file.content)
        if size > SAVED_VOICE_MAX_BYTES:
            raise file_too_large("file", size, SAVED_VOICE_MAX_BYTES)
        seconds = decode_upload(params.file.content, "file").duration_s
        billing.ensure_funds(call, billing.price(call))
        if not SAVED_VOICE_MIN_SECONDS <= seconds <= SAVED_VOICE_MAX_SECONDS:
            raise bad_request(
                f"The reference audio must be {SAVED_VOICE_MIN_SECONDS:g}-{SAVED_VOICE_MAX_SECONDS:g} "
                f"seconds long; this file lasts {seconds:.1f} s."
            )
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
        quota: Mapping[str, int] = {
            "used": len(voices),
            "active": active,
            "archived": len(voices) - active,
            "limit": QUOTA,
        }
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
