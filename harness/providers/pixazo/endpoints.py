"""Pixazo's endpoints as its documents write them: a submit endpoint per model, the universal status
endpoint and the webhook callback (shared/api-docs 000, 001 and 004).

Every submit answers 202 `{request_id, status: "QUEUED", polling_url}` and takes the webhook headers;
`GET /v2/requests/status/{request_id}` (and the callback, which has the same shape) reports the job,
the result in `output.media_url[]`. Statuses the documents imply without listing are `inferred`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from harness.core.spec import (
    BodyKind,
    Endpoint,
    Header,
    JobBinding,
    JsonBody,
    PriceFunction,
    Response,
    Role,
)
from harness.providers.pixazo.models import (
    DOC_CHATTERBOX,
    DOC_VIBEVOICE,
    DOC_XTTS,
    LIFECYCLE,
    MEDIA_TYPE_VARIANT,
    TIMESTAMPS,
    ChatterboxRequest,
    JobStatusBody,
    PixazoError,
    SubmitAccepted,
    VibeVoiceRealtimeRequest,
    VibeVoiceRequest,
    WebhookAck,
    XttsRequest,
)
from harness.providers.pixazo.pricing import PRICE_CHATTERBOX, PRICE_XTTS, flat

WEBHOOK_HEADERS = (
    Header("X-Webhook-URL", "HTTPS endpoint that receives the POST callback"),
    Header("X-Webhook-Mode", "terminal: once at the final status; sync: every poll cycle plus terminal",
           choices=("terminal", "sync")),
    Header("Cache-Control", "no-cache"),
)


def _error(status: int, description: str, inferred: bool = False) -> Response:
    return Response(status, (JsonBody(PixazoError),), description, inferred=inferred)


SUBMIT_ERRORS = (
    _error(400, "Bad Request (e.g. Model not found)"),
    _error(401, "Unauthorized"),
    _error(402, "Insufficient Balance"),
    _error(403, "Forbidden"),
    _error(429, "Too Many Requests"),
    _error(500, "Internal Server Error"),
)
ACCEPTED = Response(202, (JsonBody(SubmitAccepted),), "Accepted — Request queued")


JOB = JobBinding(
    id_pointer="/request_id",
    status_endpoint="requests.status",
    status_param="request_id",
    media_pointer="/output/media_url/0",
    media_type_pointer="/output/media_type",
    error_pointer="/error",
    polling_url_pointer="/polling_url",
    created_pointer="/created_at",
    completed_pointer="/completed_at",
)


def _submit(
    key: str, path: str, model_id: str, request: type[BaseModel], doc: str, example: dict[str, Any], *,
    price: PriceFunction | None, extra_errors: tuple[Response, ...] = (), summary: str,
) -> Endpoint:
    return Endpoint(
        key=key,
        method="POST",
        path=path,
        summary=summary,
        host="gateway",
        role=Role.SUBMIT,
        request=request,
        body_kind=BodyKind.JSON,
        request_headers=WEBHOOK_HEADERS,
        responses=(ACCEPTED, *SUBMIT_ERRORS, *extra_errors),
        price=price,
        model_id=model_id,
        lifecycle=LIFECYCLE,
        job=JOB,
        example=example,
        doc=doc,
    )


XTTS = _submit(
    "xtts-v2.generate",
    "/voice-clone/v1/xtts-v2/generate",
    "xtts-v2-api",
    XttsRequest,
    DOC_XTTS,
    {
        "speaker": "https://pub-582b7213209642b9b995c96c95a30381.r2.dev/male.wav",
        "text": "Hello! Welcome to our voice cloning service.",
        "language": "en",
    },
    price=flat(PRICE_XTTS),
    summary="XTTS v2 voice cloning: speak text in the voice of the speaker URL",
)
CHATTERBOX = _submit(
    "chatterbox.generate",
    "/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request",
    "chatterbox-text-to-speech",
    ChatterboxRequest,
    DOC_CHATTERBOX,
    {
        "text": "Hello world, this is a test of the Chatterbox text to speech model.",
        "audio_url": "https://storage.googleapis.com/chatterbox-demo-samples/prompts/male_rickmorty.mp3",
        "exaggeration": 0.25,
        "temperature": 0.7,
        "cfg": 0.5,
    },
    price=flat(PRICE_CHATTERBOX),
    summary="Chatterbox (Resemble AI) text to speech with an optional reference voice",
)
VIBEVOICE = _submit(
    "vibevoice.generate",
    "/vibevoice/v1/vibevoice/generateRequest",
    "vibevoice",
    VibeVoiceRequest,
    DOC_VIBEVOICE,
    {"script": "Speaker 0: Hello, this is a test of the VibeVoice API.", "speakers": [{"preset": "Alice [EN]"}]},
    price=None,
    extra_errors=(_error(404, "Not Found"),),
    summary="VibeVoice (Microsoft) multi-speaker script to speech",
)
VIBEVOICE_REALTIME = _submit(
    "vibevoice-realtime.generate",
    "/vibevoice-realtime-0-5b-135/v1/vibevoice-realtime-0-5b-request",
    "vibevoice-realtime-0-5b-135",
    VibeVoiceRealtimeRequest,
    DOC_VIBEVOICE,
    {
        "script": "Speaker 0: Hello, this is Frank.\nSpeaker 1: And I am Carter.",
        "speakers": [{"preset": "Frank [EN]"}, {"preset": "Carter [EN]"}],
    },
    price=None,
    extra_errors=(_error(404, "Not Found"),),
    summary="VibeVoice-Realtime-0.5B multi-speaker script to speech",
)

STATUS = Endpoint(
    key="requests.status",
    method="GET",
    path="/v2/requests/status/{request_id}",
    summary="Universal job status: state, error, output.media_url[] and server timestamps",
    host="gateway",
    role=Role.STATUS,
    responses=(
        Response(200, (JsonBody(JobStatusBody),), "The job's current status"),
        _error(401, "Unauthorized (the gateway's common status codes)", inferred=True),
        _error(404, "Unknown request_id", inferred=True),
    ),
    lifecycle=LIFECYCLE,
    doc=DOC_XTTS,
    timestamp_fields=TIMESTAMPS,
    variants=(MEDIA_TYPE_VARIANT,),
)

WEBHOOK = Endpoint(
    key="webhook.callback",
    method="POST",
    path="{X-Webhook-URL}",
    summary="Callback the gateway POSTs to the user's X-Webhook-URL; same shape as the status answer",
    host="user",
    role=Role.CALLBACK,
    request=JobStatusBody,
    body_kind=BodyKind.JSON,
    auth_required=False,
    responses=(Response(200, (JsonBody(WebhookAck),), "Respond 200 OK within a few seconds"),),
    lifecycle=LIFECYCLE,
    doc=DOC_XTTS,
    timestamp_fields=TIMESTAMPS,
    variants=(MEDIA_TYPE_VARIANT,),
)

ENDPOINTS = (XTTS, CHATTERBOX, VIBEVOICE, VIBEVOICE_REALTIME, STATUS, WEBHOOK)
