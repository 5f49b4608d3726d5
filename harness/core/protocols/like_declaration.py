"""The table of a `like = "<built-in name>"` providers-file entry (`like.py` lists its keys), and the rules on it that
every family's `like` path shares: where the built-in's hosts go (`placed`) and how the key travels (`sends_key`).
Its own module so that each family's path (`like.py` for the speech families, `like_jobs.py` for the jobs family)
reads it without reading the other."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator, model_validator

from harness.core.errors import UsageError
from harness.core.names import unknown_key
from harness.core.spec import Auth

NAME = r"^[a-z][a-z0-9_-]{0,39}$"


class DeclaredModel(BaseModel):
    """A model written as a table: its name and whether it streams (None: the table's `stream`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built on first use, not at import

    name: str = Field(min_length=1)
    stream: bool | None = None


class LikeDeclaration(BaseModel):
    """One `[providers.<name>]` table starting from a built-in (`like`), or an old `protocol = "X"` table that a
    built-in claims (`SpeechService.file_protocols`; `protocol` then keeps the name the file used)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built on first use, not at import

    name: str = Field(pattern=NAME)
    like: str = Field(pattern=NAME)
    protocol: str = ""
    base_url: HttpUrl | None = None
    hosts: Mapping[str, HttpUrl] = Field(default_factory=dict)
    auth: Literal["key", "bearer", "none"] = "key"
    key_env: str = Field("", pattern=r"^([A-Za-z_][A-Za-z0-9_]*)?$")
    models: tuple[DeclaredModel, ...] | None = Field(None, min_length=1)
    voices: tuple[str, ...] | None = Field(None, min_length=1)
    formats: tuple[str, ...] | None = Field(None, min_length=1)
    sample_rate: int | None = Field(None, ge=8000, le=192_000)
    price_per_million_chars: Decimal | None = Field(None, ge=0)
    price_per_request: Decimal | None = Field(None, ge=0)  # the jobs family's unit: a queued job is priced whole
    model_prices: Mapping[str, Decimal] = Field(default_factory=dict)
    max_input_chars: int | None = Field(None, ge=1)
    stream: bool | None = None
    title: str = ""
    deviations: Mapping[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _model_tables(cls, data: Any) -> Any:
        """`models` holds names or tables; a bad table is one line naming its place (`models.1.speed: unknown key`)."""
        entries = data.get("models") if isinstance(data, Mapping) else None
        if not isinstance(entries, list | tuple):
            return data
        models: list[Any] = []
        for index, entry in enumerate(entries):
            if isinstance(entry, str):
                models.append({"name": entry})
                continue
            if not isinstance(entry, Mapping):
                models.append(entry)
                continue
            try:
                models.append(DeclaredModel.model_validate(entry))
            except ValidationError as error:
                first = error.errors(include_url=False)[0]
                why = {
                    "extra_forbidden": unknown_key(DeclaredModel, tuple(first["loc"])),
                    "missing": "required key is missing",
                }.get(first["type"], f"{first['msg']} (got {first.get('input')!r})")
                raise ValueError(f"{'.'.join(map(str, ('models', index, *first['loc'])))}: {why}") from None
        return {**data, "models": models}

    @field_validator("voices", "formats")
    @classmethod
    def _distinct(cls, names: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if names is not None and (any(not name.strip() for name in names) or len(set(names)) != len(names)):
            raise ValueError("must be distinct, non-empty names")
        return names

    @field_validator("deviations")
    @classmethod
    def _check_names(cls, deviations: Mapping[str, str]) -> Mapping[str, str]:
        bad = sorted(
            name
            for name, why in deviations.items()
            if not re.match(r"^[a-z0-9][a-z0-9_-]*$", name) or not str(why).strip()
        )
        if bad:
            raise ValueError(f"{', '.join(bad)}: a check's name (lower-case words joined by -), with why")
        return dict(deviations)

    @model_validator(mode="after")
    def _consistent(self) -> LikeDeclaration:
        if (self.auth == "none") == bool(self.key_env):
            raise ValueError('key_env: required unless auth = "none", which sends no key and takes none')
        if self.models is not None:
            names = [model.name for model in self.models]
            if len(set(names)) != len(names):
                raise ValueError("models: must be distinct, non-empty names")
        return self

    @property
    def url(self) -> str:
        """Where the key goes (for the key rules' message)."""
        if self.base_url is not None:
            return str(self.base_url).rstrip("/")
        if self.hosts:
            return ", ".join(str(url).rstrip("/") for url in self.hosts.values())
        return f"the hosts of {self.like}"

    def placed(self, builtin: str, hosts: Mapping[str, str], where: str) -> dict[str, str]:
        """The built-in's hosts (`builtin` names it) as the table places them: every one at `base_url`, then each
        `hosts` entry apart; a host the built-in has not is one line listing the ones it has. Both families'
        rule: a `like` table says where the built-in's servers are, whatever they serve."""
        found = dict(hosts)
        if self.base_url is not None:
            found = dict.fromkeys(found, str(self.base_url).rstrip("/"))
        for name, url in self.hosts.items():
            if name not in found:
                raise UsageError(f"{where}.hosts.{name}: not a host of {builtin} (its hosts: {', '.join(found)})")
            found[name] = str(url).rstrip("/")
        return found

    def sends_key(self, builtin: Auth) -> Auth:
        """How the key travels: as the built-in sends it, or `Authorization: Bearer` where the table says so (a
        keyless table sends none whatever this says)."""
        return Auth(header="Authorization", scheme="Bearer") if self.auth == "bearer" else builtin
