"""What PixelAPI charges and what each plan allows (shared/api-docs 002).

A flat price per request: voice design $0.05, voice cloning $0.10, whatever the text's length. The
free tier's 500 credits buy "10 voice design jobs or 5 voice clone jobs", which fixes the credits
each request uses (the submit answer reports them as `credits_used`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from harness.core.spec import Cost

PRICE_DESIGN = Decimal("0.05")  # "$0.05 per request for voice design"
PRICE_CLONE = Decimal("0.10")  # "$0.10 per request for voice cloning"
FREE_CREDITS = 500  # "500 free credits — enough for 10 voice design jobs or 5 voice clone jobs"
CREDITS_DESIGN = FREE_CREDITS // 10  # 50, matching the example's "credits_used": 50.0
CREDITS_CLONE = FREE_CREDITS // 5  # 100
USD_PER_CREDIT = PRICE_DESIGN / CREDITS_DESIGN  # $0.001 (equal to PRICE_CLONE / CREDITS_CLONE)

# "Default 60 requests/minute on the free tier, 600 requests/minute on paid tiers."
PLAN_LIMITS: dict[str, int] = {"free": 60, "paid": 600}


def is_cloning(params: Mapping[str, Any]) -> bool:
    """A request is a cloning request exactly when it carries a reference recording."""
    return params.get("voice_ref") is not None


def credits_for(params: Mapping[str, Any]) -> int:
    """Credits one request uses (the sandbox reports this as `credits_used`)."""
    return CREDITS_CLONE if is_cloning(params) else CREDITS_DESIGN


def price(params: Mapping[str, Any]) -> Cost:
    """The documented flat price per request: design $0.05, cloning $0.10; text length does not matter."""
    return Cost(PRICE_CLONE if is_cloning(params) else PRICE_DESIGN)

