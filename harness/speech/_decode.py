"""The one decoder: audio bytes to samples, with what their headers say.

libsndfile (through soundfile) decodes WAV, FLAC, Ogg Vorbis/Opus and MP3 in-process, and FFmpeg's native AAC
decoder (bundled in PyAV's wheels, loaded only for AAC) reads ADTS frames, so no ffmpeg program is needed. What the
bytes are is read first by the one audio rule (`harness.core.audio`): headerless PCM is decoded only when it is
declared and the bytes carry no header of their own, a WAV whose data chunk promises more than arrived (which
libsndfile silently accepts) is known to be cut short, and a streamed WAV whose data size is a placeholder 0 is read
to its end (libsndfile would read no samples). Scoring, the runner, the contract checks and the sandbox all decode
here, and every failure is one `AudioCodecError` (a `harness.core.audio.AudioDecodeError`, so code outside the
speech engine need not import it).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import soundfile

from harness.core.audio import AudioInfo, AudioKind, canonical_media_type, inspect, pcm_layout, seal_wav

from ._errors import AudioCodecError
from ._quiet import quiet_decoder

if TYPE_CHECKING:  # PyAV is imported where AAC is read, never at import: a base install has no need of it
    import av

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True, kw_only=True)
class DecodedAudio:
    """Samples (frames x channels, float32 in [-1, 1]), what libsndfile read them as, and the headers."""

    samples: FloatArray
    sample_rate: int
    container: str  # libsndfile's format name (WAV, MP3, OGG, FLAC, RAW, ...)
    subtype: str
    media_type: str
    info: AudioInfo

    @property
    def kind(self) -> AudioKind | None:
        return self.info.kind

    @property
    def missing_share(self) -> float | None:
        """Share of a WAV's promised data that did not arrive (None when no size was promised)."""
        return self.info.missing_share

    @property
    def channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate

    def mono(self) -> FloatArray:
        """Channels averaged, which is what ASR and speaker models expect."""
        if self.channels == 1:
            return np.ascontiguousarray(self.samples[:, 0])
        return np.ascontiguousarray(self.samples.mean(axis=1, dtype=np.float32))

    def mono_at(self, rate: int) -> FloatArray:
        """Mono samples resampled to `rate` (Whisper and resemblyzer want 16 kHz)."""
        mono = self.mono()
        if self.sample_rate == rate or mono.size == 0:
            return mono
        import soxr

        return np.asarray(soxr.resample(mono, self.sample_rate, rate), dtype=np.float32)


def decode_audio(
    data: bytes,
    declared_media_type: str | None = None,
    declared_sample_rate: int | None = None,
    declared_channels: int | None = None,
) -> DecodedAudio:
    """Decode audio bytes; headerless PCM needs its declared media type and a sample rate (declared, or a
    `rate=` parameter of the media type)."""
    if not data:
        raise AudioCodecError("cannot decode audio: got an empty body")
    info = inspect(data, declared_media_type)
    try:
        if info.kind is AudioKind.PCM:
            samples, rate = _read_pcm(data, declared_media_type, declared_sample_rate, declared_channels)
            container, subtype = "RAW", "PCM_16"
        elif info.kind is AudioKind.AAC:
            samples, rate = _read_adts(data, cut_short=info.truncated)
            container, subtype = "ADTS", "AAC"
        else:
            with (
                quiet_decoder(),
                soundfile.SoundFile(io.BytesIO(seal_wav(data) if info.kind is AudioKind.WAV else data)) as sound,
            ):
                container, subtype, rate = sound.format, sound.subtype, sound.samplerate
                samples = sound.read(dtype="float32", always_2d=True)
    except soundfile.LibsndfileError as exc:
        raise AudioCodecError(
            f"cannot decode {len(data)} bytes as audio soundfile reads (WAV, FLAC, Ogg, MP3), starting "
            f"{data[:12]!r}: {exc.error_string}"  # not str(exc): it names the in-memory file object by its address
        ) from exc
    except (RuntimeError, TypeError, ValueError) as exc:
        raise AudioCodecError(f"cannot decode {len(data)} bytes of audio: {exc}") from exc
    media_type = info.media_type or f"audio/x-{container.lower()}"  # a container the audio rule does not name
    return DecodedAudio(
        samples=np.asarray(samples, dtype=np.float32),
        sample_rate=int(rate),
        container=container,
        subtype=subtype,
        media_type=media_type,
        info=info,
    )


def _read_adts(data: bytes, *, cut_short: bool) -> tuple[FloatArray, int]:
    """ADTS frames decoded by FFmpeg's AAC decoder, frames x channels. The encoder's priming frame is kept: ADTS
    has no field to say how long it is, so a player plays it too. `cut_short` (the audio rule's verdict): the last
    frame did not all arrive, and is dropped as libsndfile drops an MP3's; any other frame that fails is an error."""
    try:
        import av
    except ImportError as error:
        raise AudioCodecError("reading AAC needs PyAV: pip install 'tts-harness[sandbox]'") from error
    blocks: list[FloatArray] = []
    rate = 0
    try:
        with av.open(io.BytesIO(data), "r", format="aac") as source:
            stream = source.streams.audio[0]
            packets = [packet for packet in source.demux(stream) if packet.size]
            for index, packet in enumerate(packets):
                try:
                    frames = stream.codec_context.decode(packet)
                except av.error.FFmpegError:
                    if cut_short and blocks and index == len(packets) - 1:
                        break
                    raise
                for frame in frames:
                    blocks.append(_float_block(frame))
                    rate = frame.sample_rate
    except (av.error.FFmpegError, IndexError) as error:
        raise AudioCodecError(f"cannot decode {len(data)} bytes as AAC in ADTS frames: {error}") from error
    if not blocks:
        raise AudioCodecError(f"cannot decode {len(data)} bytes as AAC in ADTS frames: no frame decodes")
    return np.concatenate(blocks), rate


def _float_block(frame: av.AudioFrame) -> FloatArray:
    """One decoded frame as frames x channels of float32 (FFmpeg's AAC decoder gives planar float)."""
    planes = frame.to_ndarray()  # planar: channels x samples; packed: 1 x (samples x channels)
    block = planes.T if frame.format.is_planar else planes.reshape(-1, len(frame.layout.channels))
    if not np.issubdtype(block.dtype, np.floating):
        raise AudioCodecError(f"the AAC decoder gave {frame.format.name} samples, not float")
    return np.asarray(block, dtype=np.float32)


def _read_pcm(data: bytes, declared: str | None, rate: int | None, channels: int | None) -> tuple[FloatArray, int]:
    layout = pcm_layout(declared)
    assert layout is not None
    rate = rate or layout.sample_rate
    if not rate:
        raise AudioCodecError(
            f"cannot decode headerless {canonical_media_type(declared)}: it needs a declared "
            "sample rate, none was given"
        )
    subtype = {"s16": "PCM_16", "ulaw": "ULAW", "alaw": "ALAW"}[layout.encoding]
    samples, read_rate = soundfile.read(
        io.BytesIO(data),
        dtype="float32",
        always_2d=True,
        format="RAW",
        subtype=subtype,
        endian=layout.byte_order.upper(),
        samplerate=rate,
        channels=channels or layout.channels,
    )
    return samples, int(read_rate)
