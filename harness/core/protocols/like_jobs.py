"""`like = "<built-in>"` for a built-in of the asynchronous jobs family (`harness.core.protocols.jobs`): another
server of a queued-job API, its submit, status and media as the built-in declares them, with what the table says
differs. `like.derive` dispatches here and adds what both families share (the title, the deviations); the
table's rules on hosts and keys are its own (`like_declaration`).

    [providers.mypix]
    like = "<a jobs-family built-in>"
    base_url = "http://gpu.lan:9000"      # every host of the built-in reaches here; `hosts` sets one apart
    key_env = "MYPIX_KEY"                 # or auth = "none" (a server that takes no key); auth = "bearer"
    models = ["<a model>", "<another>"]   # a subset of the built-in's models, by name
    price_per_request = 0.01              # USD per job; model_prices = { <a model> = 0.02 } for a model's own
    title = "..."
    deviations = { check-name = "why" }

A job's request model, voices and formats are the built-in's: its models carry their own (a reference URL, a
speaker preset, a voice description), so `voices`, `formats`, `sample_rate`, `stream` and `max_input_chars` are
refused, each in one line naming the key. A jobs API prices a job whole, not its characters, so its prices are
`price_per_request` (`price_per_million_chars` is refused) and `model_prices` are per request too. As for the
speech families: a table that keeps the built-in's servers and names no price keeps the built-in's prices; one
with another server has the file's (none when the file names none).

A model is a copy of the built-in's model of that name: a jobs API names its models by their paths (a submit
endpoint per model) or by what a request carries, so a server of the same API serves the same names, and an
unknown one is refused listing the known ones. A submit endpoint none of the table's models runs is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from harness.core.errors import UsageError
from harness.core.protocols.jobs import JobsService, build_provider
from harness.core.protocols.like_declaration import LikeDeclaration
from harness.core.spec import Cost, Endpoint, Offering, PriceFunction, Provider

#: The keys of a `like` table that mean something for a jobs-family built-in.
JOBS_KEYS = (
    "like",
    "base_url",
    "hosts",
    "key_env",
    "auth",
    "title",
    "models",
    "price_per_request",
    "model_prices",
    "deviations",
)
#: The speech families' keys a job carries no equivalent of, and why (the one line that refuses them).
SPEECH_ONLY = {
    "voices": "its models say their voice in their own requests: a reference recording, a preset, a description",
    "formats": "its models answer in the format their jobs make",
    "sample_rate": "its models answer in the format their jobs make",
    "stream": "a job's audio is fetched once the job is done, never streamed",
    "max_input_chars": "its models' requests carry their own text limits",
    "price_per_million_chars": "a job is priced whole, not by its characters: give price_per_request",
}


def derive(declaration: LikeDeclaration, service: JobsService, title: str, where: str) -> Provider:
    """`service` with the table's overrides (`title` as `like.derive` made it). The table's deviations are
    `like.derive`'s to add."""
    _refuse_speech_keys(declaration, service, where)
    hosts = declaration.placed(service.name, service.hosts, where)
    elsewhere = hosts != dict(service.hosts)
    offerings = _offerings(declaration, service, where)
    prices = _prices(declaration, service, offerings, elsewhere, where)
    keyless = declaration.auth == "none"
    # A submit endpoint the built-in's models run and none of the table's does is not this server's; one the
    # built-in offers no model of (none benchmarks it) is kept, as the speech families keep such a synthesis.
    served = {offering.endpoint for offering in offerings}
    offered = {offering.endpoint for offering in service.offerings}
    models = tuple(
        replace(model, endpoint=_endpoint(model.endpoint, prices, keyless))
        for model in service.submit.models
        if model.endpoint.key in served or model.endpoint.key not in offered
    )
    derived = replace(
        service,
        name=declaration.name,
        title=title,
        hosts=hosts,
        auth=declaration.sends_key(service.auth),
        key_env=declaration.key_env,
        docs=(*service.docs, where),
        offerings=offerings,
        submit=replace(service.submit, models=models),
        prices_from=""
        if elsewhere or prices
        else (service.prices_from if service.prices_from is not None else service.name),
        status=replace(service.status, endpoint=_endpoint(service.status.endpoint, {}, keyless)),
        other_endpoints=tuple(_endpoint(endpoint, {}, keyless) for endpoint in service.other_endpoints),
    )
    return build_provider(derived)


def _refuse_speech_keys(declaration: LikeDeclaration, service: JobsService, where: str) -> None:
    """A key of the speech families the table sets is one line: which key, and why a job has none."""
    given = declaration.model_fields_set
    for key, why in SPEECH_ONLY.items():
        if key in given and getattr(declaration, key) is not None:
            raise UsageError(
                f"{where}.{key}: not a key for {service.name}, a jobs-family provider: {why} (its "
                f"keys: {', '.join(JOBS_KEYS)})"
            )
    for index, entry in enumerate(declaration.models or ()):
        if entry.stream is not None:
            raise UsageError(
                f"{where}.models.{index}.stream: not a key for {service.name}, a jobs-family provider: "
                f"{SPEECH_ONLY['stream']}"
            )


def _offerings(declaration: LikeDeclaration, service: JobsService, where: str) -> tuple[Offering, ...]:
    """The built-in's models the table names, in its order (all of them where it names none)."""
    if declaration.models is None:
        return service.offerings
    by_name = {offering.name: offering for offering in service.offerings}
    for index, entry in enumerate(declaration.models):
        if entry.name not in by_name:
            raise UsageError(
                f"{where}.models.{index}: {entry.name} is not a model of {service.name} (its models: "
                f"{', '.join(by_name)})"
            )
    return tuple(by_name[entry.name] for entry in declaration.models)


def _prices(
    declaration: LikeDeclaration, service: JobsService, offerings: tuple[Offering, ...], elsewhere: bool, where: str
) -> dict[str, PriceFunction | None]:
    """Each submit endpoint's price as the table sets it, by endpoint key ({}: the built-in's prices stand). A
    price is an endpoint's (the request is what is priced), so models sharing a submit endpoint share one."""
    unknown = sorted(set(declaration.model_prices) - {offering.name for offering in offerings})
    if unknown:
        raise UsageError(f"{where}.model_prices: {', '.join(unknown)} is not among the models")
    given = declaration.price_per_request is not None or bool(declaration.model_prices)
    if not (given or elsewhere):
        return {}
    chosen: dict[str, tuple[str, Decimal | None]] = {}  # endpoint key -> (the first model priced, its price)
    for offering in offerings:
        price = declaration.model_prices.get(offering.name, declaration.price_per_request)
        first = chosen.setdefault(offering.endpoint, (offering.name, price))
        if first[1] != price:
            raise UsageError(
                f"{where}.model_prices: {first[0]} and {offering.name} are one request of "
                f"{service.name} ({offering.endpoint}), priced per request: give them one price"
            )
    prices: dict[str, PriceFunction | None] = {
        model.endpoint.key: _flat(declaration.price_per_request) for model in service.submit.models
    }
    prices.update((endpoint, _flat(price)) for endpoint, (_, price) in chosen.items())
    return prices


def _flat(usd: Decimal | None) -> PriceFunction | None:
    """The same price for every request (None: the file names none, so the request has no known price)."""
    if usd is None:
        return None

    def price(_: Mapping[str, Any]) -> Cost:
        return Cost(usd)

    return price


def _endpoint(endpoint: Endpoint, prices: Mapping[str, PriceFunction | None], keyless: bool) -> Endpoint:
    """The endpoint at the table's price (where it sets one) and, for a server that takes no key, asking none."""
    if endpoint.key in prices:
        endpoint = replace(endpoint, price=prices[endpoint.key])
    return replace(endpoint, auth_required=False) if keyless else endpoint
