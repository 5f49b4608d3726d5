"""Keeping secrets out of everything the harness writes: fixtures, reports, logs, rows, messages.

Three layers:
- headers that carry credentials are replaced wholesale (`redact_headers`);
- every known secret value (the keys in use) is replaced wherever it appears in text, in each form a
  server may echo it back in — raw, URL-encoded, JSON-escaped and base64 (at any byte alignment, so a key
  inside a longer base64 blob such as `Basic user:key` is found too) — as schemathesis does with `[Filtered]`;
- text is redacted *before* it is cut to a length (`Redactor.cut`): cutting first can leave a partial key
  straddling the cut that no longer matches anything.

`Redactor` is the one place that does it; `Secret` keeps a key out of `repr()` (pytest `-l`, JUnit XML,
dataclass reprs) while it is used as an ordinary string.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

FILTERED = "[Filtered]"
SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "ocp-apim-subscription-key",
        "x-api-key",
        "api-key",
        "cookie",
        "set-cookie",
        "proxy-authorization",
    }
)
MIN_SECRET_LENGTH = 4  # shorter values would mangle ordinary text wherever they occur
_MIN_BASE64_FRAGMENT = 8  # a shorter base64 fragment is too likely to occur by chance in other base64


class Secret(str):
    """A key that behaves as its value everywhere except in `repr()`, which shows `[Filtered]`.

    Objects that hold keys (targets, configs) are printed by pytest `-l`, by failing assertions and by
    dataclass reprs; those go through `repr()`, so a key held as a `Secret` never reaches them.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(FILTERED)


def known_secrets(env_names: Iterable[str], environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The values of the given environment variables that are set (keys shorter than 4 are ignored:
    replacing them everywhere would mangle ordinary text)."""
    source = os.environ if environ is None else environ
    return tuple(Secret(v) for name in env_names if len(v := source.get(name, "")) >= MIN_SECRET_LENGTH)


def _base64_fragments(secret: bytes) -> set[str]:
    """The part of the base64 encoding that depends only on `secret`, at each of the three byte alignments
    it can have inside a longer encoded value, in the standard and URL-safe alphabets."""
    fragments: set[str] = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + secret).decode("ascii")
        start = -(-8 * offset // 6)  # first character made only of secret bits
        end = (8 * offset + 8 * len(secret)) // 6  # past the last such character
        fragment = encoded[start:end]
        if len(fragment) >= _MIN_BASE64_FRAGMENT:
            fragments.add(fragment)
            fragments.add(fragment.replace("+", "-").replace("/", "_"))
    return fragments


def secret_forms(secret: str) -> frozenset[str]:
    """Every form of `secret` that a server or a serializer may write it in."""
    forms = {
        secret,
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        json.dumps(secret)[1:-1].replace("/", "\\/"),
    }
    forms |= _base64_fragments(secret.encode("utf-8"))
    # A JSON body quoted inside another JSON string (an error body echoed in an error message) escapes
    # each form once more.
    forms |= {json.dumps(form)[1:-1] for form in forms}
    return frozenset(f for f in forms if len(f) >= MIN_SECRET_LENGTH)


@lru_cache(maxsize=64)
def _pattern(secrets: tuple[str, ...]) -> re.Pattern[str] | None:
    forms = {form for secret in secrets if len(secret) >= MIN_SECRET_LENGTH for form in secret_forms(secret)}
    if not forms:
        return None
    # Longest first, so a form that contains another is replaced whole.
    return re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))


@dataclass(frozen=True)
class Redactor:
    """Redacts the given secrets in every form; the one place text is cleaned before it is written."""

    secrets: tuple[str, ...] = ()
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        cleaned = tuple(sorted({str(s) for s in self.secrets if len(s) >= MIN_SECRET_LENGTH}))
        object.__setattr__(self, "secrets", tuple(Secret(s) for s in cleaned))
        object.__setattr__(self, "_pattern", _pattern(cleaned))

    def text(self, text: str) -> str:
        return text if self._pattern is None else self._pattern.sub(FILTERED, text)

    def cut(self, text: str, limit: int) -> str:
        """Redact, then cut to `limit` characters (never the other way round)."""
        cleaned = self.text(text)
        return cleaned if len(cleaned) <= limit else cleaned[: max(0, limit - 1)] + "…"

    def value(self, value: Any) -> Any:
        """Any JSON-like value with every string inside it redacted (keys of mappings included)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.value(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.value(v) for v in value)
        return value

    def headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        return {name: FILTERED if name.lower() in SENSITIVE_HEADERS else self.text(value)
                for name, value in headers.items()}

    def __repr__(self) -> str:
        return f"Redactor({len(self.secrets)} secrets)"


def redact_text(text: str, secrets: Iterable[str]) -> str:
    return Redactor(tuple(secrets)).text(text)


def redact_headers(headers: Mapping[str, str], secrets: Iterable[str] = ()) -> dict[str, str]:
    return Redactor(tuple(secrets)).headers(headers)
