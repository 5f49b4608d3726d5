"""MPEG audio layer III and ADTS (AAC) streams: frame headers, the Xing/Info frame and LAME's gapless
figures, and what a walk over the frames says about length and truncation."""

from __future__ import annotations

from dataclasses import dataclass

from ._tags import audio_start, trailing_tags_start
from ._types import AudioInfo, AudioKind

_MPEG1_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0)
_MPEG2_KBPS = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0)
_MPEG_RATES = (44100, 48000, 32000)
_MPEG_RATE_SHIFT = {3: 0, 2: 1, 0: 2}  # version bits -> MPEG-1, MPEG-2 (half rates), MPEG-2.5 (quarter)
_ADTS_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350)


@dataclass(frozen=True, slots=True, kw_only=True)
class MpegFrame:
    kind: AudioKind  # MP3 or AAC
    length: int
    samples: int
    sample_rate: int
    channels: int
    version: int


def _mpeg_frame(data: bytes, at: int) -> MpegFrame | None:
    """An MPEG audio layer III frame header at `at` (free-format bit rates are not accepted)."""
    second, third, fourth = data[at + 1], data[at + 2], data[at + 3]
    version, layer = (second >> 3) & 3, (second >> 1) & 3
    bitrate_index, rate_index = third >> 4, (third >> 2) & 3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3 or fourth & 3 == 2:
        return None
    mpeg1 = version == 3
    rate = _MPEG_RATES[rate_index] >> _MPEG_RATE_SHIFT[version]
    samples = 1152 if mpeg1 else 576
    kbps = (_MPEG1_KBPS if mpeg1 else _MPEG2_KBPS)[bitrate_index]
    length = samples // 8 * kbps * 1000 // rate + ((third >> 1) & 1)
    return MpegFrame(
        kind=AudioKind.MP3,
        length=length,
        samples=samples,
        sample_rate=rate,
        channels=1 if fourth >> 6 == 3 else 2,
        version=version,
    )


def _adts_frame(data: bytes, at: int) -> MpegFrame | None:
    if at + 7 > len(data):
        return None
    third, fourth, fifth, sixth, seventh = data[at + 2 : at + 7]
    rate_index = (third >> 2) & 0xF
    length = ((fourth & 3) << 11) | (fifth << 3) | (sixth >> 5)
    header = 7 if data[at + 1] & 1 else 9  # protection_absent = 0: a 16-bit CRC follows
    if rate_index >= len(_ADTS_RATES) or length < header:
        return None
    channels = ((third & 1) << 2) | (fourth >> 6)
    return MpegFrame(
        kind=AudioKind.AAC,
        length=length,
        samples=1024 * ((seventh & 3) + 1),
        sample_rate=_ADTS_RATES[rate_index],
        channels=channels,
        version=(data[at + 1] >> 3) & 1,
    )


def frame_at(data: bytes, at: int) -> MpegFrame | None:
    if at + 4 > len(data) or data[at] != 0xFF:
        return None
    if data[at + 1] & 0xF6 == 0xF0:  # 12-bit sync, layer 00: ADTS
        return _adts_frame(data, at)
    if data[at + 1] & 0xE0 == 0xE0:
        return _mpeg_frame(data, at)
    return None


def frame_stream(data: bytes, start: int) -> AudioKind | None:
    """MP3 or AAC when a valid frame header sits at `start` and the next one where it should be."""
    frame = frame_at(data, start)
    if frame is None:
        # The first bytes of an ADTS stream, too few to hold the frame length yet.
        if len(data) - start in (3, 4, 5, 6) and data[start] == 0xFF and data[start + 1] & 0xF6 == 0xF0:
            return AudioKind.AAC if (data[start + 2] >> 2) & 0xF < len(_ADTS_RATES) else None
        return None
    following = start + frame.length
    if following + 4 <= trailing_tags_start(data):
        after = frame_at(data, following)
        if after is None or after.kind is not frame.kind or after.version != frame.version:
            return None
    return frame.kind


@dataclass(frozen=True, slots=True)
class _Gapless:
    """What a Xing/Info frame says: frames after it, and LAME's encoder delay and padding in samples."""

    frames: int | None
    delay: int
    padding: int


def xing(data: bytes, at: int, frame: MpegFrame) -> _Gapless | None:
    stereo = frame.channels == 2
    side_info = (32 if stereo else 17) if frame.version == 3 else (17 if stereo else 9)
    tag = at + 4 + side_info
    if data[tag : tag + 4] not in (b"Xing", b"Info"):
        return None
    flags = int.from_bytes(data[tag + 4 : tag + 8], "big")
    frames = int.from_bytes(data[tag + 8 : tag + 12], "big") if flags & 1 else None
    encoder = tag + 8 + 4 * (flags & 1) + 4 * ((flags >> 1) & 1) + 100 * ((flags >> 2) & 1) + 4 * ((flags >> 3) & 1)
    delay = padding = 0
    if data[encoder : encoder + 4] in (b"LAME", b"Lavc", b"Lavf") and encoder + 24 <= len(data):
        packed = data[encoder + 21 : encoder + 24]
        delay, padding = (packed[0] << 4) | (packed[1] >> 4), ((packed[1] & 0xF) << 8) | packed[2]
    return _Gapless(frames, delay, padding)


def inspect_frames(data: bytes, kind: AudioKind) -> AudioInfo:
    start, end = audio_start(data), trailing_tags_start(data)
    label = "MP3" if kind is AudioKind.MP3 else "AAC"
    first = frame_at(data, start)
    if first is None:
        return AudioInfo(kind=kind, truncated=True, problem=f"truncated {label}: no whole frame after the tag")
    gapless = xing(data, start, first) if kind is AudioKind.MP3 else None
    position = start + first.length if gapless else start
    frames = samples = 0
    problem = None
    while position < end:
        frame = frame_at(data, position)
        if frame is None:
            if end - position < 4:
                problem = f"truncated {label}: a frame header cut after {end - position} bytes"
            break  # bytes after the frames that are not one (a tag this reader does not know): ignored
        if position + frame.length > end:
            problem = f"truncated {label}: the last frame promises {frame.length} bytes, got {end - position}"
            break
        frames, samples, position = frames + 1, samples + frame.samples, position + frame.length
    if problem is None and gapless and gapless.frames and frames < gapless.frames:
        problem = f"truncated {label}: the Xing header counts {gapless.frames} frames, got {frames}"
    if problem is None and frames == 0:
        problem = f"truncated {label}: no whole audio frame"
    if gapless and problem is None:
        samples = max(samples - gapless.delay - gapless.padding, 0)
    return AudioInfo(
        kind=kind,
        media_type=None,
        sample_rate=first.sample_rate,
        channels=first.channels,
        duration_s=samples / first.sample_rate,
        truncated=problem is not None,
        problem=problem,
    )


def frames_hold_a_frame(data: bytes, kind: AudioKind) -> bool:
    """A whole first audio frame (past a Xing/Info frame, which carries no audio)."""
    start = audio_start(data)
    frame = frame_at(data, start)
    if frame is not None and kind is AudioKind.MP3 and xing(data, start, frame):
        start += frame.length
        frame = frame_at(data, start)
    return frame is not None and start + frame.length <= len(data)


def stream_frames(data: bytes) -> bytes:
    """An MP3 file's audio frames alone, past its tags and its Xing/Info frame: the bytes one stretch adds to a
    stream an encoder keeps open (a file's Xing frame counts its own frames, so files joined end to end read as the
    first one alone)."""
    start, end = audio_start(data), trailing_tags_start(data)
    frame = frame_at(data, start)
    if frame is not None and frame.kind is AudioKind.MP3 and xing(data, start, frame):
        start += frame.length
    return data[start:end]
