"""Which handler answers each TTS.ai endpoint the engine does not run as a queued job.

The engine serves every endpoint of the spec beneath its host: job submits and their status endpoint
itself (`responses.jobs`), every other endpoint through the handler named here. A new direct endpoint
is a handler in a `responses` module and one line in this table.
"""

from __future__ import annotations

from harness.providers.ttsai.emulation.models.saved import SavedVoices
from harness.providers.ttsai.emulation.responses import catalog, sdk
from harness.providers.ttsai.emulation.responses.audio import AudioHandlers
from harness.providers.ttsai.emulation.responses.saved import SavedVoiceHandlers
from harness.providers.ttsai.emulation.responses.speech import SpeechHandlers
from harness.sandbox.emulation import Handler


def routes(saved: SavedVoices) -> dict[str, Handler]:
    """Endpoint key -> handler, for one sandbox (conversations and saved voices are its own)."""
    speech, audio, shelves = SpeechHandlers(), AudioHandlers(), SavedVoiceHandlers(saved)
    return {
        # speech out (responses/speech.py)
        "tts.stream": speech.stream,
        "audio.speech": speech.openai_speech,
        "tts.clone": speech.clone,
        # audio in (responses/audio.py)
        "stt.transcribe": audio.stt,
        "voice.convert": audio.voice_convert,
        "speech.translate": audio.translate,
        "speech.sts": audio.speech_to_speech,
        "audio.enhance": audio.enhance,
        "audio.separate": audio.separate,
        "audio.remove-echo": audio.remove_echo,
        "audio.analyze": audio.analyze,
        "audio.convert": audio.convert,
        "voice-chat": audio.voice_chat,
        "voice.embed": audio.embed,
        # saved voices on the web host (responses/saved.py)
        "saved-voices.upload": shelves.upload,
        "saved-voices.list": shelves.list,
        "saved-voices.delete": shelves.delete,
        "saved-voices.archive": shelves.archive,
        "saved-voices.reactivate": shelves.reactivate,
        # the catalogue (responses/catalog.py)
        "health": catalog.health,
        "models.list": catalog.models,
        "voices.list": catalog.voices,
        # what the official client library calls beyond the document (responses/sdk.py)
        "sdk.audio.speech": speech.openai_speech,
        "sdk.download": sdk.download,
        "sdk.models.list": sdk.models,
        "sdk.voices.list": sdk.voices,
        "sdk.stt": sdk.stt,
    }
