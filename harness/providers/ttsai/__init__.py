"""TTS.ai: queued and streaming TTS, cloning, speech to text, audio tools and saved voices, priced in
characters. `PROVIDER` is the spec; `MODEL_TIERS` and `PLAN_LIMITS` are exported for the sandbox."""

from harness.providers.ttsai.pricing import MODEL_TIERS, PLAN_LIMITS
from harness.providers.ttsai.spec import PROVIDER

__all__ = ["MODEL_TIERS", "PLAN_LIMITS", "PROVIDER"]
