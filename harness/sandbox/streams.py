"""Audio streams on a timeline the sandbox knows, so a benchmark's time to first audio can be checked.

A streaming answer sends its audio in chunks of at most half a second (each a whole file) at planned
moments: the first after a drawn time to first audio,
each next one after the previous chunk's audio × a drawn real-time factor (now and then above 1, so a
listener playing from the first chunk runs dry: an underrun). The first chunk starts with a drawn
stretch of silence, as real engines' output does, which is why *perceived* time to first audio — when
speech is first heard — differs from the first audio byte. Every stream's truth is kept: when each
chunk left, how long its audio is, where speech begins (the first 10 ms frame whose RMS reaches 0.01,
Coval's rule), and when a listener playing from the first chunk hears it.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import soundfile as sf

from harness.core.onset import speech_onset_s
from harness.core.playback import Listening, listen, onsets_by_chunk
from harness.sandbox.clock import Clock, RealClock
from harness.speech import quiet_decoder

TTFA_MEDIAN_S = 0.25
RTF_MEDIAN = 0.45  # seconds of work per second of audio after the first chunk
RTF_SPREAD = 0.6  # log-normal sigma: about one chunk in ten comes slower than real time
LEAD_SILENCE_S = (0.05, 0.4)
CHUNK_S = 0.5  # seconds of audio per event
STALL_S = 0.12  # how long past the listener's last sample a stalled chunk is held (`stall-<N>`)


def onset_in(audio: bytes) -> float | None:
    """Seconds into `audio` (any file libsndfile reads) where speech begins; None if it never does."""
    with quiet_decoder():
        samples, rate = sf.read(io.BytesIO(audio), dtype="float32", always_2d=True)
    return speech_onset_s(samples.mean(axis=1), rate)


def duration_s(audio: bytes) -> float:
    with quiet_decoder():
        info = sf.info(io.BytesIO(audio))
    return float(info.frames / info.samplerate)


def with_lead_silence(audio: bytes, seconds: float) -> bytes:
    """The same file with `seconds` of digital silence in front (same format and sample rate)."""
    with quiet_decoder():
        info = sf.info(io.BytesIO(audio))
        samples, rate = sf.read(io.BytesIO(audio), dtype="float32", always_2d=True)
    padded = np.concatenate([np.zeros((round(seconds * rate), samples.shape[1]), dtype=np.float32), samples])
    out = io.BytesIO()
    sf.write(out, padded, rate, format=info.format, subtype=info.subtype)
    return out.getvalue()


@dataclass(slots=True, kw_only=True)
class StreamTruth:
    """One stream as the sandbox sent it (clock readings on the sandbox's monotonic clock)."""

    stream_id: str
    text: str
    received_at: float
    chunk_at: list[float] = field(default_factory=list)  # when each chunk's event was handed to the server
    chunk_audio_s: list[float] = field(default_factory=list)
    onset_s: float | None = None  # into the stream's audio (all chunks end to end)
    stalls: int = 0  # chunks held back on purpose (the `stall-<N>` fault) until the listener ran dry
    tag: str = ""  # the `X-Sandbox-Tag` of the request that made it: how its client finds it among others

    def listening(self) -> Listening:
        """What a listener who starts playing at the first chunk meets (`harness.core.playback`, the same
        player the runner measures with)."""
        return listen(self.chunk_at, self.chunk_audio_s, onsets_by_chunk(self.chunk_audio_s, self.onset_s))

    def heard_at(self) -> float | None:
        """When a listener who starts playing at the first chunk hears speech (playback waits for late chunks)."""
        return self.listening().heard if self.chunk_at else None

    def to_json(self) -> dict[str, Any]:
        return {
            "stream_id": self.stream_id,
            "text": self.text,
            "received_at": self.received_at,
            "chunk_at": list(self.chunk_at),
            "chunk_audio_s": list(self.chunk_audio_s),
            "onset_s": self.onset_s,
            "heard_at": self.heard_at(),
            "underruns": self.listening().underruns,
            "stalls": self.stalls,
            "tag": self.tag,
        }


class StreamPacer:
    """Holds each chunk of one stream until its planned moment, and writes down what was sent when."""

    def __init__(self, truth: StreamTruth, clock: Clock, rng: random.Random, scale: float) -> None:
        self.truth = truth
        self.clock = clock
        self.rng = rng
        self.scale = scale
        self.stalls_left = 0  # the `stall-<N>` fault: hold the next N chunks until the listener has run dry
        self.due = truth.received_at + TTFA_MEDIAN_S * math.exp(rng.gauss(0.0, 0.3)) * scale

    async def pieces(self, audio: bytes) -> AsyncIterator[bytes]:
        """One synthesised part cut into chunks of at most CHUNK_S, each a whole file, each yielded at its
        planned moment (the first with its lead-in silence)."""
        if not self.truth.chunk_at:
            audio = with_lead_silence(audio, self.lead_silence_s())
        for piece in split(audio, CHUNK_S):
            await self.release(duration_s(piece), onset_in(piece) if self.truth.onset_s is None else None)
            yield piece

    async def release(self, length_s: float, onset_s: float | None) -> None:
        """Wait for the planned moment of the next chunk (`length_s` of audio, speech beginning `onset_s`
        into it, if it does), then write down that it left. Callers with audio of their own (a socket's
        PCM) pace it with this; `pieces` does for whole files."""
        if self.stalls_left and self.truth.chunk_at:
            self.stalls_left -= 1
            self.truth.stalls += 1
            self.due = max(self.due, self.truth.listening().finished + STALL_S)  # a fault asked for: not scaled
        if isinstance(self.clock, RealClock):  # a manual clock moves only when a test says so
            await self.clock.sleep_until(self.due)
        if self.truth.onset_s is None and onset_s is not None:
            self.truth.onset_s = sum(self.truth.chunk_audio_s) + onset_s
        self.truth.chunk_at.append(self.clock.now())
        self.truth.chunk_audio_s.append(length_s)
        self.due = (
            max(self.due, self.clock.now())
            + length_s * RTF_MEDIAN * math.exp(self.rng.gauss(0.0, RTF_SPREAD)) * self.scale
        )

    def sent(self) -> None:
        """The last released chunk is being handed to the server now: its truth is this instant (a socket's
        chunk is encoded after its release, then written: `written`)."""
        if self.truth.chunk_at:
            self.truth.chunk_at[-1] = self.clock.now()

    def lead_silence_s(self) -> float:
        """The silence the stream's first chunk starts with (drawn once, before anything is sent)."""
        return self.rng.uniform(*LEAD_SILENCE_S)


def split(audio: bytes, seconds: float) -> list[bytes]:
    """Whole files of at most `seconds` each, cut from one file (same format)."""
    with quiet_decoder():
        info = sf.info(io.BytesIO(audio))
        samples, rate = sf.read(io.BytesIO(audio), dtype="float32", always_2d=True)
    step = max(1, round(seconds * rate))
    pieces = []
    for start in range(0, len(samples), step):
        out = io.BytesIO()
        sf.write(out, samples[start : start + step], rate, format=info.format, subtype=info.subtype)
        pieces.append(out.getvalue())
    return pieces or [audio]


# The stream whose released chunk the current task is about to write to a socket (set by the speaker that
# released it, read by the socket's one writer just before the write: `harness.sandbox.socket_writer.Sender`).
_WRITING: ContextVar[StreamPacer | None] = ContextVar("sandbox_stream_writing", default=None)


def writing(pacer: StreamPacer | None) -> None:
    """Say which stream the next audio frame written in this task belongs to (None: none)."""
    _WRITING.set(pacer)


def written() -> None:
    """An audio frame is about to be written: it is the truth of its stream's last released chunk (once)."""
    pacer = _WRITING.get()
    if pacer is not None:
        pacer.sent()
        _WRITING.set(None)


class StreamLog:
    """Every stream's truth, bounded (oldest dropped), readable from the control API and in process."""

    def __init__(self, clock: Clock, seed: int, scale: float, limit: int = 10_000) -> None:
        self.clock = clock
        self.seed = seed
        self.scale = scale
        self.limit = limit
        self.streams: OrderedDict[str, StreamTruth] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, text: str, tag: str = "") -> StreamPacer:
        with self._lock:
            number = len(self.streams)
            stream_id = hashlib.sha256(f"{self.seed}/stream/{number}/{text}".encode()).hexdigest()[:16]
            truth = StreamTruth(stream_id=stream_id, text=text, received_at=self.clock.now(), tag=tag[:200])
            self.streams[stream_id] = truth
            while len(self.streams) > self.limit:
                self.streams.popitem(last=False)
        return StreamPacer(truth, self.clock, random.Random(f"{self.seed}/stream/{number}"), self.scale)

    def get(self, stream_id: str) -> StreamTruth | None:
        return self.streams.get(stream_id)

    def find(self, text: str) -> StreamTruth | None:
        """The latest stream of `text`."""
        with self._lock:
            return next((t for t in reversed(self.streams.values()) if t.text == text), None)
