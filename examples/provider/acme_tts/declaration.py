"""Acme Speech as its reference page describes it, in the jobs family's terms (`harness.core.protocols.jobs`):
one submit endpoint, one status endpoint polled until the job is done, the audio at `audio_url`. The family's
emulation imitates it from this declaration alone; routing, keys, validation and job timelines are the
sandbox engine's."""

from __future__ import annotations

from typing import Any

from harness.core.protocols.jobs import (
    JobModel,
    JobsService,
    Media,
    Pace,
    Sound,
    Spoken,
    SpokenVoice,
    Status,
    Submit,
    Words,
    build_provider,
)
from harness.core.spec import Auth, BodyKind, Endpoint, JsonBody, Offering, Response, SynthesisInput
from pydantic import BaseModel

from acme_tts.models import DOC, LIFECYCLE, AcmeError, JobAccepted, JobStatus, SpeakRequest


def _error(status: int, description: str) -> Response:
    return Response(status=status, bodies=(JsonBody(AcmeError),), description=description)


SPEAK = Endpoint(
    key="speak",
    method="POST",
    path="/v1/speak",
    summary="Queue speech from text",
    host="api",
    request=SpeakRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(status=202, bodies=(JsonBody(JobAccepted),), description="Queued"),
        _error(400, "Invalid request"),
        _error(401, "Missing or invalid key"),
    ),
    example={"text": "Hello from Acme.", "voice": "ada"},
    doc=DOC,
)

STATUS = Endpoint(
    key="speak.status",
    method="GET",
    path="/v1/speak/{id}",
    summary="A job's state; audio_url once done",
    host="api",
    responses=(
        Response(status=200, bodies=(JsonBody(JobStatus),), description="The job"),
        _error(401, "Missing or invalid key"),
        _error(404, "Unknown job id"),
    ),
    doc=DOC,
)


# --- what the benchmark drives: Acme's one model, in the voice the benchmark compares ---------------


def _build(given: SynthesisInput) -> dict[str, Any]:
    return {"text": given.text, "voice": "ada"}


OFFERINGS = (
    Offering(name="acme", endpoint=SPEAK.key, build=_build, max_chars=1000, description="Acme Speech, voice ada"),
)


# --- how the sandbox voices it (not the page's: what makes the two voices sound apart) and how long a
# job takes (the realistic profile's medians) ---------------------------------------------------------

VOICES = {"ada": Sound("piper", 1.0, 22_050, pitch=3.0), "bob": Sound("piper", 1.1, 22_050, pitch=-2.0)}


def _speak(params: BaseModel, model: JobModel) -> Spoken:
    assert isinstance(params, SpeakRequest)
    return Spoken(((0, params.text),), (SpokenVoice(VOICES[params.voice]),))


SERVICE = JobsService(
    name="acme",
    title="Acme Speech",
    hosts={"api": "https://api.acme.example"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="ACME_API_KEY",
    docs=(DOC,),
    error_model=AcmeError,
    error_body={"message": "{message}"},
    lifecycle=LIFECYCLE,
    words=Words(queued="queued", processing="running", completed="done", failed="failed", error="failed"),
    submit=Submit(
        models=(
            JobModel(
                endpoint=SPEAK,
                sound=VOICES["ada"],
                pace=Pace(queue_s=0.5, processing_s=1.0, per_char_s=0.01),
                speaker=_speak,
            ),
        ),
        id_pointer="/id",
        answer={"id": "{id}", "status": "{state}"},
        status=202,
    ),
    status=Status(
        endpoint=STATUS,
        id_param="id",
        body={"id": "{id}", "status": "{state}", "audio_url": "{media_url}", "error": "{error}"},
        error_pointer="/error",
    ),
    media=Media(url_pointer="/audio_url"),
    offerings=OFFERINGS,
)

PROVIDER = build_provider(SERVICE)
