"""Issue 79's seams on real speech: a click at every seam of 80 ms chunks is named (its yardstick is measured away
from the seams), clean speech cut at 20, 80 or 200 ms raises nothing, and a container header in any chunk of a raw
stream is a finding wherever it is (`harness.core.seams.stream_headers`), while a WAV stream whose every chunk is a
whole file by design is not."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from harness.core.audio import headers_inside
from harness.core.seams import seam_findings, stream_headers
from tests.helpers.speech import render, wav_bytes

RATE = 22050
TEXT = "The quick brown fox jumps over the lazy dog, then runs back home."


@functools.cache
def speech() -> np.ndarray:
    return render(TEXT, sample_rate=RATE).astype(np.float64)


def seams_every(samples: np.ndarray, seconds: float) -> list[int]:
    step = round(seconds * RATE)
    return list(range(step, len(samples), step))


@pytest.mark.parametrize("chunk_s", [0.02, 0.08, 0.2])
def test_clean_real_speech_at_any_chunking_raises_nothing(chunk_s: float) -> None:
    x = speech()
    assert seam_findings(x, RATE, seams_every(x, chunk_s)) == []


@pytest.mark.parametrize("chunk_s", [0.08, 0.2])
def test_a_click_at_every_seam_of_short_chunks_is_named_at_every_seam(chunk_s: float) -> None:
    x = speech().copy()
    seams = seams_every(x, chunk_s)
    for b in seams:  # each chunk after the first starts with a pop, as a server writing a fresh buffer
        x[b], x[b + 1] = 0.4, -0.4
    clicks = [f for f in seam_findings(x, RATE, seams) if f.kind == "click"]
    assert len(clicks) == len(seams), (len(clicks), len(seams))


def _held(chunks: list[bytes]) -> list[list[tuple[str, int]]]:
    return [[(kind.value, at) for at, kind in headers_inside(chunk, 0)] for chunk in chunks]


def test_a_header_at_every_chunk_of_a_raw_stream_is_a_finding_at_every_chunk() -> None:
    pieces = np.array_split(speech()[:RATE], 5)
    chunks = [wav_bytes(piece.astype(np.float32), RATE) for piece in pieces]  # chatterbox-tts-api #14
    assert stream_headers(_held(chunks), raw=True) == [(seq, "wav") for seq in range(5)]
    assert stream_headers(_held(chunks), raw=False) == []  # a WAV stream of whole files, by design


def test_a_header_anywhere_in_a_raw_or_single_container_stream_is_a_finding() -> None:
    samples = (speech()[:4000] * 32767).astype("<i2").tobytes()
    tag = b"ID3\x03\x00\x00\x00\x00\x00\x10" + bytes(16)
    ogg = b"OggS\x00\x02" + bytes(20) + b"\x01\x13OpusHead" + bytes(11)
    flac = b"fLaC\x00\x00\x00\x22" + bytes(34)
    raw = [samples[:2000], samples[2000:4000] + tag + samples[4000:6000], flac + samples[6000:]]
    assert stream_headers(_held(raw), raw=True) == [(1, "mp3"), (2, "flac")]
    single = [wav_bytes(speech()[:2000].astype(np.float32), RATE), samples[:3000] + ogg, samples]
    found = stream_headers(_held(single), raw=False)
    assert [seq for seq, _ in found] == [1] and found[0][1] in ("ogg", "opus")


def test_a_sockets_raw_frames_with_a_wav_header_each_are_named_and_a_wav_sockets_are_not() -> None:
    """The contract suite's socket path (`session_seams`) by the same rule: a socket declared raw whose every frame is
    a WAV file has a header at every frame; declared WAV, each frame a whole file by design, none."""
    from harness.contracts.seam_checks import session_seams
    from harness.core.protocols.realtime_grammar import AudioSpec, Event, Kind

    pieces = np.array_split(speech()[:RATE], 4)
    frames = [
        Event(frame=n, t_s=0.1 * n, kind=Kind.AUDIO, audio=wav_bytes(piece.astype(np.float32), RATE))
        for n, piece in enumerate(pieces)
    ]
    raw = session_seams(frames, AudioSpec("pcm_s16le", RATE, "raw"))
    assert [(frame, f.kind) for frame, f in raw] == [(n, "header") for n in range(4)], raw
    assert session_seams(frames, AudioSpec("pcm_s16le", RATE, "wav")) == []
