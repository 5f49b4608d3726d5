"""Cartesia as its API reference describes it, in the Cartesia protocol's terms
(`harness.core.protocols.cartesia`, which owns `/tts/bytes`, `/tts/sse`, the `/tts/websocket` contexts, the checks
and the sandbox's imitation): Sonic 3 and two voices of the reference's examples.

From the reference (https://docs.cartesia.ai/api-reference/tts/bytes and .../tts/websocket, read 2026-11-24).
Prices (https://docs.cartesia.ai/pricing, read 2026-11-24): "TTS: /tts/bytes, /tts/sse, /tts/websocket ~1 credit
per character"; "Every subscription plan includes a monthly credit allotment. See cartesia.ai/pricing for current
plans": no USD rate per credit is published there, so the models are unpriced rather than guessed.
The key (the protocol's `AUTH`, its evidence quoted there, read 2026-11-25): `Authorization: Bearer KEY`, which the
current API conventions and the official SDK use and the harness sends, or `X-API-Key: KEY` ("Cartesia accepts both
X-Api-Key and Authorization headers for server-side authentication",
https://docs.cartesia.ai/get-started/authenticate-your-client-applications); on the WebSocket also `?api_key=` or
`?access_token=`.
"""

from __future__ import annotations

import dataclasses

from harness.core.protocols.cartesia import (
    ERRORS_REFERENCE,
    REFERENCE,
    SSE_REFERENCE,
    WS_REFERENCE,
    CartesiaDeclaration,
    build_provider,
)

PRICING = "https://docs.cartesia.ai/pricing"

DECLARATION = CartesiaDeclaration(
    protocol="cartesia",
    name="cartesia",
    title="Cartesia (bytes and the WebSocket)",
    base_url="https://api.cartesia.ai",  # pydantic reads the string as a URL
    key_env="CARTESIA_API_KEY",
    models=("sonic-3",),
    voices=("a0e99841-438c-4a64-b679-ae501e7d6091", "f786b574-daa5-4673-aa0c-cbe3e8534c02"),
    formats=("pcm_s16le_24000", "wav_pcm_s16le_24000"),
)

PROVIDER = dataclasses.replace(build_provider(DECLARATION),
                               docs=(REFERENCE, SSE_REFERENCE, WS_REFERENCE, ERRORS_REFERENCE, PRICING))
