"""What a finished job writes on its `jobs` row (the runner's one update of it, `harness.runner.deliver.executor`): a
frozen,
keyword-only record whose fields are the columns it sets, so the runner builds it by keyword and the type checker
sees each one. The cancel's columns (a cancelled socket job, `--cancel-after`) and the kept audio's are set only where
the job has them: a job without them leaves those columns as they are."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from harness.results.changes import RowChange


@dataclass(frozen=True, slots=True, kw_only=True)
class JobCancel:
    """The `cancel_*` columns of a cancelled socket job (`harness.core.protocols.cancel`)."""

    cancel_after_ms: float
    cancel_to_silence_ms: float | None
    cancel_after_ack_frames: int | None
    cancel_after_ack_s: float | None
    cancel_verdict: str
    cancel_detail: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class KeptAudio:
    """The columns naming the audio a job kept."""

    audio_path: str
    audio_sha256: str
    audio_bytes: int
    declared_media_type: str | None
    sniffed_media_type: str | None
    asked_media_type: str | None = None  # headerless samples, where the request asked for them


@dataclass(frozen=True, slots=True, kw_only=True)
class JobOutcome(RowChange):
    """A finished job's columns: how it ended, what its answers said, its clock's origin and its cost (its figures
    are derived after the run, from the evidence: `harness.measurement`)."""

    table: ClassVar[str] = "jobs"
    state: str
    attempts: int
    provider_job_id: str | None
    provider_request_id: str | None
    status_url: str | None
    delivery: str | None
    final_status: str | None
    outcome: str | None
    error_class: str | None
    error_message: str | None
    finished_at: str
    resumed: int
    start_offset_ms: float | None
    in_flight_at_submit: int | None
    http_version: str | None
    connection_reused: int | None
    connect_ms: float | None
    polls: int
    poll_errors: int
    server_created_at: str | None
    server_started_at: str | None
    server_completed_at: str | None
    clock_origin_s: float
    start_observable: int
    declared_convention: str | None
    text_rate: float | None
    timing_marks: str | None
    said_transcript: str | None = None
    cost_usd: float | None
    cost_source: str
    cancel: JobCancel | None = None
    audio: KeptAudio | None = None

    def columns(self) -> dict[str, Any]:
        """The `jobs` columns it sets, by name (the cancel's and the audio's where the job has them)."""
        found = {name: value for name, value in asdict(self).items() if name not in ("cancel", "audio")}
        for part in (self.cancel, self.audio):
            if part is not None:
                found |= asdict(part)
        return found
