"""Keeping secrets out of everything the harness writes: fixtures, reports, logs, rows, messages.

Two layers: headers that carry credentials are replaced wholesale, and every known secret value
(the keys found in the environment) is replaced wherever it appears in text, as schemathesis does
with `[Filtered]`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

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


def known_secrets(env_names: Iterable[str], environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The values of the given environment variables that are set (keys shorter than 4 are ignored:
    replacing them everywhere would mangle ordinary text)."""
    source = os.environ if environ is None else environ
    return tuple(v for name in env_names if len(v := source.get(name, "")) >= 4)


def redact_text(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, FILTERED)
    return text


def redact_headers(headers: Mapping[str, str], secrets: Iterable[str] = ()) -> dict[str, str]:
    secret_list = tuple(secrets)
    return {
        name: FILTERED if name.lower() in SENSITIVE_HEADERS else redact_text(value, secret_list)
        for name, value in headers.items()
    }
