"""`tts-harness conform URL`: a server that says it speaks a built-in provider's API (`--like NAME`), judged clause by
clause against that provider's documents (its `SpeechService.conformance`, harness.core.protocols.conformance).

The server is the built-in declared at URL, as a providers file's `like` table would declare it
(`harness.core.protocols.like.derive`: every host at the URL, the key from an environment variable, or none). Each
clause runs the one check of the harness that its declaration names — a family check of
`harness.contracts.speech_checks`, a generic plan of `harness.contracts.plans` run by `execute.run_plan` — never a
second copy, and ends in one of three states:

    passed       the check found nothing broken
    failed       what broke, in one line, and the curl that reproduces the request (the key as `$VARIABLE`)
    not offered  the server's declaration has no such part, the documents exempt its models, the check cannot judge
                 here (it says why), or the server answers 501 Not Implemented: it says it does not offer it

What the server does that the documents do not say (a Content-Type naming the right bytes by another name, an
unknown field) is a finding beside the clause, never a failure. A server that cannot be reached at all is
`ServerUnreachable`, one line; a server that refuses every request the key goes on (401 or 403) is no card of
clauses but a key to set or check (`ConformCard.key_refusal`, one line), and one that refuses every plain synthesis
alike for the model or voice sent, or has no speech endpoint at the URL, an option to give (`setting_refusal`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from importlib.metadata import entry_points

import httpx

from harness.contracts.execute import run_plan
from harness.contracts.plans import plans_for
from harness.contracts.session import Skip
from harness.contracts.speech_checks import (
    FINDING,
    Check,
    SpeechTarget,
    accepted_check,
    checks_for,
    voices_check,
)
from harness.contracts.targets import ContractTarget
from harness.core import installed
from harness.core.curl import curl_line
from harness.core.errors import UsageError
from harness.core.protocols.conformance import Clause, ConformClauses, Judge
from harness.core.protocols.http_speech import SpeechService, Synthesis, build_provider, served_models
from harness.core.protocols.like_declaration import DeclaredModel, LikeDeclaration
from harness.core.redact import Redactor
from harness.core.spec import EventStreamBody, NdjsonBody, Provider
from harness.core.target import TargetKind
from harness.core.tls import shared_tls_context
from harness.core.verdict import Violation

SERVER = "server"  # the name the server is declared under (`like` table's name)
TIMEOUT_S = 120.0
NOT_IMPLEMENTED = 501
NOT_FOUND = 404
KEY_REFUSED = frozenset({401, 403})  # the statuses a server refuses a missing or wrong key with


class ClauseOutcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_OFFERED = "not offered"


class ServerUnreachable(Exception):
    """No answer at all from the server's URL: the message says where and why, in one line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClauseResult:
    clause: Clause
    outcome: ClauseOutcome
    reason: str = ""  # failed: the one line that shows why; not offered: why not
    curl: str = ""  # failed: the request that reproduces it
    status: int | None = None  # failed: the status of the answer it reproduces (None: no answer)
    url: str = ""  # failed: where that request went
    findings: tuple[str, ...] = ()  # what the server does that the documents do not say


@dataclass(frozen=True, slots=True, kw_only=True)
class ConformCard:
    url: str
    like: str
    endpoint: str
    results: tuple[ClauseResult, ...]
    key_env: str = ""  # the variable the key was read from ("": none sent)
    key_variable: str = ""  # the variable the key is looked up in, set or not
    models: tuple[str, ...] = ()  # the model names the requests send (the built-in's, or --model)
    voices: tuple[str, ...] = ()  # the voices they send (the built-in's, or --voice)

    def count(self, outcome: ClauseOutcome) -> int:
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def offered(self) -> int:
        return len(self.results) - self.count(ClauseOutcome.NOT_OFFERED)

    @property
    def conforms(self) -> bool:
        """Every clause offered passes, and at least one is offered."""
        return self.offered > 0 and self.count(ClauseOutcome.FAILED) == 0

    @property
    def key_refusal(self) -> str | None:
        """One line where the server refused every request the key goes on with 401 or 403 (the clause that sends a
        wrong key on purpose aside): the card would be the same refusal once per clause, where the user has a key to
        set or to check. None otherwise."""
        keyed = [
            r for r in self.results if r.clause.judge is not Judge.PLAN and r.outcome is not ClauseOutcome.NOT_OFFERED
        ]
        if not keyed or any(r.outcome is not ClauseOutcome.FAILED or r.status not in KEY_REFUSED for r in keyed):
            return None
        first = keyed[0]
        said = first.reason.split(", got ", 1)[-1][:160]  # the status and the start of the server's answer
        other = "or give the variable that holds the key with --key-env"
        if not self.key_env:
            named = f"set {self.key_variable} to the server's key" if self.key_variable else "set the server's key"
            return f"{self.url} refused every request, and no key was sent ({said}): {named}, {other}"
        return f"{self.url} refused every request with the key in {self.key_env} ({said}): check that key, {other}"

    @property
    def setting_refusal(self) -> tuple[str, str] | None:
        """What to say, in one line, where the server refused every plain synthesis (the `format-*` clauses) alike:
        one status of 4xx but a key's, its answer naming a model or a voice the requests sent (`--model`, `--voice`
        to give), or a 404 naming neither (no speech endpoint at that URL: the URL to give). The card would be that
        refusal once per clause. (label, line), or None: any other refusal is the server's to answer for, clause by
        clause."""
        plain = [
            r for r in self.results if r.clause.judge is Judge.ACCEPTED and r.outcome is not ClauseOutcome.NOT_OFFERED
        ]
        statuses = {r.status for r in plain}
        if not plain or any(r.outcome is not ClauseOutcome.FAILED for r in plain) or len(statuses) != 1:
            return None
        status, first = statuses.pop(), plain[0]
        if status is None or not 400 <= status < 500 or status in KEY_REFUSED:
            return None
        said = first.reason.split(", got ", 1)[-1][:160]
        refused = f"{self.url} refused every plain synthesis ({said})"
        model = _named(first.reason, self.models)
        if model is not None:
            return (
                "model refused",
                f"{refused}: it does not take the model {model!r}: give --model and a model it serves",
            )
        voice = _named(first.reason, self.voices)
        if voice is not None:
            return (
                "voice refused",
                f"{refused}: it does not take the voice {voice!r}: give --voice and a voice it speaks",
            )
        if status == NOT_FOUND and first.url.startswith(self.url):
            path = first.url.removeprefix(self.url)
            return "not found", (
                f"nothing at {first.url} speaks ({said}): give the URL of the server's {self.like}-compatible API, "
                f"the part before {path}"
            )
        return None


def _named(text: str, names: tuple[str, ...]) -> str | None:
    """The first of `names` that `text` names as a whole word ("tts-1" is not named by "tts-1-hd")."""
    return next((name for name in names if re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", text)), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Server:
    """The server as declared (`like` the built-in, at the URL) and the key sent to it."""

    provider: Provider
    conformance: ConformClauses
    url: str
    like: str
    key: str | None = field(repr=False)  # sent, never shown
    key_env: str
    key_variable: str = ""  # the variable the key is looked up in, set or not


def declare(
    url: str,
    like: str,
    key_env: str = "",
    environ: Mapping[str, str] | None = None,
    *,
    model: str = "",
    voices: tuple[str, ...] = (),
) -> Server:
    """The server at `url` declared like the built-in `like`, its key read from `key_env` (default: the built-in's
    variable; unset or empty: no key sent), speaking the built-in's models or, given `model`, that one name on every
    answer form (the audio file and, where the built-in has one, the stream of events), in the built-in's voices or
    `voices` (the first spoken by every clause; each of them by `voices`). `UsageError` where `like` declares no
    clauses or the URL is not one."""
    env = os.environ if environ is None else environ
    builtin = installed.builtin(like)
    service = builtin.family
    if not isinstance(service, SpeechService) or service.conformance is None:
        raise UsageError(
            f"--like {like}: {builtin.name} declares no conformance clauses (built-ins that do: "
            f"{', '.join(families_with_clauses()) or 'none'})"
        )
    name = key_env or builtin.key_env
    key = (env.get(name) or None) if name else None
    models = (
        None
        if not model
        else (
            DeclaredModel(name=model),
            *(
                (DeclaredModel(name=f"{model}{EVENTS_SUFFIX}", stream=True),)
                if any(map(_events, service.syntheses))
                else ()
            ),
        )
    )
    try:
        table = LikeDeclaration(
            name=SERVER,
            like=like,
            base_url=url,
            key_env=name if key else "",
            auth="key" if key else "none",
            models=models,
            voices=voices or None,
        )
    except ValueError as error:
        raise UsageError(f"{url}: not a server's base URL or model ({_first_error(error)})") from None
    # The built-in families' derivation (their wire modules) loads when a server is declared, not with the package
    from harness.core.protocols.like import derive

    provider = derive(table, builtin, f"conform {url}")
    if model:
        provider = _one_name(provider, model)
    return Server(
        provider=provider,
        conformance=service.conformance,
        url=url.rstrip("/"),
        like=like,
        key=key,
        key_env=name if key else "",
        key_variable=name,
    )


EVENTS_SUFFIX = " (events)"  # the events form's copy of a `--model`, sending the model's own name


def _one_name(provider: Provider, model: str) -> Provider:
    """The provider whose `--model` copies all send `model` at the model slot (the events form's copy included)."""
    service = provider.family
    assert isinstance(service, SpeechService)
    models = tuple(
        replace(m, sets={**m.sets, slot: model}) if (slot := service.synthesis(m.synthesis).slots.model) else m
        for m in service.models
    )
    return build_provider(replace(service, models=models))


def families_with_clauses() -> list[str]:
    """The installed providers whose declaration carries conformance clauses: what `--like` may name."""
    found = []
    for name in sorted({entry.name for entry in entry_points(group=installed.ENTRY_POINT_GROUP)}):
        try:
            family = installed.builtin(name).family
        except UsageError:
            continue
        if isinstance(family, SpeechService) and family.conformance is not None:
            found.append(name)
    return found


def _first_error(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    return str(errors(include_url=False)[0]["msg"]) if callable(errors) else str(error)


def conform(server: Server) -> ConformCard:
    """Every clause of the server's family run against it, in order; `ServerUnreachable` where the first request gets
    no answer at all."""
    sent: list[httpx.Response] = []  # the clause's answers, in order, each with the request it answers
    with httpx.Client(
        trust_env=False,
        timeout=TIMEOUT_S,
        event_hooks={"response": [sent.append]},
        verify=shared_tls_context(trust_env=False),
    ) as client:
        _reachable(server, client)
        results = []
        for clause in server.conformance.clauses:
            sent.clear()
            results.append(_run(server, clause, client, sent))
    return ConformCard(
        url=server.url,
        like=server.like,
        endpoint=server.conformance.endpoint,
        results=tuple(results),
        key_env=server.key_env,
        key_variable=server.key_variable,
        models=_sent_models(server),
        voices=tuple(voice.name for voice in _service(server).voices),
    )


def _service(server: Server) -> SpeechService:
    service = server.provider.family
    assert isinstance(service, SpeechService)
    return service


def _sent_models(server: Server) -> tuple[str, ...]:
    """The names the server's plain syntheses send at their model slot."""
    service = _service(server)
    names = []
    for synthesis in _audio_syntheses(service):
        slot = synthesis.slots.model
        if slot is not None:
            names += [str(model.sets.get(slot, model.name)) for model in served_models(service, synthesis)]
    return tuple(dict.fromkeys(names))


def _reachable(server: Server, client: httpx.Client) -> None:
    try:
        client.get(server.url)
    except httpx.TransportError as error:
        raise ServerUnreachable(
            f"{server.url} does not answer ({type(error).__name__}: {error or 'no answer'})"
        ) from None


def _run(server: Server, clause: Clause, client: httpx.Client, sent: list[httpx.Response]) -> ClauseResult:
    try:
        judged = _judge(server, clause)
    except Skip as why:
        return ClauseResult(clause=clause, outcome=ClauseOutcome.NOT_OFFERED, reason=str(why))
    try:
        violations = judged(client)
    except Skip as why:
        return ClauseResult(clause=clause, outcome=ClauseOutcome.NOT_OFFERED, reason=str(why))
    except httpx.TransportError as error:
        violations = [Violation(clause.name, "an answer", f"no answer ({type(error).__name__}: {error})", "protocol")]
    redact = Redactor(tuple(filter(None, (server.key,)))).text
    findings = tuple(
        redact(f"{v.pointer}: {v.got} (documented: {v.expected})") for v in violations if v.rule == FINDING
    )
    broken = [v for v in violations if v.rule != FINDING]
    if not broken:
        return ClauseResult(clause=clause, outcome=ClauseOutcome.PASSED, findings=findings)
    first = broken[0]
    if first.rule == "status" and first.got.startswith(str(NOT_IMPLEMENTED)):
        return ClauseResult(
            clause=clause,
            outcome=ClauseOutcome.NOT_OFFERED,
            findings=findings,
            reason=redact(f"the server answers {first.got[:160]}"),
        )
    reason = redact(f"{first.pointer or clause.name}: expected {first.expected}, got {first.got}")
    culprit = _culprit(sent) if sent else None
    return ClauseResult(
        clause=clause,
        outcome=ClauseOutcome.FAILED,
        reason=" ".join(reason.split())[:400],
        curl=_curl(culprit.request, server) if culprit is not None else "",
        status=culprit.status_code if culprit is not None else None,
        url=redact(str(culprit.request.url.copy_with(query=None))) if culprit is not None else "",
        findings=findings,
    )


def _culprit(answered: list[httpx.Response]) -> httpx.Response:
    """The answer a failed clause's curl reproduces: the first one refused, else its first (a check's later requests
    are references: the same text in a headed format, the other speed)."""
    return next((answer for answer in answered if not answer.is_success), answered[0])


def _curl(request: httpx.Request, server: Server) -> str:
    """The request as a curl line with the key as the variable it came from (`"$ACME_API_KEY"`), never its value."""
    if not server.key:
        return curl_line(request)
    variable = f"${server.key_env}"
    headers = [(name, value.replace(server.key, variable)) for name, value in request.headers.multi_items()]
    shown = httpx.Request(
        request.method, str(request.url).replace(server.key, variable), headers=headers, content=request.content
    )
    return curl_line(shown, (server.key,), variables=(server.key_env,))


Judged = Callable[[httpx.Client], list[Violation]]


def _judge(server: Server, clause: Clause) -> Judged:
    """The clause's one check, bound to the server; `Skip` where the server's declaration does not offer it."""
    provider, service = server.provider, server.provider.family
    assert isinstance(service, SpeechService)
    target = SpeechTarget(provider, dict(provider.hosts), server.key)
    if clause.judge is Judge.FAMILY:
        family_check = checks_for(provider).get(clause.check)
        if family_check is None:
            raise Skip(f"the server's declaration has no part the {clause.check} check needs")
        return _bound(family_check.run, target)
    if clause.judge is Judge.PLAN:
        return _plan(server, clause)
    plain = _plain_synthesis(service)
    if clause.judge is Judge.VOICES:
        return _bound(voices_check(plain), target)
    return _bound(accepted_check(plain, _accepted_at(service, plain, clause), clause.name), target)


def _bound(check: Check, target: SpeechTarget) -> Judged:
    return lambda client: check(target, client)


def _audio_syntheses(service: SpeechService) -> list[Synthesis]:
    """The syntheses whose answer is the audio itself (no events, no JSON) that a declared model speaks."""
    spoken = {model.synthesis for model in service.models}
    return [s for s in service.syntheses if s.endpoint.key in spoken and not _events(s)]


def _events(synthesis: Synthesis) -> bool:
    success = synthesis.endpoint.response_for(synthesis.endpoint.success_status)
    return success is not None and any(isinstance(b, EventStreamBody | NdjsonBody) for b in success.bodies)


def _plain_synthesis(service: SpeechService) -> Synthesis:
    found = _audio_syntheses(service)
    if not found:
        raise Skip("the server's declaration answers no audio file")
    return found[0]


def _accepted_at(service: SpeechService, synthesis: Synthesis, clause: Clause) -> dict[str, object]:
    """The clause's values, and the model slot set to the first model of the synthesis the documents do not exempt."""
    at: dict[str, object] = dict(clause.sets)
    slot = synthesis.slots.model
    if slot is None:
        return at
    names = [model.sets.get(slot, model.name) for model in served_models(service, synthesis)]
    allowed = [name for name in names if name not in clause.not_for]
    if not allowed:
        raise Skip(f"the documents exempt the server's models ({', '.join(map(str, names))}): {clause.words[:120]}")
    at[slot] = allowed[0]
    return at


def _plan(server: Server, clause: Clause) -> Judged:
    provider = server.provider
    plain = _plain_synthesis(provider.family)
    plan = next((p for p in plans_for(provider) if p.endpoint == plain.endpoint.key and p.label == clause.check), None)
    if plan is None:
        why = (
            "no key is sent (its variable is unset): a wrong key cannot be told from none"
            if not server.key
            else (f"the server's declaration has no {clause.check} scenario")
        )
        raise Skip(why)
    target = ContractTarget(
        kind=TargetKind.URL,
        base_urls={(provider.name, host): url for host, url in provider.hosts.items()},
        keys={provider.name: server.key} if server.key else {},
        at_providers=True,
        url=server.url,
        secrets=tuple(filter(None, (server.key,))),
    )

    def judged(client: httpx.Client) -> list[Violation]:
        outcome = run_plan(provider, plan, target, client)
        return [
            *outcome.violations,
            *(Violation(d.pointer, "the documents' shape", d.note, FINDING) for d in outcome.drift),
        ]

    return judged
