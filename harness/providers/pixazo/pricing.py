"""What Pixazo charges: a flat price per request where the documents give one.

XTTS v2 is "$0.015 per request"; Chatterbox's only figure is its 402 example ("Required: $0.01");
VibeVoice and VibeVoice-Realtime document no price (DocDrift "prices"), so they have none.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from harness.core.spec import Cost, PriceFunction

PRICE_XTTS = Decimal("0.015")
PRICE_CHATTERBOX = Decimal("0.01")  # the only figure given: the 402 example's "Required: $0.01"


def flat(usd: Decimal) -> PriceFunction:
    """The same price whatever the request says."""

    def price(_: Mapping[str, Any]) -> Cost:
        return Cost(usd)

    return price
