"""ElevenLabs as its API reference describes it, in the ElevenLabs protocol's terms
(`harness.core.protocols.elevenlabs`, which owns Create speech, `/stream`, `/with-timestamps`, the
stream-input WebSocket, the checks and the sandbox's imitation): its current models and two voices of the
reference's examples.

From the reference (https://elevenlabs.io/docs/api-reference/text-to-speech/convert, read 2026-11-24) and the
help centre's model list (https://help.elevenlabs.io/hc/en-us/articles/21811236079505-How-do-I-find-the-model-ID):
"Multilingual v2 eleven_multilingual_v2 | Flash v2.5 eleven_flash_v2_5 | Turbo v2.5 eleven_turbo_v2_5"; the voice
`JBFqnCBsd6RMkjVDRZzb` is the reference's example. Prices: "The Flash and Turbo models cost 1 credit per 2
characters, and all other models cost 1 credit per character"; the USD price of a credit depends on the plan
and ElevenLabs' API pricing page is not in the stored material: unpriced rather than guessed.
"""

from __future__ import annotations

import dataclasses

from harness.core.protocols.elevenlabs import REFERENCE, WS_REFERENCE, ElevenLabsDeclaration, build_provider

MODELS_PAGE = "https://help.elevenlabs.io/hc/en-us/articles/21811236079505-How-do-I-find-the-model-ID"

DECLARATION = ElevenLabsDeclaration(
    protocol="elevenlabs",
    name="elevenlabs",
    title="ElevenLabs (REST and the stream-input WebSocket)",
    base_url="https://api.elevenlabs.io",  # pydantic reads the string as a URL
    key_env="ELEVENLABS_API_KEY",
    models=("eleven_flash_v2_5", "eleven_turbo_v2_5", "eleven_multilingual_v2"),
    voices=("JBFqnCBsd6RMkjVDRZzb", "21m00Tcm4TlvDq8ikWAM"),
    formats=("pcm_24000", "mp3_44100_128", "pcm_16000", "ulaw_8000"),
)

PROVIDER = dataclasses.replace(build_provider(DECLARATION), docs=(REFERENCE, WS_REFERENCE, MODELS_PAGE))
