"""OpenAI's speech endpoint as its reference describes it, in the OpenAI speech protocol's terms
(`harness.core.protocols.openai_speech`, which owns the request, the answers, the checks and the sandbox's
imitation): its three models, its built-in voices, every response format, SSE for gpt-4o-mini-tts only, the
per-character prices of tts-1 and tts-1-hd.

From the reference (https://platform.openai.com/docs/api-reference/audio/createSpeech, read 2026-11-24):
"model: One of the available TTS models: `tts-1`, `tts-1-hd` or `gpt-4o-mini-tts`"; "Supported built-in voices
are `alloy`, `ash`, `ballad`, `coral`, `echo`, `fable`, `onyx`, `nova`, `sage`, `shimmer`, `verse`, `marin`, and
`cedar`"; "stream_format: The format to stream the audio in. Supported formats are `sse` and `audio`. `sse` is not
supported for `tts-1` or `tts-1-hd`." Prices from the model pages
(https://developers.openai.com/api/docs/models/tts-1, read 2026-11-24): "TTS-1 $15.00, TTS-1 HD $30.00" per 1M
characters; gpt-4o-mini-tts is priced per token ($0.60 per 1M text input tokens, $12.00 per 1M audio output
tokens), which the request alone does not give: left unpriced rather than estimated.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from harness.core.protocols.openai_speech import FORMATS, SpeechDeclaration, build_provider

REFERENCE = "https://platform.openai.com/docs/api-reference/audio/createSpeech"
MODEL_PRICES_PAGE = "https://developers.openai.com/api/docs/models/tts-1"
PRICES_READ = "2026-11-24"

DECLARATION = SpeechDeclaration.model_validate({
    "protocol": "openai-speech",
    "name": "openai",
    "title": "OpenAI speech (/v1/audio/speech)",
    "base_url": "https://api.openai.com/v1",
    "key_env": "OPENAI_API_KEY",
    "models": [{"name": "tts-1", "stream": False}, {"name": "tts-1-hd", "stream": False}, "gpt-4o-mini-tts"],
    "voices": ["alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse",
               "marin", "cedar"],
    "formats": list(FORMATS),
    "stream": True,  # gpt-4o-mini-tts: the benchmark asks for SSE and times its first audio
    "model_prices": {"tts-1": Decimal("15"), "tts-1-hd": Decimal("30")},  # USD per 1M characters, PRICES_READ
})

PROVIDER = dataclasses.replace(build_provider(DECLARATION), docs=(REFERENCE, MODEL_PRICES_PAGE))
