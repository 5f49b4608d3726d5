"""Client health: whether the harness's own client (its event loops, the embedded sandbox's renders, the CPU) kept up
while it measured, so that a run's latency is the providers' and not its own stall (docs/checks.md#client-health).

The rule and its words stay in the core (`harness.core.client_health`: `SaturationRule`, the windows, `Saturation`'s
line) and the measuring in the runner (`harness.runner.deliver.client_health`), which stores the run's windows and
share (`runs.client_saturated`, `runs.client_health_json`) and each job's share of saturated time
(`jobs.client_saturated`); `harness.results.client_health` reads them back by the rule stored with the run. This
check declares it and gives every face its views: unlike a check of an answer it judges the run's measuring, so its
word is a note on the whole run (`RunNote`: the line naming a saturated run, the jobs it disowns), not a figure of
an offering to compare between runs — it has no change rule: a saturated client is the harness's to fix, and a
run's latency verdicts already leave its marked jobs out.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.checks.views import OwnFigures, OwnViews, ReportNote, RunNote, RunNoteView, SectionView, Worse
from harness.core.checks import Better, CheckDeclaration, CheckField, FindingKind, Pooling
from harness.core.client_health import RULE
from harness.results import RequestRow, RunRows, is_marked, saturation

# A job marked: it ran mostly while the client was saturated, so its latency and its failure are not the provider's.
MARKED = FindingKind(
    "client-saturated",
    "the client kept up while it timed the job: its event loops ran their timers on time and the embedded "
    "sandbox's renders had their turn (harness.core.client_health's rule)",
    named=True,
)

DECLARATION = CheckDeclaration(
    name="client_health",
    title="Client health",
    version="1",
    doc="docs/checks.md#client-health",
    fields=(
        CheckField(
            name="jobs",
            label="jobs",
            unit="jobs",
            better=Better.NEITHER,
            pooling=Pooling.SUM,
            meaning="The offering's stored jobs the client's health was read over.",
        ),
        CheckField(
            name="marked",
            label="saturated",
            heading="saturated",
            unit="jobs",
            better=Better.LOWER,
            pooling=Pooling.SUM,
            key="saturated_jobs",
            meaning="Jobs that ran mostly (the rule's job_share of their time or more) while the client was "
            "saturated: their latency and their failures are not the provider's, and no latency verdict is drawn "
            "from them.",
        ),
    ),
    reads=(
        "jobs.client_saturated",
        "runs.client_saturated",
        "runs.client_lag_p50_ms",
        "runs.client_health_json",
    ),
    findings=(MARKED,),
    # the rule's own constants (harness.core.client_health.RULE); a run's own rule is stored with it and read back
    thresholds={
        "stalled": RULE.stalled,
        "render_wait_s": RULE.render_wait_s,
        "run_share": RULE.run_share,
        "job_share": RULE.job_share,
    },
    answers_only=False,
)


def measure(request: RequestRow) -> ClipCheck:
    """A job counted, and marked where the client was saturated for the rule's share of its time (by the rule's
    constants: a run's own stored rule is the note's, `note`)."""
    marked = is_marked(request)
    return ClipCheck(
        {"jobs": 1.0, "marked": 1.0 if marked else 0.0},
        ((MARKED.kind, f"saturated for {float(request.client_saturated or 0.0):.0%} of its time"),) if marked else (),
    )


def figures(requests: Sequence[RequestRow]) -> tuple[OwnFigures, ...]:
    """Each offering's jobs and those marked, in the rows' order."""
    counts: dict[tuple[str, str], list[int]] = {}
    for request in requests:
        found = counts.setdefault((str(request.provider), str(request.model)), [0, 0])
        found[0] += 1
        found[1] += is_marked(request)
    return tuple(
        OwnFigures(provider, model, {"jobs": jobs, "saturated_jobs": marked})
        for (provider, model), (jobs, marked) in counts.items()
    )


def note(rows: RunRows) -> RunNote:
    """What every face says of the run's client health, by the rule stored with the run: the line naming a saturated
    run, the jobs held back for the embedded sandbox's renders, the summary's section of both, the jobs marked."""
    health = saturation(rows)
    named, held = health.line(), health.held()
    said = tuple(line[0].upper() + line[1:] for line in (named, held) if line is not None)
    return RunNote(
        named=named,
        aside=held,
        section=SectionView(
            key="client_health",
            lines=said,
            values={"saturated_share": health.share, "lag_p50_ms": health.lag_p50_ms},
        )
        if said
        else None,
        disowns=functools.partial(is_marked, rule=health.rule),
    )


def _mark_title(request: RequestRow) -> str:
    """Why the report marks a job: the share of its time the client was saturated."""
    return (
        f"the client was saturated for {float(request.client_saturated or 0.0) * 100:.0f}% of this job's time: its "
        "latency (and a failure) are not the provider's"
    )


def _no_gate(newest: str, after: OwnFigures, before: tuple[str, OwnFigures] | None) -> Worse | None:
    """No change rule: a saturated client is the harness's to fix, not the offering's to answer for."""
    return None


VIEWS = OwnViews(
    figures=figures,
    worse=_no_gate,
    rule="",
    run_note=RunNoteView(
        note=note,
        heading="saturated",
        key="saturated_jobs",
        left_out="left out, the client saturated while they ran: {base} BASE and {new} NEW jobs",
        page_heading="Runs measured on a saturated client",
        page_id="saturated-runs",
        page_method="Their jobs that ran while the client was saturated are left out of every latency series: no "
        "latency change is called from them.",
        report=ReportNote(
            named_id="client-health",
            aside_id="client-held",
            mark="client saturated",
            mark_title=_mark_title,
        ),
    ),
)

CHECK = DeclaredCheck(DECLARATION, measure, VIEWS)
