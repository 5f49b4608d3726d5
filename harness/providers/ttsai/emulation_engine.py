"""Engine facilities the TTS.ai emulation needs and the emulation protocol does not offer yet.

TTS.ai charges characters on every priced endpoint (not only on job submits), reports the balance left
in its answers (`credits_remaining`, the 402 body's `characters_available`), stamps saved voices with
the server's time, and hands out URLs of audio made outside any job (translation, voice chat, stems).
`Services` offers none of this, so these functions use the engine's offer when it has one
(`services.balance`, `services.charge`, `services.now`, `services.publish`, by those names) and
otherwise reach the running sandbox's shared state behind `services`. Every use is here, so when the
engine grows the protocol methods this module shrinks to one line each.

Until the engine can serve such audio, `publish` answers a `data:` URL holding the audio itself (RFC
2397): the answer is real and decodable, but not fetchable over HTTP.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from harness.core.spec import Cost
from harness.providers.ttsai.emulation_errors import insufficient_credits
from harness.sandbox.emulation import Call


def _state(call: Call) -> Any | None:
    return getattr(call.services, "state", None)


def balance(call: Call) -> Decimal | None:
    """Characters left on the caller's key (None: unlimited or unknown)."""
    offered = getattr(call.services, "balance", None)
    if offered is not None:
        value: Decimal | None = offered(call.key)
        return value
    state = _state(call)
    if state is None or call.key is None:
        return None
    try:
        left: Decimal | None = state.accounts.available(_provider(call), call.key, state.clock.now())
    except KeyError:
        return None
    return left


def charge(call: Call, cost: Cost | None) -> bool:
    """Take `cost` from the caller's key; False (nothing taken) when the balance cannot cover it."""
    if cost is None or cost.amount == 0:
        return True
    offered = getattr(call.services, "charge", None)
    if offered is not None:
        return bool(offered(call.key, cost))
    state = _state(call)
    if state is None or call.key is None:
        return True
    return bool(state.accounts.charge(_provider(call), call.key, cost, state.clock.now()))


def now(call: Call) -> datetime:
    """The sandbox's wall time (a manual clock's, in tests)."""
    offered = getattr(call.services, "now", None)
    if offered is not None:
        moment: datetime = offered()
        return moment
    state = _state(call)
    if state is None:
        return datetime.now(UTC)
    wall: datetime = state.clock.wall()
    return wall


def unfinished_jobs(call: Call) -> int:
    """Jobs of this provider not yet finished (the health check's queue size)."""
    state = _state(call)
    if state is None:
        return 0
    reading = state.clock.now()
    return sum(1 for job in state.jobs if job.provider == _provider(call) and not job.phase(reading).terminal)


def published_url(call: Call, audio: bytes, media_type: str, name: str) -> str | None:
    """A URL of `audio` on the engine's media host, or None while the engine cannot serve such audio."""
    offered = getattr(call.services, "publish", None)
    if offered is None:
        return None
    url: str = offered(audio, media_type, name)
    return url


def publish(call: Call, audio: bytes, media_type: str, name: str) -> str:
    """A URL of `audio`: on the engine's media host when it offers one, else a `data:` URL."""
    url = published_url(call, audio, media_type, name)
    return url or f"data:{media_type};base64,{base64.b64encode(audio).decode('ascii')}"


def price(call: Call) -> Cost | None:
    return call.endpoint.price(call.payload) if call.endpoint.price else None


def ensure_funds(call: Call, cost: Cost | None) -> None:
    """402 before any work when the balance cannot cover `cost` (nothing is taken yet)."""
    if cost is None or cost.amount == 0:
        return
    left = balance(call)
    if left is not None and left < cost.amount:
        raise insufficient_credits(cost.amount, left)


def bill(call: Call, cost: Cost | None) -> None:
    """Take `cost`, or answer 402 with what was required and what is left."""
    if not charge(call, cost):
        assert cost is not None
        raise insufficient_credits(cost.amount, balance(call))


def _provider(call: Call) -> str:
    return call.urls.provider.name
