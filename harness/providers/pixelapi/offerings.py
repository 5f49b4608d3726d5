"""The PixelAPI modes the benchmark drives: voice design and voice cloning, on the one generate endpoint."""

from __future__ import annotations

from typing import Any

from harness.core.errors import UsageError
from harness.core.spec import Offering, SynthesisInput
from harness.providers.pixelapi.endpoints import GENERATE
from harness.providers.pixelapi.models import LANGUAGES, TEXT_MAX_CHARS

DESIGN_VOICE = "warm, professional male narrator"  # the document's own voice_description example


def _build_design(given: SynthesisInput) -> dict[str, Any]:
    return {"text": given.text, "language": given.language, "voice_description": DESIGN_VOICE}


def _build_clone(given: SynthesisInput) -> dict[str, Any]:
    if given.reference_audio is None:
        # Without a reference the request would silently become voice design (and cost half).
        raise UsageError("PixelAPI voice-clone needs SynthesisInput.reference_audio (a WAV or MP3 upload)")
    return {"text": given.text, "language": given.language, "voice_ref": given.reference_audio}


OFFERINGS = (
    Offering("voice-design", GENERATE.key, _build_design, languages=tuple(LANGUAGES), max_chars=TEXT_MAX_CHARS,
             description=f"Voice design from a text description ({DESIGN_VOICE!r}), $0.05/request"),
    Offering("voice-clone", GENERATE.key, _build_clone, clones=True, languages=tuple(LANGUAGES),
             max_chars=TEXT_MAX_CHARS,
             description="Voice cloning from an uploaded reference recording (voice_ref), $0.10/request"),
)
