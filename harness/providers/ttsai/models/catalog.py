"""Wire models of TTS.ai's catalogue and account endpoints: health, models, voices, and saved voices
(persistent clones on the web host)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator

from harness.core.spec import RequestModel, ResponseModel, Upload
from harness.providers.ttsai.models.shared import Gender
from harness.providers.ttsai.models.uploads import SAVED_VOICE_MAX_SECONDS, SAVED_VOICE_MIN_SECONDS, upload_rule

# --- health, models, voices -----------------------------------------------------------------------


class Health(ResponseModel):
    status: str  # "online" in the example; other values are not listed
    latency_ms: float
    queue_size: int
    models_loaded: list[str]


class ModelInfo(ResponseModel):
    id: str
    name: str
    type: str
    tier: Literal["free", "standard", "premium"]
    languages: list[str]
    supports_cloning: bool
    supports_streaming: bool
    credits_per_1k_chars: float  # 2 and 4 in the example, against 2,000 and 4,000 in the price table


class ModelList(ResponseModel):
    models: list[ModelInfo]


class VoicesQuery(RequestModel):
    model: str | None = Field(None, min_length=1)
    language: str | None = Field(None, min_length=1)
    gender: Gender | None = None


class VoiceInfo(ResponseModel):
    id: str
    name: str
    model: str
    language: str
    gender: Gender
    preview_url: str


class VoiceList(ResponseModel):
    voices: list[VoiceInfo]
    total: int


# --- saved voices (web host) ----------------------------------------------------------------------

_FALSY = ("", "0", "false", "no", "off")


class SavedVoiceUpload(RequestModel):
    """Multipart: file (5–30 s audio), name, language (default en), model (auto), consent_confirmed."""

    file: Annotated[Upload, AfterValidator(upload_rule(seconds=(SAVED_VOICE_MIN_SECONDS, SAVED_VOICE_MAX_SECONDS)))]
    name: str = Field(min_length=1)
    language: str = Field("en", min_length=1)
    model: str | None = Field(None, min_length=1)  # auto: cosyvoice2 for zh/ja/ko, else openvoice
    consent_confirmed: bool | str

    @field_validator("consent_confirmed")
    @classmethod
    def _truthy(cls, value: bool | str) -> bool | str:
        # "any truthy value": a value that reads as "no" is refused even where Python would call it
        # truthy ("false"), since sending it means consent was not given.
        if value is False or (isinstance(value, str) and value.strip().lower() in _FALSY):
            raise ValueError("consent_confirmed must be a truthy value (consent given)")
        return value


class SavedVoice(ResponseModel):
    public_id: str
    id: int
    name: str
    model_name: str
    language: str
    reference_audio_url: str
    storage_status: Literal["active", "archived"]  # "archived" follows from the archive endpoint
    created_at: str


class SavedVoiceList(ResponseModel):
    """ "list your saved voices + quota info": the field names are not shown, so all are optional."""

    voices: list[SavedVoice] | None = None
    quota: dict[str, Any] | None = None


class SavedVoiceQuery(RequestModel):
    """DELETE /api/v1/user-voices/?public_id=…"""

    public_id: str = Field(min_length=1)
