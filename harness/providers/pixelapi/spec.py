"""PixelAPI as its document describes it (shared/api-docs 002): one submit endpoint, one status endpoint.

`POST /v1/tts/generate` (multipart) takes text plus either a voice description (voice design, $0.05)
or a reference recording `voice_ref` (voice cloning, $0.10) and answers `{id, status: "queued",
credits_used}`; `GET /v1/tts/status/{id}` is polled until `status` is `completed`, when `output_url`
holds a signed link to the audio. Rate limits (60/min free, 600/min paid) answer 429 with
`Retry-After`.

The page is a product page, not a reference: no success status codes, no error body, no status
vocabulary beyond "queued" and "completed". What is inferred is marked `inferred=True` (endpoints,
responses, lifecycle states) and explained in `DOC_DRIFT`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from harness.core.errors import UsageError
from harness.core.lifecycle import Lifecycle
from harness.core.retry import RetryPolicy
from harness.core.spec import (
    Auth,
    BodyKind,
    Cost,
    DocDrift,
    Endpoint,
    JobBinding,
    JsonBody,
    Offering,
    Provider,
    Response,
    Role,
    SynthesisInput,
)
from harness.providers.pixelapi.models import (
    DOC,
    LANGUAGES,
    REF_MAX_BYTES,
    TEXT_MAX_CHARS,
    GenerateAccepted,
    GenerateRequest,
    JobStatusBody,
    PixelApiError,
)

# --- prices and plans ----------------------------------------------------------------------------

PRICE_DESIGN = Decimal("0.05")  # "$0.05 per request for voice design"
PRICE_CLONE = Decimal("0.10")  # "$0.10 per request for voice cloning"
FREE_CREDITS = 500  # "500 free credits — enough for 10 voice design jobs or 5 voice clone jobs"
CREDITS_DESIGN = FREE_CREDITS // 10  # 50, matching the example's "credits_used": 50.0
CREDITS_CLONE = FREE_CREDITS // 5  # 100
USD_PER_CREDIT = PRICE_DESIGN / CREDITS_DESIGN  # $0.001 (equal to PRICE_CLONE / CREDITS_CLONE)

# "Default 60 requests/minute on the free tier, 600 requests/minute on paid tiers."
PLAN_LIMITS: dict[str, int] = {"free": 60, "paid": 600}
RETRY_AFTER = "Retry-After"
# "exponential backoff starting at 2 seconds, doubling on each retry up to 30 seconds maximum"
BACKOFF_START_S = 2.0
BACKOFF_MAX_S = 30.0
RETRY = RetryPolicy(BACKOFF_START_S, BACKOFF_MAX_S, factor=2.0, source="PixelAPI's recommended backoff")
POLL_INTERVAL_S = 2.0  # every client example sleeps 2 s between polls


def is_cloning(params: Mapping[str, Any]) -> bool:
    """A request is a cloning request exactly when it carries a reference recording."""
    return params.get("voice_ref") is not None


def credits_for(params: Mapping[str, Any]) -> int:
    """Credits one request uses (the sandbox reports this as `credits_used`)."""
    return CREDITS_CLONE if is_cloning(params) else CREDITS_DESIGN


def price(params: Mapping[str, Any]) -> Cost:
    """The documented flat price per request: design $0.05, cloning $0.10; text length does not matter."""
    return Cost(PRICE_CLONE if is_cloning(params) else PRICE_DESIGN)


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

JOB = JobBinding(
    id_pointer="/id",
    status_endpoint="tts.status",
    status_param="id",
    media_pointer="/output_url",
    created_pointer="/created_at",
    completed_pointer="/completed_at",
)

# --- endpoints -----------------------------------------------------------------------------------


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

# --- offerings -----------------------------------------------------------------------------------

DESIGN_VOICE = "warm, professional male narrator"  # the document's own voice_description example


def _build_design(given: SynthesisInput) -> dict[str, Any]:
    return {"text": given.text, "language": given.language, "voice_description": DESIGN_VOICE}


def _build_clone(given: SynthesisInput) -> dict[str, Any]:
    if given.reference_audio is None:
        # Without a reference the request would silently become voice design (and cost half).
        raise UsageError("PixelAPI voice-clone needs SynthesisInput.reference_audio (a WAV or MP3 upload)")
    return {"text": given.text, "language": given.language, "voice_ref": given.reference_audio}


OFFERINGS = (
    Offering("voice-design", GENERATE.key, _build_design, languages=tuple(LANGUAGES), max_chars=TEXT_MAX_CHARS,
             description=f"Voice design from a text description ({DESIGN_VOICE!r}), $0.05/request"),
    Offering("voice-clone", GENERATE.key, _build_clone, clones=True, languages=tuple(LANGUAGES),
             max_chars=TEXT_MAX_CHARS,
             description="Voice cloning from an uploaded reference recording (voice_ref), $0.10/request"),
)

# --- drift ---------------------------------------------------------------------------------------

DOC_DRIFT = (
    DocDrift("status body", "the prose says every status response includes credits_used, created_at and "
             "completed_at, but the status example is {\"status\": \"completed\", \"output_url\": \"https://...\"} "
             "without them (nor the id); all but status are optional", (DOC,)),
    DocDrift("reference size", "the reference limit is \"max 10 MB\" in the overview and comparison, \"under "
             "10 MB\" in the FAQ and the 400 message, and MB is not defined; up to 10 MiB inclusive is accepted",
             (DOC,)),
    DocDrift("voice description", "voice design is shown both as the voice_description field and as a "
             "parenthesised prefix of the text (\"(warm elderly man, slow pace) Hello.\"); style cues are "
             "listed for voice design and also said to go \"directly in the text field\"; both forms pass", (DOC,)),
    DocDrift("error body", "no error body is shown (only status codes and messages); the error model is "
             "inferred and accepts {\"error\": ...}, {\"error\", \"message\"}, {\"detail\": ...}", (DOC,)),
    DocDrift("status codes", "no success code is written for either endpoint (200 inferred; 202 also accepted "
             "for the queued answer); 401 and the status endpoint's 404 are implied, not listed", (DOC,)),
    DocDrift("job states", "only \"queued\" and \"completed\" appear; \"processing\" and \"failed\" are "
             "inferred, as is every failure field", (DOC,)),
    DocDrift("retry-after", "429 is documented \"with a Retry-After header\", yet the retry example falls "
             "back to its own delay when the header is absent (`resp.headers.get(\"Retry-After\", delay)`)",
             (DOC,)),
    DocDrift("submit body", "the queued answer is shown as {\"id\": \"uuid\", \"status\": \"queued\", "
             "\"credits_used\": 50.0, ...}: the elided fields are unknown", (DOC,)),
    DocDrift("languages", "\"30+ languages\" are named but their codes are not; only \"en\" and \"auto\" "
             "appear as values, so any language code is accepted", (DOC,)),
)

PROVIDER = Provider(
    name="pixelapi",
    title="PixelAPI",
    hosts={"api": "https://api.pixelapi.dev"},
    auth=Auth("Authorization", "Bearer"),
    key_env="PIXELAPI_API_KEY",  # the name every client example reads the key from
    endpoints=(GENERATE, STATUS),
    error_model=PixelApiError,
    docs=(DOC,),
    doc_drift=DOC_DRIFT,
    offerings=OFFERINGS,
    retry=RETRY,
)
