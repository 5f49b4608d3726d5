"""Wire models of TTS.ai's audio-in services: speech to text, voice changer, speech translation,
speech to speech, the audio tools, voice chat and voice embedding.

All take a multipart upload. Size limits and formats are validators on the `Upload` fields (see
`uploads`), so a file the document forbids is refused before it is sent. Whole-number enums
(stems, bitrate, sample rate) go through `form_int`, since a form field is text on the wire.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from harness.core.spec import RequestModel, ResponseModel, Upload
from harness.providers.ttsai.models.shared import SPEED_MAX, SPEED_MIN, CloneFormat, form_int
from harness.providers.ttsai.models.uploads import (
    EMBED_FORMATS,
    STT_FORMATS,
    UPLOAD_LIMITS,
    VOICE_CHANGER_FORMATS,
    upload_rule,
)

AnyUpload = Annotated[Upload, AfterValidator(upload_rule())]
Voice = Annotated[str, Field(min_length=1)]

# --- speech to text -------------------------------------------------------------------------------


class SttRequest(RequestModel):
    file: Annotated[Upload, AfterValidator(upload_rule(UPLOAD_LIMITS["stt"], STT_FORMATS))]
    model: Literal["whisper", "faster-whisper", "sensevoice"] = "whisper"
    language: str = Field("auto", min_length=1)
    timestamps: bool = False
    diarize: bool = False


class Segment(ResponseModel):
    start: float
    end: float
    text: str
    speaker: str | None = None  # present with diarize


class SttResult(ResponseModel):
    text: str
    language: str
    duration: float
    segments: list[Segment] | None = None


# --- voice changer, speech to speech -------------------------------------------------------------


class VoiceConvertRequest(RequestModel):
    """POST /v1/voice-convert/: answers audio bytes."""

    file: Annotated[Upload, AfterValidator(upload_rule(UPLOAD_LIMITS["voice-convert"], VOICE_CHANGER_FORMATS))]
    target_voice: Voice
    model: Literal["openvoice", "knn-vc"] = "openvoice"
    format: CloneFormat = "wav"


class SpeechToSpeechRequest(RequestModel):
    file: Annotated[Upload, AfterValidator(upload_rule(UPLOAD_LIMITS["speech-to-speech"]))]
    voice: Voice
    model: Literal["openvoice", "chatterbox"] = "openvoice"
    emotion: Literal["neutral", "happy", "sad", "angry", "excited"] | None = None
    speed: float = Field(
        1.0, ge=SPEED_MIN, le=SPEED_MAX, description="Speed adjustment. Default: 1.0. Range: 0.5 to 2.0"
    )


# --- speech translation ---------------------------------------------------------------------------


class TranslateRequest(RequestModel):
    file: Annotated[Upload, AfterValidator(upload_rule(UPLOAD_LIMITS["translate"]))]
    target_language: str = Field(min_length=1)
    voice: str | None = Field(None, min_length=1)
    preserve_voice: bool = False


class TranslateResult(ResponseModel):
    original_text: str
    translated_text: str
    source_language: str
    target_language: str
    audio_url: str
    credits_used: float


# --- audio tools ----------------------------------------------------------------------------------


class EnhanceRequest(RequestModel):
    file: AnyUpload
    denoise: bool = True
    enhance_clarity: bool = True
    super_resolution: bool = False
    strength: int = Field(2, ge=1, le=3, description="1-3 (light, medium, strong). Default: 2")


class SeparateRequest(RequestModel):
    file: AnyUpload
    model: Literal["demucs", "spleeter"] = "demucs"
    stems: Annotated[Literal[2, 4, 5, 6], BeforeValidator(form_int)] = 2
    format: Literal["wav", "mp3", "flac"] | None = None
    webhook_url: str | None = Field(None, min_length=1)  # the Webhooks section names stem splitting


class SeparateResult(ResponseModel):
    """Not shown in the document (several stems cannot be one audio body): every field optional."""

    task_id: str | None = None
    status: str | None = None
    result_url: str | None = None
    stems: dict[str, str] | list[str] | None = None


class EchoRemovalRequest(RequestModel):
    file: AnyUpload
    type: Literal["echo", "reverb", "both"] = "both"  # "echo or reverb (default: both)"
    intensity: int = Field(3, ge=1, le=5, description="1-5 (default: 3)")


class AnalyzeRequest(RequestModel):
    file: AnyUpload


class KeyBpmResult(ResponseModel):
    key: str
    scale: str
    bpm: float
    time_signature: str
    camelot: str
    compatible_keys: list[str]


class ConvertRequest(RequestModel):
    file: AnyUpload
    format: Literal["mp3", "wav", "flac", "ogg", "m4a", "aac"]
    bitrate: Annotated[Literal[64, 128, 192, 256, 320] | None, BeforeValidator(form_int)] = None
    sample_rate: Annotated[Literal[22050, 44100, 48000] | None, BeforeValidator(form_int)] = None
    channels: Literal["mono", "stereo"] | None = None


# --- voice chat and voice embedding ---------------------------------------------------------------


class VoiceChatRequest(RequestModel):
    """Multipart or JSON; "either audio or text required"."""

    audio: Annotated[Upload | None, AfterValidator(upload_rule())] = None
    text: str | None = Field(None, min_length=1)
    voice: str = Field("af_bella", min_length=1)
    tts_model: str = Field("kokoro", min_length=1)
    system_prompt: str | None = None
    conversation_id: str | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _audio_or_text(self) -> VoiceChatRequest:
        if self.audio is None and self.text is None:
            raise ValueError("either audio or text is required")
        return self


class VoiceChatResult(ResponseModel):
    conversation_id: str
    user_text: str
    ai_text: str
    audio_url: str
    credits_used: float


class EmbedRequest(RequestModel):
    file: Annotated[Upload, AfterValidator(upload_rule(formats=EMBED_FORMATS))]
    model: Literal["chatterbox", "cosyvoice2", "openvoice", "gpt-sovits", "spark", "indextts2", "qwen3-tts"] = (
        "chatterbox"
    )


class EmbedResult(ResponseModel):
    embed_id: str
    model: str
    duration_ms: float
