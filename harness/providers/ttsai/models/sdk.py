"""What TTS.ai's official Python client sends and reads where the document shows nothing, or shows
another shape: evidence marked `source: sdk` (`SDK_LIBRARY`, module `tts_ai`, its `client.py`; the
calls are `TTSClient`'s methods).

An application built on the client calls these, so the spec says them; where the client and the document
disagree both are accepted and the difference is drift (`endpoints.sdk` says which). The client reads
every answer field with `dict.get` and a default, so the fields it reads are declared optional with its
defaults, except the ones without which a result is meaningless (a model's name, a voice's id).

    generate          POST {web}/v1/audio/speech        OpenAI's body -> audio bytes
    generate_async    POST {web}/api/v1/tts/            {text, model, voice, format, ...} -> {uuid, status}
    poll_result       GET  {api}/v1/speech/results/?uuid=, then `cdn_url` or `url`, else
                      GET  {api}/static/downloads/{uuid}/tts_output.wav
    list_models       GET  {web}/api/v1/models/         -> {models: [{name, tier, credits_per_1k}]}
    list_voices       GET  {web}/api/v1/voices/         ?model=&language= -> {voices: [{voice_id, name,
                                                        model_name, language, gender, ...}]}
    transcribe        POST {web}/api/v1/stt/            multipart file, model, language -> {text, language, segments}
    clone_voice       POST {web}/api/v1/voice-clone/    multipart reference_audio, name, model, text -> {uuid, ...}
    batch_generate    POST {web}/api/v1/tts/batch/      {texts, webhook_url} -> {batch_id, status, total, ...}
    batch_result      GET  {web}/api/v1/tts/batch/result/?batch_id=
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

from harness.core.spec import Evidence, EvidenceSource, RequestModel, RequestVariant, ResponseModel, Upload
from harness.providers.ttsai.models.speech import TtsRequest
from harness.providers.ttsai.models.uploads import UPLOAD_LIMITS, upload_rule

SDK_LIBRARY = "ttsai==0.1.0"  # on the package index; module tts_ai, file client.py


def sdk(call: str) -> Evidence:
    """The evidence of one client call: `sdk (ttsai==0.1.0, TTSClient.generate)`."""
    return Evidence(EvidenceSource.SDK, SDK_LIBRARY, f"TTSClient.{call}")


class SdkTtsRequest(TtsRequest):
    """`generate_async`: `/api/v1/tts/` with the fields of `/v1/tts/` (`model` and `voice` always sent),
    where the document's saved-voice TTS on that path requires `user_voice_id`."""

    model: str = Field(min_length=1)  # the client always sends one ("kokoro")


#: `generate_async`'s body on the saved-voice path: accepted beside the document's, reported as drift.
SDK_TTS_VARIANT = RequestVariant(
    SdkTtsRequest,
    sdk("generate_async"),
    "POST /api/v1/tts/ with model and voice (the client's generate_async) where the document's saved-voice "
    "TTS requires user_voice_id: both accepted",
    example={"text": "Hello from the TTS.ai client.", "model": "kokoro", "voice": "af_bella", "format": "wav"},
)


class SdkModel(ResponseModel):
    name: str  # what `generate(model=...)` takes
    tier: str = "free"
    credits_per_1k: float = 0


class SdkModelList(ResponseModel):
    models: list[SdkModel] = Field(default_factory=list)


class SdkVoicesQuery(RequestModel):
    model: str | None = Field(None, min_length=1)
    language: str | None = Field(None, min_length=1)


class SdkVoice(ResponseModel):
    voice_id: str  # what `generate(voice=...)` takes
    name: str = ""
    model_name: str = ""
    language: str = ""
    gender: str = ""
    preview_url: str = ""
    is_premium: bool = False
    tags: str = ""


class SdkVoiceList(ResponseModel):
    voices: list[SdkVoice] = Field(default_factory=list)


class SdkSttRequest(RequestModel):
    """`transcribe`: the file as `file`, `model` ("faster-whisper" by default), `language` when given."""

    file: Annotated[Upload, AfterValidator(upload_rule(UPLOAD_LIMITS["stt"]))]
    model: str = Field("faster-whisper", min_length=1)
    language: str | None = Field(None, min_length=1)


class SdkTranscription(ResponseModel):
    text: str = ""
    language: str = ""
    segments: list[dict[str, Any]] = Field(default_factory=list)


class SdkCloneRequest(RequestModel):
    """`clone_voice`: a name for the voice, the reference as `reference_audio`, the model, and `text` when
    given (the client leaves an empty text out)."""

    reference_audio: Annotated[Upload, AfterValidator(upload_rule(UPLOAD_LIMITS["clone"]))]
    name: str = Field(min_length=1)
    model: str = Field("chatterbox", min_length=1)
    text: str | None = Field(None, min_length=1)
    language: str | None = Field(None, min_length=1)


class SdkCloneResult(ResponseModel):
    uuid: str = ""
    status: str = ""
    url: str = ""
