"""TTS.ai's refusals in its own words: `{"error": {"code", "message", ...}}`, one code per status.

The codes come from the spec's table (`ERROR_CODES`), so a status and its code always agree;
messages are the document's where it gives one (the 402 example's), otherwise short sentences in the
same voice. Fields beyond code and message travel as data in `Reject.extra`: the 402 body carries
`characters_required` and `characters_available` as the document's example does.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from harness.providers.ttsai.models.error_bodies import ERROR_CODES
from harness.sandbox.emulation import Reject

# The error example's message, word for word.
MSG_INSUFFICIENT = "You do not have enough characters for this request."
# Codes for statuses the document does not list (the engine's own 405 and 501).
_UNDOCUMENTED_CODES = {405: "method_not_allowed", 501: "not_implemented", 502: "bad_gateway"}


def code_for(status: int) -> str:
    return (
        ERROR_CODES.get(status)
        or _UNDOCUMENTED_CODES.get(status)
        or ("bad_request" if status < 500 else "internal_error")
    )


def error_body(reject: Reject) -> Mapping[str, Any]:
    return {"error": {"code": code_for(reject.status), "message": reject.message, **reject.extra}}


def insufficient_credits(required: Decimal | None, available: Decimal | None) -> Reject:
    """402 naming what the request needs and what is left, each where it is known."""
    amounts = {"characters_required": required, "characters_available": available}
    extra = {name: max(0, int(amount)) for name, amount in amounts.items() if amount is not None}
    return Reject(402, MSG_INSUFFICIENT, extra=extra)


def file_too_large(field: str, size: int, limit: int) -> Reject:
    return Reject(413, f"The uploaded file '{field}' is {size:,} bytes; the limit is {limit // (1024 * 1024)} MB.")


def model_loading(what: str) -> Reject:
    return Reject(503, f"Model is loading. Retry in a few seconds. ({what})", headers={"Retry-After": "5"})


def bad_request(message: str) -> Reject:
    return Reject(400, message)
