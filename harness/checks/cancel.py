"""Cancel: what a realtime socket does when the user interrupts (`bench run --cancel-after MS`), per offering —
from the cancel to the last audio of its utterance, the audio after the provider's acknowledgement, and the verdict
of the socket's documented promise — and every face's view of it (docs/checks.md#cancel, docs/cancel.md).

The rule that judges a cancelled session is `harness.core.protocols.cancel`, run once by the runner
(`harness.runner.deliver.socket_cancel`) against the socket's declared `Cancel` (its message, its acknowledgement,
what its documents promise of the speech already asked for); the contract suite's `cancel` check calls the same rule.
The runner stores what it found on the job's row (`jobs.cancel_*`, schema 14): this check reads those columns and
never judges again. An offering none of whose jobs was cancelled has no figures: "—", never 0.

Its faces predate the registry's generic columns, and say more than a declared field's pooling can (the median and
the worst, frames summed, the verdicts; a one-sided test against an absolute size), so the module gives each face's
view (`OwnViews`). Two rules of change, as before: `compare`'s metric `cancel` (NEW's cancel-to-silence later by a
one-sided Mann–Whitney U, past 100 ms), and `history`'s gate (rule `cancel`): the newest run's cancels broke what
the documents promise where the run before that cancelled the offering had none — a violation is the rule's verdict
on what came, not noise, so one run is enough. The series of the median cancel-to-silence is drawn, and judged by
the change-point method, as any figure of `history`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.checks.views import ColumnView, OwnFigures, OwnViews, SectionView, ShiftView, Shown
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField, Pooling
from harness.core.protocols.cancel import BROKEN, IN_FLIGHT_S, QUIET_S, SILENT, CancelVerdict
from harness.core.protocols.cancel import RULE as CANCEL_RULE
from harness.results import RequestRow

LATER_MS = 100.0  # compare: NEW's median cancel-to-silence later than BASE's by more than this is a regression
VERDICTS = tuple(verdict.value for verdict in CancelVerdict)  # kept, violation, finding, unmeasured

DECLARATION = CheckDeclaration(
    name="cancel",
    title="Cancel",
    version="1",
    doc="docs/checks.md#cancel",
    fields=(
        CheckField(
            name="cancelled",
            label="cancelled",
            unit="cancels",
            better=Better.NEITHER,
            pooling=Pooling.SUM,
            meaning="The jobs cancelled (a cancel sent, `--cancel-after MS` after the first audio).",
        ),
        CheckField(
            name="measured",
            label="measured",
            unit="cancels",
            better=Better.NEITHER,
            pooling=Pooling.SUM,
            meaning="Of them, the ones whose cancel met speech still to come.",
        ),
        CheckField(
            name="to_silence_ms",
            label="cancel → silence",
            unit="ms",
            better=Better.LOWER,
            pooling=Pooling.MEDIAN,
            key="cancel_to_silence_ms",
            meaning="From the cancel leaving the client to the last audio frame of its utterance (0 when none "
            "came after it); — where the cancel met no speech.",
        ),
        CheckField(
            name="to_silence_max_ms",
            label="cancel → silence, worst",
            unit="ms",
            better=Better.LOWER,
            pooling=Pooling.MAX,
            key="cancel_to_silence_max_ms",
            meaning="The longest time from a cancel to the last audio of its utterance.",
        ),
        CheckField(
            name="after_ack_frames",
            label="frames after ack",
            unit="frames",
            better=Better.LOWER,
            pooling=Pooling.SUM,
            key="cancel_after_ack_frames",
            meaning="Audio frames of the cancelled utterances after the declared acknowledgement (none "
            "declared: after the cancel).",
        ),
        CheckField(
            name="after_ack_s",
            label="s after ack",
            unit="s",
            better=Better.LOWER,
            pooling=Pooling.SUM,
            decimals=2,
            meaning="Their seconds of audio; — where some could not be decoded.",
        ),
        CheckField(
            name="violations",
            label="cancels that broke what the documents promise",
            unit="cancels",
            better=Better.LOWER,
            pooling=Pooling.SUM,
            meaning="The cancels whose verdict is a violation of the socket's documented promise.",
        ),
    ),
    reads=(
        "jobs.cancel_after_ms",
        "jobs.cancel_to_silence_ms",
        "jobs.cancel_after_ack_frames",
        "jobs.cancel_after_ack_s",
        "jobs.cancel_verdict",
        "jobs.cancel_detail",
    ),
    findings=(BROKEN, SILENT),
    thresholds={"cancel_ms": LATER_MS, "in_flight_s": IN_FLIGHT_S, "quiet_s": QUIET_S},
    change=ChangeRule(
        field="violations",
        test=ChangeTest.NEWLY,
        relative=0.0,
        name=CANCEL_RULE,
        heading="The newest run's cancels broke what the documents promise",
    ),
    answers_only=False,
)


def measure(request: RequestRow) -> ClipCheck:
    """A cancelled job's figures as the rule stored them, its verdict a finding where it is one; nothing for a job
    not cancelled."""
    if request.cancel_after_ms is None:
        return ClipCheck({})
    silence = request.cancel_to_silence_ms
    met = silence is not None
    seconds = request.cancel_after_ack_s
    values: dict[str, float | None] = {
        "cancelled": 1.0,
        "measured": float(met),
        "to_silence_ms": silence,
        "to_silence_max_ms": silence,
        "after_ack_frames": None
        if not met or request.cancel_after_ack_frames is None
        else float(request.cancel_after_ack_frames),
        "after_ack_s": None if not met or seconds is None else float(str(seconds)),
        "violations": float(request.cancel_verdict == BROKEN.kind),
    }
    verdict = request.cancel_verdict
    found = ((verdict, str(request.cancel_detail or "")),) if verdict in (BROKEN.kind, SILENT.kind) else ()
    return ClipCheck(values, found)


def _offering(provider: str, model: str, rows: Sequence[RequestRow]) -> OwnFigures:
    """One offering's cancelled jobs: cancel-to-silence (median and worst, over the jobs measured), the audio frames
    and seconds after the acknowledgement (summed; seconds None where some could not be decoded), the verdicts."""
    clips = [measure(row).values for row in rows]
    measured = [clip for clip in clips if clip["measured"]]
    silence = [ms for clip in measured if (ms := clip["to_silence_ms"]) is not None]
    frames = [round(count) for clip in measured if (count := clip["after_ack_frames"]) is not None]
    seconds = [clip["after_ack_s"] for clip in measured]
    decoded = [s for s in seconds if s is not None]
    return OwnFigures(
        provider,
        model,
        {
            "cancelled": len(rows),
            "measured": len(measured),
            "cancel_to_silence_ms": median(silence) if silence else None,
            "cancel_to_silence_max_ms": max(silence) if silence else None,
            "cancel_after_ack_frames": sum(frames) if frames else None,
            "after_ack_s": None if not seconds or len(decoded) < len(seconds) else sum(decoded),
            "verdicts": {v: n for v in VERDICTS if (n := sum(1 for row in rows if row.cancel_verdict == v))},
        },
    )


def figures(requests: Sequence[RequestRow]) -> tuple[OwnFigures, ...]:
    """Per offering with a cancelled job, in the order of the rows; none for a run without `--cancel-after`."""
    by_model: dict[tuple[str, str], list[RequestRow]] = {}
    for row in requests:
        if row.cancel_after_ms is not None:
            by_model.setdefault((row.provider, row.model), []).append(row)
    return tuple(_offering(provider, model, rows) for (provider, model), rows in by_model.items())


def _ms(value: float | None) -> Shown:
    return Shown("—" if value is None else f"{value:,.0f}", None if value is None else round(value, 3))


def _row(figure: OwnFigures) -> tuple[str | Shown, ...]:
    said = figure.values
    frames, seconds = said["cancel_after_ack_frames"], said["after_ack_s"]
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in said["verdicts"].items())
    return (
        f"{figure.provider}/{figure.model}",
        Shown(f"{said['measured']}/{said['cancelled']}", said["measured"]),
        _ms(said["cancel_to_silence_ms"]),
        _ms(said["cancel_to_silence_max_ms"]),
        Shown("—" if frames is None else str(frames), frames),
        Shown("—" if seconds is None else f"{seconds:.2f}", None if seconds is None else round(seconds, 4)),
        verdicts or "—",
    )


def section(found: Sequence[OwnFigures]) -> SectionView | None:
    """The summary's cancels: one sentence for the run and a table of the offerings cancelled, in every format;
    nothing for a run without `--cancel-after`."""
    if not found:
        return None
    broken = sum(f.values["verdicts"].get(BROKEN.kind, 0) for f in found)
    noted = sum(f.values["verdicts"].get(SILENT.kind, 0) for f in found)
    sentence = (
        f"Cancels: {sum(f.values['cancelled'] for f in found)} utterances cancelled on "
        f"{len(found)} offering{'s' if len(found) != 1 else ''}; {broken} broke what the documents "
        f"promise, {noted} sent audio after it where they are silent."
    )
    values = {
        "offerings": [
            {
                "provider": f.provider,
                "model": f.model,
                "cancelled": f.values["cancelled"],
                "measured": f.values["measured"],
                "cancel_to_silence_p50_ms": f.values["cancel_to_silence_ms"],
                "cancel_to_silence_max_ms": f.values["cancel_to_silence_max_ms"],
                "after_ack_frames": f.values["cancel_after_ack_frames"],
                "after_ack_s": f.values["after_ack_s"],
                "verdicts": dict(f.values["verdicts"]),
            }
            for f in found
        ]
    }
    return SectionView(
        key="cancel",
        lines=(sentence,),
        values=values,
        table="cancels",
        title="Cancels: from the cancel to the last audio of its utterance, and the audio after the provider's "
        "acknowledgement (no acknowledgement declared: after the cancel; docs/cancel.md)",
        headings=(
            ("model", True),
            ("measured", False),
            ("to silence p50 ms", False),
            ("to silence max ms", False),
            ("frames after ack", False),
            ("s after ack", False),
            ("verdicts", True),
        ),
        rows=tuple(_row(f) for f in found),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelWorse:
    """An offering whose newest run's cancels have violations its run before's had not."""

    provider: str
    model: str
    violations: int
    cancelled: int
    frames_after_ack: int | None
    run_id: str
    before: str | None  # the run compared with (None: no run before it cancelled this offering)

    def describe(self) -> str:
        since = f"where run {self.before} had none" if self.before else "(no run before it cancelled it)"
        frames = "" if self.frames_after_ack is None else f"; {self.frames_after_ack} audio frames after the ack"
        return (
            f"{self.provider}/{self.model}: {self.violations} of {self.cancelled} cancels broke what the documents "
            f"promise in run {self.run_id} {since}{frames}"
        )


def worse(newest: str, figure: OwnFigures, before: tuple[str, OwnFigures] | None) -> CancelWorse | None:
    """The offering, where its cancels newly broke the documents' promise in the newest run (`DECLARATION.change`:
    newly, where the run before that cancelled it had none)."""
    rule = DECLARATION.change
    assert rule is not None
    broken = figure.values["verdicts"].get(BROKEN.kind, 0)
    if not rule.worse(before[1].values["verdicts"].get(BROKEN.kind, 0) if before else None, broken):
        return None
    return CancelWorse(
        provider=figure.provider,
        model=figure.model,
        violations=broken,
        cancelled=figure.values["cancelled"],
        frames_after_ack=figure.values["cancel_after_ack_frames"],
        run_id=newest,
        before=before[0] if before else None,
    )


def _note(values: Mapping[str, Any]) -> str:
    frames = values.get("cancel_after_ack_frames")
    return "" if frames is None else f"{frames} frames after ack"


VIEWS = OwnViews(
    figures=figures,
    section=section,
    figure_keys=("cancel_to_silence_ms", "cancel_after_ack_frames"),
    columns=(
        ColumnView(
            key="cancel",
            heading="cancel → silence",
            figure="cancel_to_silence_ms",
            after="rtf",  # with the streamed figures
            note=_note,
            present=lambda values: values.get("cancel_to_silence_ms") is not None,  # 0 is a figure
            default=False,
            streaming=True,
            meaning="Median time from a cancel sent mid-utterance (`--cancel-after MS` after the first audio) to the "
            "last audio of that utterance; under it, the audio frames that came after the provider's "
            "acknowledgement (docs/cancel.md). – where nothing was cancelled.",
            # `--cancel-after` runs: 0 is a figure, so the series is drawn linear
            series="cancel_to_silence",
            series_label="Cancel to silence p50",
        ),
    ),
    shift=ShiftView(
        metric="cancel",
        statistic="cancel to silence p50 (ms)",
        threshold="cancel_ms",
        unit="ms",
        value=lambda request: request.cancel_to_silence_ms,
        measured="cancels measured",
        method="one-sided Mann-Whitney U on cancel_to_silence_ms of the jobs whose cancel met speech (both runs with "
        "--cancel-after)",
    ),
    worse=worse,
    rule=(
        "An offering's cancels are worse when the newest run's cancels broke what the documents promise (a "
        "violation of harness.core.protocols.cancel) and the run before it that cancelled the offering's had none "
        "(harness.checks.cancel)."
    ),
)

CHECK = DeclaredCheck(DECLARATION, measure, VIEWS)
