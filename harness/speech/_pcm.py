"""Headerless PCM, the audio realtime protocols stream: 16-bit and 32-bit-float little-endian samples,
and G.711 μ-law and A-law (8 bits a sample), to and from float samples in [-1, 1].

Headerless bytes say nothing of their rate or encoding: whoever reads them must be told both (the
protocol's `output_format`, `encoding`, `sample_rate`). G.711 is done on numpy here because `audioop`
is deprecated (and gone from Python 3.13). `encode_as` writes the same samples as a file in a container too:
libsndfile's (WAV, MP3, Ogg, FLAC) and AAC in ADTS frames (FFmpeg's native encoder, through PyAV).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np
import numpy.typing as npt

from harness.core.audio import RAW_SAMPLE_BYTES, AudioDecodeError, raw_sample_width

from ._decode import decode_audio
from ._errors import AudioCodecError

RAW_CODECS = tuple(RAW_SAMPLE_BYTES)  # their widths are the audio rule's (`harness.core.audio`)
_ULAW_BIAS = 0x84
_ULAW_CLIP = 32635

Samples = npt.NDArray[np.float32]


def sample_width(codec: str) -> int:
    """Bytes per sample of a headerless codec; `AudioCodecError` names the valid ones."""
    try:
        return raw_sample_width(codec)
    except AudioDecodeError as error:
        raise AudioCodecError(str(error)) from None


def _to_int16(samples: npt.ArrayLike) -> npt.NDArray[np.int32]:
    return np.round(np.clip(np.asarray(samples, dtype=np.float64), -1.0, 1.0) * 32767).astype(np.int32)


def _exponent(magnitude: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """The G.711 segment: the position of the highest set bit among bits 7..14, 0 below bit 8."""
    bits = np.floor(np.log2(np.maximum(magnitude, 1))).astype(np.int32)
    return np.clip(bits - 7, 0, 7)


def _ulaw_encode(values: npt.NDArray[np.int32]) -> bytes:
    sign = np.where(values < 0, 0x80, 0)
    magnitude = np.minimum(np.abs(values), _ULAW_CLIP) + _ULAW_BIAS
    exponent = _exponent(magnitude)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8).tobytes()


def _ulaw_decode(data: bytes) -> npt.NDArray[np.int32]:
    code = ~np.frombuffer(data, dtype=np.uint8).astype(np.int32) & 0xFF
    exponent = (code >> 4) & 0x07
    magnitude = (((code & 0x0F) << 3) + _ULAW_BIAS) << exponent
    return np.where(code & 0x80, _ULAW_BIAS - magnitude, magnitude - _ULAW_BIAS)


def _alaw_encode(values: npt.NDArray[np.int32]) -> bytes:
    mask = np.where(values >= 0, 0xD5, 0x55)
    magnitude = np.minimum(np.where(values >= 0, values, -values - 1), 32767)
    segment = _exponent(magnitude)
    low = np.where(segment == 0, (magnitude >> 4) & 0x0F, (magnitude >> (segment + 3)) & 0x0F)
    return (((segment << 4) | low) ^ mask).astype(np.uint8).tobytes()


def _alaw_decode(data: bytes) -> npt.NDArray[np.int32]:
    code = np.frombuffer(data, dtype=np.uint8).astype(np.int32) ^ 0x55
    segment = (code & 0x70) >> 4
    base = ((code & 0x0F) << 4) + np.where(segment == 0, 8, 0x108)
    magnitude = np.where(segment > 1, base << np.maximum(segment - 1, 0), base)
    return np.where(code & 0x80, magnitude, -magnitude)


def encode_raw(samples: npt.ArrayLike, codec: str) -> bytes:
    """Float samples in [-1, 1] as headerless `codec` bytes."""
    sample_width(codec)
    if codec == "pcm_f32le":
        return np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0).astype("<f4").tobytes()
    values = _to_int16(samples)
    if codec == "pcm_s16le":
        return values.astype("<i2").tobytes()
    return _ulaw_encode(values) if codec == "pcm_mulaw" else _alaw_encode(values)


def decode_raw(data: bytes, codec: str) -> Samples:
    """Headerless `codec` bytes as float samples; `AudioCodecError` when they are not whole samples."""
    width = sample_width(codec)
    if len(data) % width:
        raise AudioCodecError(f"{len(data)} bytes are not whole {codec} samples of {width} bytes")
    if codec == "pcm_f32le":
        return np.frombuffer(data, dtype="<f4").astype(np.float32)
    if codec == "pcm_s16le":
        values = np.frombuffer(data, dtype="<i2").astype(np.int32)
    else:
        values = _ulaw_decode(data) if codec == "pcm_mulaw" else _alaw_decode(data)
    return (values / 32768.0).astype(np.float32)


_WAV_SUBTYPES = {"pcm_s16le": "PCM_16", "pcm_f32le": "FLOAT", "pcm_mulaw": "ULAW", "pcm_alaw": "ALAW"}
_CONTAINERS = {"wav": "WAV", "mp3": "MP3", "ogg": "OGG", "flac": "FLAC", "aac": "ADTS"}
_AAC_FRAME = 1024  # samples per AAC-LC frame: what the encoder takes at a time


# A file in a container is encoded once per (samples, rate, codec, container): a sandbox speaks the same text in the
# same voice for many providers, formats and requests, and MP3 and Opus encoding cost as much as a cached render
# saves. Bounded by count and by bytes; keyed by the samples' digest, so equal samples give the same bytes.
_ENCODED_KEPT = 64
_ENCODED_BYTES_KEPT = 32 * 1024 * 1024
_encoded: OrderedDict[tuple[bytes, int, str, str, bool], bytes] = OrderedDict()
_encoded_bytes = 0
_encoded_lock = threading.Lock()


def encode_as(
    samples: npt.ArrayLike, sample_rate: int, codec: str, container: str = "raw", *, constant_bitrate: bool = False
) -> bytes:
    """Float samples as the bytes a realtime protocol names: headerless `codec`, or a file in `container`
    (wav with any of the four PCM codecs, mp3, ogg (opus), flac, aac: ADTS frames). `constant_bitrate`: MP3 at one
    bitrate, as a stream is sent (a reader of frames with no Xing frame reckons a stream's length from its first
    frame)."""
    if container == "raw":
        return encode_raw(samples, codec)
    if container not in _CONTAINERS:
        raise AudioCodecError(f"cannot write a {container!r} container; valid: raw, {', '.join(_CONTAINERS)}")
    global _encoded_bytes
    clipped = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
    constant = constant_bitrate and container == "mp3"  # libsndfile's bitrate modes are MP3's alone
    key = (hashlib.blake2b(clipped.tobytes(), digest_size=16).digest(), sample_rate, codec, container, constant)
    with _encoded_lock:
        if key in _encoded:
            _encoded.move_to_end(key)
            return _encoded[key]
    encoded = _encode_file(clipped, sample_rate, codec, container, constant_bitrate=constant)
    with _encoded_lock:
        if key not in _encoded:  # another thread may have encoded the same samples meanwhile
            _encoded[key] = encoded
            _encoded_bytes += len(encoded)
        while len(_encoded) > _ENCODED_KEPT or _encoded_bytes > _ENCODED_BYTES_KEPT:
            _encoded_bytes -= len(_encoded.popitem(last=False)[1])
    return encoded


def _encode_file(clipped: Samples, sample_rate: int, codec: str, container: str, *, constant_bitrate: bool) -> bytes:
    import io

    if container == "aac":
        return _encode_adts(clipped, sample_rate)

    import soundfile as sf

    subtype = {
        "wav": _WAV_SUBTYPES.get(codec, "PCM_16"),
        "mp3": "MPEG_LAYER_III",
        "ogg": "VORBIS" if codec == "vorbis" else "OPUS",
        "flac": "PCM_16",
    }[container]
    buffer = io.BytesIO()
    try:
        if constant_bitrate:
            # libsndfile applies a bitrate mode only with a compression level: 0.5 is a middle bitrate
            with sf.SoundFile(
                buffer,
                "w",
                sample_rate,
                1,
                format=_CONTAINERS[container],
                subtype=subtype,
                bitrate_mode="CONSTANT",
                compression_level=0.5,
            ) as out:
                out.write(clipped)
        else:
            sf.write(buffer, clipped, sample_rate, format=_CONTAINERS[container], subtype=subtype)
    except (sf.LibsndfileError, TypeError, ValueError) as error:
        raise AudioCodecError(f"cannot write {codec} at {sample_rate} Hz in {container}: {error}") from error
    return buffer.getvalue()


def _encode_adts(clipped: Samples, sample_rate: int) -> bytes:
    """AAC-LC in ADTS frames (the 7-byte header before each 1,024-sample frame), the stream a provider's `aac` answers
    and a browser's `audio/aac` are. libsndfile writes no AAC, so FFmpeg's native encoder (LGPL, bundled in PyAV's
    wheels) does: imported here only, so a base install and every other format never load it. Its first frame is
    the encoder's priming (1,024 samples), which ADTS has no field to say: decoders play it, as players do."""
    import io

    try:
        import av
    except ImportError as error:
        raise AudioCodecError("writing AAC needs PyAV: pip install 'tts-harness[sandbox]'") from error
    buffer = io.BytesIO()
    try:
        with av.open(buffer, "w", format="adts") as out:
            stream = out.add_stream("aac", rate=sample_rate, layout="mono")
            for start in range(0, len(clipped), _AAC_FRAME):
                frame = av.AudioFrame.from_ndarray(
                    clipped[None, start : start + _AAC_FRAME], format="fltp", layout="mono"
                )
                frame.sample_rate, frame.pts = sample_rate, start
                out.mux(stream.encode(frame))
            out.mux(stream.encode(None))  # the frames the encoder still holds
    except (av.error.FFmpegError, ValueError) as error:
        raise AudioCodecError(f"cannot write aac at {sample_rate} Hz in ADTS: {error}") from error
    return buffer.getvalue()


def decode_as(data: bytes, codec: str, container: str = "raw", sample_rate: int = 0) -> tuple[Samples, int]:
    """Bytes a realtime protocol sent, read as it declared them: `(samples, rate)`. Headerless bytes take
    the declared `sample_rate` on trust (they carry none); a container's own header gives its rate."""
    if container == "raw":
        return decode_raw(data, codec), sample_rate
    try:
        decoded = decode_audio(data)  # the one decoder
    except AudioCodecError as error:
        raise AudioCodecError(f"{len(data)} bytes do not read as {container}: {error}") from error
    return decoded.mono(), decoded.sample_rate
