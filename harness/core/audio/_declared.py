"""Audio read as a protocol declared it — a codec, a sample rate and a container (a realtime grammar's
`AudioSpec`, a format table's entry) — from the bytes alone, without numpy.

The contract checks ask only what the bytes hold: whole samples, how long they last, at what rate, and (for
32-bit floats) how loud. None of that needs a decoder, so the contract suite runs in a base install; turning
bytes into samples stays the one decoder's job (`harness.speech.decode_as`).

    raw        headerless samples of the declared codec: whole samples of its width, lasting
               `bytes / width / rate` at the declared rate (they carry none of their own)
    wav, mp3, flac, ogg   read by their own header (`inspect`), and of the kind the container names (Ogg
               holds Opus, or Vorbis where the codec says so); another container is read by its header only
"""

from __future__ import annotations

import math
import sys
from array import array

from ._read import inspect
from ._riff import walk_riff, wave_format
from ._types import AudioDecodeError, AudioInfo, AudioKind, with_problem

#: Bytes a sample of each headerless codec takes (what realtime protocols stream: 16-bit and 32-bit-float
#: little-endian, G.711 mu-law and A-law).
RAW_SAMPLE_BYTES: dict[str, int] = {"pcm_s16le": 2, "pcm_f32le": 4, "pcm_mulaw": 1, "pcm_alaw": 1}

_IEEE_FLOAT = 3  # a WAV fmt chunk's format tag for float samples

_CONTAINER_KINDS: dict[str, tuple[AudioKind, ...]] = {
    "wav": (AudioKind.WAV,),
    "mp3": (AudioKind.MP3,),
    "flac": (AudioKind.FLAC,),
    "aac": (AudioKind.AAC,),
}


def raw_sample_width(codec: str) -> int:
    """Bytes per sample of a headerless codec; `AudioDecodeError` names the valid ones."""
    if codec not in RAW_SAMPLE_BYTES:
        raise AudioDecodeError(f"unknown headerless codec {codec!r}; valid: {', '.join(RAW_SAMPLE_BYTES)}")
    return RAW_SAMPLE_BYTES[codec]


def container_kinds(container: str, codec: str) -> tuple[AudioKind, ...]:
    """The kinds of audio a declared container may hold (empty: one this rule does not judge by kind)."""
    if container == "ogg":
        return (AudioKind.VORBIS,) if codec == "vorbis" else (AudioKind.OPUS,)
    return _CONTAINER_KINDS.get(container, ())


def read_declared(data: bytes, codec: str, container: str = "raw", sample_rate: int = 0) -> AudioInfo:
    """What `data` holds, read as declared (see the module docstring); `problem` says why it is not whole
    audio of that declaration. A container's `sample_rate` is its header's, for the caller to hold against
    the declared one (Opus's is always 48 kHz)."""
    if container == "raw":
        width = raw_sample_width(codec)
        rate = sample_rate or None
        found = AudioInfo(
            kind=AudioKind.PCM,
            media_type=None,
            sample_rate=rate,
            channels=1,
            duration_s=len(data) / width / sample_rate if sample_rate else None,
        )
        if len(data) % width:
            return with_problem(found, f"{len(data)} bytes are not whole {codec} samples of {width} bytes", True)
        return found
    info = inspect(data)
    kinds = container_kinds(container, codec)
    if info.kind is None:
        return with_problem(info, f"{len(data)} bytes that do not read as {container}: {info.problem}", False)
    if kinds and info.kind not in kinds:
        return with_problem(info, f"{info.kind.value} bytes, not {codec} in {container}", False)
    return info


def float_peak(data: bytes, container: str = "raw") -> float | None:
    """The largest magnitude among 32-bit float samples (NaN when one is not a number): headerless
    little-endian ones, or a WAV's data chunk where its fmt chunk says IEEE float; None where the bytes hold
    no float samples this rule reads. A last partial sample is left out (whole samples are `read_declared`'s)."""
    if container == "raw":
        payload, order = data, "little"
    elif container == "wav" and (riff := walk_riff(data)) is not None:
        fmt, chunk = wave_format(data, riff), riff.first(b"data")
        if fmt is None or chunk is None or (fmt.tag, fmt.bits) != (_IEEE_FLOAT, 32):
            return None
        payload, order = data[chunk.body], riff.order
    else:
        return None
    samples = array("f")
    samples.frombytes(payload[: len(payload) - len(payload) % samples.itemsize])
    if order != sys.byteorder:
        samples.byteswap()
    if any(math.isnan(value) for value in samples):
        return math.nan
    return max(map(abs, samples), default=0.0)
