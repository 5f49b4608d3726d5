"""`tts-harness contract check`: validate a payload captured elsewhere against a provider's spec.

Exit codes: 0 valid, 1 contract violation, 2 usage error (unknown provider or endpoint, unreadable
file, bad options).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from harness.cli import usage
from harness.core.errors import UsageError
from harness.core.verdict import Verdict, Violation

# The providers and the checks are loaded when a payload is checked (`_resolve`, `_verdict`), not with the command:
# `tts-harness --help` imports every command's module.
if TYPE_CHECKING:
    from harness.core.spec import Endpoint, Provider

contract_app = typer.Typer(
    help="The contract suite (run, record), recordings compared (diff), saved payloads checked (check).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
_out = Console()
_err = Console(stderr=True, soft_wrap=True)  # one error, one line


_usage = usage.refuse


def _load(path: Path) -> tuple[bool, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise _usage(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise _usage(f"{path} is not UTF-8 text (a binary file?): pass the saved JSON body") from None
    try:
        return True, json.loads(text)
    except RecursionError:
        raise _usage(f"{path} nests JSON deeper than this checker reads: not a provider payload") from None
    except ValueError as error:
        return False, f"malformed JSON ({error})"


def _resolve(provider_name: str, endpoint_name: str) -> tuple[Provider, Endpoint]:
    from harness.core.registry import get_provider

    try:
        provider = get_provider(provider_name)
    except UsageError as error:
        raise _usage(str(error)) from None
    try:
        return provider, provider.endpoint(endpoint_name)
    except KeyError as error:
        raise _usage(str(error.args[0])) from None


def _verdict(endpoint: Endpoint, path: Path, status: int | None, request: bool, lifecycle: bool) -> Verdict:
    from harness.core.validate import check_json, check_request_json

    parsed, data = _load(path)
    if not parsed:
        return Verdict((Violation("", "a JSON document", str(data), "protocol"),))
    if lifecycle:
        if endpoint.lifecycle is None:
            raise _usage(f"{endpoint.signature} has no job lifecycle")
        if not isinstance(data, list):
            return Verdict((Violation("", "a JSON array of status bodies", type(data).__name__, "schema"),))
        not_bodies = [
            Violation(f"/{index}", "a status body (a JSON object)", type(body).__name__, "schema")
            for index, body in enumerate(data)
            if not isinstance(body, dict)
        ]
        if not_bodies:  # the sequence cannot be read as states: say which items are not bodies, nothing more
            return Verdict(tuple(not_bodies))
        found = list(endpoint.lifecycle.check_sequence(data))
        for index, body in enumerate(data):
            found += [
                Violation(f"/{index}{v.pointer}", v.expected, v.got, v.rule)
                for v in check_json(endpoint, 200, body).violations
                if not v.pointer.endswith("/status")
            ]
        return Verdict(tuple(found))
    if request:
        return check_request_json(endpoint, data)
    return check_json(endpoint, status if status is not None else endpoint.success_status, data)


@contract_app.command("check")
def check_command(
    provider: Annotated[
        str,
        typer.Argument(
            help="a provider, built in or declared in a providers file (`tts-harness providers` lists them)"
        ),
    ],
    endpoint: Annotated[str, typer.Argument(help='"METHOD /path/template" as the documents write it, or its key')],
    file: Annotated[Path | None, typer.Argument(help="JSON body to check")] = None,
    status: Annotated[int | None, typer.Option(help="HTTP status the body came with (error bodies)")] = None,
    request: Annotated[bool, typer.Option("--request", help="FILE is a request body")] = False,
    lifecycle: Annotated[Path | None, typer.Option(help="JSON array of successive status bodies of one job")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Validate a saved response (or request, or job status sequence) against the spec."""
    _, chosen = _resolve(provider, endpoint)
    source = lifecycle or file
    if source is None:
        raise _usage("give FILE, or --lifecycle FILE")
    if request and (status is not None or lifecycle):
        raise _usage("--request checks a request body; it takes neither --status nor --lifecycle")
    verdict = _verdict(chosen, source, status, request, lifecycle is not None)
    if as_json:
        document = {
            "provider": provider,
            "endpoint": chosen.signature,
            "valid": verdict.ok,
            "violations": [v.as_dict() for v in verdict.violations],
            "drift": [d.as_dict() for d in verdict.drift],
        }
        typer.echo(json.dumps(document, indent=2))
    else:
        for violation in verdict.violations:
            _out.print(
                f"[red]violation[/red] {violation.pointer or '/'}: expected {violation.expected}; got {violation.got}",
                highlight=False,
            )
        for drift in verdict.drift:
            _out.print(f"[yellow]drift[/yellow] {drift.pointer or '/'}: {drift.note}", highlight=False)
        _out.print("[green]valid[/green]" if verdict.ok else f"{len(verdict.violations)} violation(s)")
    raise typer.Exit(0 if verdict.ok else 1)
