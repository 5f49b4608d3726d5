"""How the sandbox answers as any provider of the jobs family, from its `JobsService` declaration alone.

The engine (`harness.sandbox.job_service`) charges, draws the timeline, injects job faults, stores the job,
produces its audio and delivers its callbacks; this emulation supplies the `Emulation` hooks it calls, each
read off the declaration: the plan (what a model's request says, in which voice, how long it takes), the job
id, the callback target, the submit answer, the status body and the callback payload (templates filled from
the job's view), the lifecycle's words, the plans (tiers), the media path, and the refusals in the
provider's words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from harness.core.protocols.jobs import JobModel, JobRefused, Spoken, SpokenVoice, render, service_of
from harness.core.spec import Cost, Endpoint, Provider, Upload
from harness.sandbox.emulation import (
    Call,
    Emulation,
    JobPlan,
    JobView,
    RateLimit,
    Reference,
    Reject,
    Reply,
    SpeakerVoice,
    Speech,
    StateNames,
    Tier,
    WebhookMode,
    WebhookTarget,
)
from harness.sandbox.emulations.jobs.models import rendition, stamp_form, timing
from harness.sandbox.languages import spoken_language
from harness.sandbox.stamps import StampForm, form_of_job
from harness.speech import SpeechError, decode

MEDIA_TYPE = "status_media_type"  # the job's `extra` entry naming the media type its status body shows


class JobsEmulation(Emulation):
    # Placeholders: each instance takes its provider's words, plans and media path from the declaration.
    states = StateNames("queued", "processing", "completed", "failed", "failed")

    def __new__(cls, provider: Provider) -> JobsEmulation:
        # The engine reads the words, plans and media path off the emulation's class: one class is made for
        # each provider of the family, from its declaration.
        service = service_of(provider)
        words = service.words
        own: dict[str, Any] = {
            "states": StateNames(words.queued, words.processing, words.completed, words.failed, words.error),
            "media_path": service.media.path,
            "webhook_https_only": service.webhooks.https_only if service.webhooks else True,
        }
        if service.plans:
            own["tiers"] = tuple(
                Tier(plan.name, RateLimit(plan.requests_per_minute), balance=plan.balance) for plan in service.plans
            )
            own["default_tier"] = service.default_plan or service.plans[0].name
        made = type(cls.__name__, (cls,), {**own, "__module__": cls.__module__, "__qualname__": cls.__qualname__})
        return super().__new__(made)

    def __init__(self, provider: Provider) -> None:
        self.service = service_of(provider)
        super().__init__(provider)

    # --- jobs ---------------------------------------------------------------------------------------

    def _model(self, call: Call) -> JobModel:
        model = self.service.model(call.endpoint.key)
        if model is None or call.params is None:
            raise Reject(501, f"the sandbox does not emulate {call.endpoint.signature}")
        return model

    def plan(self, call: Call) -> JobPlan:
        model = self._model(call)
        assert call.params is not None
        try:
            spoken = model.speaker(call.params, model) if model.speaker else self._spoken(call, model)
        except JobRefused as refused:
            raise Reject(refused.status, refused.message) from None
        voices = []
        named = getattr(call.params, model.language, None) if model.language else None
        said = " ".join(text for _, text in spoken.lines)
        for voice in spoken.voices:
            language = spoken_language(voice.language or named, None, (), said)
            reference = None
            if voice.reference_upload is not None:
                self._check_reference(voice.reference_upload)
                reference = Reference(voice.reference_field, upload=voice.reference_upload)
            elif voice.reference_url:
                reference = Reference(voice.reference_field, url=voice.reference_url)
            voices.append(SpeakerVoice(rendition(voice.sound), reference, language))
        # What the bodies need later (kept in a state file as it is): the request's values, and the media type
        # the model's status body names where it is not the audio's own.
        extra: dict[str, Any] = {name: value(call.payload) for name, value in model.values.items()}
        if model.media_type:
            extra[MEDIA_TYPE] = model.media_type
        return JobPlan(
            model.model_id or call.endpoint.model_id or "",
            Speech(spoken.lines, tuple(voices)),
            timing(spoken.pace or model.pace, spoken.pace_scale),
            extra=extra,
        )

    @staticmethod
    def _spoken(call: Call, model: JobModel) -> Spoken:
        """Without a model's own reading: the text at its text field, in its voice, cloning its reference."""
        params = call.params
        text = str(getattr(params, model.text))
        given = getattr(params, model.reference) if model.reference else None
        url = given if isinstance(given, str) and given else None
        upload = given if isinstance(given, Upload) else None
        return Spoken(((0, text),), (SpokenVoice(model.sound, model.reference if given else "", url, upload),))

    def _check_reference(self, upload: Upload) -> None:
        """The documented rules of an uploaded reference the request model cannot check without decoding."""
        rules = self.service.reference_rules
        if rules is None:
            return
        try:
            clip = decode(upload.content)
        except SpeechError:
            raise Reject(400, rules.unreadable) from None
        if clip.sample_rate < rules.min_rate:
            raise Reject(400, rules.too_slow.replace("{rate}", str(clip.sample_rate)))
        if clip.duration_s < rules.min_seconds:
            raise Reject(400, rules.too_short.replace("{seconds}", f"{clip.duration_s:.1f}"))

    def job_id(self, plan: JobPlan, token: str) -> str:
        return self.service.submit.id_template.replace("{model_id}", plan.model_id).replace("{token}", token)

    def webhook(self, call: Call) -> WebhookTarget | None:
        hooks = self.service.webhooks
        if hooks is None:
            return None
        url = call.headers.get(hooks.url_header) if hooks.url_header else None
        if url:
            mode = WebhookMode.TERMINAL.value
            if hooks.mode_header:
                mode = call.headers.get(hooks.mode_header, mode).strip().lower()
            try:
                return WebhookTarget(url.strip(), WebhookMode(mode))
            except ValueError:
                raise Reject(
                    400, hooks.bad_mode.replace("{header}", hooks.mode_header).replace("{mode!r}", repr(mode))
                ) from None
        field_url = getattr(call.params, hooks.url_field, None) if hooks.url_field else None
        if isinstance(field_url, str) and field_url:
            events = getattr(call.params, hooks.events_field, None) if hooks.events_field else None
            terminal = events is not None and list(events) == list(hooks.terminal_events)
            return WebhookTarget(
                field_url, WebhookMode.TERMINAL if terminal else WebhookMode.SYNC, field=hooks.url_field
            )
        return None

    def _values(self, job: JobView, form: StampForm) -> dict[str, Any]:
        fine = self.service.stamps.fine

        def stamp(name: str, moment: datetime | None) -> str | None:
            if moment is None:
                return None
            return job.stamps.fine(moment) if name in fine else job.stamps.whole(moment, form)

        media_type = str(job.extra.get(MEDIA_TYPE) or job.media_type)
        values: dict[str, Any] = {
            "id": job.id,
            "state": job.state,
            "model_id": job.model_id,
            "error": job.error,
            "media_url": job.media_url,
            "media_type": media_type,
            "created_at": stamp("created_at", job.created_at),
            "updated_at": stamp("updated_at", job.updated_at),
            "started_at": stamp("started_at", job.started_at),
            "completed_at": stamp("completed_at", job.completed_at),
            "polling_url": job.urls.endpoint(
                self.service.status.endpoint.key, **{self.service.status.id_param: job.id}
            ),
        }
        values.update((name, value) for name, value in job.extra.items() if name != MEDIA_TYPE)
        return values

    def _form(self, job_id: str) -> StampForm:
        forms = self.service.stamps.forms
        if len(forms) > 1:  # the documents print both: a job keeps one, drawn from its id
            return form_of_job(job_id)
        return stamp_form(forms[0])

    def accepted(self, job: JobView, call: Call) -> Reply:
        submit = self.service.submit
        return Reply(render(submit.answer, self._values(job, self._form(job.id))), status=submit.status)

    def status(self, job: JobView, *, callback: bool = False) -> Mapping[str, Any]:
        hooks = self.service.webhooks
        if callback and hooks is not None:
            values = self._values(job, stamp_form(self.service.stamps.callback_form))
            return dict(render(hooks.payload, values))
        return dict(render(self.service.status.body, self._values(job, self._form(job.id))))

    # --- errors, in the provider's words -------------------------------------------------------------

    def error_body(self, reject: Reject) -> Mapping[str, Any] | None:
        template = self.service.error_body
        if template is None:
            return None
        return dict(render(template, {"title": reject.title, "message": reject.message, "status": reject.status}))

    def invalid(self, call: Call | None, problems: list[str]) -> Reject:
        refusals = self.service.refusals
        if refusals.invalid is not None:
            said = refusals.invalid(call.payload if call is not None else {}, problems)
            if said is not None:
                return Reject(400, said)
        message = "; ".join(problems)
        if refusals.collapse_spaces:
            message = re.sub(r"\s+", " ", message).strip()
        return Reject(400, message)

    def too_large(self, endpoint: Endpoint, message: str) -> Reject:
        said = self.service.refusals.too_large
        return Reject(said.status, said.says(), title=said.title) if said else super().too_large(endpoint, message)

    def unauthorized(self, missing: bool) -> Reject:
        said = self.service.refusals.missing_key if missing else self.service.refusals.bad_key
        return Reject(said.status, said.says(), title=said.title) if said else super().unauthorized(missing)

    def insufficient_balance(self, call: Call, required: Cost) -> Reject:
        model = self.service.model(call.endpoint.key)
        said = (model.insufficient if model is not None else None) or self.service.refusals.insufficient
        if said is None:
            return super().insufficient_balance(call, required)
        return Reject(said.status, said.says(amount=f"{required.amount.normalize():f}"), title=said.title)

    def rate_limited(self, retry_after: int) -> Reject:
        said = self.service.refusals.rate_limited
        if said is None:
            return super().rate_limited(retry_after)
        return Reject(
            said.status, said.says(retry_after=retry_after), title=said.title, headers={"Retry-After": str(retry_after)}
        )

    def busy(self, retry_after: int) -> Reject:
        said = self.service.refusals.busy
        if said is None:
            return super().busy(retry_after)
        return Reject(
            said.status, said.says(retry_after=retry_after), title=said.title, headers={"Retry-After": str(retry_after)}
        )

    def unknown_job(self, job_id: str) -> Reject:
        said = self.service.refusals.unknown_job
        return Reject(said.status, said.says(job_id=job_id), title=said.title) if said else super().unknown_job(job_id)

    def model_disabled(self, model_id: str) -> Reject:
        said = self.service.refusals.model_disabled
        if said is None:
            return super().model_disabled(model_id)
        return Reject(said.status, said.says(model_id=model_id), title=said.title)

    def not_found(self, path: str) -> Reject:
        said = self.service.refusals.not_found
        return Reject(said.status, said.says(path=path), title=said.title) if said else super().not_found(path)
