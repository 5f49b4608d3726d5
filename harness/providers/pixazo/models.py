"""Pixazo's wire payloads, the job lifecycle they report and the values they vary in (shared/api-docs 000,
001 and 004).

Requests per model (XTTS v2, Chatterbox, VibeVoice, VibeVoice-Realtime-0.5B) with the documented ranges;
the submit answer `{request_id, status, polling_url}`; the status body, which is also the webhook
callback's payload; the gateway's error body. Ranges the documents only recommend are `SoftLimit`s.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from harness.core.lifecycle import Lifecycle
from harness.core.params import SoftLimit
from harness.core.spec import RequestModel, ResponseModel, ValueForms

DOC_XTTS = "000_a4e0b78a387f0935.txt"
DOC_CHATTERBOX = "001_8137b823d7a74374.txt"
DOC_VIBEVOICE = "004_a761c895f44683bd.txt"
DOCS = (DOC_XTTS, DOC_CHATTERBOX, DOC_VIBEVOICE)

STATUSES = ("QUEUED", "PROCESSING", "COMPLETED", "FAILED", "ERROR")
JobStatus = Literal["QUEUED", "PROCESSING", "COMPLETED", "FAILED", "ERROR"]

XttsLanguage = Literal["en", "es", "fr", "de", "it", "pt", "pl", "tr", "ru", "nl", "cs", "ar", "zh", "hu", "ko", "hi"]
WebhookEvent = Literal["*", "completed"]
VIBEVOICE_PRESETS = Literal[
    "Alice [EN]",
    "Carter [EN]",
    "Frank [EN]",
    "Mary [EN] (Background Music)",
    "Maya [EN]",
    "Anchen [ZH] (Background Music)",
    "Bowen [ZH]",
    "Xinran [ZH]",
]
SPEAKER_LINE = re.compile(r"^Speaker (\d+):")


# --- requests -------------------------------------------------------------------------------------


class XttsRequest(RequestModel):
    speaker: str = Field(min_length=1, description="URL to speaker audio file (wav, mp3, m4a, ogg, or flv)")
    # A recommendation, not a limit: a longer text is sent, with a warning.
    text: Annotated[str, SoftLimit("Text to synthesize (max 500 characters recommended)", DOC_XTTS, max_length=500)] = (
        Field(
            "Hi there, I'm your new voice clone. Try your best to upload quality audio",
            min_length=1,
            description="Text to synthesize",
        )
    )
    language: XttsLanguage = "en"
    cleanup_voice: bool = False
    webhook: str | None = None
    webhook_events_filter: list[WebhookEvent] = Field(default_factory=lambda: list[WebhookEvent](["*"]))


# The documents' words for each bounded parameter: a refusal cites them.
_words = {
    "exaggeration": "Controls the degree of expressive emphasis in the generated speech. ... Range: 0.0 to 1.0.",
    "temperature": "Controls randomness in voice generation. ... Range: 0.1 to 1.0.",
    "cfg": "Classifier-Free Guidance strength. ... Range: 0.0 to 2.0.",
}


class ChatterboxRequest(RequestModel):
    text: str = Field(min_length=1)
    audio_url: str | None = None
    exaggeration: float | None = Field(None, ge=0.0, le=1.0, description=_words["exaggeration"])
    temperature: float | None = Field(None, ge=0.1, le=1.0, description=_words["temperature"])
    cfg: float | None = Field(None, ge=0.0, le=2.0, description=_words["cfg"])


class VibeVoiceSpeaker(RequestModel):
    preset: VIBEVOICE_PRESETS = "Alice [EN]"
    audio_url: str | None = None


def _check_script(script: str, speaker_count: int) -> str:
    for number, line in enumerate(script.splitlines(), start=1):
        match = SPEAKER_LINE.match(line.strip())
        if line.strip() and match and speaker_count and int(match.group(1)) >= speaker_count:
            raise ValueError(
                f"script line {number} names Speaker {match.group(1)} but only {speaker_count} speakers are given"
            )
    return script


class VibeVoiceRequest(RequestModel):
    script: str = Field(min_length=1)
    # The cap is a sentence inside the example's script, not a documented limit: more are sent, flagged.
    speakers: Annotated[
        list[VibeVoiceSpeaker],
        SoftLimit(
            "it supports up to four speakers at once (a line of the example script)",
            DOC_VIBEVOICE,
            max_length=4,
        ),
    ] = Field(default_factory=list)
    seed: int | None = None
    cfg_scale: Annotated[
        float,
        SoftLimit(
            "CFG (Classifier-Free Guidance) scale ... Range typically 1.0–2.0.", DOC_VIBEVOICE, low=1.0, high=2.0
        ),
    ] = 1.3

    @model_validator(mode="after")
    def _speakers_match_script(self) -> VibeVoiceRequest:
        _check_script(self.script, len(self.speakers))
        return self


class RealtimeSpeaker(RequestModel):
    preset: str = Field(min_length=1)  # "Frank [EN]", "Carter [EN]", and other Microsoft voices


class VibeVoiceRealtimeRequest(RequestModel):
    script: str = Field(min_length=1)
    speakers: list[RealtimeSpeaker] = Field(min_length=1)
    cfg_scale: float = 1.3

    @model_validator(mode="after")
    def _every_line_names_a_speaker(self) -> VibeVoiceRealtimeRequest:
        for number, line in enumerate(self.script.splitlines(), start=1):
            if line.strip() and not SPEAKER_LINE.match(line.strip()):
                raise ValueError(f'script line {number} must begin with "Speaker X:"')
        _check_script(self.script, len(self.speakers))
        return self


# --- responses ------------------------------------------------------------------------------------


class SubmitAccepted(ResponseModel):
    request_id: str
    status: JobStatus
    polling_url: str


class Output(ResponseModel):
    media_url: list[str] = Field(min_length=1)
    media_type: str


class JobStatusBody(ResponseModel):
    """The status endpoint's answer, and the webhook callback's payload (same shape)."""

    request_id: str
    status: JobStatus
    model_id: str | None = None
    error: str | None = None
    output: Output | None = None
    created_at: str | None = None
    updated_at: str | None = None
    completed_at: str | None = None


class PixazoError(ResponseModel):
    error: str
    message: str


class WebhookAck(ResponseModel):
    """Whatever the user's webhook answers; only its 2xx status matters."""


# --- lifecycle and values ------------------------------------------------------------------------

LIFECYCLE = Lifecycle(
    states=STATUSES,
    initial=frozenset({"QUEUED"}),
    transitions={
        "QUEUED": frozenset({"PROCESSING"}),
        "PROCESSING": frozenset({"COMPLETED", "FAILED", "ERROR"}),
    },
    success=frozenset({"COMPLETED"}),
    failure=frozenset({"FAILED", "ERROR"}),
    id_field="request_id",
    output_field="output",
    error_field="error",  # "error | string|null | Error message if failed"; "FAILED — check error field"
    uncharged=frozenset({"ERROR"}),  # "ERROR — System error — not charged"
)

TIMESTAMPS = ("/created_at", "/updated_at", "/completed_at")
MEDIA_TYPE_VARIANT = ValueForms(
    pointer="/output/media_type",
    primary=("audio/wav",),
    alternates=("application/octet-stream",),
    note="the documents show audio/wav in callbacks and Chatterbox's field table, "
    "application/octet-stream in the XTTS and VibeVoice status examples",
)
