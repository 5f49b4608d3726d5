"""A container header or tag inside a stream (`harness.core.audio.headers_inside`): confirmed by the one sniffer, so
samples that spell a magic word are not a header, and an Ogg stream's own later pages are not a new stream."""

from __future__ import annotations

import struct

from harness.core.audio import AudioKind, headers_inside


def _wav_header(rate: int = 16000) -> bytes:
    return (
        b"RIFF"
        + struct.pack("<I", 36)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
        + b"data"
        + struct.pack("<I", 0)
    )


def test_a_wav_header_and_an_id3_tag_after_the_start_are_found_where_they_are() -> None:
    samples = bytes(range(256)) * 8
    id3 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10)
    data = samples + _wav_header() + samples + id3 + samples
    assert headers_inside(data) == ((len(samples), AudioKind.WAV), (2 * len(samples) + 44, AudioKind.MP3))


def test_magic_words_that_are_not_headers_are_not_found() -> None:
    data = bytes(100) + b"RIFFxxxxNOPE" + b"ID3\x09" + bytes(20) + b"OggS\x00\x00" + bytes(40) + b"fLaCzz"
    assert headers_inside(data) == ()


def test_the_start_of_the_stream_is_its_own_header() -> None:
    data = _wav_header() + bytes(400)
    assert headers_inside(data) == ()
    assert headers_inside(data, 0) == ((0, AudioKind.WAV),)
