"""Audio a server wrote a key into (a RIFF LIST/INFO chunk) keeps none of it where the harness stores it:
the recorded fixtures' media store and the audio copied beside an HTML report (clips stored by runs
from before metadata was stripped included)."""

from __future__ import annotations

import struct
from pathlib import Path

from harness.contracts.scenario import MediaStore
from harness.report.render import copy_audio
from tests.helpers.request_rows import request_row
from tests.helpers.wav import pcm_wav

PLANTED = b"sk-planted-in-an-INFO-chunk-1234"


def _with_info(wav: bytes) -> bytes:
    """`wav` with a LIST/INFO chunk holding the planted key, inserted before its data chunk, sizes fixed."""
    name = PLANTED + b"\x00\x00"  # NUL-terminated, padded to an even size as RIFF requires
    inam = b"INAM" + struct.pack("<I", len(name)) + name
    listing = b"LIST" + struct.pack("<I", 4 + len(inam)) + b"INFO" + inam
    at = wav.index(b"data")
    body = wav[12:at] + listing + wav[at:]
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def test_recorded_media_is_stored_without_metadata(tmp_path: Path) -> None:
    store = MediaStore(tmp_path)
    name = store.put(_with_info(pcm_wav()), "audio/wav")
    kept = store.get(name)  # named by the bytes kept: the hash check still holds
    assert PLANTED not in kept and kept.startswith(b"RIFF") and b"data" in kept


def test_report_audio_is_copied_without_metadata(tmp_path: Path) -> None:
    clip = tmp_path / "clip.wav"
    clip.write_bytes(_with_info(pcm_wav()))  # stored by an older run, metadata and all
    copied = copy_audio(
        [request_row(audio_path=str(clip), outcome="ok", audio_sha256="abc", job_key="j1")], tmp_path / "report", None
    )
    body = (tmp_path / "report" / copied["j1"]).read_bytes()
    assert PLANTED not in body and body.startswith(b"RIFF")
