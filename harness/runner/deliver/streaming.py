"""What a listener of a streamed answer meets, recorded as it arrives: each chunk of audio with the interval
it reached us in, for SSE answers (`StreamWatch`, fed the body as it comes) and realtime sockets
(`harness.runner.deliver.socket_speech`, fed the frames of a session) alike.

Each chunk of audio is known to have reached us inside an interval: after `earliest` (the read, or the
wait for a frame, that came before it) and by `latest` (when the read or `recv` that completed it
returned). The runner keeps that, and what the chunk's bytes decode to (`chunk_evidence`), as the `chunks`
rows; every stream figure (ttfa, perceived ttfa, gaps, real-time factor, underruns) is derived from them
by `harness.measurement.stream_intervals`.

Decoding needs soundfile (the score/sandbox extra); without it only the arrival figures are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.core.audio import headers_inside
from harness.core.onset import speech_onset_s
from harness.measurement import Chunk
from harness.measurement import stream_figures as measured_stream_figures
from harness.runner.deliver.media import sse_audio


@dataclass(slots=True)
class StreamWatch:
    """Audio events of one SSE answer, each with its arrival instant (monotonic seconds)."""

    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    began_after: list[float | None] = field(default_factory=list)  # per chunk: the read before its first byte
    pending: bytearray = field(default_factory=bytearray)
    last_read: float | None = None
    pending_after: float | None = None  # the read before the first byte now pending

    def feed(self, data: bytes, at: float) -> None:
        if not self.pending:
            self.pending_after = self.last_read
        self.pending.extend(data)
        while True:
            end = self.pending.find(b"\n\n")
            if end < 0:
                break
            event = bytes(self.pending[: end + 2])
            del self.pending[: end + 2]
            audio = sse_audio(event)
            if audio and audio != event:
                self.chunks.append((at, audio))
                self.began_after.append(self.pending_after)
            self.pending_after = self.last_read  # what follows in this read arrived after the previous one
        self.last_read = at

    def arrivals(self, sent: float, opened: float | None = None) -> list[Arrival]:
        """Each event's audio with its interval: after the read before its first byte (or the answer's
        headers, or the send), by the read that completed it."""
        floor = opened if opened is not None else sent
        return [
            Arrival(max(sent, after if after is not None else floor), at, audio)
            for (at, audio), after in zip(self.chunks, self.began_after, strict=True)
        ]


@dataclass(frozen=True, slots=True)
class Arrival:
    """One chunk of audio and the interval it reached us in (monotonic seconds)."""

    earliest: float
    latest: float
    audio: bytes


Decoder = Callable[[bytes], "tuple[Any, int] | None"]  # audio → (mono samples, rate), None: undecodable


def decode_file(audio: bytes) -> tuple[Any, int] | None:
    """A chunk that is a whole file (an SSE event's WAV or MP3), by the one decoder."""
    try:
        from harness.speech import AudioCodecError, decode_audio  # the one decoder (score/sandbox extra)
    except ImportError:
        return None
    try:
        decoded = decode_audio(audio)
    except AudioCodecError:
        return None
    return decoded.mono(), decoded.sample_rate


def _header(audio: bytes) -> str | None:
    """Every container header or tag a chunk's bytes hold, and where ("wav@0,wav@44"): the one sniffer's reading
    (`harness.core.audio.headers_inside`), kept so a header inside a stream is found after the run."""
    return ",".join(f"{kind.value}@{at}" for at, kind in headers_inside(audio, 0)) or None


def chunk_evidence(arrivals: Sequence[Arrival], decoder: Decoder = decode_file) -> list[Chunk]:
    """Each chunk's evidence: its arrival interval, its size, and what its bytes decode to on their own (the
    seconds of audio, where speech begins in them), measured once as it is recorded."""
    found = []
    for arrival in arrivals:
        decoded = decoder(arrival.audio)
        length = None if decoded is None else len(decoded[0]) / decoded[1]
        onset = None if decoded is None else speech_onset_s(*decoded)
        found.append(
            Chunk(
                earliest=arrival.earliest,
                latest=arrival.latest,
                size=len(arrival.audio),
                audio_s=length,
                onset_s=onset,
                header=_header(arrival.audio),
            )
        )
    return found


def stream_figures(
    arrivals: Sequence[Arrival], origin: float, finished: float | None = None, decoder: Decoder = decode_file
) -> dict[str, Any]:
    """The stream figures of `arrivals` as the run's derivation gives them (`harness.measurement`), for a
    caller that holds the chunks themselves (the replay checks, the realtime tests)."""
    return measured_stream_figures(chunk_evidence(arrivals, decoder), origin, finished)
