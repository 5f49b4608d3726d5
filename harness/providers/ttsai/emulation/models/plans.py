"""The plans a TTS.ai key can be on in the sandbox, from the document's rate-limit table.

Keys `sandbox-ttsai-{free,starter,pro,business}` follow the table (requests/minute, concurrent jobs,
maximum text); `free` starts with the 15,000 sign-up characters. The `anonymous` tier is what a call
without a key gets where the document allows one (/v1/tts/ with piper, vits, melotts or kokoro,
polling, health): 5,000 characters per client address, 60 requests a minute, 2 jobs at once;
`sandbox-ttsai-anonymous` is a key that behaves the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from harness.providers.ttsai.pricing import ANONYMOUS_DAILY_CHARS, PLAN_LIMITS, SIGNUP_BONUS_CHARS
from harness.sandbox.emulation import RateLimit, Tier

ANONYMOUS_TIER = "anonymous"
# Tier name -> the plan's maximum text length ("Business+" -> "business").
TEXT_LIMITS: Mapping[str, int] = {name.lower().rstrip("+"): row.max_text_chars for name, row in PLAN_LIMITS.items()}


def _tier(plan: str, balance: int | None = None) -> Tier:
    row = PLAN_LIMITS[plan]
    return Tier(
        plan.lower().rstrip("+"),
        RateLimit(row.requests_per_minute, 60.0, row.concurrent),
        None if balance is None else Decimal(balance),
    )


TIERS = (
    _tier("Free", SIGNUP_BONUS_CHARS),
    _tier("Starter"),
    _tier("Pro"),
    _tier("Business+"),
    # No documented request rate: Pro's 60 a minute, so the document's own polling loop (every 1.5 s,
    # without a key) is not refused; Free's concurrency; the daily 5,000 characters as the balance.
    Tier(
        ANONYMOUS_TIER,
        RateLimit(PLAN_LIMITS["Pro"].requests_per_minute, 60.0, PLAN_LIMITS["Free"].concurrent),
        Decimal(ANONYMOUS_DAILY_CHARS),
    ),
)
