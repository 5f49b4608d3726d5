"""Wire models of TTS.ai's text-to-speech family: the queued TTS job and its results, streaming, the
OpenAI-compatible route, voice cloning, batch TTS and TTS with a saved voice, the webhook payload of
long-running tasks, and their lifecycles.

`POST /v1/tts/` queues a job (`{uuid, job_id, status: "queued", …}`) polled at
`GET /v1/speech/results/?uuid=` until `completed` (with `result_url`) or `failed`. The results body
carries no id, so the lifecycle cannot check a job's identity between polls.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from harness.core.lifecycle import Lifecycle
from harness.core.spec import RequestModel, ResponseModel, Upload
from harness.providers.ttsai.models.shared import (
    MAX_TEXT_CHARS,
    SPEED_MAX,
    SPEED_MIN,
    CloneFormat,
    JobStatus,
    TtsFormat,
)
from harness.providers.ttsai.models.uploads import UPLOAD_LIMITS, upload_rule

BATCH_MAX_ITEMS = 50  # "Max 50 items"
# The documents' words for each bounded parameter: a refusal cites them.
TEXT_WORDS = "Text to convert to speech (max 100,000 chars per request)"
SPEED_WORDS = "Speaking speed multiplier. Default: 1.0. Range: 0.5 to 2.0"

# --- requests -------------------------------------------------------------------------------------


class TtsRequest(RequestModel):
    """POST /v1/tts/ (the document's request table)."""

    model: str | None = Field(None, min_length=1)  # omitted: auto-picked from the language
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description=TEXT_WORDS)
    voice: str = Field(min_length=1)  # "Required: Yes" (the SDK examples omit it: DocDrift)
    format: TtsFormat = "mp3"
    speed: float = Field(1.0, ge=SPEED_MIN, le=SPEED_MAX, description=SPEED_WORDS)
    language: str | None = Field(None, min_length=1)
    stream: bool = False


class TtsStreamRequest(RequestModel):
    """POST /v1/tts/stream/: the document names the route only; its body is taken to be /v1/tts/'s
    without `stream` (the route itself is the streaming switch)."""

    model: str | None = Field(None, min_length=1)
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description=TEXT_WORDS)
    voice: str = Field(min_length=1)
    format: TtsFormat = "mp3"
    speed: float = Field(1.0, ge=SPEED_MIN, le=SPEED_MAX, description=SPEED_WORDS)
    language: str | None = Field(None, min_length=1)


class OpenAISpeechRequest(RequestModel):
    """POST /v1/audio/speech (inferred from "OpenAI-compatible format"): OpenAI's speech body.

    OpenAI's own enum of formats is kept; the ranges are TTS.ai's (its engines are the ones that run).
    """

    model: str = Field(min_length=1)
    input: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description=TEXT_WORDS)
    voice: str = Field(min_length=1)
    response_format: Literal["mp3", "opus", "aac", "flac", "wav", "pcm"] = "mp3"
    speed: float = Field(1.0, ge=SPEED_MIN, le=SPEED_MAX, description=SPEED_WORDS)


class ResultsQuery(RequestModel):
    """GET /v1/speech/results/?uuid=…"""

    uuid: str = Field(min_length=1)


class BatchItem(RequestModel):
    """One element of `texts`: "Array of objects: {text, model, voice}"."""

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description=TEXT_WORDS)
    model: str | None = Field(None, min_length=1)
    voice: str | None = Field(None, min_length=1)


class BatchRequest(RequestModel):
    """POST /v1/tts/batch/ (path inferred from GET /v1/tts/batch/result/)."""

    texts: list[BatchItem] = Field(
        min_length=1, max_length=BATCH_MAX_ITEMS, description="Array of objects: {text, model, voice}. Max 50 items."
    )
    webhook_url: str | None = Field(None, min_length=1)


class BatchResultQuery(RequestModel):
    """GET /v1/tts/batch/result/?batch_id=…"""

    batch_id: str = Field(min_length=1)


class SavedVoiceTtsRequest(RequestModel):
    """POST https://tts.ai/api/v1/tts/ with a saved voice: the example sends text and user_voice_id.

    The TTS options that make sense with a fixed voice (format, speed, language) are accepted too,
    since the document presents this as the TTS endpoint with `user_voice_id` added.
    """

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description=TEXT_WORDS)
    user_voice_id: str = Field(min_length=1)
    format: TtsFormat = "mp3"
    speed: float = Field(1.0, ge=SPEED_MIN, le=SPEED_MAX, description=SPEED_WORDS)
    language: str | None = Field(None, min_length=1)


class CloneRequest(RequestModel):
    """POST /v1/tts/clone/: answers audio bytes."""

    reference_audio: Annotated[Upload, AfterValidator(upload_rule(UPLOAD_LIMITS["clone"]))]
    text: str = Field(min_length=1)
    model: Literal["chatterbox", "cosyvoice2", "gpt-sovits"] = "chatterbox"
    format: CloneFormat = "mp3"
    language: str | None = Field(None, min_length=1)


# --- responses ------------------------------------------------------------------------------------


class TtsQueued(ResponseModel):
    """The submit answer (Step 1) of /v1/tts/ and of the saved-voice TTS."""

    uuid: str
    job_id: str
    status: JobStatus
    credits_used: float  # 11 in the example; int or float accepted
    credits_remaining: float


class SpeechResult(ResponseModel):
    """GET /v1/speech/results/ (Step 2): `status`, and `result_url` once completed."""

    status: JobStatus
    result_url: str | None = None
    error: str | None = None  # read by the document's example on failure: result.get("error", …)


BatchStatus = Literal["processing", "completed", "failed"]


class BatchAccepted(ResponseModel):
    batch_id: str
    total: int
    completed: int
    status: BatchStatus


class BatchItemResult(ResponseModel):
    """One job of a finished batch (not shown in the document; fields as in the TTS job)."""

    uuid: str | None = None
    status: JobStatus | None = None
    result_url: str | None = None
    error: str | None = None


class BatchResult(ResponseModel):
    """GET /v1/tts/batch/result/: not shown in the document; its progress fields mirror the submit answer."""

    batch_id: str | None = None
    total: int | None = None
    completed: int | None = None
    status: BatchStatus
    results: list[BatchItemResult] | None = None


# --- lifecycles -----------------------------------------------------------------------------------

JOB_LIFECYCLE = Lifecycle(
    states=("queued", "processing", "completed", "failed"),
    initial=frozenset({"queued"}),
    transitions={"queued": frozenset({"processing"}), "processing": frozenset({"completed", "failed"})},
    success=frozenset({"completed"}),
    failure=frozenset({"failed"}),
    output_field="result_url",
)

BATCH_LIFECYCLE = Lifecycle(
    states=("processing", "completed", "failed"),
    initial=frozenset({"processing"}),
    transitions={"processing": frozenset({"completed", "failed"})},
    success=frozenset({"completed"}),
    failure=frozenset({"failed"}),
    inferred_states=frozenset({"completed", "failed"}),  # only "processing" is shown for batches
)


# --- webhook ---------------------------------------------------------------------------------------


class WebhookPayload(ResponseModel):
    """What TTS.ai POSTs to `webhook_url` when a long-running task (stems, batch) completes.

    Only the success form is shown; "task.failed"/"failed" are inferred for the failure case.
    """

    event: Literal["task.completed", "task.failed"]
    task_id: str
    status: Literal["success", "failed"]
    result_url: str | None = None
    credits_used: float | None = None
    created_at: str | None = None
    completed_at: str | None = None


WEBHOOK_LIFECYCLE = Lifecycle(
    states=("success", "failed"),
    initial=frozenset({"success", "failed"}),  # a callback is sent once, at the end
    transitions={},
    success=frozenset({"success"}),
    failure=frozenset({"failed"}),
    id_field="task_id",
    output_field="result_url",
    inferred_states=frozenset({"failed"}),
)
