"""Deepgram's Aura text-to-speech as its reference describes it, in the Deepgram speak protocol's terms
(`harness.core.protocols.deepgram_speak`, which owns `POST /v1/speak`, the `/v1/speak` WebSocket, the checks
and the sandbox's imitation): Aura-2 and Aura voices, each a model.

From the getting-started guide (https://developers.deepgram.com/docs/tts-starter-apps, read 2026-11-24):
`--url "https://api.deepgram.com/v1/speak?model=aura-2-thalia-en"`, `Authorization: Token DEEPGRAM_API_KEY`,
"If you do not specify a model, the default voice model aura-asteria-en will be used." Deepgram's pricing page is
not in the stored material (what is stored are resellers' prices): unpriced rather than guessed.
"""

from __future__ import annotations

import dataclasses

from harness.core.protocols.deepgram_speak import (
    ERRORS_REFERENCE,
    FLUSH_REFERENCE,
    REFERENCE,
    WS_REFERENCE,
    DeepgramDeclaration,
    build_provider,
)

GETTING_STARTED = "https://developers.deepgram.com/docs/tts-starter-apps"
MODELS = ("aura-2-thalia-en", "aura-2-andromeda-en", "aura-asteria-en")

DECLARATION = DeepgramDeclaration(
    protocol="deepgram-speak",
    name="deepgram",
    title="Deepgram Aura (speak REST and WebSocket)",
    base_url="https://api.deepgram.com",  # pydantic reads the string as a URL
    key_env="DEEPGRAM_API_KEY",
    models=MODELS,
    voices=MODELS,  # a Deepgram voice is its model
)

PROVIDER = dataclasses.replace(
    build_provider(DECLARATION),
    docs=(REFERENCE, WS_REFERENCE, FLUSH_REFERENCE, ERRORS_REFERENCE, GETTING_STARTED))
