"""TTS.ai: queued and streaming TTS, cloning, speech to text, audio tools and saved voices, priced in
characters. The package exports the provider declaration; its emulation, `emulation/` (how the sandbox
plays TTS.ai: registered under `tts_harness.emulations`, never imported by the declaration), reads prices,
tiers and plan limits from `pricing` and the upload rules from `models.uploads`."""

from harness.providers.ttsai.spec import PROVIDER

__all__ = ["PROVIDER"]
