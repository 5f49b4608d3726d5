"""The espeak-ng backend: a second, deliberately robotic engine, run as the Debian `espeak-ng` program.

It lets the sandbox offer a "worse model" whose lower intelligibility and different timbre the scoring
side must detect. Text goes in on stdin, never as an argument, so text starting with "-" is not an option.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import numpy.typing as npt
import soundfile as sf

from ._errors import EngineUnavailableError, SynthesisError

#: The apt package (and program name) that provides the engine; .ci/run installs it.
ESPEAK_APT_PACKAGE = "espeak-ng"
#: espeak-ng's default speed; length_scale 1.0 maps to it.
DEFAULT_WPM = 175
#: espeak-ng silently clamps speeds outside this range, which would break the duration contract.
WPM_RANGE = (80, 450)
_TIMEOUT_S = 60.0


def espeak_program() -> str:
    """The path of the espeak-ng program, or a classified error saying how to install it."""
    program = shutil.which(ESPEAK_APT_PACKAGE)
    if program is None:
        raise EngineUnavailableError(
            "espeak", f"program {ESPEAK_APT_PACKAGE!r} not found on PATH; apt-get install -y {ESPEAK_APT_PACKAGE}"
        )
    return program


class EspeakBackend:
    """Renders text with the espeak-ng program; stateless, so any thread may call it."""

    def synthesize(self, text: str, voice: str, length_scale: float) -> tuple[npt.NDArray[np.float32], int]:
        wpm = round(DEFAULT_WPM / length_scale)
        low, high = WPM_RANGE
        if not low <= wpm <= high:
            raise ValueError(
                f"espeak-ng speed {wpm} words/min (length_scale {length_scale:.3f}, including any pitch "
                f"shift compensation) is outside [{low}, {high}]"
            )
        # -b 1: the input is UTF-8. --stdout: a WAV stream (its header sizes are placeholders; libsndfile
        # reads to the end regardless).
        command = [espeak_program(), "--stdout", "-b", "1", "-v", voice, "-s", str(wpm)]
        try:
            done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, timeout=_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise SynthesisError(f"espeak-ng took more than {_TIMEOUT_S:.0f} s for {len(text)} chars") from exc
        if done.returncode != 0 or not done.stdout:
            message = done.stderr.decode("utf-8", "replace").strip() or "no output"
            raise SynthesisError(f"espeak-ng failed (exit {done.returncode}, voice {voice!r}): {message}")
        try:
            samples, rate = sf.read(io.BytesIO(done.stdout), dtype="float32")
        except sf.LibsndfileError as exc:
            raise SynthesisError(f"espeak-ng wrote audio that cannot be read: {exc}") from exc
        if samples.ndim != 1 or not len(samples):
            raise SynthesisError(f"espeak-ng produced no mono audio for {text!r}")
        return samples, int(rate)
