"""`tts-harness providers`: what the harness knows — endpoints (inferred ones marked), prices, models, and the voices
a wire-family declaration lists."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from harness.cli import usage
from harness.core.errors import UsageError
from harness.core.registry import providers
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


def describe(provider: Provider) -> dict[str, Any]:
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
        "models": [{"name": o.name, "endpoint": o.endpoint, "clones": o.clones} for o in provider.offerings],
        "voices": _voices(provider),
        "documentation_drift": [{"topic": d.topic, "note": d.note} for d in provider.doc_drift],
    }


def providers_command(
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """List providers, their endpoints as "METHOD /path/template", prices, models and declared voices."""
    try:
        described = [describe(p) for p in providers().values()]
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
        console.print("models: " + ", ".join(m["name"] for m in item["models"]), highlight=False)
        if item["voices"]:
            console.print("voices: " + ", ".join(v["name"] + (f" ({v['label']})" if v.get("label") else "")
                                                   for v in item["voices"]), highlight=False)
        console.print("hosts: " + ", ".join(f"{k} {v}" for k, v in item["hosts"].items()), highlight=False)
