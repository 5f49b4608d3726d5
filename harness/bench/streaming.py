"""What a listener of a streamed answer experiences, from the chunks as they arrived — one owner of every
stream figure, for SSE answers (`StreamWatch`, fed the body as it comes) and realtime sockets
(`harness.bench.realtime`, fed the frames of a session) alike.

Each chunk of audio is known to have reached us inside an interval: after `earliest` (the read, or the
wait for a frame, that came before it) and by `latest` (when the read or `recv` that completed it
returned). Every time figure is therefore an interval, `<figure>_lo_ms` ≤ `<figure>_ms` ≤ `<figure>_hi_ms`,
the estimate being the observed (upper) end. Times count from the *first text token* sent: for an HTTP or
SSE endpoint, which takes the whole text in one request, that is the request's send; for a realtime socket
fed token by token, the first text message. `stream_figures` replays the one listener
(`harness.core.playback`: it starts playing at the first chunk and waits whenever the next one is late):

    ttfa                first token → first audio chunk (the first *decodable* audio, not the first byte)
    perceived ttfa      first token → speech first heard: the leading silence inside the stream is added (to
                        the sample, `harness.core.onset`), plus any wait for late chunks before it
    last audio          first token → the last audio chunk
    chunk gaps          p50 / p95 / max of the waits between consecutive audio chunks (jitter)
    real-time factor    time to the end of the answer / seconds of audio received (below 1: faster than it plays)
    underruns           times the listener runs out of audio before the next chunk, and the total wait; the
                        interval is the counts under the earliest and the observed arrivals

Decoding needs soundfile (the score/sandbox extra); without it only the arrival figures are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from harness.bench.media import sse_audio
from harness.core.onset import speech_onset_s
from harness.core.playback import listen
from harness.core.quantiles import quantile


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
        return [Arrival(max(sent, after if after is not None else floor), at, audio)
                for (at, audio), after in zip(self.chunks, self.began_after, strict=True)]


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


def _interval(name: str, low: float | None, estimate: float | None, high: float | None,
              unit: str = "_ms") -> dict[str, Any]:
    return {f"{name}{unit}": estimate, f"{name}_lo{unit}": low, f"{name}_hi{unit}": high}


def _gaps(arrivals: Sequence[Arrival]) -> dict[str, Any]:
    """Waits between consecutive chunks: observed, and the least and most each could have been."""
    observed = [(b.latest - a.latest) * 1000.0 for a, b in pairwise(arrivals)]
    least = [max(0.0, b.earliest - a.latest) * 1000.0 for a, b in pairwise(arrivals)]
    most = [(b.latest - a.earliest) * 1000.0 for a, b in pairwise(arrivals)]
    found: dict[str, Any] = {"max_chunk_gap_ms": max(observed, default=0.0)}
    for q in (50, 95):
        # A quantile never falls when one value rises: the quantiles of the bounds bound the quantile.
        found |= _interval(f"gap_p{q}", quantile(least, q / 100), quantile(observed, q / 100),
                           quantile(most, q / 100))
    return found


def stream_figures(arrivals: Sequence[Arrival], origin: float, finished: float | None = None,
                   decoder: Decoder = decode_file) -> dict[str, Any]:
    """The stream columns of `jobs` (see `harness.results.schema`) for chunks `arrivals`, timed from
    `origin` (the first text token sent); `finished`: when the answer ended (default: the last chunk).
    Empty when no audio arrived."""
    if not arrivals:
        return {}

    def ms(at: float | None) -> float | None:
        return None if at is None else (at - origin) * 1000.0

    first, last = arrivals[0], arrivals[-1]
    figures: dict[str, Any] = {
        **_interval("ttfa", ms(first.earliest), ms(first.latest), ms(first.latest)),
        **_interval("last_audio", ms(last.earliest), ms(last.latest), ms(last.latest)),
        **_gaps(arrivals),
    }
    decoded = [decoder(arrival.audio) for arrival in arrivals]
    if any(d is None for d in decoded):
        return figures
    lengths = [len(d[0]) / d[1] for d in decoded if d is not None]
    onsets = [speech_onset_s(*d) for d in decoded if d is not None]
    observed = listen([a.latest for a in arrivals], lengths, onsets)
    early = listen([a.earliest for a in arrivals], lengths, onsets)
    audio_s = sum(lengths)
    end = last.latest if finished is None else finished
    figures |= {
        **_interval("perceived_ttfa", ms(early.heard), ms(observed.heard), ms(observed.heard)),
        "real_time_factor": (end - origin) / audio_s if audio_s > 0 else None,
        "real_time_factor_lo": (last.earliest - origin) / audio_s if audio_s > 0 else None,
        "real_time_factor_hi": (end - origin) / audio_s if audio_s > 0 else None,
        "underruns": observed.underruns,
        "underruns_lo": min(observed.underruns, early.underruns),
        "underruns_hi": max(observed.underruns, early.underruns),
        "underrun_ms": observed.waited * 1000.0,
        "audio_ms": audio_s * 1000.0,
    }
    return figures
