"""TTS.ai's refusals in its own words: `{"error": {"code", "message", ...}}`, one code per status.

The codes come from the spec's table (`errors.ERROR_CODES`), so a status and its code always agree;
messages are the document's where it gives one (the 402 example's), otherwise short sentences in the
same voice. The 402 body carries `characters_required` and `characters_available` as the example
does: the engine hands `error_body` only (status, title, message), so those two numbers travel from
`insufficient_credits` to `error_body` in the `Reject`'s title, which nothing else reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from harness.providers.ttsai.errors import ERROR_CODES
from harness.sandbox.emulation import Reject

# The error example's message, word for word.
MSG_INSUFFICIENT = "You do not have enough characters for this request."
# Codes for statuses the document does not list (the engine's own 405 and 501).
_UNDOCUMENTED_CODES = {405: "method_not_allowed", 501: "not_implemented", 502: "bad_gateway"}
_CREDITS_TITLE = re.compile(r"^insufficient_credits required=(\d+|unknown) available=(\d+|unknown)$")


def code_for(status: int) -> str:
    return ERROR_CODES.get(status) or _UNDOCUMENTED_CODES.get(status) or ("bad_request" if status < 500
                                                                            else "internal_error")


def error_body(status: int, title: str, message: str) -> Mapping[str, Any]:
    detail: dict[str, Any] = {"code": code_for(status), "message": message}
    match = _CREDITS_TITLE.match(title)
    if status == 402 and match:
        if match.group(1) != "unknown":
            detail["characters_required"] = int(match.group(1))
        if match.group(2) != "unknown":
            detail["characters_available"] = int(match.group(2))
    return {"error": detail}


def insufficient_credits(required: Decimal | None, available: Decimal | None) -> Reject:
    need = "unknown" if required is None else str(int(required))
    have = "unknown" if available is None else str(max(0, int(available)))
    return Reject(402, MSG_INSUFFICIENT, title=f"insufficient_credits required={need} available={have}")


def file_too_large(field: str, size: int, limit: int) -> Reject:
    return Reject(413, f"The uploaded file '{field}' is {size:,} bytes; the limit is {limit // (1024 * 1024)} MB.")


def model_loading(what: str) -> Reject:
    return Reject(503, f"Model is loading. Retry in a few seconds. ({what})", headers={"Retry-After": "5"})


def bad_request(message: str) -> Reject:
    return Reject(400, message)
