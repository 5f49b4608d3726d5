"""How the sandbox answers as the Pixazo gateway: plans from validated requests, the gateway's bodies
and its error words. Endpoints, validation, lifecycle and prices come from the provider's declarations;
what each model sounds like from `models`.

Bodies follow the documents, contradictions included: status answers carry ISO 8601 timestamps and
`media_type` "application/octet-stream" (XTTS and VibeVoice examples) or "audio/wav" (Chatterbox);
webhook callbacks carry "audio/wav" and `updated_at`/`completed_at` as "YYYY-MM-DD HH:MM:SS", as the
callback example shows. The spec's drift declarations name both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from harness.core.spec import Cost
from harness.providers.pixazo.endpoints import CHATTERBOX
from harness.providers.pixazo.models import (
    SPEAKER_LINE,
    ChatterboxRequest,
    VibeVoiceRealtimeRequest,
    VibeVoiceRequest,
    XttsRequest,
)
from harness.sandbox.emulation import (
    Call,
    Emulation,
    JobPlan,
    JobView,
    Reference,
    Reject,
    Reply,
    Speech,
    StateNames,
    Voice,
    WebhookMode,
    WebhookTarget,
)
from harness.sandbox.emulations.pixazo.models import (
    CHATTERBOX_MODEL,
    INDEX_PITCH,
    INDEX_REALTIME_PITCH,
    PRESET_PITCH,
    PRESET_REALTIME_PITCH,
    REALTIME,
    SAMPLE_RATE,
    VIBEVOICE,
    XTTS,
    Model,
)
from harness.sandbox.stamps import StampForm, form_of_job
from harness.speech import Engine, Rendition

APIM_MISSING = ("Access denied due to missing subscription key. "
                "Make sure to include subscription key when making requests to an API.")
APIM_INVALID = ("Access denied due to invalid subscription key. "
                "Make sure to provide a valid key for an active subscription.")


def script_lines(script: str) -> tuple[tuple[int, str], ...]:
    """ "Speaker N: text" lines as (N, text); a line without a prefix continues the previous speaker."""
    lines: list[tuple[int, str]] = []
    speaker = 0
    for raw in script.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = SPEAKER_LINE.match(line)
        if match:
            speaker = int(match.group(1))
            line = line[match.end():].strip()
        if line:
            lines.append((speaker, line))
    if not lines:
        raise Reject(400, "script contains no text to speak")
    return tuple(lines)


def _clamp(value: float, low: float, high: float) -> float:
    return round(max(low, min(high, value)), 3)


class PixazoEmulation(Emulation):
    states = StateNames(queued="QUEUED", processing="PROCESSING", completed="COMPLETED", failed="FAILED",
                        error="ERROR")
    media_path = "/v1/{job_id}/output.{ext}"  # the documents' R2 CDN layout

    def plan(self, call: Call) -> JobPlan:
        params = call.params
        model_id = call.endpoint.model_id or ""
        if isinstance(params, XttsRequest):
            voice = Voice(XTTS.rendition, Reference("speaker", url=params.speaker))
            return JobPlan(model_id, Speech.single(params.text, voice), XTTS.timing, extra=self._extra(XTTS))
        if isinstance(params, ChatterboxRequest):
            return JobPlan(model_id, Speech.single(params.text, self._chatterbox_voice(params)),
                           CHATTERBOX_MODEL.timing, extra=self._extra(CHATTERBOX_MODEL))
        if isinstance(params, VibeVoiceRequest):
            lines = script_lines(params.script)
            count = max(len(params.speakers), max(s for s, _ in lines) + 1)
            voices = []
            for index in range(count):
                given = params.speakers[index] if index < len(params.speakers) else None
                pitch = PRESET_PITCH[given.preset] if given else INDEX_PITCH[index % len(INDEX_PITCH)]
                rendition = Rendition(Engine.PIPER, VIBEVOICE.rendition.length_scale, SAMPLE_RATE, pitch_shift=pitch)
                reference = None
                if given is not None and given.audio_url:
                    reference = Reference(f"speakers[{index}].audio_url", url=given.audio_url)
                voices.append(Voice(rendition, reference))
            return JobPlan(model_id, Speech(lines, tuple(voices)), VIBEVOICE.timing, extra=self._extra(VIBEVOICE))
        if isinstance(params, VibeVoiceRealtimeRequest):
            lines = script_lines(params.script)
            voices = [
                Voice(Rendition(Engine.PIPER_DEGRADED, 1.0, SAMPLE_RATE, pitch_shift=PRESET_REALTIME_PITCH.get(
                    s.preset, INDEX_REALTIME_PITCH[i % len(INDEX_REALTIME_PITCH)])))
                for i, s in enumerate(params.speakers)
            ]
            return JobPlan(model_id, Speech(lines, tuple(voices)), REALTIME.timing, extra=self._extra(REALTIME))
        return super().plan(call)

    @staticmethod
    def _chatterbox_voice(params: ChatterboxRequest) -> Voice:
        base = CHATTERBOX_MODEL.rendition
        exaggeration = 0.5 if params.exaggeration is None else params.exaggeration
        cfg = 0.5 if params.cfg is None else params.cfg
        rendition = Rendition(
            Engine.PIPER,
            _clamp(base.length_scale + (0.5 - cfg) * 0.2, 0.6, 1.2),
            SAMPLE_RATE,
            pitch_shift=_clamp(base.pitch_shift + (exaggeration - 0.5) * 4.0, -12.0, 12.0),
        )
        reference = Reference("audio_url", url=params.audio_url) if params.audio_url else None
        return Voice(rendition, reference)

    @staticmethod
    def _extra(model: Model) -> dict[str, Any]:
        return {"status_media_type": model.status_media_type}

    def job_id(self, plan: JobPlan, token: str) -> str:
        return f"{plan.model_id}_{token}"

    def webhook(self, call: Call) -> WebhookTarget | None:
        url = call.headers.get("X-Webhook-URL")
        if url:
            mode = call.headers.get("X-Webhook-Mode", WebhookMode.TERMINAL.value).strip().lower()
            try:
                return WebhookTarget(url.strip(), WebhookMode(mode))
            except ValueError:
                raise Reject(400, f"X-Webhook-Mode must be 'terminal' or 'sync'; got {mode!r}") from None
        params = call.params
        if isinstance(params, XttsRequest) and params.webhook:
            # The body parameter: ["completed"] is terminal-only; ["*"] (the default) is every event.
            mode = WebhookMode.TERMINAL if params.webhook_events_filter == ["completed"] else WebhookMode.SYNC
            return WebhookTarget(params.webhook, mode, field="webhook")
        return None

    def accepted(self, job: JobView, call: Call) -> Reply:
        polling_url = job.urls.endpoint("requests.status", request_id=job.id)
        return Reply({"request_id": job.id, "status": job.state, "polling_url": polling_url}, status=202)

    def status(self, job: JobView, *, callback: bool = False) -> Mapping[str, Any]:
        # created_at to the millisecond, the rest at whole seconds in the form the job's stamps take; the
        # callback example prints the zone-less form, which its "same shape" note allows in status bodies.
        form = StampForm.SPACE if callback else form_of_job(job.id)

        def later(moment: datetime) -> str:
            return job.stamps.whole(moment, form)

        output = None
        if job.media_url is not None:
            media_type = "audio/wav" if callback else str(job.extra.get("status_media_type", job.media_type))
            output = {"media_url": [job.media_url], "media_type": media_type}
        return {
            "request_id": job.id,
            "status": job.state,
            "model_id": job.model_id,
            "error": job.error,
            "output": output,
            "created_at": job.stamps.fine(job.created_at),
            "updated_at": later(job.updated_at),
            "completed_at": later(job.completed_at) if job.completed_at else None,
        }

    # --- errors ---------------------------------------------------------------------------------------

    def error_body(self, reject: Reject) -> Mapping[str, Any]:
        return {"error": reject.title, "message": reject.message}

    def unauthorized(self, missing: bool) -> Reject:
        return Reject(401, APIM_MISSING if missing else APIM_INVALID)

    def insufficient_balance(self, call: Call, required: Cost) -> Reject:
        message = "Your wallet does not have enough balance."
        if call.endpoint.key == CHATTERBOX.key:  # only Chatterbox's example names the amount
            message += f" Required: ${required.amount.normalize():f}"
        return Reject(402, message, title="Insufficient Balance")

    def model_disabled(self, model_id: str) -> Reject:
        return Reject(400, f"Model '{model_id}' not found or is disabled", title="Model not found")

    def unknown_job(self, job_id: str) -> Reject:
        return Reject(404, f"Request '{job_id}' not found")

    def invalid(self, call: Call | None, problems: list[str]) -> Reject:
        return Reject(400, re.sub(r"\s+", " ", "; ".join(problems)).strip())
