"""How the sandbox answers as PixelAPI: plans from validated requests, its bodies, and its (inferred)
error words. Endpoints, request validation, prices, lifecycle and limits come from the provider's
declarations; the voices and timings from `models`.

A leading "(style cue)" in the text is read as a voice description and not spoken.
`inference_timesteps` scales processing time. Uploads are checked as documented: WAV or MP3 (the
request model), under 10 MB, at least 5 s long and sampled at 16 kHz or more, each refused with 400
and the document's message where it gives one. Error bodies are FastAPI-style `{"detail": "..."}`,
one of the shapes the spec's error model accepts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from harness.core.spec import Cost, Endpoint, Upload
from harness.providers.pixelapi.models import (
    MSG_INSUFFICIENT_CREDITS,
    MSG_REF_TOO_LARGE,
    MSG_SERVER_BUSY,
    MSG_TEXT_EMPTY,
    REF_MAX_BYTES,
    REF_MIN_RATE,
    REF_MIN_SECONDS,
    STEPS_DEFAULT,
    GenerateRequest,
)
from harness.providers.pixelapi.pricing import FREE_CREDITS, PLAN_LIMITS, USD_PER_CREDIT, credits_for
from harness.sandbox.emulation import (
    Call,
    Emulation,
    JobPlan,
    JobView,
    RateLimit,
    Reference,
    Reject,
    Reply,
    Speech,
    StateNames,
    Tier,
    Timing,
    Voice,
)
from harness.sandbox.emulations.pixelapi.models import (
    CLONE_LENGTH,
    CLONE_TIMING,
    DESIGN_TIMING,
    SAMPLE_RATE,
    design_rendition,
)
from harness.speech import Engine, Rendition, SpeechError, decode

STYLE_CUE = re.compile(r"^\s*\(([^)]{1,200})\)\s*")


def split_style_cue(text: str) -> tuple[str, str]:
    """("(warm elderly man, slow pace) Hello.") -> ("warm elderly man, slow pace", "Hello.")."""
    match = STYLE_CUE.match(text)
    if match and text[match.end():].strip():
        return match.group(1), text[match.end():]
    return "", text


def check_reference(upload: Upload) -> None:
    """The documented reference rules the request model cannot check without decoding."""
    try:
        clip = decode(upload.content)
    except SpeechError:
        raise Reject(400, "Reference audio must be a WAV or MP3 recording") from None
    if clip.sample_rate < REF_MIN_RATE:
        raise Reject(400, f"Reference audio must be sampled at 16 kHz or higher (got {clip.sample_rate} Hz)")
    if clip.duration_s < REF_MIN_SECONDS:
        raise Reject(400, f"Reference audio must be at least 5 seconds long (got {clip.duration_s:.1f} s)")


class PixelApiEmulation(Emulation):
    states = StateNames(queued="queued", processing="processing", completed="completed", failed="failed",
                        error="failed")
    tiers = (
        Tier("free", RateLimit(PLAN_LIMITS["free"]), balance=FREE_CREDITS * USD_PER_CREDIT),
        Tier("paid", RateLimit(PLAN_LIMITS["paid"])),
    )
    default_tier = "paid"
    default_balance = Decimal(1000)
    media_path = "/outputs/{job_id}.{ext}"

    def plan(self, call: Call) -> JobPlan:
        params = call.params
        if not isinstance(params, GenerateRequest):
            return super().plan(call)
        cue, text = split_style_cue(params.text)
        steps_scale = params.inference_timesteps / STEPS_DEFAULT
        if params.voice_ref is not None:
            check_reference(params.voice_ref)
            reference = Reference("voice_ref", upload=params.voice_ref)
            voice = Voice(Rendition(Engine.PIPER, CLONE_LENGTH, SAMPLE_RATE), reference)
            base = CLONE_TIMING
        else:
            voice = Voice(design_rendition(" ".join(filter(None, (params.voice_description, cue)))))
            base = DESIGN_TIMING
        timing = Timing(base.queue_s, base.processing_s * steps_scale, base.per_char_s * steps_scale, base.spread)
        return JobPlan("tts", Speech.single(text, voice), timing,
                       extra={"credits_used": float(credits_for(call.payload))})

    def accepted(self, job: JobView, call: Call) -> Reply:
        return Reply({"id": job.id, "status": job.state, "credits_used": job.extra["credits_used"]}, status=200)

    def status(self, job: JobView, *, callback: bool = False) -> Mapping[str, Any]:
        body: dict[str, Any] = {
            "id": job.id,
            "status": job.state,
            "output_url": job.media_url,
            "credits_used": job.extra["credits_used"],
            "created_at": job.stamps.whole(job.created_at),  # whole seconds (see harness.sandbox.stamps)
            "completed_at": job.stamps.whole(job.completed_at) if job.completed_at else None,
        }
        if job.error:
            body["error"] = job.error
        return body

    # --- errors ---------------------------------------------------------------------------------------

    def error_body(self, reject: Reject) -> Mapping[str, Any]:
        return {"detail": reject.message}

    def invalid(self, call: Call | None, problems: list[str]) -> Reject:
        payload = call.payload if call is not None else {}
        text = payload.get("text")
        if not isinstance(text, str) or not text.strip():
            return Reject(400, MSG_TEXT_EMPTY)
        upload = payload.get("voice_ref")
        if isinstance(upload, Upload) and len(upload.content) > REF_MAX_BYTES:
            return Reject(400, MSG_REF_TOO_LARGE)
        return Reject(400, "; ".join(problems))

    def too_large(self, endpoint: Endpoint, message: str) -> Reject:
        return Reject(400, MSG_REF_TOO_LARGE)  # the only upload is the reference; its documented message

    def unauthorized(self, missing: bool) -> Reject:
        return Reject(401, "Missing API key" if missing else "Invalid API key")

    def insufficient_balance(self, call: Call, required: Cost) -> Reject:
        return Reject(402, MSG_INSUFFICIENT_CREDITS)

    def rate_limited(self, retry_after: int) -> Reject:
        return Reject(429, "Rate limit exceeded", headers={"Retry-After": str(retry_after)})

    def busy(self, retry_after: int) -> Reject:
        return Reject(503, MSG_SERVER_BUSY, headers={"Retry-After": str(retry_after)})

    def unknown_job(self, job_id: str) -> Reject:
        return Reject(404, f"Generation {job_id} not found")

    def not_found(self, path: str) -> Reject:
        return Reject(404, "Not Found")

