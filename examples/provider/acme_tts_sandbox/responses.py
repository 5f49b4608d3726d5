"""How the sandbox answers as Acme Speech: a plan per valid request, the submit and status bodies, and
the error body. Routing, keys, validation, job timelines and speech are the engine's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.sandbox import Call, Emulation, JobPlan, JobView, Reject, Reply, Speech, StateNames, Voice

from acme_tts.models import SpeakRequest
from acme_tts_sandbox.models import TIMING, VOICES


class AcmeEmulation(Emulation):
    states = StateNames(queued="queued", processing="running", completed="done", failed="failed", error="failed")

    def plan(self, call: Call) -> JobPlan:
        if not isinstance(call.params, SpeakRequest):
            return super().plan(call)
        speech = Speech.single(call.params.text, Voice(VOICES[call.params.voice]))
        return JobPlan("acme", speech, TIMING)

    def accepted(self, job: JobView, call: Call) -> Reply:
        return Reply({"id": job.id, "status": job.state}, status=202)

    def status(self, job: JobView, *, callback: bool = False) -> Mapping[str, Any]:
        return {"id": job.id, "status": job.state, "audio_url": job.media_url, "error": job.error}

    def error_body(self, reject: Reject) -> Mapping[str, Any]:
        return {"message": reject.message}
