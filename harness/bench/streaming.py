"""What a listener of a streamed answer experiences, from the chunks as they arrived.

`StreamWatch` is fed the response body as it comes (bytes and their arrival instant) and keeps every
audio event with the instant its last byte arrived. `stream_figures` then replays a listener who starts
playing at the first chunk and waits whenever the next one is late:

    ttfa                first audio chunk − request sent (the first *decodable* audio, not the first byte)
    perceived ttfa      when speech is first heard: the leading silence inside the stream is added (the
                        first 10 ms frame whose RMS reaches 0.01, as Coval measures), plus any wait for
                        late chunks before it
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
    pending: bytearray = field(default_factory=bytearray)

    def feed(self, data: bytes, at: float) -> None:
        self.pending.extend(data)
        while True:
            end = self.pending.find(b"\n\n")
            if end < 0:
                return
            event = bytes(self.pending[: end + 2])
            del self.pending[: end + 2]
            audio = sse_audio(event)
            if audio and audio != event:
                self.chunks.append((at, audio))


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


def stream_figures(watch: StreamWatch, sent: float, finished: float) -> dict[str, Any]:
    """The stream columns of `jobs` (see `harness.results.schema`); empty when no audio arrived."""
    if not watch.chunks:
        return {}
    arrivals = [at for at, _ in watch.chunks]
    figures: dict[str, Any] = {
        "max_chunk_gap_ms": max((b - a for a, b in pairwise(arrivals)), default=0.0) * 1000.0,
    }
    decoded = [_decode(audio) for _, audio in watch.chunks]
    if any(d is None for d in decoded):
        return figures
    lengths = [len(d[0]) / d[1] for d in decoded if d is not None]
    playing_until, into, heard, underruns, waited = arrivals[0], 0.0, None, 0, 0.0
    for at, length, found in zip(arrivals, lengths, decoded, strict=True):
        if at > playing_until:  # the listener ran dry before this chunk arrived
            underruns, waited = underruns + 1, waited + (at - playing_until)
        start = max(at, playing_until)
        if heard is None and found is not None:
            inside = speech_onset_s(*found)
            if inside is not None:
                heard = start + inside
        playing_until, into = start + length, into + length
    audio_s = sum(lengths)
    figures.update({
        "perceived_ttfa_ms": None if heard is None else (heard - sent) * 1000.0,
        "real_time_factor": (finished - sent) / audio_s if audio_s > 0 else None,
        "underruns": underruns,
        "underrun_ms": waited * 1000.0,
        "audio_ms": audio_s * 1000.0,
    })
    return figures
