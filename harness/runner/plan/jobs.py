"""A run's plan: every job (provider × model × corpus item × repeat) with its request and worst-case price.

The plan is fixed before anything is sent: its cost is printed first, its jobs are stored with
deterministic keys (the idempotency key a resume relies on), and items are interleaved across models
so every model speaks the same texts at about the same time. Items a model cannot take (language,
length limit, multi-speaker scripts, a reference voice it needs and was not given) are left out and
counted, not sent to fail.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from harness.core.errors import RequestValidationError, UsageError
from harness.core.languages import speaks
from harness.core.names import not_known
from harness.core.spec import (
    BodyKind,
    Cost,
    Endpoint,
    Normalisation,
    Offering,
    Provider,
    SynthesisInput,
    Upload,
    normalisation_variant,
)
from harness.core.verdict import Drift
from harness.runner.plan.pricing import Price, PriceBook

# The corpora, the wire families and the request checks a plan is built with are imported where a plan is built, not
# with the module: the settings (`config`) and every `bench run` import it with this package, `--help` included.
if TYPE_CHECKING:
    from harness.core.corpora import Corpus, CorpusItem


@dataclass(frozen=True, slots=True)
class References:
    """The cloning reference voice, as a URL (for URL-cloning models) and as an upload."""

    url: str | None = None
    audio: Upload | None = None
    path: Path | None = None  # where the upload came from: stored with each clip for similarity scoring
    url_path: Path | None = None  # the local copy of what `url` serves, when known (similarity scoring)


@dataclass(frozen=True, slots=True)
class Selection:
    provider: Provider
    offering: Offering
    # A request variant's offering (`with_normalisation`) is named for its setting ("eleven_multilingual_v2
    # normalisation=off"): every face groups by that name. Its price is the offering's own, by this name.
    priced_as: str | None = None

    @property
    def endpoint(self) -> Endpoint:
        return self.provider.endpoint(self.offering.endpoint)

    @property
    def label(self) -> str:
        return f"{self.provider.name}/{self.offering.name}"


def socket_cost(selection: Selection, text: str) -> Cost | None:
    """What a socket's model charges for `text`, where its declaration prices it (the WebSocket speech family's
    models, which a socket may price apart from their HTTP twin); None: the HTTP request's price stands."""
    from harness.core.protocols.declaration import ProtocolDeclaration  # on first use: see the imports above

    offering = selection.offering
    if offering.channel is None:
        return None
    grammar = selection.provider.channel(offering.channel).grammar
    speaker, declaration = grammar.speaker_of(offering.name), grammar.declaration
    if speaker is None or not isinstance(declaration, ProtocolDeclaration):
        return None
    return declaration.cost_of(len(text), speaker[0])


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedJob:
    job_key: str
    seq: int
    selection: Selection
    corpus: Corpus
    item: CorpusItem
    repeat: int
    payload: Mapping[str, Any]
    params_json: str
    params_sha256: str
    price: Price
    invalid: str | None = None  # the request breaks the documented ranges: recorded, never sent
    reference_path: Path | None = None
    warnings: tuple[Drift, ...] = ()  # beyond what the documents only recommend: sent, and flagged
    level: int | None = None  # the load sweep's in-flight cap this job runs at (None: not a sweep)

    @property
    def provider(self) -> Provider:
        return self.selection.provider

    @property
    def model(self) -> str:
        return self.selection.offering.name


@dataclass(slots=True)
class Plan:
    jobs: list[PlannedJob] = field(default_factory=list)
    left_out: Counter[tuple[str, str]] = field(default_factory=Counter)  # (model label, reason) -> items

    @property
    def cost_usd(self) -> Decimal:
        """The planned cost: counted prices, and the estimate of what is billed by the audio or its tokens."""
        return sum((j.price.usd for j in self.jobs if j.price.usd is not None and not j.invalid), Decimal(0))

    @property
    def worst_usd(self) -> Decimal:
        """The most the planned jobs can cost: estimates at their stated upper bounds (what a budget reserves)."""
        return sum(
            (j.price.worst_usd for j in self.jobs if j.price.worst_usd is not None and not j.invalid), Decimal(0)
        )

    @property
    def unpriced(self) -> int:
        return sum(1 for j in self.jobs if j.price.usd is None and not j.invalid)

    @property
    def prices(self) -> dict[str, Price]:
        """Each offering's price as its plan prices it (label -> the price of its first job sent; a job the
        documents refuse is never sent, nor priced): what the plan's notes count (`pricing.plan_notes`)."""
        prices: dict[str, Price] = {}
        for job in self.jobs:
            if not job.invalid:
                prices.setdefault(job.selection.label, job.price)
        return prices


def job_key(
    run_id: str, provider: str, model: str, corpus: str, item_id: str, repeat: int, level: int | None = None
) -> str:
    parts = (run_id, provider, model, corpus, item_id, str(repeat))
    raw = "\x00".join(parts if level is None else (*parts, f"level={level}"))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


ALL_PROVIDERS = "all"  # `--providers all`: every registered provider, as when none is named (scripts name it)


def select(
    providers: Mapping[str, Provider], wanted_providers: Sequence[str], wanted_models: Sequence[str]
) -> list[Selection]:
    """The (provider, model) pairs to benchmark; unknown names fail with the list of known ones."""
    if ALL_PROVIDERS in wanted_providers:
        wanted_providers = [name for name in providers]
    unknown = [p for p in wanted_providers if p not in providers]
    if unknown:
        raise UsageError(f"{not_known('provider', unknown, providers)}; known: {', '.join(providers) or 'none'}")
    # No providers named: every one (the seeds' gateways, the market's built-in providers, the user's own).
    chosen = [providers[p] for p in wanted_providers] or list(providers.values())
    everything = [Selection(p, o) for p in chosen for o in p.offerings]
    if not wanted_models:  # the default selection: every offering but those a run must name
        return [s for s in everything if not s.offering.named_only]
    picked = [s for s in everything if s.offering.name in wanted_models or s.label in wanted_models]
    matched = {s.offering.name for s in picked} | {s.label for s in picked}
    missing = [m for m in wanted_models if m not in matched]
    if missing:
        known = ", ".join(s.label for s in everything)
        bare = {s.offering.name: s.label for s in everything}  # a model named without its provider
        raise UsageError(f"{not_known('model', missing, (s.label for s in everything), bare)}; known: {known}")
    return picked


def _with_value(
    build: Callable[[SynthesisInput], dict[str, Any]], pointer: str, value: Any, given: SynthesisInput
) -> dict[str, Any]:
    from harness.core.protocols.http_speech import put  # on first use: see the imports above

    payload = copy.deepcopy(build(given))
    put(payload, pointer, value)
    return payload


def with_normalisation(selections: Sequence[Selection], settings: Sequence[str]) -> list[Selection]:
    """Each offering that declares the provider's own text-normalisation switch (`Offering.normalisation`), once
    per setting (`off`, `on`), its request carrying the setting's value and its name the setting; the others as
    they are. No settings: the selections unchanged. The switch is a field of the HTTP request (`Offering.endpoint`):
    an offering spoken over a socket or an RPC is run over that request for each setting, so both settings are read
    the same way, and once only where another chosen offering already sends that request (a socket twin of an HTTP
    model sends its twin's request)."""
    unknown = [setting for setting in settings if setting not in Normalisation.SETTINGS]
    if unknown:
        raise UsageError(f"--normalisation takes {' and '.join(Normalisation.SETTINGS)}, not {', '.join(unknown)}")
    if not settings:
        return list(selections)
    chosen: list[Selection] = []
    sent: set[tuple[str, str, str]] = set()  # (provider, endpoint, the request of a sample text) varied already
    for selection in selections:
        offering, switch = selection.offering, selection.offering.normalisation
        if switch is None:
            chosen.append(selection)
            continue
        request = (selection.provider.name, offering.endpoint, params_json(offering.build(SynthesisInput(text="."))))
        if request in sent:
            continue
        sent.add(request)
        chosen += [
            Selection(
                selection.provider,
                replace(
                    offering,
                    name=normalisation_variant(offering.name, setting),
                    channel=None,
                    rpc=None,
                    build=partial(_with_value, offering.build, switch.pointer, switch.value(setting)),
                    description=f"{offering.name} over {offering.endpoint}, "
                    f"the provider's text normalisation {setting}",
                ),
                offering.name,
            )
            for setting in dict.fromkeys(settings)
        ]
    return chosen


def _fits(selection: Selection, item: CorpusItem, refs: References) -> str | None:
    from harness.core.protocols.markup import Said  # on first use: see the imports above

    offering = selection.offering
    if not speaks(offering.languages, item.language):
        return f"language {item.language} not supported"
    if offering.max_chars is not None and len(item.text) > offering.max_chars:
        return f"longer than {offering.max_chars} characters"
    if item.is_script and not offering.multi_speaker:
        return "multi-speaker script"
    if item.markup is not None and offering.markup is None:
        return "no markup documented"
    if item.markup is not None and offering.markup is not None:
        missing = next(
            (p.kind for p in item.markup if isinstance(p, Said) and offering.markup.tag(p.kind, offering.name) is None),
            None,
        )
        if missing is not None:  # a tag its documents do not show is not asked of it
            return f"no {missing} documented"
    if item.markup is not None and (offering.channel or offering.rpc):
        return "markup judged over HTTP only"  # the sandbox honours markup in one request's text (docs/markup.md)
    if offering.clones:
        # A provider that takes a multipart upload gets the file; the others fetch a URL.
        if selection.endpoint.body_kind is BodyKind.MULTIPART and refs.audio is None:
            return "needs a reference voice: give --reference FILE (uploaded to the provider)"
        if selection.endpoint.body_kind is not BodyKind.MULTIPART and refs.url is None:
            return "needs a reference voice: give --reference-url URL (a public URL the provider fetches)"
    return None


def params_json(payload: Mapping[str, Any]) -> str:
    """The payload as stored: uploads replaced by their name, size and hash, keys sorted."""

    def plain(value: Any) -> Any:
        if isinstance(value, Upload):
            return {
                "filename": value.filename,
                "bytes": len(value.content),
                "sha256": hashlib.sha256(value.content).hexdigest(),
            }
        if isinstance(value, BaseModel):
            return plain(value.model_dump())
        if isinstance(value, Mapping):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    return json.dumps(plain(payload), sort_keys=True, ensure_ascii=False, default=str)


def build_plan(
    run_id: str,
    selections: Sequence[Selection],
    corpora: Sequence[Corpus],
    repeats: int,
    prices: PriceBook,
    refs: References,
    sweep: Sequence[int] = (),
) -> Plan:
    """Every job of the run, in order. A load sweep (`sweep`: its levels) repeats the whole plan at each
    level, the lowest first; each copy has keys of its own."""
    plan = Plan()
    seq = 0
    for level in sweep or (None,):
        for repeat in range(repeats):
            for corpus in corpora:
                for item in corpus.items:
                    for selection in selections:
                        reason = _fits(selection, item, refs)
                        if reason is not None:
                            if repeat == 0 and level == (sweep[0] if sweep else None):
                                plan.left_out[(selection.label, reason)] += 1
                            continue
                        plan.jobs.append(
                            _job(
                                run_id,
                                seq,
                                selection=selection,
                                corpus=corpus,
                                item=item,
                                repeat=repeat,
                                prices=prices,
                                refs=refs,
                                level=level,
                            )
                        )
                        seq += 1
    return plan


def _reference_path(selection: Selection, refs: References) -> Path | None:
    """The file the model was given to clone, for similarity scoring (None when it is not known)."""
    return refs.path if selection.endpoint.body_kind is BodyKind.MULTIPART else refs.url_path


def _job(
    run_id: str,
    seq: int,
    *,
    selection: Selection,
    corpus: Corpus,
    item: CorpusItem,
    repeat: int,
    prices: PriceBook,
    refs: References,
    level: int | None = None,
) -> PlannedJob:
    from harness.core.protocols.marks_declared import ask_marks  # on first use: see the imports above
    from harness.core.validate import check_request, soft_limit_warnings

    offering = selection.offering
    # A markup item is sent in the offering's own tags, with what says its text is markup (docs/markup.md).
    markup = offering.markup if item.markup is not None else None
    text = markup.written(item.markup or (), offering.name) if markup is not None else item.text
    given = SynthesisInput(
        text=text,
        language=item.language,
        reference_url=refs.url if offering.clones else None,
        reference_audio=refs.audio if offering.clones else None,
    )
    payload = offering.build(given)
    if markup is not None:
        markup.placed(payload)
    marks = None  # a socket's (or an RPC's) payload prices it, never sent: its marks are its socket's
    if offering.channel is None and offering.rpc is None:
        marks = ask_marks(selection.provider, offering.endpoint, payload)
    invalid = None
    warnings: tuple[Drift, ...] = ()
    try:
        check_request(selection.endpoint, payload)
    except RequestValidationError as error:
        invalid = str(error)
    else:
        warnings = soft_limit_warnings(selection.endpoint, payload)
    stored = params_json(payload)
    price = prices.price(
        selection.provider,
        selection.priced_as or offering.name,
        selection.endpoint,
        payload,
        socket_cost(selection, text),
        text=text,
    )
    if marks is not None and marks.lines and price.worst_usd is not None:
        # the marks come in place of audio: the job sends its request twice (`harness.runner.deliver.marks_request`),
        # and the budget reserves both, so spent plus reserved still never passes its limit
        price = replace(price, worst=price.worst_usd * 2)
    return PlannedJob(
        job_key=job_key(run_id, selection.provider.name, offering.name, corpus.name, item.id, repeat, level),
        seq=seq,
        selection=selection,
        corpus=corpus,
        item=item,
        repeat=repeat,
        payload=payload,
        params_json=stored,
        params_sha256=hashlib.sha256(stored.encode()).hexdigest(),
        price=price,
        invalid=invalid,
        reference_path=_reference_path(selection, refs) if offering.clones else None,
        warnings=warnings,
        level=level,
    )
