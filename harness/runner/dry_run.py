"""`bench run --dry-run`: the run without sending anything. Every request it would send (the upload of
a reference voice, each submit, the poll plan, each download) as curl lines that run as printed, the
same budget and refusal checks, and its planned cost; nothing is sent, nothing is stored.

The plan is the real run's plan (same selection, corpora, references, limits); only the bases differ for
the sandbox, which is not started: its requests are shown as `tts-harness serve` would take them. The
checks are the run's own: `consent.live_refusal` (a live run without a budget or with prices a budget
cannot bound), `target.bench_target` (a key missing or unusable), and `Budget.admit` per job in plan
order, each assumed to cost its worst case (what the run reserves).

Keys appear as `$<PROVIDER>_API_KEY` (the variable the run reads), job ids as `$JOB_ID`, reference files by
absolute path: copy a line into a shell with the variable set and it sends what the run would.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from harness.core.curl import curl_line
from harness.core.errors import UsageError
from harness.core.spec import Provider, Role, Upload
from harness.core.target import Layout, TargetKind, layout, sandbox_key
from harness.runner.deliver.status_poll import status_call
from harness.runner.plan.budget import Budget
from harness.runner.plan.config import BenchConfig, PollingMode, TargetSettings
from harness.runner.plan.consent import live_refusal
from harness.runner.plan.jobs import Plan, PlannedJob, build_plan, select, with_normalisation
from harness.runner.plan.languages import in_language
from harness.runner.plan.pricing import Price, PriceBook
from harness.runner.plan.target import bench_target
from harness.runner.run import references

SANDBOX_ORIGIN = "http://127.0.0.1:8765"  # where `tts-harness serve` listens by default
JOB_ID = "JOB_ID"  # the shell variable a poll line reads the submit answer's job id from


@dataclass(frozen=True, slots=True)
class Step:
    """One request of a job, or what the run does instead of sending one."""

    kind: str  # upload | submit | poll | download | socket
    detail: str  # what a person reads
    curl: str | None = None  # the line that sends it, as printed


@dataclass(frozen=True, slots=True)
class JobSteps:
    title: str  # "pixazo/xtts-v2 en_read/001 repeat 0 (worst case $0.015)"
    steps: tuple[Step, ...]


@dataclass(slots=True)
class DryRun:
    plan: Plan
    jobs: list[JobSteps] = field(default_factory=list)
    not_started: list[str] = field(default_factory=list)  # jobs the budget stops, in the run's words
    refusal: str | None = None  # why the run would not start at all
    notes: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        """Requests with a curl line: uploads ride in their submit, polls and downloads are per answer."""
        return sum(1 for job in self.jobs for step in job.steps if step.kind == "submit")

    @property
    def sockets(self) -> int:
        """Realtime sessions: each one socket, opened and fed, with no curl line to show it."""
        return sum(1 for job in self.jobs for step in job.steps if step.kind == "socket")

    def prices(self) -> dict[str, Price]:
        """Each offering's price as the plan has it (one a label), to show with its source and read date."""
        return {job.selection.label: job.price for job in self.plan.jobs if not job.invalid}

    def summary(self) -> str:
        """What the run would send, counted: "4 submits", "2 submits and 3 socket sessions"."""
        counts = [f"{self.requests} submit{'s' if self.requests != 1 else ''}"]
        if self.sockets:
            counts.append(f"{self.sockets} socket session{'s' if self.sockets != 1 else ''}")
        return " and ".join(counts)


def _layout(settings: TargetSettings, providers: list[Provider]) -> Layout:
    """Where the real run would send (the sandbox as `tts-harness serve` would take it)."""
    return layout(settings.choice, providers, SANDBOX_ORIGIN if settings.kind is TargetKind.SANDBOX else None)


def _target_refusal(where: Layout, providers: list[Provider], env: Mapping[str, str]) -> str | None:
    """Why the run would refuse its target (a key missing or unusable at the providers' own servers)."""
    if not where.at_providers:
        return None
    try:
        bench_target(where, providers, env)
    except UsageError as error:
        return str(error)
    return None


def dry_run(config: BenchConfig, providers: Mapping[str, Provider], environ: Mapping[str, str] | None = None) -> DryRun:
    """The plan, the requests of each job that would be sent, and the run's refusals."""
    env = os.environ if environ is None else environ
    workload, cost = config.workload, config.cost
    spoken = in_language(
        workload, with_normalisation(select(providers, workload.providers, workload.models), workload.normalisation)
    )
    selections = spoken.selections
    chosen = list({s.provider.name: s.provider for s in selections}.values())
    where = _layout(config.target, chosen)
    prices = PriceBook.for_run(cost, providers, in_run=[provider.name for provider in chosen])
    plan = build_plan(
        "dry-run",
        selections,
        spoken.corpora,
        workload.repeats,
        prices,
        references(config.references, where.reference_url),
        config.run.sweep,
    )
    refusal = _target_refusal(where, chosen, env) or live_refusal(config, plan, where.kind)
    result = DryRun(plan, refusal=refusal, notes=[*prices.notes, *_price_notes(plan)])
    result.notes += spoken.notes
    result.notes += [f"provider {name} left out: {reason}" for name, reason in where.left_out.items()]
    if not where.at_providers:
        result.notes += [
            f"keys: export {p.key_env}={sandbox_key(p.name)} (the sandbox's test key; `tts-harness serve` lists them)"
            for p in chosen
            if not p.keyless
        ]
    budget = Budget(cost.budget)
    for job in plan.jobs:
        if job.invalid or not where.serves(job.provider.name):
            continue
        stopped = budget.admit(job)
        if stopped is not None:
            result.not_started.append(stopped)
            continue
        budget.settle(job.job_key, job.price.worst_usd or Decimal(0))  # the worst case: what the run reserves
        result.jobs.append(_job_steps(config, job, where.bases))
    return result


def _job_steps(config: BenchConfig, job: PlannedJob, bases: Mapping[tuple[str, str], str]) -> JobSteps:
    provider, endpoint = job.provider, job.selection.endpoint
    key = None if provider.keyless else f"${provider.key_env}"
    variables: tuple[str, ...] = (provider.key_env, JOB_ID)
    steps: list[Step] = []
    files: dict[str, Path] = {}
    for name, value in job.payload.items():
        if isinstance(value, Upload) and job.reference_path is not None:
            files[value.filename] = job.reference_path.absolute()  # as the user named it (a link stays a link)
            steps.append(
                Step(
                    "upload",
                    f"{name} = {files[value.filename]} ({len(value.content)} bytes, "
                    f"{value.content_type}), a part of the submit below",
                )
            )
    channel = job.selection.offering.channel
    if channel is not None:  # a realtime socket: no curl line can say it
        from harness.runner.deliver.socket_speech import describe

        socket = provider.channel(channel)
        steps.append(
            Step(
                "socket",
                describe(
                    socket, job.model, job.item.text, config.workload.text_rate, bases[(provider.name, socket.host)]
                ),
            )
        )
        return JobSteps(_title(job), tuple(steps))
    rpc_key = job.selection.offering.rpc
    if rpc_key is not None:  # a gRPC streaming call: no curl line can say it either
        from harness.core.protocols.grpc_speech import rpc_of

        rpc = rpc_of(provider, rpc_key)
        steps.append(
            Step(
                "socket",
                f"{rpc.signature} at {rpc.address} (the sandbox: its gRPC port): a config "
                f"message, then the text, the key in {rpc.key_metadata}",
            )
        )
        return JobSteps(_title(job), tuple(steps))
    from harness.core.transport import build_request

    # A keyless server (a providers file's `auth = "none"`, even `like` a signing provider) is sent no key and no
    # signature, as the run sends it (`transport.build_request` signs only with a key).
    signer = None if provider.keyless else provider.auth.signer
    options: tuple[str, ...] = ()
    if signer is not None:  # curl signs it itself, so the line runs as printed
        from harness.core.target import region_of

        options = signer.curl_options(region_of(provider), provider.key_env)
        variables = (*variables, *(word[1:].split(":")[0] for word in options if word.startswith("$")))
    submit = build_request(
        provider, endpoint, bases[(provider.name, endpoint.host)], job.payload, key=None if signer is not None else key
    )
    steps.append(
        Step(
            "submit",
            f"{endpoint.method} {endpoint.key}",
            curl_line(submit, variables=variables, files=files, options=options),
        )
    )
    steps += _after_submit(config, job, bases, key)
    return JobSteps(_title(job), tuple(steps))


def _title(job: PlannedJob) -> str:
    """A job's line: what it is and its worst case, its price marked as every face marks it (stale, weak)."""
    if job.price.worst_usd is not None:
        price = f"worst case ${job.price.worst_usd}"
    else:  # no USD figure before sending: none published, or the team's own in a unit the text cannot estimate
        price = "your price, not estimable before sending" if job.price.plan == "your price" else "no public price"
    marks = job.price.marks()
    return (
        f"{job.selection.label} {job.corpus.name}/{job.item.id} repeat {job.repeat} ({price}"
        + (f"; price {marks}" if marks else "")
        + ")"
    )


def _price_notes(plan: Plan) -> list[str]:
    """The plan's line for each offering's price where it has one (the team's rate, an estimate, a stale or weak
    source: `Price.plan_note`), once an offering: listed in full where asked, as the run's plan folds them to a line a
    kind (`pricing.plan_notes`)."""
    notes = {job.selection.label: job.price.plan_note(job.selection.label) for job in plan.jobs if not job.invalid}
    return [note for note in notes.values() if note]


def _after_submit(
    config: BenchConfig, job: PlannedJob, bases: Mapping[tuple[str, str], str], key: str | None
) -> Sequence[Step]:
    """The poll plan and the download: what the run sends once the submit is answered."""
    provider, endpoint = job.provider, job.selection.endpoint
    binding = endpoint.job
    if endpoint.role in (Role.AUDIO, Role.STREAM) or binding is None:
        return [Step("download", "none apart: the submit's answer is the audio, read as it arrives")]
    status = provider.endpoint(binding.status_endpoint)
    lifecycle = status.lifecycle or endpoint.lifecycle
    path_params, payload = status_call(status, binding, f"${JOB_ID}")
    from harness.core.transport import build_request

    poll = build_request(
        provider, status, bases[(provider.name, status.host)], payload, key=key, path_params=path_params, validate=False
    )
    polling, timeout = config.polling, config.run.job_timeout
    cadence = {
        PollingMode.FIXED: f"every {polling.interval:g} s",
        PollingMode.WEBHOOK: "on the callback to the receiver, with sparse polls as a safety net",
        PollingMode.ADAPTIVE: "on the adaptive schedule (denser near the expected completion)",
    }
    ends = ", ".join(sorted(lifecycle.terminal)) if lifecycle is not None else "a terminal state"
    where = f"JOB_ID from the submit answer's {binding.id_pointer}"
    if binding.polling_url_pointer:
        where += f" (or the status URL at {binding.polling_url_pointer})"
    return [
        Step(
            "poll",
            f"{status.method} {status.key} {cadence[polling.mode]} until {ends}, the whole job at most "
            f"{timeout:g} s; {where}",
            curl_line(poll, variables=(provider.key_env, JOB_ID)),
        ),
        Step(
            "download",
            f"GET the media URL at {binding.media_pointer} of the final status answer (no key: "
            "a key is never sent to another origin); retried on a failed or expired link",
        ),
    ]
