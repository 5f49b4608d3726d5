"""One job's accumulating record, and its conversion to the rows `harness.results.schema` documents.

The executor appends to a `JobRecord` as answers arrive; nothing touches the database until the
record is written in one transaction, except the two commits a resume needs (`submitting` before the
submit, `submitted` with the job id and the first marks right after it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from harness.core.errors import ErrorClass
from harness.core.protocols.billing import Billed
from harness.core.verdict import Drift, Violation
from harness.measurement import Chunk, JobEvidence, ServerStamps
from harness.results import ChunkRow, ClipRow, CostRow, DriftRow, ErrorRow, JobCancel, MarkRow, PollRow
from harness.runner.plan.jobs import PlannedJob
from harness.runner.record.provenance import HARNESS_VERSION, git_revision, iso_now
from harness.runner.record.timing import CLOCK_EPOCH, JobMoments, PollRecord, now


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioFile:
    path: Path
    sha256: str
    size: int
    declared_media_type: str | None
    sniffed_media_type: str | None
    sample_rate: int | None


@dataclass(slots=True, kw_only=True)
class JobRecord:
    job: PlannedJob
    run_id: str
    marks: JobMoments
    attempt: int = 0
    resumed: bool = False
    charged_before: bool = False  # kept `unfetched` by an earlier pass: its cost row is already stored
    provider_job_id: str | None = None
    provider_request_id: str | None = None  # what the provider's logs and invoices know the request by
    status_url: str | None = None
    delivery: str | None = None
    asked_media_type: str | None = None  # headerless samples the request asked for (their stream holds no header)
    final_status: str | None = None
    outcome: str | None = None
    error_class: str | None = None
    error_message: str | None = None
    http_version: str | None = None
    connection_reused: bool | None = None
    connect_ms: float | None = None
    stamps: ServerStamps = field(default_factory=ServerStamps)  # the server's, as the provider wrote them
    offset_learned: bool = False  # this job's submit bracket has taught the schedule the server's clock
    chunks: list[Chunk] = field(default_factory=list)  # a stream's audio as it arrived (monotonic seconds)
    text_rate: float | None = None  # a realtime socket's text feed, tokens a second
    timing_marks: str | None = None  # the provider's word times as read (`harness.runner.record.marks_evidence`), JSON
    said_transcript: str | None = None  # a speech-to-speech socket's transcript of what it spoke (its events joined)
    audio: AudioFile | None = None
    polls: list[PollRecord] = field(default_factory=list)
    errors: list[ErrorRow] = field(default_factory=list)
    drift: list[DriftRow] = field(default_factory=list)
    costs: list[CostRow] = field(default_factory=list)
    status_bodies: list[Mapping[str, Any]] = field(default_factory=list)
    drift_seen: set[tuple[str, str, str]] = field(default_factory=set)
    start_offset_ms: float | None = None  # the job's start, ms after the run's start
    in_flight_at_start: int | None = None  # its provider's jobs in flight as it started, itself included
    billed: Billed | None = None  # what the answer said was billed (`harness.runner.deliver.billing`), for its cost row
    cancel: JobCancel | None = None  # a cancelled socket job's cancel_* columns
    # (`harness.runner.deliver.socket_cancel`)

    # --- context ------------------------------------------------------------------------------------

    def _context(self) -> dict[str, Any]:
        """The columns every error, drift and cost row of the job shares (passed by keyword)."""
        return {
            "run_id": self.run_id,
            "job_key": self.job.job_key,
            "harness_version": HARNESS_VERSION,
            "git_revision": git_revision(),
            "provider": self.job.provider.name,
            "model": self.job.model,
            "corpus": self.job.corpus.name,
            "item_id": self.job.item.id,
        }

    def _now_ms(self) -> float:
        return (now() - self.marks.start) * 1000.0

    # --- events ---------------------------------------------------------------------------------------

    def error(
        self,
        phase: str,
        error_class: ErrorClass | str,
        message: str,
        *,
        status: int | None = None,
        fatal: bool = False,
        violations: Sequence[Violation] = (),
    ) -> None:
        detail = json.dumps([v.as_dict() for v in violations]) if violations else None
        self.errors.append(
            ErrorRow(
                **self._context(),
                attempt=self.attempt,
                phase=phase,
                error_class=str(error_class),
                http_status=status,
                fatal=int(fatal),
                message=message,  # the store redacts, then cuts
                detail_json=detail,
                t_ms=self._now_ms(),
                recorded_at=iso_now(),
            )
        )
        if fatal:
            self.outcome, self.error_class, self.error_message = "error", str(error_class), message

    def keep_unfetched(
        self, phase: str, error_class: ErrorClass | str, message: str, *, status: int | None = None
    ) -> None:
        """The provider accepted the job (and charges it) but its result could not be fetched in the job's
        time: the outcome is `unfetched`, not an error class. The row keeps the job id and status URL that
        `--resume` needs to poll it again for a fresh media link."""
        self.error(phase, error_class, message, status=status)
        self.outcome, self.error_class = "unfetched", None
        self.error_message = f"{message} (kept: `bench run --resume` fetches it)"

    def add_drift(self, endpoint: str, phase: str, drift: Sequence[Drift]) -> None:
        """Drift once per job and place: the same unknown field on every poll is one finding."""
        for item in drift:
            seen = (endpoint, item.pointer, item.note)
            if seen in self.drift_seen:
                continue
            self.drift_seen.add(seen)
            self.drift.append(
                DriftRow(
                    **self._context(),
                    endpoint=endpoint,
                    phase=phase,
                    pointer=item.pointer,
                    note=item.note,
                    kind=item.kind,
                    recorded_at=iso_now(),
                )
            )

    def cost(self, *, charged: bool, basis: str, attempt: int | None = None) -> Decimal:
        """A cost row for an attempt: zero when not charged; else the billed cost where the answer said what was
        billed in every unit the price's rates need (`billed`, at the plan's rates), the planned price otherwise.
        Returns USD."""
        price = self.job.price
        amount = price.amount if charged else Decimal(0)
        usd = planned_usd = price.usd if charged else Decimal(0)
        if charged and price.amount is None:
            basis = "no-documented-price"
        said, self.billed = (self.billed if charged else None), None  # an answer's bill is its own attempt's
        bill = price.billed(said.units) if said is not None else None
        billed_usd = None if bill is None else bill.usd
        source = "none" if usd is None else "planned"
        if bill is not None and billed_usd is not None:
            amount, usd, source = bill.amount, billed_usd, "billed"
        self.costs.append(
            CostRow(
                **self._context(),
                attempt=self.attempt if attempt is None else attempt,
                params_sha256=self.job.params_sha256,
                amount=None if amount is None else float(amount),
                unit=str(price.unit),
                usd=None if usd is None else float(usd),
                charged=int(charged),
                basis=basis,
                worst_case_usd=None if price.worst_usd is None else float(price.worst_usd),
                planned_usd=None if planned_usd is None else float(planned_usd),
                price_how=price.how or None,
                price_plan=price.plan or None,
                price_source=price.source or None,
                price_read=price.read or None,
                price_stale=int(price.stale),
                price_weak=price.weak or None,
                price_audio_json=price.audio_json() if charged else None,
                billed_units_json=None if said is None else said.as_json(),
                billed_usd=None if billed_usd is None else float(billed_usd),
                cost_source=source,
                recorded_at=iso_now(),
            )
        )
        return usd or Decimal(0)

    # --- rows -------------------------------------------------------------------------------------------

    def _whose(self) -> dict[str, Any]:
        """The columns naming the job on each of its marks, polls and chunks (passed by keyword)."""
        return {
            "run_id": self.run_id,
            "job_key": self.job.job_key,
            "provider": self.job.provider.name,
            "model": self.job.model,
            "item_id": self.job.item.id,
        }

    def mark_rows(self) -> list[MarkRow]:
        return [MarkRow(**self._whose(), name=name, t_ms=t_ms, wall_at=wall) for name, t_ms, wall in self.marks.rows()]

    def poll_rows(self) -> list[PollRow]:
        start = self.marks.start
        return [
            PollRow(
                **self._whose(),
                seq=p.seq,
                planned_delay_ms=p.planned_delay * 1000.0,
                reason=p.reason,
                sent_ms=(p.sent - start) * 1000.0,
                received_ms=None if p.received is None else (p.received - start) * 1000.0,
                http_status=p.http_status,
                provider_status=p.provider_status,
                error_class=p.error_class,
                connection_reused=None if p.connection_reused is None else int(p.connection_reused),
                seen=None if p.seen is None else p.seen.value,
                created_at=p.stamps[0],
                started_at=p.stamps[1],
                completed_at=p.stamps[2],
            )
            for p in self.polls
        ]

    def chunk_rows(self) -> list[ChunkRow]:
        start = self.marks.start
        return [
            ChunkRow(
                **self._whose(),
                seq=seq,
                earliest_ms=(chunk.earliest - start) * 1000.0,
                latest_ms=(chunk.latest - start) * 1000.0,
                bytes=chunk.size,
                audio_ms=None if chunk.audio_s is None else chunk.audio_s * 1000.0,
                onset_ms=None if chunk.onset_s is None else chunk.onset_s * 1000.0,
                header=chunk.header,
            )
            for seq, chunk in enumerate(self.chunks)
        ]

    def evidence(self, *, start_observable: bool, declared_convention: str | None) -> JobEvidence:
        """What this job has observed so far, on the run's clock (`harness.measurement.evidence`): the rows
        it writes say the same, so the schedule's provisional view and the run's figures read one thing."""
        return JobEvidence(
            job_key=self.job.job_key,
            provider=self.job.provider.name,
            start=self.marks.start,
            epoch=CLOCK_EPOCH,
            marks=dict(self.marks.values),
            polls=tuple(p.answer for p in self.polls),
            stamps=self.stamps,
            resumed=self.resumed,
            start_observable=start_observable,
            declared_convention=declared_convention,
            chunks=tuple(self.chunks),
        )

    def clip_row(self) -> ClipRow | None:
        if self.audio is None or self.outcome != "ok":
            return None
        item = self.job.item
        return ClipRow(
            clip_id=self.job.job_key,
            run_id=self.run_id,
            provider=self.job.provider.name,
            model=self.job.model,
            corpus=self.job.corpus.name,
            item_id=item.id,
            language=item.language,
            text=item.text,
            alternatives_json=json.dumps(list(item.alternatives)) if item.alternatives else None,
            reference_audio_path=str(self.job.reference_path) if self.job.reference_path else None,
            audio_path=str(self.audio.path),
            audio_sha256=self.audio.sha256,
            declared_media_type=self.audio.declared_media_type,
            declared_sample_rate=self.audio.sample_rate,
        )

    def total_usd(self) -> float | None:
        values = [cost.usd for cost in self.costs]
        if any(v is None for v in values):
            return None
        return float(sum(v for v in values if v is not None))

    def cost_source(self) -> str:
        """What `total_usd` sums: billed | planned | mixed (some attempts of each) | none."""
        sources = {cost.cost_source or "planned" for cost in self.costs if cost.charged}
        return "none" if not sources else sources.pop() if len(sources) == 1 else "mixed"
