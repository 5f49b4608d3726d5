"""The listener every streamed figure is measured against: one player, for the runner that measures a
stream and the sandbox that keeps its truth, so both count the same underruns at the same instants.

The player starts at the first chunk's arrival and plays each chunk to its end; when the next chunk has
not arrived by then it runs dry (an *underrun*) and waits, then plays on from that chunk's arrival. Speech
is first *heard* at the chunk holding the onset (`harness.core.onset`), that far into it, once the player
reaches it. Pure Python: no numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Listening:
    """What a listener who starts at the first chunk met, on the clock the arrivals were given in."""

    heard: float | None  # when speech is first heard (None: no chunk holds an onset)
    underruns: int  # times the player ran dry before the next chunk arrived
    waited: float  # total time it stood silent waiting (seconds)
    finished: float  # when the last chunk has played out


def listen(arrivals: Sequence[float], lengths: Sequence[float], onsets: Sequence[float | None]) -> Listening:
    """Replay a player over chunks arriving at `arrivals` (seconds, ascending), each `lengths` long, speech
    beginning `onsets` into it (None: no speech begins inside that chunk)."""
    if not arrivals:
        return Listening(None, 0, 0.0, 0.0)
    playing_until, heard, underruns, waited = arrivals[0], None, 0, 0.0
    for at, length, inside in zip(arrivals, lengths, onsets, strict=True):
        if at > playing_until:  # the player ran dry before this chunk arrived
            underruns, waited = underruns + 1, waited + (at - playing_until)
        start = max(at, playing_until)
        if heard is None and inside is not None:
            heard = start + inside
        playing_until = start + length
    return Listening(heard, underruns, waited, playing_until)


def onsets_by_chunk(lengths: Sequence[float], onset_s: float | None) -> list[float | None]:
    """Where speech begins inside each chunk, given where it begins in the chunks end to end."""
    found: list[float | None] = []
    into = 0.0
    for length in lengths:
        inside = onset_s is not None and into <= onset_s < into + length and not any(x is not None for x in found)
        found.append(onset_s - into if inside and onset_s is not None else None)
        into += length
    return found
