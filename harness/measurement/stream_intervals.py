"""What a listener of a streamed answer experienced, from its chunks' evidence — one owner of every stream
figure, for SSE answers and realtime sockets alike.

Each chunk of audio reached us inside an interval: after `earliest` (the read, or the wait for a frame, that
came before it) and by `latest` (when the read or `recv` that completed it returned). Every time figure is
therefore an interval, `<figure>_lo_ms` ≤ `<figure>_ms` ≤ `<figure>_hi_ms`, the estimate being the observed
(upper) end. Times count from `origin`, the *first text token* sent: for an HTTP or SSE endpoint, which takes
the whole text in one request, the request's send; for a realtime socket fed token by token, the first text
message. The one listener (`harness.core.playback`: it starts playing at the first chunk and waits whenever
the next one is late) is replayed over the chunks:

    ttfa                first token → first audio chunk (the first *decodable* audio, not the first byte)
    perceived ttfa      first token → speech first heard: the leading silence inside the stream is added (to
                        the sample, `harness.core.onset`), plus any wait for late chunks before it
    last audio          first token → the last audio chunk
    chunk gaps          p50 / p95 / max of the waits between consecutive audio chunks (jitter)
    real-time factor    time to the end of the answer / seconds of audio received (below 1: faster than it plays)
    underruns           times the listener runs out of audio before the next chunk, and the total wait; the
                        interval is the counts under the earliest and the observed arrivals

A chunk that did not decode on its own (no `audio_s`) leaves only the arrival figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from harness.core.playback import listen
from harness.core.quantiles import quantile
from harness.measurement.evidence import Chunk


def _interval(
    name: str, low: float | None, estimate: float | None, high: float | None, unit: str = "_ms"
) -> dict[str, Any]:
    return {f"{name}{unit}": estimate, f"{name}_lo{unit}": low, f"{name}_hi{unit}": high}


def _gaps(chunks: Sequence[Chunk]) -> dict[str, Any]:
    """Waits between consecutive chunks: observed, and the least and most each could have been."""
    observed = [(b.latest - a.latest) * 1000.0 for a, b in pairwise(chunks)]
    least = [max(0.0, b.earliest - a.latest) * 1000.0 for a, b in pairwise(chunks)]
    most = [(b.latest - a.earliest) * 1000.0 for a, b in pairwise(chunks)]
    found: dict[str, Any] = {"max_chunk_gap_ms": max(observed, default=0.0)}
    for q in (50, 95):
        # A quantile never falls when one value rises: the quantiles of the bounds bound the quantile.
        found |= _interval(f"gap_p{q}", quantile(least, q / 100), quantile(observed, q / 100), quantile(most, q / 100))
    return found


def stream_figures(chunks: Sequence[Chunk], origin: float, finished: float | None = None) -> dict[str, Any]:
    """The stream columns of `jobs` (see `harness.results.schema`) for `chunks`, timed from `origin`;
    `finished`: when the answer ended (default: the last chunk). Empty when no audio arrived."""
    if not chunks:
        return {}

    def ms(at: float | None) -> float | None:
        return None if at is None else (at - origin) * 1000.0

    first, last = chunks[0], chunks[-1]
    figures: dict[str, Any] = {
        **_interval("ttfa", ms(first.earliest), ms(first.latest), ms(first.latest)),
        **_interval("last_audio", ms(last.earliest), ms(last.latest), ms(last.latest)),
        **_gaps(chunks),
    }
    lengths = [chunk.audio_s for chunk in chunks]
    if any(length is None for length in lengths):
        return figures
    seconds = [float(length or 0.0) for length in lengths]
    onsets = [chunk.onset_s for chunk in chunks]
    observed = listen([c.latest for c in chunks], seconds, onsets)
    early = listen([c.earliest for c in chunks], seconds, onsets)
    audio_s = sum(seconds)
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
