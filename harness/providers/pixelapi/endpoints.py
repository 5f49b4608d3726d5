"""PixelAPI's two endpoints as its document writes them (shared/api-docs 002).

`POST /v1/tts/generate` (multipart) queues a generation; `GET /v1/tts/status/{id}` is polled until
`completed`, when `output_url` holds a signed link to the audio. The page shows bodies but no success
codes and lists few errors: what it implies is marked `inferred=True` (see `drift`).
"""

from __future__ import annotations

from harness.core.spec import BodyKind, Endpoint, JobBinding, JsonBody, Response, Role
from harness.providers.pixelapi.models import (
    DOC,
    LIFECYCLE,
    REF_MAX_BYTES,
    GenerateAccepted,
    GenerateRequest,
    JobStatusBody,
    PixelApiError,
)
from harness.providers.pixelapi.pricing import price

RETRY_AFTER = "Retry-After"

JOB = JobBinding(
    id_pointer="/id",
    status_endpoint="tts.status",
    status_param="id",
    media_pointer="/output_url",
    created_pointer="/created_at",
    completed_pointer="/completed_at",
)


def _error(status: int, description: str, *, inferred: bool = False, retry_after: bool = False) -> Response:
    headers = (RETRY_AFTER,) if retry_after else ()
    return Response(status, (JsonBody(PixelApiError),), description, headers=headers, inferred=inferred)


UNAUTHORIZED = _error(401, "Missing or invalid API key (implied by the Bearer key; never listed)", inferred=True)
RATE_LIMITED = _error(429, "Rate limit exceeded (60/min free, 600/min paid); retry after Retry-After", retry_after=True)

GENERATE = Endpoint(
    key="tts.generate",
    method="POST",
    path="/v1/tts/generate",
    summary="Queue speech from text: voice design from voice_description, or cloning from a voice_ref upload",
    host="api",
    role=Role.SUBMIT,
    request=GenerateRequest,
    body_kind=BodyKind.MULTIPART,
    max_upload_bytes=REF_MAX_BYTES,
    responses=(
        # The page shows the body only; its clients accept any 2xx (`raise_for_status()`), so both
        # plausible codes for a queued job are accepted.
        Response(200, (JsonBody(GenerateAccepted),), "Generation queued: {id, status, credits_used}", inferred=True),
        Response(202, (JsonBody(GenerateAccepted),), "Generation queued (202 Accepted)", inferred=True),
        _error(400, "Text cannot be empty / Reference audio must be under 10 MB"),
        UNAUTHORIZED,
        _error(402, "Insufficient credits"),
        RATE_LIMITED,
        _error(503, "Server busy: the request queue is full; retry after Retry-After", retry_after=True),
    ),
    price=price,
    lifecycle=LIFECYCLE,
    job=JOB,
    example={
        "text": "Hello, welcome to our store. We have great deals today.",
        "language": "en",
        "voice_description": "warm, professional male narrator",
    },
    doc=DOC,
)

STATUS = Endpoint(
    key="tts.status",
    method="GET",
    path="/v1/tts/status/{id}",
    summary="A generation's status; output_url (signed, time-limited) once completed",
    host="api",
    role=Role.STATUS,
    responses=(
        Response(200, (JsonBody(JobStatusBody),), "{status, output_url, credits_used, created_at, completed_at}",
                 inferred=True),
        UNAUTHORIZED,
        _error(404, "Unknown generation id (implied; never listed)", inferred=True),
        _error(429, "Rate limit exceeded (the limit counts every request, polls included)", inferred=True,
               retry_after=True),
    ),
    lifecycle=LIFECYCLE,
    doc=DOC,
    timestamp_fields=("/created_at", "/completed_at"),
)

ENDPOINTS = (GENERATE, STATUS)
