"""Providers declared in a file rather than written as packages: `tts-harness.toml`, or the
`[tool.tts-harness]` table of `pyproject.toml`.

    [providers.mybox]
    protocol = "openai-speech"            # or elevenlabs | cartesia | deepgram-speak (harness.core.protocols)
    base_url = "http://gpu-box:8000/v1"
    key_env = "MYBOX_API_KEY"
    models = ["my-tts"]
    voices = ["narrator"]
    price_per_million_chars = 0           # optional: the benchmark's cost column
    max_input_chars = 4096                # optional (the protocol's limit is the default and the maximum)
    formats = ["mp3", "wav"]              # optional (default: all six)
    stream = true                         # optional: the server streams SSE; TTFA is measured

Which file: the one named by `TTS_HARNESS_PROVIDERS_FILE`, else `tts-harness.toml` in the working
directory, else `pyproject.toml` there if it has a `[tool.tts-harness]` table; none is fine. The file is
read once, validated whole by pydantic into frozen declarations, and any unknown key or bad value is a
`UsageError` of one line naming the file and the key (`tts-harness.toml: providers.mybox.speed: ...`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from harness.core.errors import UsageError
from harness.core.protocols import DECLARABLE
from harness.core.spec import Provider

FILE_ENV = "TTS_HARNESS_PROVIDERS_FILE"
FILE_NAME = "tts-harness.toml"
PYPROJECT_TABLE = ("tool", "tts-harness")


class ProvidersFile(BaseModel):
    """The file's top level: only `providers` so far, so a typo (`[provider.x]`) is refused, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    providers: Mapping[str, Mapping[str, Any]] = {}


@dataclass(frozen=True, slots=True)
class Declared:
    path: Path
    declarations: tuple[BaseModel, ...]  # each its protocol's declaration (a `protocol` field names it)

    def providers(self) -> list[Provider]:
        return [DECLARABLE[str(getattr(d, "protocol", ""))].build(d, self.path.name) for d in self.declarations]


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


def _location(table: tuple[str, ...], loc: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in (*table, *loc)) or "(top level)"


def _problem(error: ValidationError) -> tuple[tuple[str | int, ...], str]:
    first = error.errors(include_url=False)[0]
    loc = tuple(first["loc"])
    if first["type"] == "extra_forbidden":
        return loc, "unknown key"
    if first["type"] == "missing":
        return loc, "required key is missing"
    return loc, f"{first['msg']} (got {first.get('input')!r})"


def parse(text: str, path: Path, table: tuple[str, ...] = ()) -> Declared:
    """Every declaration in the file's text; the first problem is a one-line `UsageError`."""
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: not valid TOML: {error}") from None
    for part in table:
        data = data.get(part, {}) if isinstance(data, dict) else {}
    try:
        top = ProvidersFile.model_validate(data)
    except ValidationError as error:
        loc, why = _problem(error)
        raise UsageError(f"{path}: {_location(table, loc)}: {why}") from None
    declarations = []
    for name, entry in top.providers.items():
        where = (*table, "providers", name)
        if not isinstance(entry, Mapping):
            raise UsageError(f"{path}: {'.'.join(where)}: must be a table")
        protocol = DECLARABLE.get(str(entry.get("protocol")))
        if protocol is None:
            raise UsageError(f"{path}: {'.'.join(where)}.protocol: must be one of "
                             f"{', '.join(map(repr, DECLARABLE))}, got {entry.get('protocol')!r}")
        try:
            declarations.append(protocol.declaration.model_validate({**entry, "name": name}))
        except ValidationError as error:
            loc, why = _problem(error)
            key = "name (the table's name: lower-case letters, digits, - and _)" if loc == ("name",) else None
            raise UsageError(f"{path}: {_location(where, loc) if key is None else '.'.join(where)}: "
                             f"{key or why}") from None
    return Declared(path, tuple(declarations))


def load(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> Declared | None:
    """The declarations of the file in effect (see the module docstring), or None when there is none."""
    found = find_file(cwd, environ)
    if found is None:
        return None
    path, table = found
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot be read: {error}") from None
    return parse(text, path, table)
