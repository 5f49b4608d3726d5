"""Acme Speech's two endpoints: queue speech, then poll the job until its audio is ready."""

from __future__ import annotations

from harness.core.spec import BodyKind, Endpoint, JobBinding, JsonBody, Response, Role

from acme_tts.models import DOC, LIFECYCLE, AcmeError, JobAccepted, JobStatus, SpeakRequest


def _error(status: int, description: str) -> Response:
    return Response(status, (JsonBody(AcmeError),), description)


SPEAK = Endpoint(
    key="speak",
    method="POST",
    path="/v1/speak",
    summary="Queue speech from text",
    host="api",
    role=Role.SUBMIT,
    request=SpeakRequest,
    body_kind=BodyKind.JSON,
    responses=(Response(202, (JsonBody(JobAccepted),), "Queued"), _error(400, "Invalid request"),
               _error(401, "Missing or invalid key")),
    lifecycle=LIFECYCLE,
    job=JobBinding(id_pointer="/id", status_endpoint="speak.status", status_param="id",
                   media_pointer="/audio_url", error_pointer="/error"),
    example={"text": "Hello from Acme.", "voice": "ada"},
    doc=DOC,
)

STATUS = Endpoint(
    key="speak.status",
    method="GET",
    path="/v1/speak/{id}",
    summary="A job's state; audio_url once done",
    host="api",
    role=Role.STATUS,
    responses=(Response(200, (JsonBody(JobStatus),), "The job"), _error(401, "Missing or invalid key"),
               _error(404, "Unknown job id")),
    lifecycle=LIFECYCLE,
    doc=DOC,
)

ENDPOINTS = (SPEAK, STATUS)
