"""What the sandbox's Deepgram imitation holds beyond the protocol's declarations."""

from __future__ import annotations

from harness.core.protocols import deepgram_speak as protocol
from harness.sandbox.emulation import Services
from harness.sandbox.profiles import Timing
from harness.sandbox.utterances import Speaker

TIMING = Timing(queue_s=0.0, processing_s=0.15, per_char_s=0.0015)  # a POST /v1/speak answer, held this long
CHUNK_S = 0.2  # seconds of audio per binary frame (the sandbox's choice; the documents give none)
MAX_SPEAK_CHARS = 2000  # a Speak message longer than this is closed with 1009 BIG-0000 (the sandbox's reading)
IDLE_TIMEOUT_S = 60.0  # no client message this long: 1011 NET-0001 (the sandbox's reading)
MODEL_VERSION = "2025-01-01.0"
FLUSH_WARNING = "FLUSH_LIMIT_EXCEEDED"  # the Warning's code: the documents quote the description, not the code
MEDIA_TYPES = {"mp3": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg", "flac": "audio/flac",
               "raw": "application/octet-stream"}


def pitch_of(models: tuple[str, ...], model: str) -> float:
    """Deepgram's voice is its model: each declared model speaks at its own pitch."""
    index = models.index(model) if model in models else 0
    return ((index % 5) - 2) * 1.5


def models_of(declaration: protocol.DeepgramDeclaration) -> tuple[str, ...]:
    """The models a request may name: the declared ones and the documented default."""
    return (*declaration.models, protocol.DEFAULT_MODEL)


def speaker(services: Services, declaration: protocol.DeepgramDeclaration, model: str, sample_rate: int,
            chunk_s: float) -> Speaker:
    return Speaker(services, sample_rate, chunk_s, pitch_of(declaration.models, model))
