"""The Pixazo gateway as its documents describe it (shared/api-docs 000, 001 and 004).

Four models share one job API: a submit endpoint per model answers 202 with
`{request_id, status: "QUEUED", polling_url}`; the universal status endpoint
`GET /v2/requests/status/{request_id}` (and the optional webhook callback, which has the same shape)
reports `QUEUED → PROCESSING → COMPLETED | FAILED | ERROR` with the result in `output.media_url[]`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, Field, model_validator

from harness.core.lifecycle import Lifecycle
from harness.core.params import SoftLimit
from harness.core.spec import (
    Auth,
    BodyKind,
    Cost,
    DocDrift,
    Endpoint,
    Header,
    JobBinding,
    JsonBody,
    Offering,
    Provider,
    RequestModel,
    Response,
    ResponseModel,
    Role,
    SynthesisInput,
    ValueVariant,
)

DOC_XTTS = "000_a4e0b78a387f0935.txt"
DOC_CHATTERBOX = "001_8137b823d7a74374.txt"
DOC_VIBEVOICE = "004_a761c895f44683bd.txt"

STATUSES = ("QUEUED", "PROCESSING", "COMPLETED", "FAILED", "ERROR")
JobStatus = Literal["QUEUED", "PROCESSING", "COMPLETED", "FAILED", "ERROR"]

XttsLanguage = Literal[
    "en", "es", "fr", "de", "it", "pt", "pl", "tr", "ru", "nl", "cs", "ar", "zh", "hu", "ko", "hi"
]
WebhookEvent = Literal["*", "completed"]
VIBEVOICE_PRESETS = Literal[
    "Alice [EN]",
    "Carter [EN]",
    "Frank [EN]",
    "Mary [EN] (Background Music)",
    "Maya [EN]",
    "Anchen [ZH] (Background Music)",
    "Bowen [ZH]",
    "Xinran [ZH]",
]
SPEAKER_LINE = re.compile(r"^Speaker (\d+):")


# --- requests -------------------------------------------------------------------------------------


class XttsRequest(RequestModel):
    speaker: str = Field(min_length=1, description="URL to speaker audio file (wav, mp3, m4a, ogg, or flv)")
    # A recommendation, not a limit: a longer text is sent, with a warning.
    text: Annotated[str, SoftLimit("Text to synthesize (max 500 characters recommended)", DOC_XTTS,
                                   max_length=500)] = Field(
        "Hi there, I'm your new voice clone. Try your best to upload quality audio",
        min_length=1,
        description="Text to synthesize",
    )
    language: XttsLanguage = "en"
    cleanup_voice: bool = False
    webhook: str | None = None
    webhook_events_filter: list[WebhookEvent] = Field(default_factory=lambda: list[WebhookEvent](["*"]))


# The documents' words for each bounded parameter: a refusal cites them.
_words = {
    "exaggeration": "Controls the degree of expressive emphasis in the generated speech. ... Range: 0.0 to 1.0.",
    "temperature": "Controls randomness in voice generation. ... Range: 0.1 to 1.0.",
    "cfg": "Classifier-Free Guidance strength. ... Range: 0.0 to 2.0.",
}


class ChatterboxRequest(RequestModel):
    text: str = Field(min_length=1)
    audio_url: str | None = None
    exaggeration: float | None = Field(None, ge=0.0, le=1.0, description=_words["exaggeration"])
    temperature: float | None = Field(None, ge=0.1, le=1.0, description=_words["temperature"])
    cfg: float | None = Field(None, ge=0.0, le=2.0, description=_words["cfg"])


class VibeVoiceSpeaker(RequestModel):
    preset: VIBEVOICE_PRESETS = "Alice [EN]"
    audio_url: str | None = None


def _check_script(script: str, speaker_count: int) -> str:
    for number, line in enumerate(script.splitlines(), start=1):
        match = SPEAKER_LINE.match(line.strip())
        if line.strip() and match and speaker_count and int(match.group(1)) >= speaker_count:
            raise ValueError(
                f"script line {number} names Speaker {match.group(1)} but only {speaker_count} speakers are given"
            )
    return script


class VibeVoiceRequest(RequestModel):
    script: str = Field(min_length=1)
    # The cap is a sentence inside the example's script, not a documented limit: more are sent, flagged.
    speakers: Annotated[list[VibeVoiceSpeaker], SoftLimit(
        "it supports up to four speakers at once (a line of the example script)", DOC_VIBEVOICE, max_length=4,
    )] = Field(default_factory=list)
    seed: int | None = None
    cfg_scale: Annotated[float, SoftLimit("CFG (Classifier-Free Guidance) scale ... Range typically 1.0–2.0.",
                                          DOC_VIBEVOICE, low=1.0, high=2.0)] = 1.3

    @model_validator(mode="after")
    def _speakers_match_script(self) -> VibeVoiceRequest:
        _check_script(self.script, len(self.speakers))
        return self


class RealtimeSpeaker(RequestModel):
    preset: str = Field(min_length=1)  # "Frank [EN]", "Carter [EN]", and other Microsoft voices


class VibeVoiceRealtimeRequest(RequestModel):
    script: str = Field(min_length=1)
    speakers: list[RealtimeSpeaker] = Field(min_length=1)
    cfg_scale: float = 1.3

    @model_validator(mode="after")
    def _every_line_names_a_speaker(self) -> VibeVoiceRealtimeRequest:
        for number, line in enumerate(self.script.splitlines(), start=1):
            if line.strip() and not SPEAKER_LINE.match(line.strip()):
                raise ValueError(f'script line {number} must begin with "Speaker X:"')
        _check_script(self.script, len(self.speakers))
        return self


# --- responses ------------------------------------------------------------------------------------


class SubmitAccepted(ResponseModel):
    request_id: str
    status: JobStatus
    polling_url: str


class Output(ResponseModel):
    media_url: list[str] = Field(min_length=1)
    media_type: str


class JobStatusBody(ResponseModel):
    """The status endpoint's answer, and the webhook callback's payload (same shape)."""

    request_id: str
    status: JobStatus
    model_id: str | None = None
    error: str | None = None
    output: Output | None = None
    created_at: str | None = None
    updated_at: str | None = None
    completed_at: str | None = None


class PixazoError(ResponseModel):
    error: str
    message: str


class WebhookAck(ResponseModel):
    """Whatever the user's webhook answers; only its 2xx status matters."""


# --- shared declarations --------------------------------------------------------------------------

LIFECYCLE = Lifecycle(
    states=STATUSES,
    initial=frozenset({"QUEUED"}),
    transitions={
        "QUEUED": frozenset({"PROCESSING"}),
        "PROCESSING": frozenset({"COMPLETED", "FAILED", "ERROR"}),
    },
    success=frozenset({"COMPLETED"}),
    failure=frozenset({"FAILED", "ERROR"}),
    id_field="request_id",
    output_field="output",
    error_field="error",  # "error | string|null | Error message if failed"; "FAILED — check error field"
    uncharged=frozenset({"ERROR"}),  # "ERROR — System error — not charged"
)

TIMESTAMPS = ("/created_at", "/updated_at", "/completed_at")
MEDIA_TYPE_VARIANT = ValueVariant(
    pointer="/output/media_type",
    primary=("audio/wav",),
    alternates=("application/octet-stream",),
    note="the documents show audio/wav in callbacks and Chatterbox's field table, "
    "application/octet-stream in the XTTS and VibeVoice status examples",
)

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


def _flat(usd: str) -> Any:
    def price(_: Mapping[str, Any]) -> Cost:
        return Cost(Decimal(usd))

    return price


def _submit(
    key: str, path: str, model_id: str, request: type[BaseModel], doc: str, example: dict[str, Any], *,
    price: str | None, extra_errors: tuple[Response, ...] = (), summary: str,
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
        price=_flat(price) if price else None,
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
    price="0.015",
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
    price="0.01",  # the only figure given: the 402 example's "Required: $0.01"
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

def _script(text: str) -> str:
    """A plain text becomes a one-speaker script; a script already in "Speaker N:" form is kept."""
    return text if SPEAKER_LINE.match(text.strip()) else f"Speaker 0: {text}"


def _speaker_count(script: str) -> int:
    numbers = [int(m.group(1)) for line in script.splitlines() if (m := SPEAKER_LINE.match(line.strip()))]
    return max(numbers, default=0) + 1


_EN_PRESETS = ("Alice [EN]", "Carter [EN]", "Frank [EN]", "Maya [EN]")


def _build_xtts(given: SynthesisInput) -> dict[str, Any]:
    return {"speaker": given.reference_url, "text": given.text, "language": given.language}


def _build_chatterbox(given: SynthesisInput) -> dict[str, Any]:
    body: dict[str, Any] = {"text": given.text}
    if given.reference_url:
        body["audio_url"] = given.reference_url
    return body


def _build_vibevoice(given: SynthesisInput) -> dict[str, Any]:
    script = _script(given.text)
    return {"script": script, "speakers": [{"preset": p} for p in _EN_PRESETS[: _speaker_count(script)]]}


def _build_realtime(given: SynthesisInput) -> dict[str, Any]:
    script = _script(given.text)
    presets = ("Frank [EN]", "Carter [EN]", "Alice [EN]", "Maya [EN]")
    return {"script": script, "speakers": [{"preset": p} for p in presets[: _speaker_count(script)]]}


OFFERINGS = (
    Offering("xtts-v2", XTTS.key, _build_xtts, clones=True,  # 500 characters are only recommended
             languages=get_args(XttsLanguage), description="XTTS v2 voice cloning from a speaker URL"),
    Offering("chatterbox", CHATTERBOX.key, _build_chatterbox, description="Chatterbox TTS"),
    Offering("vibevoice", VIBEVOICE.key, _build_vibevoice, multi_speaker=True, languages=("en", "zh"),
             description="VibeVoice multi-speaker"),
    Offering("vibevoice-realtime-0.5b", VIBEVOICE_REALTIME.key, _build_realtime, multi_speaker=True,
             description="VibeVoice-Realtime-0.5B"),
)

PROVIDER = Provider(
    name="pixazo",
    title="Pixazo gateway",
    hosts={"gateway": "https://gateway.pixazo.ai"},
    auth=Auth("Ocp-Apim-Subscription-Key"),
    key_env="PIXAZO_API_KEY",
    endpoints=(XTTS, CHATTERBOX, VIBEVOICE, VIBEVOICE_REALTIME, STATUS, WEBHOOK),
    offerings=OFFERINGS,
    error_model=PixazoError,
    docs=(DOC_XTTS, DOC_CHATTERBOX, DOC_VIBEVOICE),
    doc_drift=(
        DocDrift("timestamps", "created_at is ISO 8601 ('2026-05-22T13:17:32.110Z') while updated_at and "
                 "completed_at are 'YYYY-MM-DD HH:MM:SS' in the same callback example", (DOC_XTTS, DOC_CHATTERBOX)),
        DocDrift("media_type", MEDIA_TYPE_VARIANT.note, (DOC_XTTS, DOC_CHATTERBOX, DOC_VIBEVOICE)),
        DocDrift("status codes", "the VibeVoice documents give two status tables: one lists 404 and not 402, "
                 "the other 402 and not 404; both are accepted", (DOC_VIBEVOICE,)),
        DocDrift("xtts text default", "the text default is given as \"Hi\" and as \"Hi there, I'm your new "
                 "voice clone. Try your best to upload quality audio\"", (DOC_XTTS,)),
        DocDrift("webhooks", "XTTS documents both an X-Webhook-URL header and a `webhook` body parameter; "
                 "VibeVoice documents X-Webhook-URL without X-Webhook-Mode", (DOC_XTTS, DOC_VIBEVOICE)),
        DocDrift("prices", "XTTS is $0.015 per request; Chatterbox's only figure is its 402 example "
                 "(\"Required: $0.01\"); VibeVoice documents no price", (DOC_XTTS, DOC_CHATTERBOX, DOC_VIBEVOICE)),
    ),
)
