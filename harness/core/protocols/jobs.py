"""The asynchronous jobs family: submit → status → media (→ a webhook). It names no provider.

Many hosted speech APIs queue the work: a submit answers with a job id, a status endpoint is polled with it
until the job is terminal, and a success status body points at the media (a URL, sometimes a media type);
the same body may be POSTed to a callback URL the submit names. The family owns, once, what those APIs share:

    submit     the endpoints that queue a job (request model, price, the model they run), where the answer
               carries the id, and the answer as a template
    status     the status endpoint, the slot that takes the id, the status body as a template per job
    media      where the media URL and type are, and the path the media is served under
    webhooks   where the callback URL is given (a header, a body field), its modes, the payload template
    lifecycle  the states, transitions and terminal states (`harness.core.lifecycle.Lifecycle`), and the
               provider's word for each generic phase (`Words`)
    refusals   the provider's words for each refusal (`JobRefusal`), the error body as a template

A provider of the family is a `JobsService` — what its documents say — and `build_provider` makes the
`Provider` (endpoints with their `JobBinding` and lifecycle, offerings) the contract plans, the benchmark and
the report read; the sandbox's `jobs` emulation imitates any `JobsService` from the declaration alone
(`Provider.family`).

Templates: a string that is exactly `{slot}` becomes the slot's value itself (a number stays a number, None
stays None); inside other strings each `{slot}` is replaced by the value's text (`harness.core.protocols.
http_speech.fill`). `Only(slot, template)` is the template where the slot has a value, else None (or the key
is left out: `omit=True`). Slots of a job body: `{id}`, `{state}`, `{model_id}`, `{error}`, `{media_url}`,
`{media_type}`, `{created_at}`, `{updated_at}`, `{started_at}`, `{completed_at}`, `{polling_url}`, and each
name of `JobModel.values` (values of the request, e.g. the credits it uses).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from harness.core.answer_errors import BodyErrors
from harness.core.lifecycle import Lifecycle
from harness.core.protocols.http_speech import fill
from harness.core.retry import DEFAULT_RETRY, RetryPolicy
from harness.core.spec import (
    Auth,
    DocDrift,
    Endpoint,
    JobBinding,
    JsonBody,
    Offering,
    Provider,
    Role,
    Upload,
)

PROTOCOL = "jobs"

#: The slots every job body may name (beside a model's `values`).
JOB_SLOTS = (
    "id",
    "state",
    "model_id",
    "error",
    "media_url",
    "media_type",
    "created_at",
    "updated_at",
    "started_at",
    "completed_at",
    "polling_url",
)


@dataclass(frozen=True, slots=True)
class Only:
    """A part of a body present only when `slot` has a value: else None, or left out (`omit`)."""

    slot: str
    template: Any
    omit: bool = False


def render(template: Any, values: Mapping[str, Any]) -> Any:
    """A body template filled with a job's values (module docstring); `Only` parts kept or dropped."""
    if isinstance(template, Only):
        return render(template.template, values) if values.get(template.slot) is not None else None
    if isinstance(template, str):
        return fill(template, values)  # the families' one rule for a slot in a string
    if isinstance(template, Mapping):
        return {
            key: render(item, values)
            for key, item in template.items()
            if not (isinstance(item, Only) and item.omit and values.get(item.slot) is None)
        }
    if isinstance(template, list):
        return [render(item, values) for item in template]
    return template


# --- how the sandbox voices a model (not the documents': what makes the imitated models sound apart) -----


@dataclass(frozen=True, slots=True)
class Sound:
    """How the sandbox's embedded voice speaks a model: its engine (`piper`, or `piper-degraded`, the
    deliberately worse voice), pace (length scale), output rate and pitch (semitones)."""

    engine: str = "piper"
    length: float = 1.0
    rate: int = 24_000
    pitch: float = 0.0


@dataclass(frozen=True, slots=True)
class Pace:
    """How long the sandbox takes over a job of a model: a queue wait, a fixed processing time and a time per
    character (the realistic profiles spread them)."""

    queue_s: float
    processing_s: float
    per_char_s: float


@dataclass(frozen=True, slots=True)
class SpokenVoice:
    """One speaker of a job: how it sounds, and the reference recording it clones where the request gives one
    (a URL the sandbox fetches, or an uploaded file's bytes), named by the request field it came from."""

    sound: Sound
    reference_field: str = ""
    reference_url: str | None = None
    reference_upload: Upload | None = None
    language: str = ""  # the language it speaks, as the request names it ("": the model's `language` field, or English)


@dataclass(frozen=True, slots=True)
class Spoken:
    """What a submit asks to be said: lines of (speaker index, text), a voice per speaker, and a factor on the
    processing time (a request field that trades speed for quality)."""

    lines: tuple[tuple[int, str], ...]
    voices: tuple[SpokenVoice, ...]
    pace_scale: float = 1.0
    pace: Pace | None = None  # the request's own pace (a mode of the model that takes longer); None: the model's


class JobRefused(Exception):
    """A submit the documents refuse beyond what the request model checks, in the provider's words."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(f"{status}: {message}")


Speaker = Callable[[BaseModel, "JobModel"], Spoken]
"""A model's own reading of its request into speech (a script of `Speaker N:` lines, a voice shaped by
documented parameters); raises `JobRefused`. Without one the text at `JobModel.text` is spoken in `sound`."""


@dataclass(frozen=True, slots=True)
class ReferenceRules:
    """What the documents require of an uploaded reference recording beyond its container (decoding needed),
    and the words a refusal says: `{rate}` and `{seconds}` are filled in."""

    min_seconds: float
    min_rate: int
    unreadable: str
    too_slow: str  # a sample rate under `min_rate`
    too_short: str  # shorter than `min_seconds`


@dataclass(frozen=True, slots=True, kw_only=True)
class JobModel:
    """One model a submit endpoint runs: the submit `Endpoint` (request model, price, the model id it names),
    how the sandbox voices and paces it, what its request says, and the values its bodies carry."""

    endpoint: Endpoint
    sound: Sound
    pace: Pace
    text: str = "text"  # the request field spoken (without a `speaker`)
    reference: str = ""  # the request field holding a reference voice's URL or upload
    language: str = ""  # the request field naming the language spoken ("": none; `auto`: the text's own)
    speaker: Speaker | None = None
    media_type: str = ""  # the media type its status body names ("": the audio's own)
    values: Mapping[str, Callable[[Mapping[str, Any]], Any]] = field(default_factory=dict)  # slot -> f(payload)
    insufficient: JobRefusal | None = None  # its own words for an empty wallet (`{amount}`)
    model_id: str = ""  # the id jobs report ("": the endpoint's model_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Submit:
    """The submit side: the models behind it, where the answer carries the id (and a polling URL), the answer
    as a template and its status, the job id as a template (`{model_id}`, `{token}`: a fresh UUIDv7), and
    where a 2xx submit answer carries an error, where the documents say (None: it never does)."""

    models: tuple[JobModel, ...]
    id_pointer: str
    answer: Mapping[str, Any]
    status: int = 202
    polling_url_pointer: str | None = None
    id_template: str = "{token}"
    errors: BodyErrors | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Status:
    """The status side: its endpoint, the path or query parameter that takes the id, and the body as a
    template (the same for every state: `{state}`, `{error}`, `{media_url}` say where it is)."""

    endpoint: Endpoint
    id_param: str
    body: Mapping[str, Any]
    error_pointer: str | None = None
    created_pointer: str | None = None
    started_pointer: str | None = None
    completed_pointer: str | None = None
    stamp_convention: str | None = None


@dataclass(frozen=True, slots=True)
class Media:
    """Where a success status body points at the media, what it names its type, and the path the media is
    served under on the results host (`{job_id}`, `{ext}`: the sandbox's, shaped as the documents' URLs)."""

    url_pointer: str
    type_pointer: str | None = None
    path: str = "/{job_id}/output.{ext}"
    endpoint: str | None = None  # an endpoint that also serves a finished job's audio by its id


@dataclass(frozen=True, slots=True)
class Stamps:
    """How the bodies print times: the slots printed to the millisecond (the rest at whole seconds), the forms
    whole seconds take in status bodies (`iso`, `space`; two: each job keeps one, drawn from its id) and in
    callbacks."""

    fine: tuple[str, ...] = ()
    forms: tuple[str, ...] = ("iso",)
    callback_form: str = "iso"


@dataclass(frozen=True, slots=True, kw_only=True)
class Webhooks:
    """Where a submit names its callback and how often it is called: a header (`url_header`, its mode in
    `mode_header`: `terminal` once at the terminal state, `sync` every poll cycle too), or a body field
    (`url_field`; the events filter in `events_field`, `terminal` when it is exactly `terminal_events`).
    `payload` is the callback's body template, `endpoint` the documented callback."""

    endpoint: Endpoint
    payload: Mapping[str, Any]
    url_header: str = ""
    mode_header: str = ""
    bad_mode: str = "{header} must be 'terminal' or 'sync'; got {mode!r}"
    url_field: str = ""
    events_field: str = ""
    terminal_events: tuple[str, ...] = ()
    https_only: bool = True


@dataclass(frozen=True, slots=True)
class Words:
    """The provider's word for each generic phase of a job (checked against the lifecycle)."""

    queued: str
    processing: str
    completed: str
    failed: str
    error: str  # a system error; the same word as `failed` where the provider has only one


@dataclass(frozen=True, slots=True)
class JobRefusal:
    """One refusal: its status, message and title (None: the status' phrase); `{...}` filled with the
    particulars (`{job_id}`, `{model_id}`, `{amount}`, `{retry_after}`, `{problems}`, `{path}`)."""

    status: int
    message: str
    title: str | None = None

    def says(self, **values: Any) -> str:
        text = self.message
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text


@dataclass(frozen=True, slots=True, kw_only=True)
class JobRefusals:
    """The provider's words for each refusal the family's imitation makes; None: the engine's default words."""

    missing_key: JobRefusal | None = None
    bad_key: JobRefusal | None = None
    insufficient: JobRefusal | None = None
    rate_limited: JobRefusal | None = None
    busy: JobRefusal | None = None
    unknown_job: JobRefusal | None = None
    model_disabled: JobRefusal | None = None
    not_found: JobRefusal | None = None
    too_large: JobRefusal | None = None
    collapse_spaces: bool = False  # a validation message's runs of white space become one space
    # The documents' own messages for some invalid requests: (payload, problems) -> the message, or None.
    invalid: Callable[[Mapping[str, Any], list[str]], str | None] | None = None


@dataclass(frozen=True, slots=True)
class AccountPlan:
    """A plan a key can be on: its documented request limit a minute, and the balance it starts with (USD)."""

    name: str
    requests_per_minute: int | None = None
    balance: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class JobsService:
    """A provider of the family, as its documents describe it; `build_provider` makes its `Provider`."""

    name: str
    title: str
    hosts: Mapping[str, str]
    auth: Auth
    key_env: str
    docs: tuple[str, ...]
    error_model: type[BaseModel]
    error_body: Mapping[str, Any] | None  # the error body template: `{title}`, `{message}`
    lifecycle: Lifecycle
    words: Words
    submit: Submit
    status: Status
    media: Media
    refusals: JobRefusals = JobRefusals()
    webhooks: Webhooks | None = None
    stamps: Stamps = Stamps()
    offerings: tuple[Offering, ...] = ()
    doc_drift: tuple[DocDrift, ...] = ()
    plans: tuple[AccountPlan, ...] = ()
    default_plan: str = ""  # "" : one plan, the engine's default
    reference_rules: ReferenceRules | None = None
    retry: RetryPolicy = DEFAULT_RETRY
    other_endpoints: tuple[Endpoint, ...] = ()
    prices_from: str | None = None  # the price sheet its offerings are priced by: None, its own name's; "" none

    def model(self, endpoint_key: str) -> JobModel | None:
        return next((m for m in self.submit.models if m.endpoint.key == endpoint_key), None)

    @property
    def binding(self) -> JobBinding:
        """Where a generic poller finds a job's pieces (`harness.core.spec.JobBinding`), from the parts."""
        return JobBinding(
            id_pointer=self.submit.id_pointer,
            status_endpoint=self.status.endpoint.key,
            status_param=self.status.id_param,
            media_pointer=self.media.url_pointer,
            media_type_pointer=self.media.type_pointer,
            error_pointer=self.status.error_pointer,
            polling_url_pointer=self.submit.polling_url_pointer,
            created_pointer=self.status.created_pointer,
            started_pointer=self.status.started_pointer,
            completed_pointer=self.status.completed_pointer,
            media_endpoint=self.media.endpoint,
            stamp_convention=self.status.stamp_convention,
        )


def _submit_endpoint(service: JobsService, endpoint: Endpoint) -> Endpoint:
    responses = endpoint.responses
    if service.submit.errors is not None:  # an error inside a 2xx submit answer, where the documents show one
        responses = tuple(
            replace(
                r,
                bodies=tuple(
                    replace(b, errors=service.submit.errors) if isinstance(b, JsonBody) else b for b in r.bodies
                ),
            )
            if r.status < 300
            else r
            for r in responses
        )
    return replace(endpoint, role=Role.SUBMIT, lifecycle=service.lifecycle, job=service.binding, responses=responses)


def build_provider(service: JobsService) -> Provider:
    """The `Provider` a `JobsService` describes: its submit endpoints bound to the status endpoint, then the
    status endpoint, the callback and the others, each job endpoint with the lifecycle."""
    endpoints = [_submit_endpoint(service, model.endpoint) for model in service.submit.models]
    endpoints.append(replace(service.status.endpoint, role=Role.STATUS, lifecycle=service.lifecycle))
    if service.webhooks is not None:
        endpoints.append(service.webhooks.endpoint)
    endpoints += list(service.other_endpoints)
    return Provider(
        name=service.name,
        title=service.title,
        hosts=dict(service.hosts),
        auth=service.auth,
        key_env=service.key_env,
        endpoints=tuple(endpoints),
        error_model=service.error_model,
        docs=service.docs,
        doc_drift=service.doc_drift,
        offerings=service.offerings,
        retry=service.retry,
        protocol=PROTOCOL,
        family=service,
        price_sheet=service.prices_from,
    )


def service_of(provider: Provider) -> JobsService:
    """The declaration a provider of this family was built from."""
    if not isinstance(provider.family, JobsService):
        raise TypeError(f"{provider.name} was not built from a JobsService")
    return provider.family
