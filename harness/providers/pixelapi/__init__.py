"""PixelAPI: voice design and voice cloning behind one queued-job endpoint.

The facade exports the provider declaration and the documented limits the sandbox enforces and answers
with (plan rate limits, reference-recording rules, error messages).
"""

from harness.providers.pixelapi.models import (
    ERROR_MESSAGES,
    MSG_INSUFFICIENT_CREDITS,
    MSG_REF_TOO_LARGE,
    MSG_SERVER_BUSY,
    MSG_TEXT_EMPTY,
    REF_MAX_BYTES,
    REF_MIN_RATE,
    REF_MIN_SECONDS,
    TEXT_MAX_CHARS,
)
from harness.providers.pixelapi.spec import (
    BACKOFF_MAX_S,
    BACKOFF_START_S,
    CREDITS_CLONE,
    CREDITS_DESIGN,
    FREE_CREDITS,
    PLAN_LIMITS,
    PROVIDER,
    USD_PER_CREDIT,
    credits_for,
)

__all__ = [
    "BACKOFF_MAX_S",
    "BACKOFF_START_S",
    "CREDITS_CLONE",
    "CREDITS_DESIGN",
    "ERROR_MESSAGES",
    "FREE_CREDITS",
    "MSG_INSUFFICIENT_CREDITS",
    "MSG_REF_TOO_LARGE",
    "MSG_SERVER_BUSY",
    "MSG_TEXT_EMPTY",
    "PLAN_LIMITS",
    "PROVIDER",
    "REF_MAX_BYTES",
    "REF_MIN_RATE",
    "REF_MIN_SECONDS",
    "TEXT_MAX_CHARS",
    "USD_PER_CREDIT",
    "credits_for",
]
