"""Errors a provider writes inside a successful answer: a 2xx JSON body whose code says it failed (a
`base_resp`-style status), or an error event in a stream. One reading for every engine, classified exactly as a non-2xx
answer is (`harness.core.errors.error_for_status`): the provider's own code and message decide auth, rate limit,
invalid input or server — an answer that carries an error code is an error even when audio comes with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.core.errors import ProviderError, error_for_status
from harness.core.json_pointer import resolve
from harness.core.redact import Redactor

# gRPC's canonical codes as the HTTP statuses their own mapping gives them (the google.rpc package's
# codes): the names gRPC APIs and gRPC-gateway streams (their NDJSON lines) put in an error's `status` or `code`.
GRPC_STATUSES: Mapping[str, int] = {
    "INVALID_ARGUMENT": 400,
    "FAILED_PRECONDITION": 400,
    "OUT_OF_RANGE": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "NOT_FOUND": 404,
    "ALREADY_EXISTS": 409,
    "ABORTED": 409,
    "RESOURCE_EXHAUSTED": 429,
    "CANCELLED": 499,
    "UNKNOWN": 500,
    "INTERNAL": 500,
    "DATA_LOSS": 500,
    "UNIMPLEMENTED": 501,
    "UNAVAILABLE": 503,
    "DEADLINE_EXCEEDED": 504,
}
_GRPC_NUMBERS = {
    1: "CANCELLED",
    2: "UNKNOWN",
    3: "INVALID_ARGUMENT",
    4: "DEADLINE_EXCEEDED",
    5: "NOT_FOUND",
    6: "ALREADY_EXISTS",
    7: "PERMISSION_DENIED",
    8: "RESOURCE_EXHAUSTED",
    9: "FAILED_PRECONDITION",
    10: "ABORTED",
    11: "OUT_OF_RANGE",
    12: "UNIMPLEMENTED",
    13: "INTERNAL",
    14: "UNAVAILABLE",
    15: "DATA_LOSS",
    16: "UNAUTHENTICATED",
}


@dataclass(frozen=True, slots=True)
class BodyErrors:
    """Where the documents put an error inside a 2xx answer or in a stream's events, and how to read it.

    An answer (or event) is an error when its value at `code_at` is present and not one of `success` (a
    `/base_resp/status_code`, 0 meaning success), or — in a stream — when the event is named `error`, or carries an
    `error` member, or says `"type": "error"` (the form nearly every event stream writes its errors in).
    The provider's code is classified through `statuses` (its code → the HTTP status it means, read from the
    provider's own refusal list), else as the HTTP or gRPC status it names (`401`, `RESOURCE_EXHAUSTED`); a code
    nothing names is a server error: the provider said it failed, and did not say why."""

    code_at: str = ""
    success: tuple[Any, ...] = ()
    message_at: str = ""
    statuses: Mapping[str, int] = field(default_factory=dict)


STREAM_ERRORS = BodyErrors()  # the form nearly every event stream writes its errors in (see `BodyErrors`)


_CODE_FIELDS = ("code", "status", "status_code", "type")
_MESSAGE_FIELDS = ("message", "msg", "status_msg", "detail", "error_description")


@dataclass(frozen=True, slots=True)
class SaidError:
    """An error an answer says it is: the provider's code ("" where it gives none) and its message."""

    code: str
    message: str

    def classified(self, where: str, rules: BodyErrors, secrets: tuple[str, ...] = ()) -> ProviderError:
        """The harness's error for it, by the status the provider's code means (see `status_of`)."""
        words = Redactor(secrets).cut(f"{self.code or 'error'}: {self.message}".strip(), 300)
        return error_for_status(status_of(self.code, rules), f"{where}: the answer says it failed: {words}")


def status_of(code: str, rules: BodyErrors) -> int:
    """The HTTP status a provider's error code means: its declared meaning, else the HTTP or gRPC status it
    names, else 500 (the provider said it failed and not why)."""
    if code in rules.statuses:
        return rules.statuses[code]
    if code.isdigit() and 400 <= int(code) < 600:
        return int(code)
    name = code.upper()
    if code.isdigit() and int(code) in _GRPC_NUMBERS:
        name = _GRPC_NUMBERS[int(code)]
    return GRPC_STATUSES.get(name, 500)


def error_in(document: Any, rules: BodyErrors | None, *, event: str = "") -> SaidError | None:
    """The error a parsed 2xx answer (or one stream event, named `event`) says it is, or None.

    The declared code (`rules.code_at`) decides where the documents put one; the forms nearly every API writes
    its errors in count too: an event named `error`, an `error` member, `"type": "error"`."""
    if rules is not None and rules.code_at:
        present, code = resolve(document, rules.code_at)
        if present and code is not None and not _succeeds(code, rules.success):
            _, message = resolve(document, rules.message_at) if rules.message_at else (False, None)
            return SaidError(str(code), _text(message))
    if event == "error":
        return _from_error_object(document)
    if not isinstance(document, dict):
        return None
    if document.get("error") not in (None, False, "", {}):
        return _from_error_object(document["error"])
    if document.get("type") == "error":
        return _from_error_object(document)
    return None


def _succeeds(code: Any, success: tuple[Any, ...]) -> bool:
    return any(code == value or str(code) == str(value) for value in success)


def _from_error_object(value: Any) -> SaidError:
    if isinstance(value, str):
        return SaidError("", value)
    if not isinstance(value, dict):
        return SaidError("", _text(value))
    inner = value.get("error")
    if isinstance(inner, dict):  # {"type": "error", "error": {...}}
        return _from_error_object(inner)
    code = next((value[name] for name in _CODE_FIELDS if value.get(name) not in (None, "", "error")), "")
    message = next((value[name] for name in _MESSAGE_FIELDS if value.get(name) not in (None, "")), inner or "")
    return SaidError(str(code), _text(message))


def _text(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)
