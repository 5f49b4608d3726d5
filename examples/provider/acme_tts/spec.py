"""Acme Speech as its reference page describes it: the assembled `Provider`."""

from __future__ import annotations

from harness.core.spec import Auth, Provider

from acme_tts.endpoints import ENDPOINTS
from acme_tts.models import DOC, AcmeError
from acme_tts.offerings import OFFERINGS

PROVIDER = Provider(
    name="acme",
    title="Acme Speech",
    hosts={"api": "https://api.acme.example"},
    auth=Auth("Authorization", "Bearer"),
    key_env="ACME_API_KEY",
    endpoints=ENDPOINTS,
    error_model=AcmeError,
    docs=(DOC,),
    offerings=OFFERINGS,
)
