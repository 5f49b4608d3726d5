"""What every provider declared with a realtime protocol says in its `[providers.<name>]` table.

Every declarable protocol (`openai-speech`, `elevenlabs`, `cartesia`, `deepgram-speak`) takes the same keys
— `base_url`, `key_env`, `models`, `voices`, `title`, `price_per_million_chars` — plus the output formats
it serves (each protocol's own names). A protocol's declaration class adds `protocol`, `formats` and its
own keys; the rest is here, validated once when the providers file is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import partial
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from harness.core.spec import Cost, CostUnit, PriceFunction


class ProtocolDeclaration(BaseModel):
    """The keys every protocol's declaration has (a subclass adds `protocol`, `formats`, its own keys)."""

    # defer_build (inherited by every protocol's declaration): a validator is built when a providers file is first
    # read, not when the module is imported (every CLI start imports it, few read a file).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")
    base_url: HttpUrl  # the API's root as the provider's SDKs take it; its WebSocket origin is ws(s)://
    key_env: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    models: tuple[str, ...] = Field(min_length=1)
    voices: tuple[str, ...] = Field(min_length=1)
    title: str = ""
    price_per_million_chars: Decimal | None = Field(None, ge=0)
    # A model's own price where the provider prices its models apart (a built-in provider's declaration
    # quotes each); a model not named here costs `price_per_million_chars`.
    model_prices: Mapping[str, Decimal] = Field(default_factory=dict)  # USD per million characters

    @field_validator("models", "voices")
    @classmethod
    def _distinct(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        if any(not name.strip() for name in names) or len(set(names)) != len(names):
            raise ValueError("must be distinct, non-empty names")
        return names

    @model_validator(mode="after")
    def _formats_given(self) -> ProtocolDeclaration:
        if not getattr(self, "formats", True):
            raise ValueError("formats: give at least one of " + ", ".join(self.format_choices()))
        return self

    @classmethod
    def format_choices(cls) -> tuple[str, ...]:
        """The names a subclass's `formats` (a tuple of a Literal) accepts."""
        field = cls.model_fields.get("formats")
        if field is None:
            return ()
        (item, *_) = get_args(field.annotation) or (None,)
        return tuple(str(value) for value in get_args(item))

    @model_validator(mode="after")
    def _priced_models_declared(self) -> ProtocolDeclaration:
        unknown = sorted(set(self.model_prices) - set(self.models))
        if unknown:
            raise ValueError(f"model_prices: {', '.join(unknown)} not among the models")
        return self

    def cost_of(self, characters: int, model: str) -> Cost | None:
        """What `characters` of text cost on `model`: its own price, else the declaration's; None: unpriced.
        The one rule the benchmark (`price_function`) and the sandbox's wallets (its sockets) both apply."""
        per_million = self.model_prices.get(model, self.price_per_million_chars)
        if per_million is None:
            return None
        return Cost(Decimal(characters) * per_million / Decimal(1_000_000), CostUnit.USD)

    def price_function(self, text_field: str, model_field: str = "") -> PriceFunction | None:
        """What a request costs: its `text_field`'s characters at its model's price (the model read from
        `model_field` of the request, or the only model), else the declaration's; None when nothing is priced."""
        if not self.model_prices and self.price_per_million_chars is None:
            return None
        return partial(_price, self, text_field, model_field)

    @property
    def url(self) -> str:
        return str(self.base_url).rstrip("/")

    def describe(self, protocol_title: str, source: str) -> str:
        origin = f", declared in {source.rsplit('/', 1)[-1]}" if source else ""  # the file's name, not its path
        return self.title or f"{self.name} ({protocol_title}{origin})"


def _price(
    declaration: ProtocolDeclaration, text_field: str, model_field: str, payload: Mapping[str, Any]
) -> Cost | None:
    model = str(payload.get(model_field, "")) if model_field else ""
    if not model and len(declaration.models) == 1:
        model = declaration.models[0]
    return declaration.cost_of(len(str(payload.get(text_field, ""))), model)
