"""Keeping secrets out of everything the harness writes: fixtures, reports, logs, rows, messages.

Four layers:
- headers that carry credentials are replaced wholesale (`redact_headers`);
- credentials in a URL's userinfo (`http://user:password@host`) are removed from every URL the harness
  stores or prints (`without_userinfo` for a URL, and in any text by `Redactor.text`);
- every known secret value (the keys in use) is replaced wherever it appears in text, in each form a
  server or a serializer may write it in (`secret_forms`): raw, reversed, URL-encoded (the usual way, and
  every byte, in either case of hex digits), JSON-escaped (once
  and twice), JSON-Pointer-escaped (`~0`, `~1`: a key echoed as a field name becomes a drift pointer),
  Python `repr()`, shell-quoted, HTML-escaped, hex (lower and upper case) and base64 (at any byte alignment,
  so a key inside a longer base64 blob such as `Basic user:key` is found too) — as schemathesis does with
  `[Filtered]`. Not only whole forms: any piece of 8 or more characters of a form (a key split across two
  fields, 20 of its 22 characters) is replaced too (see "Fragments" below);
- text is redacted *before* it is cut to a length (`Redactor.cut`): cutting first can leave a partial key
  straddling the cut that no longer matches anything.

Fragments. Every 8-character substring of every form is kept in a set (`FRAGMENT_LENGTH`); the text is
read in 4-character blocks every 5 characters — any 8-character occurrence contains one such block
whole — and only where a block belongs to some fragment are the 8-character windows around it looked up.
One set lookup per 5 characters: about 20 ms per megabyte, however many keys (no automaton, no giant
alternation). Each maximal run of matched windows becomes one `[Filtered]`. Two guards keep ordinary text
intact: a fragment counts on its own only when it could not be ordinary text — it holds a digit or mixes
upper and lower case, as every 8 characters of a random key do, but not `sandbox-` or `PLANTED/` (a key
of one-case letters only is still replaced whole, in every form); and a fragment made only of hex digits
of one case must be 12 long (`HEX_FRAGMENT_LENGTH`): 8 hex digits are 32 bits, which the SHA-256 digests
the harness writes by the thousand would match by chance now and then.

`Redactor` is the one place that does it; `Secret` keeps a key out of `repr()` (pytest `-l`, JUnit XML,
dataclass reprs) while it is used as an ordinary string.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus, unquote, urlsplit

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
FRAGMENT_LENGTH = 8  # the shortest piece of a key that is replaced on its own
HEX_FRAGMENT_LENGTH = 12  # ... when the piece is only hex digits (48 bits: no digest matches it by chance)
_BLOCK = 4  # the text is probed in blocks this long, one every (fragment length - _BLOCK + 1) characters
_MIN_BASE64_FRAGMENT = 8  # a shorter base64 fragment is too likely to occur by chance in other base64
_HEX_DIGITS = frozenset(string.hexdigits)

# `scheme://userinfo@` (also JSON-escaped `scheme:\/\/`): what goes before the host is a credential.
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*:(?:\\?/){2})(?P<userinfo>[^\s/\\?#\[\]<>\"'`]+)@")


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


# --- URLs ----------------------------------------------------------------------------------------------


def without_userinfo(url: str) -> str:
    """`url` with any `user:password@` removed: the form of a URL that may be stored or printed."""
    return _USERINFO.sub(r"\g<scheme>", url)


def userinfo_secrets(url: str) -> tuple[str, ...]:
    """The credentials a URL carries in its userinfo (user and password, decoded), to be redacted wherever
    else they appear (an echo in an error body, a `Basic` header's base64)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ()
    found = (parts.username, parts.password)
    return tuple(Secret(unquote(v)) for v in found if v and len(unquote(v)) >= MIN_SECRET_LENGTH)


# --- the forms of a key --------------------------------------------------------------------------------


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


def pointer_escaped(name: str) -> str:
    """A field name as a JSON Pointer (RFC 6901) writes it: `~` as `~0`, `/` as `~1`."""
    return name.replace("~", "~0").replace("/", "~1")


def secret_forms(secret: str) -> frozenset[str]:
    """Every form of `secret` that a server or a serializer may write it in."""
    raw = secret.encode("utf-8")
    url = quote(secret, safe="")
    forms = {
        secret,
        secret[::-1],
        url,
        re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), url),  # some servers write %2f
        quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        json.dumps(secret)[1:-1].replace("/", "\\/"),
        repr(secret)[1:-1],  # a key holding both quote characters: repr escapes one of them
        ascii(secret)[1:-1],
        pointer_escaped(secret),
        secret.replace("'", "'\"'\"'"),  # inside a shell-quoted argument (curl lines)
        html.escape(secret),
        html.escape(secret).replace("&quot;", "&#34;").replace("&#x27;", "&#39;"),  # as Jinja writes it
        raw.hex(),
        raw.hex().upper(),
        # Every byte percent-encoded, letters and digits included (a server that escapes the whole value):
        # either case of hex digits.
        "".join(f"%{byte:02X}" for byte in raw),
        "".join(f"%{byte:02x}" for byte in raw),
    }
    forms |= _base64_fragments(raw)
    # A JSON body quoted inside another JSON string (an error body echoed in an error message) escapes
    # each form once more; a pointer to a field named by an escaped form is escaped again.
    forms |= {json.dumps(form)[1:-1] for form in forms} | {pointer_escaped(form) for form in forms}
    return frozenset(f for f in forms if len(f) >= MIN_SECRET_LENGTH)


def _could_be_ordinary_text(piece: str) -> bool:
    """No digit and one case only (`sandbox-`, `PLANTED/`): such a piece is not replaced on its own."""
    return not any(c.isdigit() for c in piece) and not (
        any(c.isupper() for c in piece) and any(c.islower() for c in piece)
    )


def _pieces(form: str) -> dict[int, set[str]]:
    """The distinctive pieces of one form, by length: 8 characters, or 12 where they are all hex digits."""
    found: dict[int, set[str]] = {FRAGMENT_LENGTH: set(), HEX_FRAGMENT_LENGTH: set()}
    for length in found:
        for start in range(len(form) - length + 1):
            piece = form[start : start + length]
            hex_only = _HEX_DIGITS.issuperset(piece) and piece in (piece.lower(), piece.upper())
            if _could_be_ordinary_text(piece) or hex_only != (length == HEX_FRAGMENT_LENGTH):
                continue
            found[length].add(piece)
    return found


def _covered(form: str, pieces: Mapping[int, frozenset[str]]) -> bool:
    """Whether the pieces alone replace every character of the form (then it needs no whole match)."""
    covered = [False] * len(form)
    for length, table in pieces.items():
        for start in range(len(form) - length + 1):
            if form[start : start + length] in table:
                covered[start : start + length] = [True] * length
    return all(covered)


@dataclass(frozen=True, slots=True)
class _Pieces:
    """The fragments of one length, and the blocks that announce them (see the module docstring)."""

    length: int
    table: frozenset[str]
    blocks: frozenset[str]

    @classmethod
    def of(cls, length: int, table: Iterable[str]) -> _Pieces:
        pieces = frozenset(table)
        return cls(length, pieces, frozenset(p[i : i + _BLOCK] for p in pieces for i in range(length - _BLOCK + 1)))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where a fragment occurs: one probe every `stride` characters, the windows around a hit looked up."""
        length, table, blocks = self.length, self.table, self.blocks
        if not table or len(text) < length:
            return []
        stride, last = length - _BLOCK + 1, len(text) - length
        found = []
        for block in range(0, len(text) - _BLOCK + 1, stride):
            if text[block : block + _BLOCK] in blocks:
                for start in range(max(0, block - stride + 1), min(block, last) + 1):
                    if text[start : start + length] in table:
                        found.append((start, start + length))
        return found


@dataclass(frozen=True, slots=True)
class _Needles:
    whole: re.Pattern[str] | None  # forms the fragments do not cover entirely (short or one-case keys)
    pieces: tuple[_Pieces, ...]


@lru_cache(maxsize=64)
def _needles(secrets: tuple[str, ...]) -> _Needles:
    forms = {form for secret in secrets for form in secret_forms(secret)}
    found: dict[int, set[str]] = {FRAGMENT_LENGTH: set(), HEX_FRAGMENT_LENGTH: set()}
    for form in forms:
        for length, pieces in _pieces(form).items():
            found[length] |= pieces
    tables = {length: frozenset(pieces) for length, pieces in found.items()}
    whole = sorted((f for f in forms if not _covered(f, tables)), key=len, reverse=True)  # longest first
    return _Needles(
        re.compile("|".join(re.escape(f) for f in whole)) if whole else None,
        tuple(_Pieces.of(length, table) for length, table in tables.items() if table),
    )


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Redactor:
    """Redacts the given secrets in every form, and URL userinfo; the one place text is cleaned before it
    is written."""

    secrets: tuple[str, ...] = ()
    _needles: _Needles = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        cleaned = tuple(sorted({str(s) for s in self.secrets if len(s) >= MIN_SECRET_LENGTH}))
        object.__setattr__(self, "secrets", tuple(Secret(s) for s in cleaned))
        object.__setattr__(self, "_needles", _needles(cleaned))

    def text(self, text: str) -> str:
        if "@" in text:
            text = without_userinfo(text)
        needles = self._needles
        spans = [m.span() for m in needles.whole.finditer(text)] if needles.whole is not None else []
        for pieces in needles.pieces:
            spans += pieces.spans(text)
        if not spans:
            return text
        parts, position = [], 0
        for start, end in _merged(spans):
            parts += [text[position:start], FILTERED]
            position = end
        parts.append(text[position:])
        return "".join(parts)

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
        return {
            name: FILTERED if name.lower() in SENSITIVE_HEADERS else self.text(value) for name, value in headers.items()
        }

    def __repr__(self) -> str:
        return f"Redactor({len(self.secrets)} secrets)"


def redact_text(text: str, secrets: Iterable[str]) -> str:
    return Redactor(tuple(secrets)).text(text)


def redact_headers(headers: Mapping[str, str], secrets: Iterable[str] = ()) -> dict[str, str]:
    return Redactor(tuple(secrets)).headers(headers)
