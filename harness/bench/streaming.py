"""What a listener of a streamed answer experiences, from the chunks as they arrived.

`StreamWatch` is fed the response body as it comes (bytes and their arrival instant) and keeps every
audio event with the instant its last byte arrived and the read before its first byte: the event reached
us between the two, so each time figure is an interval of that width. `stream_figures` then replays a
listener who starts playing at the first chunk and waits whenever the next one is late:

    ttfa                first audio chunk − request sent (the first *decodable* audio, not the first byte)
    perceived ttfa      when speech is first heard: the leading silence inside the stream is added (to the
                        sample, `harness.core.onset`), plus any wait for late chunks before it
    max chunk gap       the longest wait between two audio chunks
    real-time factor    total time / seconds of audio received (below 1: faster than it plays)
    underruns           times the listener runs out of audio before the next chunk (and the total wait)

Decoding needs soundfile (the score/sandbox extra); without it only the arrival figures are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from harness.bench.media import sse_audio
from harness.core.onset import speech_onset_s


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


def _decode(audio: bytes) -> tuple[Any, int] | None:
    try:
        from harness.speech import AudioCodecError, decode_audio  # the one decoder (score/sandbox extra)
    except ImportError:
        return None
    try:
        decoded = decode_audio(audio)
    except AudioCodecError:
        return None
    return decoded.mono(), decoded.sample_rate


@dataclass(frozen=True, slots=True)
class Listening:
    """A listener who starts at the first chunk, replayed over given arrival instants."""

    heard: float | None
    underruns: int
    waited: float


def _listen(arrivals: list[float], lengths: list[float], onsets: list[float | None]) -> Listening:
    playing_until, heard, underruns, waited = arrivals[0], None, 0, 0.0
    for at, length, inside in zip(arrivals, lengths, onsets, strict=True):
        if at > playing_until:  # the listener ran dry before this chunk arrived
            underruns, waited = underruns + 1, waited + (at - playing_until)
        start = max(at, playing_until)
        if heard is None and inside is not None:
            heard = start + inside
        playing_until = start + length
    return Listening(heard, underruns, waited)


def stream_figures(watch: StreamWatch, sent: float, finished: float, opened: float | None = None
                   ) -> dict[str, Any]:
    """The stream columns of `jobs` (see `harness.results.schema`); empty when no audio arrived. `opened`:
    when the answer's headers arrived (the first chunk reached us after them)."""
    if not watch.chunks:
        return {}
    arrivals = [at for at, _ in watch.chunks]
    earliest = [max(sent, after if after is not None else (opened if opened is not None else sent))
                for after in watch.began_after]
    figures: dict[str, Any] = {
        "max_chunk_gap_ms": max((b - a for a, b in pairwise(arrivals)), default=0.0) * 1000.0,
        "ttfa_ms": (arrivals[0] - sent) * 1000.0,  # observed: the upper end of its interval
        "ttfa_lo_ms": (earliest[0] - sent) * 1000.0,
        "ttfa_hi_ms": (arrivals[0] - sent) * 1000.0,
    }
    decoded = [_decode(audio) for _, audio in watch.chunks]
    if any(d is None for d in decoded):
        return figures
    lengths = [len(d[0]) / d[1] for d in decoded if d is not None]
    onsets = [speech_onset_s(*d) for d in decoded if d is not None]
    observed, early = _listen(arrivals, lengths, onsets), _listen(earliest, lengths, onsets)
    audio_s = sum(lengths)

    def ms(at: float | None) -> float | None:
        return None if at is None else (at - sent) * 1000.0

    figures.update({
        "perceived_ttfa_ms": ms(observed.heard),
        "perceived_ttfa_lo_ms": ms(early.heard),
        "perceived_ttfa_hi_ms": ms(observed.heard),
        "real_time_factor": (finished - sent) / audio_s if audio_s > 0 else None,
        "underruns": observed.underruns,
        "underrun_ms": observed.waited * 1000.0,
        "audio_ms": audio_s * 1000.0,
    })
    return figures
