"""What the benchmark can drive: Acme's one model, in the voice the benchmark compares."""

from __future__ import annotations

from typing import Any

from harness.core.spec import Offering, SynthesisInput

from acme_tts.endpoints import SPEAK


def _build(given: SynthesisInput) -> dict[str, Any]:
    return {"text": given.text, "voice": "ada"}


OFFERINGS = (Offering("acme", SPEAK.key, _build, max_chars=1000, description="Acme Speech, voice ada"),)
