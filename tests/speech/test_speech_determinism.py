"""Same (text, rendition) -> same samples in another process: the sandbox's audio must be reproducible."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from harness.speech import Engine, Rendition, SpeechEngine
from harness.speech._render_store import ENVIRONMENT_VARIABLE as RENDER_STORE

_CHILD = """
import hashlib, sys
from harness.speech import Engine, Rendition, SpeechEngine
engine = SpeechEngine()
for rendition in (Rendition(), Rendition(pitch_shift=3.0, sample_rate=16000), Rendition(Engine.PIPER_DEGRADED),
                  Rendition(Engine.ESPEAK), Rendition(Engine.ESPEAK, voice="es")):
    print(hashlib.sha256(engine.render(sys.argv[1], rendition).samples.tobytes()).hexdigest())
"""


def test_renders_identical_across_processes(rendering_engine: SpeechEngine, sentence: str) -> None:
    renditions = (
        Rendition(),
        Rendition(pitch_shift=3.0, sample_rate=16000),
        Rendition(Engine.PIPER_DEGRADED),
        Rendition(Engine.ESPEAK),
        Rendition(Engine.ESPEAK, voice="es"),
    )
    # In another order here than in the child: espeak-ng's renders must not depend on what was spoken before.
    here = [
        hashlib.sha256(rendering_engine.render(sentence, r).samples.tobytes()).hexdigest() for r in reversed(renditions)
    ][::-1]
    # The child renders for real too: not from the session's shared folder of renders.
    env = {name: value for name, value in os.environ.items() if name != RENDER_STORE}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, sentence], capture_output=True, text=True, timeout=120, check=True, env=env
    )
    assert done.stdout.split() == here
