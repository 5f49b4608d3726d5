"""The Pixazo gateway as its documents describe it (shared/api-docs 000, 001 and 004): a provider of the
asynchronous jobs family (`harness.core.protocols.jobs`).

Four models share one job API: a submit endpoint per model answers 202 with
`{request_id, status: "QUEUED", polling_url}`; the universal status endpoint
`GET /v2/requests/status/{request_id}` (and the optional webhook callback, which has the same shape)
reports `QUEUED → PROCESSING → COMPLETED | FAILED | ERROR` with the result in `output.media_url[]`.
Statuses the documents imply without listing are `inferred`.

Bodies follow the documents, contradictions included: status answers carry ISO 8601 or zone-less
timestamps and `media_type` "application/octet-stream" (XTTS and VibeVoice examples) or "audio/wav"
(Chatterbox); webhook callbacks carry "audio/wav" and `updated_at`/`completed_at` as "YYYY-MM-DD HH:MM:SS",
as the callback example shows (`DOC_DRIFT` names both). The wire models and the lifecycle are in `models`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, get_args

from pydantic import BaseModel

from harness.core.protocols.jobs import (
    JobModel,
    JobRefusal,
    JobRefusals,
    JobRefused,
    JobsService,
    Media,
    Only,
    Pace,
    Sound,
    Spoken,
    SpokenVoice,
    Stamps,
    Status,
    Submit,
    Webhooks,
    Words,
    build_provider,
)
from harness.core.spec import (
    Auth,
    BodyKind,
    Cost,
    DocDrift,
    Endpoint,
    Header,
    JsonBody,
    Offering,
    PriceFunction,
    Response,
    Role,
    SynthesisInput,
)
from harness.providers.pixazo.models import (
    DOC_CHATTERBOX,
    DOC_VIBEVOICE,
    DOC_XTTS,
    DOCS,
    LIFECYCLE,
    MEDIA_TYPE_VARIANT,
    SPEAKER_LINE,
    TIMESTAMPS,
    ChatterboxRequest,
    JobStatusBody,
    PixazoError,
    SubmitAccepted,
    VibeVoiceRealtimeRequest,
    VibeVoiceRequest,
    WebhookAck,
    XttsLanguage,
    XttsRequest,
)

# --- prices: "$0.015 per request" (XTTS); Chatterbox's only figure is its 402 example; VibeVoice none ---

PRICE_XTTS = Decimal("0.015")
PRICE_CHATTERBOX = Decimal("0.01")  # the only figure given: the 402 example's "Required: $0.01"


def flat(usd: Decimal) -> PriceFunction:
    """The same price whatever the request says."""

    def price(_: Mapping[str, Any]) -> Cost:
        return Cost(usd)

    return price


# --- where the documents contradict each other; the spec accepts both readings and says so ---

DOC_DRIFT = (
    DocDrift(
        "timestamps",
        "created_at is ISO 8601 ('2026-05-22T13:17:32.110Z') while updated_at and "
        "completed_at are 'YYYY-MM-DD HH:MM:SS' in the same callback example",
        (DOC_XTTS, DOC_CHATTERBOX),
    ),
    DocDrift("media_type", MEDIA_TYPE_VARIANT.note, (DOC_XTTS, DOC_CHATTERBOX, DOC_VIBEVOICE)),
    DocDrift(
        "status codes",
        "the VibeVoice documents give two status tables: one lists 404 and not 402, "
        "the other 402 and not 404; both are accepted",
        (DOC_VIBEVOICE,),
    ),
    DocDrift(
        "xtts text default",
        'the text default is given as "Hi" and as "Hi there, I\'m your new '
        'voice clone. Try your best to upload quality audio"',
        (DOC_XTTS,),
    ),
    DocDrift(
        "webhooks",
        "XTTS documents both an X-Webhook-URL header and a `webhook` body parameter; "
        "VibeVoice documents X-Webhook-URL without X-Webhook-Mode",
        (DOC_XTTS, DOC_VIBEVOICE),
    ),
    DocDrift(
        "prices",
        "XTTS is $0.015 per request; Chatterbox's only figure is its 402 example "
        '("Required: $0.01"); VibeVoice documents no price',
        (DOC_XTTS, DOC_CHATTERBOX, DOC_VIBEVOICE),
    ),
)

# --- the endpoints: a submit per model, the universal status endpoint, the callback -------------------

WEBHOOK_HEADERS = (
    Header("X-Webhook-URL", "HTTPS endpoint that receives the POST callback"),
    Header(
        "X-Webhook-Mode",
        "terminal: once at the final status; sync: every poll cycle plus terminal",
        choices=("terminal", "sync"),
    ),
    Header("Cache-Control", "no-cache"),
)


def _error(status: int, description: str, inferred: bool = False) -> Response:
    return Response(status=status, bodies=(JsonBody(PixazoError),), description=description, inferred=inferred)


SUBMIT_ERRORS = (
    _error(400, "Bad Request (e.g. Model not found)"),
    _error(401, "Unauthorized"),
    _error(402, "Insufficient Balance"),
    _error(403, "Forbidden"),
    _error(429, "Too Many Requests"),
    _error(500, "Internal Server Error"),
)
ACCEPTED = Response(status=202, bodies=(JsonBody(SubmitAccepted),), description="Accepted — Request queued")


def _submit(
    key: str,
    path: str,
    model_id: str,
    request: type[BaseModel],
    doc: str,
    example: dict[str, Any],
    *,
    price: PriceFunction | None,
    extra_errors: tuple[Response, ...] = (),
    summary: str,
) -> Endpoint:
    return Endpoint(
        key=key,
        method="POST",
        path=path,
        summary=summary,
        host="gateway",
        request=request,
        body_kind=BodyKind.JSON,
        request_headers=WEBHOOK_HEADERS,
        responses=(ACCEPTED, *SUBMIT_ERRORS, *extra_errors),
        price=price,
        model_id=model_id,
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
    responses=(
        Response(status=200, bodies=(JsonBody(JobStatusBody),), description="The job's current status"),
        _error(401, "Unauthorized (the gateway's common status codes)", inferred=True),
        _error(404, "Unknown request_id", inferred=True),
    ),
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
    responses=(
        Response(status=200, bodies=(JsonBody(WebhookAck),), description="Respond 200 OK within a few seconds"),
    ),
    lifecycle=LIFECYCLE,
    doc=DOC_XTTS,
    timestamp_fields=TIMESTAMPS,
    variants=(MEDIA_TYPE_VARIANT,),
)


# --- what the benchmark drives: a plain text becomes a one-speaker script for VibeVoice ----------------


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
    Offering(
        name="xtts-v2",
        endpoint=XTTS.key,
        build=_build_xtts,
        clones=True,  # 500 characters are only recommended
        languages=get_args(XttsLanguage),
        description="XTTS v2 voice cloning from a speaker URL",
    ),
    Offering(name="chatterbox", endpoint=CHATTERBOX.key, build=_build_chatterbox, description="Chatterbox TTS"),
    Offering(
        name="vibevoice",
        endpoint=VIBEVOICE.key,
        build=_build_vibevoice,
        multi_speaker=True,
        languages=("en", "zh"),
        description="VibeVoice multi-speaker",
    ),
    Offering(
        name="vibevoice-realtime-0.5b",
        endpoint=VIBEVOICE_REALTIME.key,
        build=_build_realtime,
        multi_speaker=True,
        description="VibeVoice-Realtime-0.5B",
    ),
)


# --- how the sandbox voices each model (not the documents': they name no rate; 24 kHz is what XTTS v2,
# Chatterbox and VibeVoice really produce). XTTS v2 clones the `speaker` URL; Chatterbox is a little faster
# and a semitone higher, `exaggeration` moving pitch (+-2 semitones around 0.5) and `cfg` pace (lower is
# slower, as Chatterbox's own guide says), `audio_url` cloned; VibeVoice a little slower, one pitch per
# preset, "Speaker N:" lines spoken one by one, `speakers[].audio_url` cloned; VibeVoice-Realtime-0.5B the
# degraded voice, the deliberately worse model. Paces: the examples take 15-16 s from created_at to
# completed_at (the realistic profile). ---------------------------------------------------------------

SAMPLE_RATE = 24_000
# VibeVoice presets as pitch shifts (semitones) of the Piper voice; unknown presets by speaker index.
PRESET_PITCH = {
    "Alice [EN]": 3.0,
    "Carter [EN]": -2.0,
    "Frank [EN]": -4.0,
    "Mary [EN] (Background Music)": 4.5,
    "Maya [EN]": 2.0,
    "Anchen [ZH] (Background Music)": 5.0,
    "Bowen [ZH]": -1.0,
    "Xinran [ZH]": 6.0,
}
INDEX_PITCH = (0.0, -3.0, 3.5, -5.0)
# VibeVoice-Realtime presets as small pitch shifts of the degraded voice: shifting its telephone band down
# further costs far more intelligibility than the voice's own degradation (measured with tiny.en on 12
# corpus items: pooled WER 11% at 0, 19% at -1.5, 62% at -4 semitones).
PRESET_REALTIME_PITCH = {"Frank [EN]": 0.0, "Carter [EN]": -1.0, "Alice [EN]": 2.0, "Maya [EN]": 1.0}
INDEX_REALTIME_PITCH = (0.0, -1.0, 2.0, 1.0)


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
            line = line[match.end() :].strip()
        if line:
            lines.append((speaker, line))
    if not lines:
        raise JobRefused(400, "script contains no text to speak")
    return tuple(lines)


def _clamp(value: float, low: float, high: float) -> float:
    return round(max(low, min(high, value)), 3)


def _chatterbox(params: BaseModel, model: JobModel) -> Spoken:
    assert isinstance(params, ChatterboxRequest)
    base = model.sound
    exaggeration = 0.5 if params.exaggeration is None else params.exaggeration
    cfg = 0.5 if params.cfg is None else params.cfg
    sound = Sound(
        base.engine,
        _clamp(base.length + (0.5 - cfg) * 0.2, 0.6, 1.2),
        base.rate,
        _clamp(base.pitch + (exaggeration - 0.5) * 4.0, -12.0, 12.0),
    )
    voice = SpokenVoice(sound, "audio_url" if params.audio_url else "", params.audio_url or None)
    return Spoken(((0, params.text),), (voice,))


def _vibevoice(params: BaseModel, model: JobModel) -> Spoken:
    assert isinstance(params, VibeVoiceRequest)
    lines = script_lines(params.script)
    count = max(len(params.speakers), max(s for s, _ in lines) + 1)
    voices = []
    for index in range(count):
        given = params.speakers[index] if index < len(params.speakers) else None
        pitch = PRESET_PITCH[given.preset] if given else INDEX_PITCH[index % len(INDEX_PITCH)]
        sound = Sound(model.sound.engine, model.sound.length, model.sound.rate, pitch)
        if given is not None and given.audio_url:
            voices.append(SpokenVoice(sound, f"speakers[{index}].audio_url", given.audio_url))
        else:
            voices.append(SpokenVoice(sound))
    return Spoken(lines, tuple(voices))


def _realtime(params: BaseModel, model: JobModel) -> Spoken:
    assert isinstance(params, VibeVoiceRealtimeRequest)
    lines = script_lines(params.script)
    voices = tuple(
        SpokenVoice(
            Sound(
                model.sound.engine,
                model.sound.length,
                model.sound.rate,
                PRESET_REALTIME_PITCH.get(s.preset, INDEX_REALTIME_PITCH[i % len(INDEX_REALTIME_PITCH)]),
            )
        )
        for i, s in enumerate(params.speakers)
    )
    return Spoken(lines, voices)


OCTET = "application/octet-stream"  # what the XTTS and VibeVoice status examples name
MODELS = (
    JobModel(
        endpoint=XTTS,
        sound=Sound("piper", 1.0, SAMPLE_RATE),
        pace=Pace(2.0, 4.0, 0.03),
        reference="speaker",
        language="language",
        media_type=OCTET,
    ),
    JobModel(
        endpoint=CHATTERBOX,
        sound=Sound("piper", 0.92, SAMPLE_RATE, 1.0),
        pace=Pace(2.0, 5.0, 0.04),
        speaker=_chatterbox,
        media_type="audio/wav",
        # only Chatterbox's 402 example names the amount
        insufficient=JobRefusal(
            402, "Your wallet does not have enough balance. Required: ${amount}", "Insufficient Balance"
        ),
    ),
    JobModel(
        endpoint=VIBEVOICE,
        sound=Sound("piper", 1.06, SAMPLE_RATE),
        pace=Pace(3.0, 8.0, 0.06),
        speaker=_vibevoice,
        media_type=OCTET,
    ),
    JobModel(
        endpoint=VIBEVOICE_REALTIME,
        sound=Sound("piper-degraded", 1.0, SAMPLE_RATE),
        pace=Pace(0.5, 1.0, 0.01),
        speaker=_realtime,
        media_type=OCTET,
    ),
)

# The status body, and the callback's ("same shape"; its example names audio/wav and zone-less stamps).
STATUS_BODY: Mapping[str, Any] = {
    "request_id": "{id}",
    "status": "{state}",
    "model_id": "{model_id}",
    "error": "{error}",
    "output": Only("media_url", {"media_url": ["{media_url}"], "media_type": "{media_type}"}),
    "created_at": "{created_at}",
    "updated_at": "{updated_at}",
    "completed_at": "{completed_at}",
}
CALLBACK_BODY = {**STATUS_BODY, "output": Only("media_url", {"media_url": ["{media_url}"], "media_type": "audio/wav"})}

APIM_MISSING = (
    "Access denied due to missing subscription key. "
    "Make sure to include subscription key when making requests to an API."
)
APIM_INVALID = (
    "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."
)

SERVICE = JobsService(
    name="pixazo",
    title="Pixazo gateway",
    hosts={"gateway": "https://gateway.pixazo.ai"},
    auth=Auth(header="Ocp-Apim-Subscription-Key"),
    key_env="PIXAZO_API_KEY",
    docs=DOCS,
    error_model=PixazoError,
    error_body={"error": "{title}", "message": "{message}"},
    lifecycle=LIFECYCLE,
    words=Words(queued="QUEUED", processing="PROCESSING", completed="COMPLETED", failed="FAILED", error="ERROR"),
    submit=Submit(
        models=MODELS,
        id_pointer="/request_id",
        answer={"request_id": "{id}", "status": "{state}", "polling_url": "{polling_url}"},
        status=202,
        polling_url_pointer="/polling_url",
        id_template="{model_id}_{token}",
    ),
    status=Status(
        endpoint=STATUS,
        id_param="request_id",
        body=STATUS_BODY,
        error_pointer="/error",
        created_pointer="/created_at",
        completed_pointer="/completed_at",
    ),
    media=Media(
        url_pointer="/output/media_url/0", type_pointer="/output/media_type", path="/v1/{job_id}/output.{ext}"
    ),  # the documents' R2 CDN layout
    webhooks=Webhooks(
        endpoint=WEBHOOK,
        payload=CALLBACK_BODY,
        url_header="X-Webhook-URL",
        mode_header="X-Webhook-Mode",
        # XTTS's body parameter: ["completed"] is terminal-only; ["*"] (the default) is every event.
        url_field="webhook",
        events_field="webhook_events_filter",
        terminal_events=("completed",),
    ),
    # created_at to the millisecond, the rest at whole seconds in the form the job's stamps take; the callback
    # example prints the zone-less form, which its "same shape" note allows in status bodies.
    stamps=Stamps(fine=("created_at",), forms=("iso", "space"), callback_form="space"),
    refusals=JobRefusals(
        missing_key=JobRefusal(401, APIM_MISSING),
        bad_key=JobRefusal(401, APIM_INVALID),
        insufficient=JobRefusal(402, "Your wallet does not have enough balance.", "Insufficient Balance"),
        model_disabled=JobRefusal(400, "Model '{model_id}' not found or is disabled", "Model not found"),
        unknown_job=JobRefusal(404, "Request '{job_id}' not found"),
        collapse_spaces=True,
    ),
    offerings=OFFERINGS,
    doc_drift=DOC_DRIFT,
)

PROVIDER = build_provider(SERVICE)
