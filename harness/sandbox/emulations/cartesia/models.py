"""What the sandbox's Cartesia imitation holds beyond the protocol's declarations."""

from __future__ import annotations

from harness.core.protocols import cartesia as protocol
from harness.sandbox.emulation import Reject, Services
from harness.sandbox.profiles import Timing
from harness.sandbox.utterances import Speaker

TIMING = Timing(queue_s=0.0, processing_s=0.15, per_char_s=0.0015)  # a /tts/bytes answer, held this long
CHUNK_S = 0.2  # seconds of audio per chunk message (the sandbox's choice; the documents give none)
SENTENCE_ENDS = (".", "!", "?", ";", ":")  # a continued transcript is spoken once a sentence is complete
STATUS_STREAMING = 206  # "status_code": 206 on chunk, timestamps and done


def pitch_of(voices: tuple[str, ...], voice: str) -> float:
    index = voices.index(voice) if voice in voices else 0
    return ((index % 5) - 2) * 1.5


def refusal(declaration: protocol.CartesiaDeclaration, model_id: str, voice: str) -> Reject | None:
    """Why a generation cannot run, in the protocol's words (the documents' own example for a model);
    None when it can."""
    if model_id not in declaration.models:
        return Reject(400, "The model is not valid, make sure it is a valid model ID.",
                      title="Invalid model", extra={"code": "model_not_found"})
    if voice not in declaration.voices:
        return Reject(404, f"Voice {voice!r} was not found.", extra={"code": "voice_not_found"})
    return None


def speaker(services: Services, declaration: protocol.CartesiaDeclaration, voice: str, sample_rate: int,
            chunk_s: float) -> Speaker:
    return Speaker(services, sample_rate, chunk_s, pitch_of(declaration.voices, voice))
