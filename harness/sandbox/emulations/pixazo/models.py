"""What the sandbox keeps of each Pixazo model: how it sounds and how long it takes.

Voices (each model measurably different; all at 24 kHz, the rate XTTS v2, Chatterbox and VibeVoice
really produce — the documents do not say):
- XTTS v2: Piper `joe` at its natural rate, or the voice of the `speaker` reference (cloned).
- Chatterbox: Piper slightly faster and a semitone higher; `exaggeration` moves pitch (+-2 semitones
  around its 0.5 default) and `cfg` moves pace (lower cfg is slower, as Chatterbox's own guide says);
  `audio_url` clones.
- VibeVoice: Piper a little slower, one pitch per preset, "Speaker N:" lines spoken one by one;
  `speakers[].audio_url` clones that speaker.
- VibeVoice-Realtime-0.5B: the degraded Piper voice, the deliberately worse model, one pitch per preset.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.sandbox.emulation import Timing
from harness.speech import Engine, Rendition

SAMPLE_RATE = 24_000


@dataclass(frozen=True, slots=True)
class Model:
    rendition: Rendition
    timing: Timing  # realistic: the documents' examples take 15-16 s from created_at to completed_at
    status_media_type: str  # what the model's status example shows


XTTS = Model(Rendition(Engine.PIPER, 1.0, SAMPLE_RATE), Timing(2.0, 4.0, 0.03), "application/octet-stream")
CHATTERBOX_MODEL = Model(Rendition(Engine.PIPER, 0.92, SAMPLE_RATE, pitch_shift=1.0), Timing(2.0, 5.0, 0.04),
                         "audio/wav")
VIBEVOICE = Model(Rendition(Engine.PIPER, 1.06, SAMPLE_RATE), Timing(3.0, 8.0, 0.06), "application/octet-stream")
REALTIME = Model(Rendition(Engine.PIPER_DEGRADED, 1.0, SAMPLE_RATE), Timing(0.5, 1.0, 0.01), "application/octet-stream")

# VibeVoice presets as pitch shifts (semitones) of the Piper voice; unknown presets by speaker index.
PRESET_PITCH = {
    "Alice [EN]": 3.0, "Carter [EN]": -2.0, "Frank [EN]": -4.0, "Mary [EN] (Background Music)": 4.5,
    "Maya [EN]": 2.0, "Anchen [ZH] (Background Music)": 5.0, "Bowen [ZH]": -1.0, "Xinran [ZH]": 6.0,
}
INDEX_PITCH = (0.0, -3.0, 3.5, -5.0)
# VibeVoice-Realtime presets as small pitch shifts of the degraded voice: shifting its telephone band down
# further costs far more intelligibility than the voice's own degradation (measured with tiny.en on 12
# corpus items: pooled WER 11% at 0, 19% at -1.5, 62% at -4 semitones).
PRESET_REALTIME_PITCH = {"Frank [EN]": 0.0, "Carter [EN]": -1.0, "Alice [EN]": 2.0, "Maya [EN]": 1.0}
INDEX_REALTIME_PITCH = (0.0, -1.0, 2.0, 1.0)
