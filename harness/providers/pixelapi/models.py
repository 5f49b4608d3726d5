"""PixelAPI's wire payloads and the documented limits they enforce (shared/api-docs 002).

The sandbox imports the limits and the documented error messages from here (it answers with them).

Everything here is read off one marketing-style page: numbers come with the sentence they are quoted
from; what the page implies without writing it is marked "inferred".
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from harness.core.lifecycle import Lifecycle
from harness.core.spec import RequestModel, ResponseModel, Upload
from harness.core.validate import sniff_audio

DOC = "002_5a8e89ae47704064.txt"

# --- documented limits ---------------------------------------------------------------------------

TEXT_MAX_CHARS = 500  # "Maximum 500 characters of text per request."
CFG_MIN, CFG_MAX, CFG_DEFAULT = 0.5, 5.0, 2.0  # "cfg_value (0.5–5.0, default 2.0) controls cloning strength"
STEPS_MIN, STEPS_MAX, STEPS_DEFAULT = 4, 20, 10  # "inference_timesteps (4–20, default 10)"

# The reference recording: "WAV or MP3 … (minimum 5 seconds, 16 kHz+, max 10 MB)". Duration and
# sample rate need decoding, so the request model enforces only size and container; the sandbox
# enforces the rest with these constants.
REF_MIN_SECONDS = 5.0
REF_MIN_RATE = 16_000
# "max 10 MB" in two places, "under 10 MB" in two others, and MB never defined: the model accepts the
# most either reading allows (<= 10 MiB) and the drift is declared in spec.py.
REF_MAX_BYTES = 10 * 1024 * 1024
REF_MEDIA_TYPES = ("audio/wav", "audio/mpeg")  # as `harness.core.validate.sniff_audio` names them

# --- documented error messages (the sandbox answers with these) ----------------------------------

MSG_TEXT_EMPTY = "Text cannot be empty"  # 400
MSG_REF_TOO_LARGE = "Reference audio must be under 10 MB"  # 400
MSG_INSUFFICIENT_CREDITS = "Insufficient credits"  # 402
MSG_SERVER_BUSY = "Server busy"  # 503, with Retry-After
ERROR_MESSAGES: dict[int, tuple[str, ...]] = {
    400: (MSG_TEXT_EMPTY, MSG_REF_TOO_LARGE),
    402: (MSG_INSUFFICIENT_CREDITS,),
    503: (MSG_SERVER_BUSY,),
}

# --- languages -----------------------------------------------------------------------------------

# The FAQ names 31 languages but never their codes; only "en" and "auto" appear as values. The
# ISO 639-1 codes below are inferred, and the request model accepts any code-shaped value.
LANGUAGES: dict[str, str] = {
    "en": "English", "zh": "Mandarin Chinese", "hi": "Hindi", "es": "Spanish", "fr": "French",
    "de": "German", "ja": "Japanese", "ko": "Korean", "ru": "Russian", "ar": "Arabic",
    "pt": "Portuguese", "it": "Italian", "nl": "Dutch", "pl": "Polish", "tr": "Turkish",
    "vi": "Vietnamese", "th": "Thai", "id": "Indonesian", "ms": "Malay", "bn": "Bengali",
    "ta": "Tamil", "te": "Telugu", "mr": "Marathi", "uk": "Ukrainian", "sv": "Swedish",
    "no": "Norwegian", "da": "Danish", "fi": "Finnish", "el": "Greek", "he": "Hebrew",
    "sw": "Swahili",
}  # fmt: skip
LANGUAGE_AUTO = "auto"  # "Set language=auto to detect from the text"
LANGUAGE_PATTERN = r"^(auto|[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*)$"  # "auto" or a language code / tag

# Status vocabulary, lower case as in the examples. "queued" and "completed" are written; a job
# also has to run and can fail, so "processing" and "failed" are inferred (see LIFECYCLE).
JobStatus = Literal["queued", "processing", "completed", "failed"]


# --- requests ------------------------------------------------------------------------------------


class GenerateRequest(RequestModel):
    """`POST /v1/tts/generate` (multipart/form-data): voice design, or cloning when `voice_ref` is sent.

    Neither voice field is required ("optionally a voice_description prompt"); sending `voice_ref`
    makes it a cloning request, billed as one.
    """

    text: str = Field(min_length=1, max_length=TEXT_MAX_CHARS, description="Maximum 500 characters of text per request")
    language: str | None = Field(None, pattern=LANGUAGE_PATTERN, description="a language code, or auto")
    voice_description: str | None = Field(None, description="voice design prompt, with style cues")
    voice_ref: Upload | None = Field(None, description="WAV or MP3, >= 5 s, >= 16 kHz, <= 10 MB")
    cfg_value: float = Field(
        CFG_DEFAULT, ge=CFG_MIN, le=CFG_MAX, description="cfg_value (0.5–5.0, default 2.0) controls cloning strength"
    )
    inference_timesteps: int = Field(
        STEPS_DEFAULT,
        ge=STEPS_MIN,
        le=STEPS_MAX,
        description="inference_timesteps (4–20, default 10) trades generation speed for audio quality",
    )

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError(f"text must not be blank (the API answers 400 {MSG_TEXT_EMPTY!r})")
        return text

    @field_validator("voice_ref")
    @classmethod
    def _reference_fits(cls, upload: Upload | None) -> Upload | None:
        if upload is None:
            return None
        size = len(upload.content)
        if size > REF_MAX_BYTES:
            raise ValueError(
                f"voice_ref must be at most {REF_MAX_BYTES} bytes (10 MB); got {size} bytes "
                f"(the API answers 400 {MSG_REF_TOO_LARGE!r})"
            )
        media_type = sniff_audio(upload.content)
        if media_type not in REF_MEDIA_TYPES:
            raise ValueError(
                f"voice_ref must be a WAV or MP3 recording; got {media_type or 'bytes of no known audio format'}"
            )
        return upload


# --- responses -----------------------------------------------------------------------------------


class GenerateAccepted(ResponseModel):
    """`{"id": "uuid", "status": "queued", "credits_used": 50.0, ...}`: the rest is elided in the page."""

    id: str
    status: JobStatus
    credits_used: float


class JobStatusBody(ResponseModel):
    """`GET /v1/tts/status/{id}`.

    The prose promises `credits_used`, `created_at` and `completed_at` in "every status response", but
    the only example is `{"status": "completed", "output_url": "https://..."}`: everything but
    `status` is optional here, and the contradiction is declared as drift.
    """

    status: JobStatus
    id: str | None = None  # not in the example; the JobBinding polls by the submit answer's id
    output_url: str | None = None  # "a signed, time-limited URL"
    credits_used: float | None = None
    created_at: str | None = None
    completed_at: str | None = None


class PixelApiError(ResponseModel):
    """The error body is never shown: inferred, accepting the common shapes.

    `{"error": "..."}`, `{"error": "...", "message": "..."}`, `{"error": {"code": ..., "message": ...}}`
    and FastAPI's `{"detail": "..."}` / `{"detail": [...]}`; at least one of them must be present.
    """

    error: str | dict[str, Any] | None = None
    message: str | None = None
    detail: str | list[Any] | None = None

    @model_validator(mode="after")
    def _says_something(self) -> PixelApiError:
        if self.error is None and self.message is None and self.detail is None:
            raise ValueError("an error body with an error, message or detail field")
        return self


# --- lifecycle -----------------------------------------------------------------------------------

LIFECYCLE = Lifecycle(
    states=("queued", "processing", "completed", "failed"),
    initial=frozenset({"queued"}),
    transitions={
        # "queued" -> "completed" is what the examples show; the other steps are inferred.
        "queued": frozenset({"processing", "completed", "failed"}),
        "processing": frozenset({"completed", "failed"}),
    },
    success=frozenset({"completed"}),
    failure=frozenset({"failed"}),
    id_field="id",
    output_field="output_url",
    inferred_states=frozenset({"processing", "failed"}),
)
