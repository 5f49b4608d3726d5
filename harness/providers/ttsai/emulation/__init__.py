"""How the sandbox plays TTS.ai: the queued TTS job, batches, saved voices, streaming, cloning, speech
to text and the audio tools, answering in TTS.ai's words. Endpoints, validation, prices and limits
come from the provider's spec; `models` holds what the emulation keeps (voices, plans, saved voices),
`responses` how it answers, `routes` which handler answers each direct endpoint."""

from harness.providers.ttsai.emulation.responses.jobs import TtsAiEmulation

# A class, not an instance: the engine builds one per sandbox, so saved voices and conversations
# never leak from one sandbox (or test) into another.
EMULATION = TtsAiEmulation

__all__ = ["EMULATION"]
