"""How the sandbox plays TTS.ai: the `Emulation` subclass. It runs the queued jobs (plans, the submit
answer, status bodies), builds the direct endpoints' handlers (`routes`), and refuses in TTS.ai's words.

Jobs. `POST /v1/tts/` (api host) and `POST /api/v1/tts/` (web host: a saved voice, or the official
client's `{model, voice}` form, run as /v1/tts/), and the client's voice cloning, queue a job
answered `{uuid, job_id, status: "queued", credits_used, credits_remaining}` and polled at
`GET /v1/speech/results/?uuid=` (`{status}`, plus `result_url` once completed, `error` once failed);
`uuid` is 32 hex digits and `job_id` the same id in dashed form, as in the document's example.
`credits_used` and `credits_remaining` are characters. A batch is one job whose audio is every item
spoken in order (one file; `results` holds one entry for it) with the batch vocabulary
(processing/completed/failed) and a `task.completed` webhook to `webhook_url`.

Plans are `models.plans`. The default key is on Business+ (the most generous rate, 300 a minute and
20 jobs at once; its text limit is 50,000) with 100 million characters.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from harness.core.spec import Cost, Provider, Upload
from harness.providers.ttsai.emulation.models.catalog import (
    BATCH_SAMPLE_RATE,
    BATCH_TIMING,
    CLONE_BASES,
    CLONE_TIMING,
    MODELS,
    PIPER_LENGTH_RANGE,
    auto_model,
    clamp,
    default_voice,
    find_model,
    resolve,
)
from harness.providers.ttsai.emulation.models.plans import ANONYMOUS_TIER, TIERS
from harness.providers.ttsai.emulation.models.saved import SavedVoices
from harness.providers.ttsai.emulation.responses import refusals
from harness.providers.ttsai.emulation.responses.asr import decode_upload
from harness.providers.ttsai.emulation.responses.speech import check_anonymous, check_text
from harness.providers.ttsai.emulation.routes import routes
from harness.providers.ttsai.models.sdk import SdkCloneRequest
from harness.providers.ttsai.models.speech import JOB_LIFECYCLE, BatchRequest, SavedVoiceTtsRequest, TtsRequest
from harness.providers.ttsai.models.uploads import UPLOAD_LIMITS
from harness.providers.ttsai.spec import CREDITS_HEADER
from harness.sandbox.emulation import (
    Call,
    Emulation,
    JobPlan,
    JobView,
    Reference,
    Reject,
    Reply,
    SpeakerVoice,
    Speech,
    StateNames,
    WebhookMode,
    WebhookTarget,
)
from harness.sandbox.timeline import Phase
from harness.speech import AudioFormat

# Endpoint key -> its upload field and the UPLOAD_LIMITS entry that bounds it (413 beyond).
UPLOAD_FIELDS: Mapping[str, tuple[str, str]] = {
    "stt.transcribe": ("file", "stt"),
    "tts.clone": ("reference_audio", "clone"),
    "voice.convert": ("file", "voice-convert"),
    "speech.translate": ("file", "translate"),
    "speech.sts": ("file", "speech-to-speech"),
}


def _batch_word(phase: Phase) -> str:
    if phase is Phase.COMPLETED:
        return "completed"
    return "failed" if phase in (Phase.FAILED, Phase.ERROR) else "processing"


class TtsAiEmulation(Emulation):
    states = StateNames(
        queued="queued", processing="processing", completed="completed", failed="failed", error="failed"
    )
    tiers = TIERS
    anonymous_tier = ANONYMOUS_TIER  # key-less calls (one wallet per client address)
    default_tier = "business"
    default_balance = Decimal(100_000_000)  # characters
    media_path = "/static/downloads/{job_id}/output.{ext}"  # the document's result_url layout,
    media_host = "api"  # on the API host: "https://api.tts.ai/static/downloads/77b71db5.../output.mp3"
    webhook_https_only = True

    def __init__(self, provider: Provider) -> None:
        # Not Emulation.__init__: it checks every lifecycle against one vocabulary, and TTS.ai has three
        # (jobs, batches, webhooks). The job vocabulary is checked here; batches and webhooks are
        # rendered in their own words by `status`.
        self.provider = provider
        self.states.check(JOB_LIFECYCLE)
        self.saved = SavedVoices()
        self.handlers = routes(self.saved)

    # --- jobs ---------------------------------------------------------------------------------------

    def plan(self, call: Call) -> JobPlan:
        params = call.params
        if isinstance(params, TtsRequest):
            model, rendition = resolve(params.model, params.voice, params.language, params.speed)
            check_anonymous(call, model)
            check_text(call, params.text)
            speech = Speech.single(params.text, SpeakerVoice(rendition), AudioFormat(params.format))
            return JobPlan(model, speech, MODELS[model].timing, extra={"kind": "tts"})
        if isinstance(params, SavedVoiceTtsRequest):
            if call.key is None:
                raise self.unauthorized(missing=True)
            saved = self.saved.usable(call.key, params.user_voice_id)
            check_text(call, params.text)
            base = CLONE_BASES[saved.model_name]
            rendition = replace(base, length_scale=clamp(base.length_scale / params.speed, PIPER_LENGTH_RANGE))
            voice = SpeakerVoice(rendition, Reference("user_voice_id", upload=saved.audio))
            speech = Speech.single(params.text, voice, AudioFormat(params.format))
            return JobPlan(saved.model_name, speech, CLONE_TIMING, extra={"kind": "tts"})
        if isinstance(params, SdkCloneRequest):
            return self._clone(call, params)
        if isinstance(params, BatchRequest):
            for item in params.texts:
                check_text(call, item.text)
            return self._batch(params)
        return super().plan(call)

    @staticmethod
    def _clone(call: Call, params: SdkCloneRequest) -> JobPlan:
        """The client's clone_voice: a job speaking `text` in the uploaded voice, as WAV (the client's
        fallback download is `tts_output.wav`). Without `text` there is nothing to speak: 400."""
        if params.text is None:
            raise refusals.bad_request("parameter 'text' is required: the text to speak in the cloned voice")
        if params.model not in CLONE_BASES:
            raise refusals.bad_request(f"Model '{params.model}' does not clone voices; use: {', '.join(CLONE_BASES)}.")
        decode_upload(params.reference_audio.content, "reference_audio")
        check_text(call, params.text)
        voice = SpeakerVoice(CLONE_BASES[params.model], Reference("reference_audio", upload=params.reference_audio))
        return JobPlan(
            params.model, Speech.single(params.text, voice, AudioFormat.WAV), CLONE_TIMING, extra={"kind": "tts"}
        )

    @staticmethod
    def _batch(params: BatchRequest) -> JobPlan:
        voices = []
        for index, item in enumerate(params.texts):
            model = find_model(item.model).id if item.model else auto_model(None)
            try:
                _, rendition = resolve(model, item.voice or default_voice(model).id, None)
            except Reject as refused:
                raise Reject(refused.status, f"texts[{index}]: {refused.message}") from None
            # One file holds every item, so every voice speaks at one rate.
            voices.append(SpeakerVoice(replace(rendition, sample_rate=BATCH_SAMPLE_RATE)))
        lines = tuple((index, item.text) for index, item in enumerate(params.texts))
        webhook = (
            WebhookTarget(params.webhook_url, WebhookMode.TERMINAL, field="webhook_url") if params.webhook_url else None
        )
        return JobPlan(
            "batch",
            Speech(lines, tuple(voices), AudioFormat.MP3),
            BATCH_TIMING,
            webhook=webhook,
            extra={"kind": "batch", "total": len(lines)},
        )

    def job_id(self, plan: JobPlan, token: str) -> str:
        hex_id = token.replace("-", "")
        return f"batch_{hex_id}" if plan.extra.get("kind") == "batch" else hex_id

    def accepted(self, job: JobView, call: Call) -> Reply:
        if job.extra.get("kind") == "batch":
            return Reply(
                {"batch_id": job.id, "total": job.extra["total"], "completed": 0, "status": _batch_word(job.phase)}
            )
        left = call.services.balance(call.key)
        used = int(job.cost.amount) if job.cost else 0
        return Reply(
            {
                "uuid": job.id,
                "job_id": str(uuid.UUID(hex=job.id)),
                "status": job.state,
                "credits_used": used,
                # An unlimited sandbox key reports the default balance: the field is a number, never absent.
                "credits_remaining": int(left if left is not None else self.default_balance),
            },
            headers={CREDITS_HEADER: str(used)},
        )

    def status(self, job: JobView, *, callback: bool = False) -> Mapping[str, Any]:
        if job.extra.get("kind") == "batch":
            return self._batch_status(job, callback)
        body: dict[str, Any] = {"status": job.state}
        if job.media_url is not None:
            body["result_url"] = job.media_url
        if job.error is not None:
            body["error"] = job.error
        return body

    @staticmethod
    def _batch_status(job: JobView, callback: bool) -> dict[str, Any]:
        word = _batch_word(job.phase)
        if callback:
            return {
                "event": "task.completed" if word == "completed" else "task.failed",
                "task_id": job.id,
                "status": "success" if word == "completed" else "failed",
                "result_url": job.media_url,
                "credits_used": int(job.cost.amount) if job.cost else 0,
                "created_at": job.stamps.whole(job.created_at),
                "completed_at": job.stamps.whole(job.completed_at) if job.completed_at else None,
            }
        total = int(job.extra["total"])
        body: dict[str, Any] = {
            "batch_id": job.id,
            "total": total,
            "completed": total if word == "completed" else 0,
            "status": word,
        }
        if word != "processing":
            body["results"] = [{"uuid": job.id, "status": word, "result_url": job.media_url, "error": job.error}]
        return body

    # --- errors, in TTS.ai's words ------------------------------------------------------------------

    def error_body(self, reject: Reject) -> Mapping[str, Any]:
        return refusals.error_body(reject)

    def invalid(self, call: Call | None, problems: list[str]) -> Reject:
        if call is not None and call.endpoint.key in UPLOAD_FIELDS:
            field, limit_key = UPLOAD_FIELDS[call.endpoint.key]
            upload = call.payload.get(field)
            limit = UPLOAD_LIMITS[limit_key]
            if isinstance(upload, Upload) and len(upload.content) > limit:
                return refusals.file_too_large(field, len(upload.content), limit)
        return refusals.bad_request("Invalid request parameters: " + "; ".join(" ".join(p.split()) for p in problems))

    def unauthorized(self, missing: bool) -> Reject:
        if missing:
            return Reject(401, "Missing API key. Send it as: Authorization: Bearer sk-tts-...")
        return Reject(401, "Invalid API key.")

    def insufficient_balance(self, call: Call, required: Cost) -> Reject:
        return refusals.insufficient_credits(required.amount, call.services.balance(call.key))

    def rate_limited(self, retry_after: int) -> Reject:
        return Reject(
            429, "Too many requests. Check the rate limit headers.", headers={"Retry-After": str(retry_after)}
        )

    def busy(self, retry_after: int) -> Reject:
        return Reject(503, "Model is loading. Retry in a few seconds.", headers={"Retry-After": str(retry_after)})

    def unknown_job(self, job_id: str) -> Reject:
        return Reject(404, f"Job '{job_id}' not found.")

    def model_disabled(self, model_id: str) -> Reject:
        return Reject(404, f"Model '{model_id}' not found.")

    def not_found(self, path: str) -> Reject:
        return Reject(404, f"Not found: {path}")
