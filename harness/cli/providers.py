"""`tts-harness providers [NAME…]`: what the harness knows — endpoints (inferred ones marked), prices, models, the
price sheet's plans (`bench run --plan`), and the voices a wire-family declaration lists; every provider, or the ones
named. `--prices`: every model's price and provenance in one table, the list `bench run`'s notes count."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harness.cli import usage
from harness.cli.prices import plan_choices
from harness.core.errors import UsageError
from harness.core.names import not_known
from harness.core.prices import STALE_AFTER_DAYS

# The providers (every declaration, a providers file read) and their prices are loaded when the command runs, not
# with its module: `tts-harness --help` imports every command's module.
if TYPE_CHECKING:
    from harness.core.spec import Endpoint, Provider
    from harness.runner.plan.pricing import PriceBook


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


def _price_book(known: dict[str, Provider], plan: list[str] | None, price_max_age: int) -> PriceBook:
    """The prices `providers` shows: the published sheets on the plans asked for and the providers file's `[prices]`,
    read as the run reads them (`PriceBook.from_settings`, the one reader of `[prices]`)."""
    from harness.core.registry import declared_prices
    from harness.runner.plan.pricing import PriceBook

    if price_max_age < 1:
        raise UsageError(f"--price-max-age {price_max_age}: a price's age in days is 1 or more")
    return PriceBook.from_settings(
        None, {}, known, plans=plan_choices(plan), table=declared_prices(), max_age_days=price_max_age
    )


def _read_cell(price: dict[str, Any]) -> str:
    """A price's read date as the table shows it, with what to doubt: stale, and a weak source (a reseller's or a
    third party's page, an undated copy, no source or read date), as every face marks them."""
    from harness.runner.plan.pricing import STALE

    marks = ([f"[bold red]{STALE}[/bold red]"] if price["stale"] else []) + (
        [f"[yellow]weak: {escape(price['weak'])}[/yellow]"] if price.get("weak") else []
    )
    return " ".join([escape(price["read"]), *marks]).strip()


def _voices(provider: Provider) -> list[dict[str, Any]]:
    """The voices the provider's family declaration lists (none for a provider written as a package): the name a
    request sends, its language and gender, and the declaration's words for it (`extra`: a `label` the documents
    call it by, a category)."""
    return [
        {
            **{key: value for key, value in v.extra.items() if isinstance(value, str)},
            "name": v.name,
            "language": v.language,
            "gender": v.gender,
        }
        for v in getattr(provider.family, "voices", None) or ()
    ]


def _plans(provider: Provider, book: PriceBook) -> dict[str, Any]:
    """The plans of the provider's price sheet, its default, and the one its prices are read on (`--plan`)."""
    sheet = book.sheet_of(provider)
    if sheet is None:
        return {"all": [], "default": "", "used": ""}
    return {
        "all": list(sheet.plans),
        "default": sheet.default_plan,
        "used": book.plans.get(provider.name) or sheet.default_plan,
    }


def plans_line(name: str, plans: dict[str, Any]) -> str:
    """The plans in a sentence: which is the default, which the prices shown are on, how to choose another."""
    if not plans["all"]:
        return "plans: none (no price sheet; a price, where there is one, is the declaration's)"
    marks = {
        plan: [
            word for word, chosen in (("default", plans["default"]), ("prices shown", plans["used"])) if chosen == plan
        ]
        for plan in plans["all"]
    }
    listed = ", ".join(plan + (f" ({', '.join(marks[plan])})" if marks[plan] else "") for plan in plans["all"])
    another = f"; price a run on another with bench run --plan {name}=PLAN" if len(plans["all"]) > 1 else ""
    return f"plans: {listed}{another}"


def _languages(provider: Provider) -> dict[str, list[str]]:
    """Each model's languages, as its declaration lists them (what `bench run --language` plans by)."""
    return {o.name: list(o.languages) for o in provider.offerings}


def _print_languages(console: Console, item: dict[str, Any]) -> None:
    """One line per model that speaks more than English: its languages, counted."""
    for model, languages in item["languages"].items():
        if languages != ["en"]:
            console.print(
                f"languages of {escape(model)} ({len(languages)}): {escape(', '.join(languages))}",
                highlight=False,
                soft_wrap=True,
            )


def describe(provider: Provider, prices: PriceBook | None = None) -> dict[str, Any]:
    from harness.runner.plan.pricing import PriceBook

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
        "models": [
            {"name": o.name, "endpoint": o.endpoint, "clones": o.clones, "price": book.describe(provider, o.name)}
            for o in provider.offerings
        ],
        "plans": _plans(provider, book),
        "languages": _languages(provider),
        "voices": _voices(provider),
        "documentation_drift": [{"topic": d.topic, "note": d.note} for d in provider.doc_drift],
    }


def _prices_table(described: list[dict[str, Any]]) -> Table:
    """Every model's price in one table, its source whole (a URL to check), its read date with what to doubt: the
    list `bench run`'s plan and summary count one line per kind instead of printing a line a model."""
    table = Table(
        title="Prices (stale: read longer ago than --price-max-age; weak: not the provider's own dated page)",
        title_justify="left",
    )
    for column in ("model", "price", "plan", "source", "read"):
        table.add_column(column, overflow="fold", no_wrap=column in ("model", "read"))
    for item in described:
        for model in item["models"]:
            price = model["price"]
            table.add_row(
                escape(f"{item['name']}/{model['name']}"),
                escape(price["price"]),
                escape(price["plan"]),
                escape(price["source"]),
                _read_cell(price),
            )
    return table


def _chosen(known: dict[str, Provider], names: list[str]) -> list[Provider]:
    """The providers named (every one when none is), in the order given; an unknown name is a usage error."""
    if not names:
        return list(known.values())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"{not_known('provider', unknown, known)}; the providers: {', '.join(known)}")
    return [known[name] for name in dict.fromkeys(names)]


def providers_command(
    names: Annotated[
        list[str] | None, typer.Argument(metavar="[NAME]...", help="only these providers, by name [default: every one]")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    plan: Annotated[
        list[str] | None,
        typer.Option(metavar="PROVIDER=PLAN", help="price a provider on a named plan of its price sheet; repeatable"),
    ] = None,
    price_max_age: Annotated[
        int, typer.Option(metavar="DAYS", help="mark a price read longer ago than this stale")
    ] = STALE_AFTER_DAYS,
    prices_only: Annotated[
        bool,
        typer.Option(
            "--prices",
            help="only the prices, one table: every model's price with its whole source and read date, "
            "stale and weak ones marked (what `bench run` counts in its notes)",
        ),
    ] = False,
) -> None:
    """List providers (every one, or those named), their endpoints as "METHOD /path/template", models with their
    prices (unit, plan, source, read date; stale ones marked) and languages, their price sheet's plans and declared
    voices; with --prices, every model's price and its provenance in one table."""
    from harness.core.registry import providers

    try:
        known = providers()
        chosen = _chosen(known, names or [])
        book = _price_book(known, plan, price_max_age)
        described = [describe(p, book) for p in chosen]
    except UsageError as error:  # a broken plugin or providers file: one line, not a traceback
        raise usage.refuse(error) from None
    if as_json:
        typer.echo(json.dumps(described, indent=2))
        return
    console = Console()
    if prices_only:
        console.print(_prices_table(described))
        return
    for item in described:
        key = f"${item['key_env']} as {item['auth']}" if item["key_env"] else "none"
        region = f"; region: ${item['region_env']}" if item["region_env"] else ""
        table = Table(title=f"{item['name']} — {item['title']} (key: {key}{region})", title_justify="left")
        for column in ("endpoint", "role", "statuses", "price"):
            table.add_column(column)
        shared = Counter(ep["endpoint"] for ep in item["endpoints"])
        for ep in item["endpoints"]:
            mark = " [italic](inferred)[/italic]" if ep["inferred"] else ""
            told = f" ({escape(ep['key'])})" if shared[ep["endpoint"]] > 1 else ""  # one request, two answer forms
            table.add_row(ep["endpoint"] + told + mark, ep["role"], " ".join(map(str, ep["statuses"])), ep["price"])
        console.print(table)
        models = Table(title=f"{item['name']} models and prices", title_justify="left")
        for column in ("model", "price", "plan", "source", "read"):
            models.add_column(column, overflow="fold", no_wrap=column in ("model", "read"))  # a name read whole
        for model in item["models"]:
            price = model["price"]
            models.add_row(
                escape(model["name"]),
                escape(price["price"]),
                escape(price["plan"]),
                escape(price["source"]),
                _read_cell(price),
            )
        console.print(models)
        console.print(plans_line(item["name"], item["plans"]), highlight=False, markup=False)
        _print_languages(console, item)
        if item["voices"]:
            console.print(
                "voices: "
                + ", ".join(v["name"] + (f" ({v['label']})" if v.get("label") else "") for v in item["voices"]),
                highlight=False,
            )
        console.print("hosts: " + ", ".join(f"{k} {v}" for k, v in item["hosts"].items()), highlight=False)
