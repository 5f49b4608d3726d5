"""`tts-harness providers`: what the harness knows — endpoints (inferred ones marked), prices, models, and the voices
a wire-family declaration lists."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harness.bench.pricing import PriceBook
from harness.cli import usage
from harness.cli.prices import plan_choices
from harness.core.errors import UsageError
from harness.core.prices import STALE_AFTER_DAYS
from harness.core.registry import declared_prices, providers
from harness.core.spec import Endpoint, Provider


def _price(endpoint: Endpoint) -> str:
    if endpoint.price is None:
        return "not documented" if endpoint.role.value == "submit" else ""
    try:
        cost = endpoint.price(endpoint.example or {})
    except Exception:
        return "per request parameters"
    if cost is None:
        return "per model"
    unit = "$" if cost.unit.value == "USD" else ""
    suffix = "" if unit else f" {cost.unit.value}"
    return f"{unit}{cost.amount.normalize():f}{suffix} (document's example)"


def _voices(provider: Provider) -> list[dict[str, Any]]:
    """The voices the provider's family declaration lists (none for a provider written as a package): the name a
    request sends, its language and gender, and the declaration's words for it (`extra`: a `label` the documents
    call it by, a category)."""
    return [{**{key: value for key, value in v.extra.items() if isinstance(value, str)},
             "name": v.name, "language": v.language, "gender": v.gender}
            for v in getattr(provider.family, "voices", None) or ()]


def _languages(provider: Provider) -> dict[str, list[str]]:
    """Each model's languages, as its declaration lists them (what `bench run --language` plans by)."""
    return {o.name: list(o.languages) for o in provider.offerings}


def _print_languages(console: Console, item: dict[str, Any]) -> None:
    """One line per model that speaks more than English: its languages, counted."""
    for model, languages in item["languages"].items():
        if languages != ["en"]:
            console.print(f"languages of {escape(model)} ({len(languages)}): {escape(', '.join(languages))}",
                          highlight=False, soft_wrap=True)


def describe(provider: Provider, prices: PriceBook | None = None) -> dict[str, Any]:
    book = prices or PriceBook()
    return {
        "name": provider.name,
        "title": provider.title,
        "hosts": dict(provider.hosts),
        "auth_header": provider.auth.header,
        "auth": provider.auth.describe(),  # how the key travels: a header, a query parameter, a signature
        "key_env": provider.key_env,
        "region_env": provider.region_env,
        "family": provider.protocol or "",
        "endpoints": [
            {
                "endpoint": ep.signature,
                "key": ep.key,
                "role": ep.role.value,
                "host": ep.host,
                "inferred": ep.inferred,
                "statuses": list(ep.statuses),
                "price": _price(ep),
                "summary": ep.summary,
            }
            for ep in provider.endpoints
        ],
        "models": [{"name": o.name, "endpoint": o.endpoint, "clones": o.clones,
                    "price": book.describe(provider, o.name)} for o in provider.offerings],
        "languages": _languages(provider),
        "voices": _voices(provider),
        "documentation_drift": [{"topic": d.topic, "note": d.note} for d in provider.doc_drift],
    }


def providers_command(
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    plan: Annotated[list[str] | None, typer.Option(
        metavar="PROVIDER=PLAN", help="price a provider on a named plan of its price sheet; repeatable")] = None,
    price_max_age: Annotated[int, typer.Option(
        metavar="DAYS", help="mark a price read longer ago than this stale")] = STALE_AFTER_DAYS,
) -> None:
    """List providers, their endpoints as "METHOD /path/template", models with their prices (unit, plan, source, read
    date; stale ones marked) and languages, and declared voices."""
    try:
        known = providers()
        book = PriceBook.from_settings(None, {}, known, plans=plan_choices(plan), table=declared_prices(),
                                       max_age_days=price_max_age)
        described = [describe(p, book) for p in known.values()]
    except UsageError as error:  # a broken plugin or providers file: one line, not a traceback
        raise usage.refuse(error) from None
    if as_json:
        typer.echo(json.dumps(described, indent=2))
        return
    console = Console()
    for item in described:
        key = f"${item['key_env']} as {item['auth']}" if item["key_env"] else "none"
        region = f"; region: ${item['region_env']}" if item["region_env"] else ""
        table = Table(title=f"{item['name']} — {item['title']} (key: {key}{region})", title_justify="left")
        for column in ("endpoint", "role", "statuses", "price"):
            table.add_column(column)
        for ep in item["endpoints"]:
            mark = " [italic](inferred)[/italic]" if ep["inferred"] else ""
            table.add_row(ep["endpoint"] + mark, ep["role"], " ".join(map(str, ep["statuses"])), ep["price"])
        console.print(table)
        models = Table(title=f"{item['name']} models and prices", title_justify="left")
        for column in ("model", "price", "plan", "source", "read"):
            models.add_column(column, overflow="fold")
        for model in item["models"]:
            price = model["price"]
            read = price["read"] + (" [bold red]stale[/bold red]" if price["stale"] else "")
            models.add_row(escape(model["name"]), escape(price["price"]), escape(price["plan"]),
                           escape(price["source"]), read)
        console.print(models)
        _print_languages(console, item)
        if item["voices"]:
            console.print("voices: " + ", ".join(v["name"] + (f" ({v['label']})" if v.get("label") else "")
                                                   for v in item["voices"]), highlight=False)
        console.print("hosts: " + ", ".join(f"{k} {v}" for k, v in item["hosts"].items()), highlight=False)
