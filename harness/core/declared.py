"""Providers declared in a file rather than written as packages: `tts-harness.toml`, or the
`[tool.tts-harness]` table of `pyproject.toml`. One vocabulary: a table says a provider in the terms of a
built-in declaration, three ways.

A built-in family provider to start from, and what differs (`harness.core.protocols.like` lists every key):

    [providers.gateway]
    like = "openai"                       # a server of the `openai` built-in's API; like =
    base_url = "https://speech-gateway.example.com/v1"   #   "elevenlabs" a self-hosted one of its (socket too)
    key_env = "GATEWAY_SPEECH_KEY"        # or auth = "none" for a server that takes no key
    models = ["kokoro", { name = "tts-1", stream = false }]   # each a copy of the built-in's model of that name
    voices = ["af_bella"]                 #   (else of its first), renamed; voices, formats, prices, limits likewise
    price_per_million_chars = 0

Any built-in declared in a wire family can be started from: the HTTP and WebSocket speech families' (`like.py`)
and the asynchronous jobs family's (`like_jobs.py`: another server of a queued-job API takes base_url, hosts,
key_env, auth, title, a subset of its models, `price_per_request` and deviations; a speech-only key is one line).
A built-in with code of its own (no family declaration) cannot be, and says so.

An older spelling, which keeps working: `protocol = "openai-speech"` (or "elevenlabs", "cartesia",
"deepgram-speak") with the same keys means `like = "<the built-in whose SpeechService.file_protocols lists it>"`:

    [providers.mybox]
    protocol = "openai-speech"
    base_url = "http://gpu-box:8000/v1"
    key_env = "MYBOX_API_KEY"
    models = ["my-tts"]
    voices = ["narrator"]
    price_per_million_chars = 0           # optional: the benchmark's cost column
    max_input_chars = 8000                # optional: any positive limit (default 4096, the `openai` built-in's)
    formats = ["mp3", "wav", "pcm"]       # optional (default: all six)
    sample_rate = 22050                   # optional: the rate of its pcm (default 24000, the `openai` built-in's)
    stream = true                         # optional: the server streams SSE; TTFA is measured

A server no built-in resembles, in the families' own terms: `protocol = "http-speech"` (the HTTP speech family:
`harness.core.protocols.http_speech_file`), with WebSocket sockets beside its endpoint in
`[providers.<name>.sockets.<key>]` tables (the WebSocket speech family's `Socket`:
`harness.core.protocols.websocket_speech_file`).

Which file: the one named by `TTS_HARNESS_PROVIDERS_FILE`, else `tts-harness.toml` in the working
directory, else `pyproject.toml` there if it has a `[tool.tts-harness]` table; none is fine. The file is
read once, validated whole by pydantic into frozen declarations, and any unknown key or bad value is a
`UsageError` of one line naming the file and the key (`tts-harness.toml: providers.mybox.speed: ...`).

A providers file names only its own secret. A file in the working directory may come from anywhere (a
cloned repository), and a live run sends the value of `key_env` to `base_url`; so `key_env` must be a
variable no installed provider and no other declared provider reads, and must look like an API key
(`*_KEY`, `*_TOKEN`, `*_API_KEY`): `HOME`, or an installed provider's key variable, would send something
else's value to that host. The user, not the file, can allow another name:
`TTS_HARNESS_CONFIRM_KEY_ENV=NAME[,NAME...]` (a file could confirm itself). `auth = "none"` declares a
server that takes no key: none is required or sent. A `like` table inherits no key: it names its own (the
built-in's variable is another provider's, refused as any other).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from harness.core import installed
from harness.core.errors import UsageError
from harness.core.names import unknown_key
from harness.core.prices import Rate, parse_prices_table
from harness.core.protocols import declarable
from harness.core.protocols.declaration import ProtocolDeclaration
from harness.core.protocols.like_declaration import LikeDeclaration
from harness.core.spec import Provider

FILE_ENV = "TTS_HARNESS_PROVIDERS_FILE"
FIXTURES_FOLDER = "tts-harness-fixtures"  # beside the providers file: declared providers' recordings
CONFIRM_ENV = "TTS_HARNESS_CONFIRM_KEY_ENV"  # variables the user allows as a declared key_env beyond the rule
SECRET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*_(KEY|TOKEN)$", re.IGNORECASE)  # *_KEY, *_API_KEY, *_TOKEN
FILE_NAME = "tts-harness.toml"
PYPROJECT_TABLE = ("tool", "tts-harness")


class ProvidersFile(BaseModel):
    """The file's top level: `providers`, and `prices` (a team's own rates, `harness.core.prices.user`), so a typo
    (`[provider.x]`) is refused, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when a file is read, not at import

    providers: Mapping[str, Mapping[str, Any]] = {}
    prices: Mapping[str, Any] = {}


@dataclass(frozen=True, slots=True)
class Declared:
    path: Path
    # Each table's declaration: a built-in to start from (`like`, or an old `protocol` a built-in claims), or a
    # declarable protocol's own (`protocol` names it).
    declarations: tuple[ProtocolDeclaration | LikeDeclaration, ...]
    table: tuple[str, ...] = ()  # where the declarations are in the file (`tool.tts-harness` in pyproject)
    # The team's own rates by "provider/model" (`[prices]`): they replace the published ones, said in one line.
    prices: Mapping[str, tuple[Rate, ...]] = field(default_factory=dict)

    def providers(self) -> list[Provider]:
        # The file's path (and table) is each provider's source: titles name the file, limits cite path and key.
        source = f"{self.path} [{'.'.join(self.table)}]" if self.table else str(self.path)
        return [self.provider(d, source) for d in self.declarations]

    def provider(self, declaration: ProtocolDeclaration | LikeDeclaration, source: str) -> Provider:
        if not isinstance(declaration, LikeDeclaration):
            return declarable()[str(getattr(declaration, "protocol", ""))].build(declaration, source)
        where = f"{self.path}: {'.'.join((*self.table, 'providers', declaration.name))}"
        key = "protocol" if declaration.protocol else "like"
        # The built-in families' derivation (their wire modules) loads when a `like` table is read, not with the module
        from harness.core.protocols.like import derive

        try:
            builtin = installed.builtin(declaration.like)
        except UsageError as error:
            raise UsageError(f"{where}.{key}: {error}") from None
        return derive(declaration, builtin, where)


def find_file(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> tuple[Path, tuple[str, ...]] | None:
    """The providers file and the table inside it that holds the declarations (() for the whole file)."""
    env = os.environ if environ is None else environ
    named = env.get(FILE_ENV, "").strip()
    if named:
        path = Path(named)
        if not path.is_file():
            raise UsageError(f"{FILE_ENV}={named}: no such file")
        return path, PYPROJECT_TABLE if path.name == "pyproject.toml" else ()
    here = cwd or Path.cwd()
    if (here / FILE_NAME).is_file():
        return here / FILE_NAME, ()
    pyproject = here / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            return None  # a broken pyproject.toml is not ours to report unless it is named
        if "tts-harness" in data.get("tool", {}):
            return pyproject, PYPROJECT_TABLE
    return None


def fixtures_dir(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """Where the contract suite records and replays the declared providers' fixtures by default: a folder
    beside the providers file, which the user owns (never the installed harness or its checkout). None
    without a providers file."""
    found = find_file(cwd, environ)
    return None if found is None else found[0].resolve().parent / FIXTURES_FOLDER


def _location(table: tuple[str, ...], loc: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in (*table, *loc)) or "(top level)"


def _problem(error: ValidationError, model: type[BaseModel]) -> tuple[tuple[str | int, ...], str]:
    first = error.errors(include_url=False)[0]
    loc = tuple(first["loc"])
    if first["type"] == "extra_forbidden":
        return loc, unknown_key(model, loc)
    if first["type"] == "missing":
        return loc, "required key is missing"
    if first["type"] == "value_error" and not loc:
        # A rule across keys (`_formats_given`) says which key it is about: "sample_rate: why".
        key, _, why = str(first["msg"]).removeprefix("Value error, ").partition(": ")
        return (key,), why
    if first["type"] == "value_error":  # a rule of the declaration's own: its words say what is wrong
        return loc, str(first["msg"]).removeprefix("Value error, ")
    return loc, f"{first['msg']} (got {first.get('input')!r})"


def parse(text: str, path: Path, table: tuple[str, ...] = ()) -> Declared:
    """Every declaration in the file's text; the first problem is a one-line `UsageError`. Its keys and values
    are checked here; a `like` table against its built-in when it is built (`Declared.providers`, which `load`
    does at once)."""
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: not valid TOML: {error}") from None
    for part in table:
        data = data.get(part, {}) if isinstance(data, dict) else {}
    try:
        top = ProvidersFile.model_validate(data)
    except ValidationError as error:
        loc, why = _problem(error, ProvidersFile)
        raise UsageError(f"{path}: {_location(table, loc)}: {why}") from None
    declarations: list[ProtocolDeclaration | LikeDeclaration] = []
    for name, entry in top.providers.items():
        where = (*table, "providers", name)
        if not isinstance(entry, Mapping):
            raise UsageError(f"{path}: {'.'.join(where)}: must be a table")
        spelled = str(entry.get("protocol"))
        if "like" in entry and "protocol" in entry:
            raise UsageError(
                f"{path}: {'.'.join(where)}.protocol: give `like` (the built-in to start from) or the "
                "older `protocol`, not both"
            )
        # An old `protocol = "X"` table means `like = <the built-in claiming X>` (SpeechService.file_protocols).
        owner = None if "like" in entry or "protocol" not in entry else installed.file_protocols().get(spelled)
        # A protocol no built-in claims is served by its module in `declarable()`: http-speech, the family in a file's
        # own terms (its sockets beside it).
        protocol = None if "like" in entry or owner is not None else declarable().get(spelled)
        if protocol is None and owner is None and "like" not in entry:
            known = dict.fromkeys((*declarable(), *installed.file_protocols()))
            raise UsageError(
                f"{path}: {'.'.join(where)}.protocol: must be one of "
                f'{", ".join(map(repr, known))} (or like = "<built-in provider>"), '
                f"got {entry.get('protocol')!r}"
            )
        try:
            keyless = entry.get("auth") == "none"
            if keyless == ("key_env" in entry):
                why = (
                    'auth = "none" sends no key: remove it'
                    if keyless
                    else 'required key is missing (auth = "none" declares a server that takes no key)'
                )
                raise UsageError(f"{path}: {'.'.join(where)}.key_env: {why}")
            if protocol is not None:
                declarations.append(protocol.declaration.model_validate({**entry, "name": name}))
            else:
                like = {**entry, "like": owner, "protocol": spelled} if owner is not None else entry
                declarations.append(LikeDeclaration.model_validate({**like, "name": name}))
        except ValidationError as error:
            loc, why = _problem(error, LikeDeclaration if protocol is None else protocol.declaration)
            key = "name (the table's name: lower-case letters, digits, - and _)" if loc == ("name",) else None
            raise UsageError(
                f"{path}: {_location(where, loc) if key is None else '.'.join(where)}: {key or why}"
            ) from None
    prices = parse_prices_table(top.prices, f"{path}: {_location(table, ('prices',))}")
    return Declared(path, tuple(declarations), table, prices)


def check_key_envs(found: Declared, claimed: Mapping[str, str], environ: Mapping[str, str]) -> None:
    """The rule of the module docstring: each declared `key_env` is the declaration's own secret, or one
    the user confirmed in `CONFIRM_ENV`. `claimed`: variable -> the installed provider that reads it."""
    confirmed = {name.strip() for name in environ.get(CONFIRM_ENV, "").split(",") if name.strip()}
    readers = dict(claimed)
    for declaration in found.declarations:
        variable = declaration.key_env
        if not variable or variable in confirmed:
            continue
        where = f"{found.path}: {'.'.join((*found.table, 'providers', declaration.name))}.key_env"
        allow = f"if you mean to send ${variable} to {declaration.url}, confirm it: {CONFIRM_ENV}={variable}"
        if variable in readers:
            raise UsageError(
                f"{where}: {variable} is the key of {readers[variable]}; a providers file names only "
                f"its own secret ({allow})"
            )
        if not SECRET_NAME.match(variable):
            raise UsageError(
                f"{where}: {variable} does not look like an API key variable (*_KEY, *_TOKEN, *_API_KEY) ({allow})"
            )
        readers[variable] = f"the declared provider {declaration.name}"


def load(
    cwd: Path | None = None, environ: Mapping[str, str] | None = None, claimed: Mapping[str, str] = MappingProxyType({})
) -> Declared | None:
    """The declarations of the file in effect (see the module docstring), or None when there is none;
    `claimed` maps the installed providers' key variables to their names (`check_key_envs`)."""
    env = os.environ if environ is None else environ
    found = find_file(cwd, env)
    if found is None:
        return None
    path, table = found
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot be read: {error}") from None
    declared = parse(text, path, table)
    for declaration in declared.declarations:  # a table starting from a built-in is checked against it when the
        if isinstance(declaration, LikeDeclaration):  # file is read, not at first use
            declared.provider(declaration, "")
    check_key_envs(declared, claimed, env)
    return declared
