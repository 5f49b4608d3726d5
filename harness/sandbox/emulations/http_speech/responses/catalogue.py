"""Whether an imitation of the HTTP speech family (its HTTP, socket and gRPC faces alike) speaks a voice id or a model
name: the family's one rule (`harness.core.protocols.catalogues.judge`) over the declaration's voices and catalogue,
the team's own catalogue and the ids it marked missing; an id an open catalogue accepts is recorded as a finding."""

from __future__ import annotations

from harness.core.protocols.catalogues import CLOSED, SlotVerdict, judge
from harness.core.protocols.http_speech import SpeechService
from harness.sandbox.emulation import Services


def voice_spoken(service: SpeechService, name: str, services: Services, where: str, field: str) -> bool:
    """Whether `name` is spoken (False: the provider's not-found refusal is the answer)."""
    verdict = judge(
        service.voice_catalogue, name, listed=service.voice(name) is not None, account=services.account_catalogue()
    )
    if verdict is SlotVerdict.UNLISTED:
        services.spoke_unlisted(where, field, "voice", name)
    return verdict.spoken


def model_verdict(name: str, declared: bool, services: Services) -> SlotVerdict:
    """What a model name gets: the declared models are closed (a newer model is the team's catalogue's to add), an
    account's model is spoken (by a stand-in of the declared ones), a name marked missing refused."""
    return judge(CLOSED, name, listed=declared, account=services.account_catalogue(), kind="model")
