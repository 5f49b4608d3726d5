"""Acme Speech's wire payloads and job lifecycle, as its reference page writes them."""

from __future__ import annotations

from typing import Literal

from harness.core.lifecycle import Lifecycle
from harness.core.spec import RequestModel, ResponseModel
from pydantic import Field

DOC = "acme-speech-reference.md"  # the document every declaration quotes

JobState = Literal["queued", "running", "done", "failed"]


class SpeakRequest(RequestModel):
    text: str = Field(min_length=1, max_length=1000, description="The text to speak (at most 1,000 characters)")
    voice: Literal["ada", "bob"] = "ada"


class JobAccepted(ResponseModel):
    id: str
    status: JobState


class JobStatus(ResponseModel):
    id: str
    status: JobState
    audio_url: str | None = None  # "set once the job is done"
    error: str | None = None  # "why a failed job failed"


class AcmeError(ResponseModel):
    message: str


LIFECYCLE = Lifecycle(
    states=("queued", "running", "done", "failed"),
    initial=frozenset({"queued"}),
    transitions={"queued": frozenset({"running"}), "running": frozenset({"done", "failed"})},
    success=frozenset({"done"}),
    failure=frozenset({"failed"}),
    id_field="id",
    output_field="audio_url",
    error_field="error",
)
