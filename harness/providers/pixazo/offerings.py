"""The Pixazo models the benchmark drives, and how a benchmark input becomes each one's request.

XTTS v2 clones from a speaker URL (its 500 characters are only recommended); VibeVoice and its realtime
variant take "Speaker N:" scripts, so a plain text becomes a one-speaker script with the first presets.
"""

from __future__ import annotations

from typing import Any, get_args

from harness.core.spec import Offering, SynthesisInput
from harness.providers.pixazo.endpoints import CHATTERBOX, VIBEVOICE, VIBEVOICE_REALTIME, XTTS
from harness.providers.pixazo.models import SPEAKER_LINE, XttsLanguage


def _script(text: str) -> str:
    """A plain text becomes a one-speaker script; a script already in "Speaker N:" form is kept."""
    return text if SPEAKER_LINE.match(text.strip()) else f"Speaker 0: {text}"


def _speaker_count(script: str) -> int:
    numbers = [int(m.group(1)) for line in script.splitlines() if (m := SPEAKER_LINE.match(line.strip()))]
    return max(numbers, default=0) + 1


_EN_PRESETS = ("Alice [EN]", "Carter [EN]", "Frank [EN]", "Maya [EN]")


def _build_xtts(given: SynthesisInput) -> dict[str, Any]:
    return {"speaker": given.reference_url, "text": given.text, "language": given.language}


def _build_chatterbox(given: SynthesisInput) -> dict[str, Any]:
    body: dict[str, Any] = {"text": given.text}
    if given.reference_url:
        body["audio_url"] = given.reference_url
    return body


def _build_vibevoice(given: SynthesisInput) -> dict[str, Any]:
    script = _script(given.text)
    return {"script": script, "speakers": [{"preset": p} for p in _EN_PRESETS[: _speaker_count(script)]]}


def _build_realtime(given: SynthesisInput) -> dict[str, Any]:
    script = _script(given.text)
    presets = ("Frank [EN]", "Carter [EN]", "Alice [EN]", "Maya [EN]")
    return {"script": script, "speakers": [{"preset": p} for p in presets[: _speaker_count(script)]]}


OFFERINGS = (
    Offering("xtts-v2", XTTS.key, _build_xtts, clones=True,  # 500 characters are only recommended
             languages=get_args(XttsLanguage), description="XTTS v2 voice cloning from a speaker URL"),
    Offering("chatterbox", CHATTERBOX.key, _build_chatterbox, description="Chatterbox TTS"),
    Offering("vibevoice", VIBEVOICE.key, _build_vibevoice, multi_speaker=True, languages=("en", "zh"),
             description="VibeVoice multi-speaker"),
    Offering("vibevoice-realtime-0.5b", VIBEVOICE_REALTIME.key, _build_realtime, multi_speaker=True,
             description="VibeVoice-Realtime-0.5B"),
)
