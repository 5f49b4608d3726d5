"""libmpg123's notes on an MP3 that is off (a Xing header counting other bytes, junk between frames) never reach the
terminal: decoding keeps descriptor 2 from it, and what others write meanwhile still arrives (issue 58)."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.repo import REPO_ROOT

_CODE = """
import os, sys
from harness.speech import AudioFormat, Clip, decode_audio, encode, quiet_decoder
import numpy as np
tone = Clip(np.sin(np.arange(22050) / 8).astype(np.float32) * 0.3, 22050)
mp3 = encode(tone, AudioFormat.MP3)
broken = mp3[:1000] + bytes(50) + mp3[1000:]  # junk between frames: libmpg123 resyncs, and says so
print(round(decode_audio(broken).duration_s, 2), round(decode_audio(mp3 + mp3).duration_s, 2))
with quiet_decoder():
    os.write(2, b"a line of ours\\n")
"""


def test_the_mp3_decoders_notes_are_kept_from_stderr_and_ours_are_not() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CODE], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120, check=True
    )
    assert done.stdout.split() == ["1.0", "1.0"]
    assert done.stderr == "a line of ours\n"  # no "Note: Illegal Audio-MPEG-Header", no "Warning: Xing ..."
