"""Charging on every priced TTS.ai endpoint, not only on job submits.

The engine charges a job's price when the submit is accepted; TTS.ai also prices direct answers
(streaming, the OpenAI route, cloning, speech to text, the audio tools, voice chat), so their
handlers charge through `Services`. They check the balance before any work (402 with the amounts
the document's example names) and take the characters once the work succeeded, so a request that
fails (unreadable upload, no ASR) costs nothing.
"""

from __future__ import annotations

from harness.core.spec import Cost
from harness.providers.ttsai.emulation.responses.refusals import insufficient_credits
from harness.sandbox.emulation import Call


def price(call: Call) -> Cost | None:
    """The endpoint's documented price for this request (None: the document prices it nowhere)."""
    return call.endpoint.price(call.payload) if call.endpoint.price else None


def ensure_funds(call: Call, cost: Cost | None) -> None:
    """402 before any work when the balance cannot cover `cost` (nothing is taken yet).

    A service the document lists with a 402 but prices nowhere (`cost` None: speech to speech, echo
    removal, embedding, saved-voice upload) is refused only to an account with nothing left.
    """
    left = call.services.balance(call.key)
    if left is None:
        return
    if cost is None and left <= 0:
        raise insufficient_credits(None, left)
    if cost is not None and cost.amount > 0 and left < cost.amount:
        raise insufficient_credits(cost.amount, left)


def bill(call: Call, cost: Cost | None) -> None:
    """Take `cost`, or answer 402 with what was required and what is left."""
    if cost is not None and not call.services.charge(call.key, cost):
        raise insufficient_credits(cost.amount, call.services.balance(call.key))
