"""Same (text, rendition) -> same samples in another process: the sandbox's audio must be reproducible."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from harness.speech import Engine, Rendition, SpeechEngine

_CHILD = """
import hashlib, sys
from harness.speech import Engine, Rendition, SpeechEngine
engine = SpeechEngine()
for rendition in (Rendition(), Rendition(pitch_shift=3.0, sample_rate=16000), Rendition(Engine.PIPER_DEGRADED)):
    print(hashlib.sha256(engine.render(sys.argv[1], rendition).samples.tobytes()).hexdigest())
"""


def test_renders_identical_across_processes(engine: SpeechEngine, sentence: str) -> None:
    renditions = (Rendition(), Rendition(pitch_shift=3.0, sample_rate=16000), Rendition(Engine.PIPER_DEGRADED))
    here = [hashlib.sha256(engine.render(sentence, r).samples.tobytes()).hexdigest() for r in renditions]
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, sentence], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == here
