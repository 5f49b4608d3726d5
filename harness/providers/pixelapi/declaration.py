"""PixelAPI as its document describes it (shared/api-docs 002): a provider of the asynchronous jobs family
(`harness.core.protocols.jobs`), one submit endpoint and one status endpoint.

`POST /v1/tts/generate` (multipart) takes text plus either a voice description (voice design, $0.05)
or a reference recording `voice_ref` (voice cloning, $0.10) and answers `{id, status: "queued",
credits_used}`; `GET /v1/tts/status/{id}` is polled until `status` is `completed`, when `output_url`
holds a signed link to the audio. Rate limits (60/min free, 600/min paid) answer 429 with
`Retry-After`.

The page is a product page, not a reference: no success status codes, no error body, no status
vocabulary beyond "queued" and "completed". What is inferred is marked `inferred=True` (endpoints,
responses, lifecycle states) and explained in `DOC_DRIFT`. The wire models, limits, messages and the
lifecycle are in `models`. Error bodies are FastAPI-style `{"detail": "..."}`, one of the shapes the
error model accepts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from harness.core.errors import UsageError
from harness.core.protocols.jobs import (
    AccountPlan,
    JobModel,
    JobRefusal,
    JobRefusals,
    JobsService,
    Media,
    Only,
    Pace,
    ReferenceRules,
    Sound,
    Spoken,
    SpokenVoice,
    Status,
    Submit,
    Words,
    build_provider,
)
from harness.core.retry import RetryPolicy
from harness.core.spec import (
    Auth,
    BodyKind,
    Cost,
    DocDrift,
    Endpoint,
    JsonBody,
    Offering,
    Response,
    SynthesisInput,
    Upload,
)
from harness.providers.pixelapi.models import (
    DOC,
    LANGUAGES,
    LIFECYCLE,
    MSG_INSUFFICIENT_CREDITS,
    MSG_REF_TOO_LARGE,
    MSG_SERVER_BUSY,
    MSG_TEXT_EMPTY,
    REF_MAX_BYTES,
    REF_MIN_RATE,
    REF_MIN_SECONDS,
    STEPS_DEFAULT,
    TEXT_MAX_CHARS,
    GenerateAccepted,
    GenerateRequest,
    JobStatusBody,
    PixelApiError,
)

# --- prices: a flat price per request; the free tier's 500 credits fix the credits each uses ---------

PRICE_DESIGN = Decimal("0.05")  # "$0.05 per request for voice design"
PRICE_CLONE = Decimal("0.10")  # "$0.10 per request for voice cloning"
FREE_CREDITS = 500  # "500 free credits — enough for 10 voice design jobs or 5 voice clone jobs"
CREDITS_DESIGN = FREE_CREDITS // 10  # 50, matching the example's "credits_used": 50.0
CREDITS_CLONE = FREE_CREDITS // 5  # 100
USD_PER_CREDIT = PRICE_DESIGN / CREDITS_DESIGN  # $0.001 (equal to PRICE_CLONE / CREDITS_CLONE)

# "Default 60 requests/minute on the free tier, 600 requests/minute on paid tiers."
PLAN_LIMITS: dict[str, int] = {"free": 60, "paid": 600}


def is_cloning(params: Mapping[str, Any]) -> bool:
    """A request is a cloning request exactly when it carries a reference recording."""
    return params.get("voice_ref") is not None


def credits_for(params: Mapping[str, Any]) -> int:
    """Credits one request uses (the sandbox reports this as `credits_used`)."""
    return CREDITS_CLONE if is_cloning(params) else CREDITS_DESIGN


def price(params: Mapping[str, Any]) -> Cost:
    """The documented flat price per request: design $0.05, cloning $0.10; text length does not matter."""
    return Cost(PRICE_CLONE if is_cloning(params) else PRICE_DESIGN)


# --- where the page contradicts itself or leaves open what a harness must decide ---------------------

DOC_DRIFT = (
    DocDrift(
        "status body",
        "the prose says every status response includes credits_used, created_at and "
        'completed_at, but the status example is {"status": "completed", "output_url": "https://..."} '
        "without them (nor the id); all but status are optional",
        (DOC,),
    ),
    DocDrift(
        "reference size",
        'the reference limit is "max 10 MB" in the overview and comparison, "under '
        '10 MB" in the FAQ and the 400 message, and MB is not defined; up to 10 MiB inclusive is accepted',
        (DOC,),
    ),
    DocDrift(
        "voice description",
        "voice design is shown both as the voice_description field and as a "
        'parenthesised prefix of the text ("(warm elderly man, slow pace) Hello."); style cues are '
        'listed for voice design and also said to go "directly in the text field"; both forms pass',
        (DOC,),
    ),
    DocDrift(
        "error body",
        "no error body is shown (only status codes and messages); the error model is "
        'inferred and accepts {"error": ...}, {"error", "message"}, {"detail": ...}',
        (DOC,),
    ),
    DocDrift(
        "status codes",
        "no success code is written for either endpoint (200 inferred; 202 also accepted "
        "for the queued answer); 401 and the status endpoint's 404 are implied, not listed",
        (DOC,),
    ),
    DocDrift(
        "job states",
        'only "queued" and "completed" appear; "processing" and "failed" are inferred, as is every failure field',
        (DOC,),
    ),
    DocDrift(
        "retry-after",
        '429 is documented "with a Retry-After header", yet the retry example falls '
        'back to its own delay when the header is absent (`resp.headers.get("Retry-After", delay)`)',
        (DOC,),
    ),
    DocDrift(
        "submit body",
        'the queued answer is shown as {"id": "uuid", "status": "queued", '
        '"credits_used": 50.0, ...}: the elided fields are unknown',
        (DOC,),
    ),
    DocDrift(
        "languages",
        '"30+ languages" are named but their codes are not; only "en" and "auto" '
        "appear as values, so any language code is accepted",
        (DOC,),
    ),
)


# --- the endpoints ---------------------------------------------------------------------------------

RETRY_AFTER = "Retry-After"


def _error(status: int, description: str, *, inferred: bool = False, retry_after: bool = False) -> Response:
    headers = (RETRY_AFTER,) if retry_after else ()
    return Response(
        status=status, bodies=(JsonBody(PixelApiError),), description=description, headers=headers, inferred=inferred
    )


UNAUTHORIZED = _error(401, "Missing or invalid API key (implied by the Bearer key; never listed)", inferred=True)
RATE_LIMITED = _error(429, "Rate limit exceeded (60/min free, 600/min paid); retry after Retry-After", retry_after=True)

GENERATE = Endpoint(
    key="tts.generate",
    method="POST",
    path="/v1/tts/generate",
    summary="Queue speech from text: voice design from voice_description, or cloning from a voice_ref upload",
    host="api",
    request=GenerateRequest,
    body_kind=BodyKind.MULTIPART,
    max_upload_bytes=REF_MAX_BYTES,
    responses=(
        # The page shows the body only; its clients accept any 2xx (`raise_for_status()`), so both
        # plausible codes for a queued job are accepted.
        Response(
            status=200,
            bodies=(JsonBody(GenerateAccepted),),
            description="Generation queued: {id, status, credits_used}",
            inferred=True,
        ),
        Response(
            status=202,
            bodies=(JsonBody(GenerateAccepted),),
            description="Generation queued (202 Accepted)",
            inferred=True,
        ),
        _error(400, "Text cannot be empty / Reference audio must be under 10 MB"),
        UNAUTHORIZED,
        _error(402, "Insufficient credits"),
        RATE_LIMITED,
        _error(503, "Server busy: the request queue is full; retry after Retry-After", retry_after=True),
    ),
    price=price,
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
    responses=(
        Response(
            status=200,
            bodies=(JsonBody(JobStatusBody),),
            description="{status, output_url, credits_used, created_at, completed_at}",
            inferred=True,
        ),
        UNAUTHORIZED,
        _error(404, "Unknown generation id (implied; never listed)", inferred=True),
        _error(
            429, "Rate limit exceeded (the limit counts every request, polls included)", inferred=True, retry_after=True
        ),
    ),
    doc=DOC,
    timestamp_fields=("/created_at", "/completed_at"),
)

ENDPOINTS = (GENERATE, STATUS)


# --- what the benchmark drives: voice design and voice cloning, on the one generate endpoint -----------

DESIGN_VOICE = "warm, professional male narrator"  # the document's own voice_description example


def _build_design(given: SynthesisInput) -> dict[str, Any]:
    return {"text": given.text, "language": given.language, "voice_description": DESIGN_VOICE}


def _build_clone(given: SynthesisInput) -> dict[str, Any]:
    if given.reference_audio is None:
        # Without a reference the request would silently become voice design (and cost half).
        raise UsageError("PixelAPI voice-clone needs SynthesisInput.reference_audio (a WAV or MP3 upload)")
    return {"text": given.text, "language": given.language, "voice_ref": given.reference_audio}


OFFERINGS = (
    Offering(
        name="voice-design",
        endpoint=GENERATE.key,
        build=_build_design,
        languages=tuple(LANGUAGES),
        max_chars=TEXT_MAX_CHARS,
        description=f"Voice design from a text description ({DESIGN_VOICE!r}), $0.05/request",
    ),
    Offering(
        name="voice-clone",
        endpoint=GENERATE.key,
        build=_build_clone,
        clones=True,
        languages=tuple(LANGUAGES),
        max_chars=TEXT_MAX_CHARS,
        description="Voice cloning from an uploaded reference recording (voice_ref), $0.10/request",
    ),
)

# "exponential backoff starting at 2 seconds, doubling on each retry up to 30 seconds maximum"
BACKOFF_START_S = 2.0
BACKOFF_MAX_S = 30.0
RETRY = RetryPolicy(BACKOFF_START_S, BACKOFF_MAX_S, factor=2.0, source="PixelAPI's recommended backoff")
POLL_INTERVAL_S = 2.0  # every client example sleeps 2 s between polls


# --- how the sandbox voices the two modes (not the document's: it names no format; `cfg_value` and
# `inference_timesteps` are VoxCPM's parameters, and VoxCPM-0.5B speaks at 16 kHz). Voice design is the
# embedded voice at 1.1x length, shaped by the description: "slow"/"fast" change the pace,
# "female"/"woman"/"girl" raise the pitch, "male"/"man"/"deep" lower it, "elderly"/"old" lower and slow it.
# Voice cloning is the voice at 0.95x length in the voice of the uploaded reference. A leading
# "(style cue)" in the text is read as a voice description and not spoken; `inference_timesteps` scales
# the processing time. ---------------------------------------------------------------------------------

SAMPLE_RATE = 16_000
DESIGN_LENGTH = 1.1
CLONE_LENGTH = 0.95
DESIGN_PACE = Pace(1.0, 3.0, 0.02)
CLONE_PACE = Pace(1.5, 5.0, 0.03)

# Description words -> (length factor, pitch shift in semitones).
_DESCRIPTION_WORDS: tuple[tuple[tuple[str, ...], float, float], ...] = (
    (("slow", "gentle", "calm"), 1.15, 0.0),
    (("fast", "quick", "energetic", "excited"), 0.85, 0.0),
    (("female", "woman", "girl", "lady"), 1.0, 4.0),
    (("male", "man", "deep", "baritone"), 1.0, -1.5),
    (("elderly", "old"), 1.08, -1.5),
    (("cheerful", "happy", "bright"), 0.95, 1.0),
    (("sad", "whisper", "whispering"), 1.1, -0.5),
)
STYLE_CUE = re.compile(r"^\s*\(([^)]{1,200})\)\s*")


def design_sound(description: str) -> Sound:
    """The voice a description designs: deterministic, so equal descriptions share cached renders."""
    words = set(re.findall(r"[a-z]+", description.lower()))
    length, pitch = DESIGN_LENGTH, 0.0
    for keys, length_factor, shift in _DESCRIPTION_WORDS:
        if words & set(keys):
            length *= length_factor
            pitch += shift
    return Sound("piper", round(max(0.6, min(1.6, length)), 3), SAMPLE_RATE, round(max(-8.0, min(8.0, pitch)), 2))


def split_style_cue(text: str) -> tuple[str, str]:
    """("(warm elderly man, slow pace) Hello.") -> ("warm elderly man, slow pace", "Hello.")."""
    match = STYLE_CUE.match(text)
    if match and text[match.end() :].strip():
        return match.group(1), text[match.end() :]
    return "", text


def _speak(params: BaseModel, model: JobModel) -> Spoken:
    assert isinstance(params, GenerateRequest)
    cue, text = split_style_cue(params.text)
    scale = params.inference_timesteps / STEPS_DEFAULT
    if params.voice_ref is not None:
        voice = SpokenVoice(
            Sound("piper", CLONE_LENGTH, SAMPLE_RATE),
            "voice_ref",
            reference_upload=params.voice_ref,
            language=params.language or "",
        )
        return Spoken(((0, text),), (voice,), scale, CLONE_PACE)
    design = design_sound(" ".join(filter(None, (params.voice_description, cue))))
    return Spoken(((0, text),), (SpokenVoice(design, language=params.language or ""),), scale, DESIGN_PACE)


def _invalid(payload: Mapping[str, Any], problems: list[str]) -> str | None:
    """The page's own words for the two refusals it writes; other problems as the validation says them."""
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        return MSG_TEXT_EMPTY
    upload = payload.get("voice_ref")
    if isinstance(upload, Upload) and len(upload.content) > REF_MAX_BYTES:
        return MSG_REF_TOO_LARGE
    return None


SERVICE = JobsService(
    name="pixelapi",
    title="PixelAPI",
    hosts={"api": "https://api.pixelapi.dev"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="PIXELAPI_API_KEY",  # the name every client example reads the key from
    docs=(DOC,),
    error_model=PixelApiError,
    error_body={"detail": "{message}"},
    lifecycle=LIFECYCLE,
    words=Words(queued="queued", processing="processing", completed="completed", failed="failed", error="failed"),
    submit=Submit(
        models=(
            JobModel(
                endpoint=GENERATE,
                sound=Sound("piper", DESIGN_LENGTH, SAMPLE_RATE),
                pace=DESIGN_PACE,
                speaker=_speak,
                values={"credits_used": lambda payload: float(credits_for(payload))},
                model_id="tts",
            ),
        ),
        id_pointer="/id",
        answer={"id": "{id}", "status": "{state}", "credits_used": "{credits_used}"},
        status=200,
    ),
    status=Status(
        endpoint=STATUS,
        id_param="id",
        body={
            "id": "{id}",
            "status": "{state}",
            "output_url": "{media_url}",
            "credits_used": "{credits_used}",
            "created_at": "{created_at}",  # whole seconds (see harness.sandbox.stamps)
            "completed_at": "{completed_at}",
            "error": Only("error", "{error}", omit=True),
        },
        created_pointer="/created_at",
        completed_pointer="/completed_at",
    ),
    media=Media(url_pointer="/output_url", path="/outputs/{job_id}.{ext}"),
    refusals=JobRefusals(
        missing_key=JobRefusal(401, "Missing API key"),
        bad_key=JobRefusal(401, "Invalid API key"),
        insufficient=JobRefusal(402, MSG_INSUFFICIENT_CREDITS),
        rate_limited=JobRefusal(429, "Rate limit exceeded"),
        busy=JobRefusal(503, MSG_SERVER_BUSY),
        unknown_job=JobRefusal(404, "Generation {job_id} not found"),
        not_found=JobRefusal(404, "Not Found"),
        too_large=JobRefusal(400, MSG_REF_TOO_LARGE),  # the only upload is the reference; its documented message
        invalid=_invalid,
    ),
    reference_rules=ReferenceRules(
        min_seconds=REF_MIN_SECONDS,
        min_rate=REF_MIN_RATE,
        unreadable="Reference audio must be a WAV or MP3 recording",
        too_slow="Reference audio must be sampled at 16 kHz or higher (got {rate} Hz)",
        too_short="Reference audio must be at least 5 seconds long (got {seconds} s)",
    ),
    plans=(
        AccountPlan("free", PLAN_LIMITS["free"], balance=FREE_CREDITS * USD_PER_CREDIT),
        AccountPlan("paid", PLAN_LIMITS["paid"]),
    ),
    default_plan="paid",
    offerings=OFFERINGS,
    doc_drift=DOC_DRIFT,
    retry=RETRY,
)

PROVIDER = build_provider(SERVICE)
