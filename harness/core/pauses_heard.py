"""A pause asked for, heard in the audio (docs/markup.md): the silence (`harness.core.silence`) found where each pause
of a markup item should sit, and whether its length is within the stated tolerance of the asked. One rule for the run's
judge (`harness.measurement.markup`) and the contract suite's markup check (`harness.contracts.speech_checks`).

    pause    the longest silent run (10 ms frames 40 dB under the loudest) whose middle lies within WINDOW of where
             the pause should sit — the words' share of the speaking time before it, plus the pauses before it —
             inside the sounding audio (the lead-in and tail are no pause). Honoured when
             |heard - asked| <= max(TOLERANCE_MS, TOLERANCE_SHARE x asked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.core.protocols.markup import Pause, Piece
from harness.core.silence import silent_runs, sounding_bounds

# The tolerance of a pause: the frame (10 ms) at each edge, a word's soft onset or release under the silence threshold
# (tens of ms each side), and a provider's own sentence-end pause added to the asked one ("an exact and natural pause":
# a break after a full stop may sound its pause plus the stop's) — 100 ms, or a quarter of a long pause.
TOLERANCE_MS = 100.0
TOLERANCE_SHARE = 0.25
WINDOW_S = 0.75  # how far from where a pause should sit its silence may lie (or 15 % of the speech, if longer)
WINDOW_SHARE = 0.15


@dataclass(frozen=True, slots=True)
class PauseHeard:
    asked_ms: int
    heard_ms: float  # the silence found (0: none near where it should be)
    at_s: float  # where that silence starts (the expected place where none was found)
    honoured: bool

    def finding(self) -> str:
        return f"break {self.heard_ms:.0f} ms of {self.asked_ms} asked at {self.at_s:.2f} s"


def tolerance_ms(asked_ms: float) -> float:
    return max(TOLERANCE_MS, TOLERANCE_SHARE * asked_ms)


def heard_pauses(samples: Any, rate: int, pieces: Sequence[Piece]) -> tuple[PauseHeard, ...]:
    """Each asked pause of `pieces` against the silence of mono `samples` where it should sit."""
    asked = [p for p in pieces if isinstance(p, Pause)]
    if not asked:
        return ()
    first, end = sounding_bounds(samples, rate)
    start_s, end_s = first / rate, end / rate
    runs = [(a, b) for a, b in silent_runs(samples, rate) if a >= start_s and b <= end_s]
    chars = sum(len(p) for p in pieces if isinstance(p, str)) or 1
    talking_s = max(0.0, end_s - start_s - sum(p.ms for p in asked) / 1000)
    window = max(WINDOW_S, WINDOW_SHARE * (end_s - start_s))
    heard: list[PauseHeard] = []
    said = paused_s = 0.0
    taken: set[tuple[float, float]] = set()
    for piece in pieces:
        if isinstance(piece, str):
            said += len(piece)
            continue
        expected = start_s + talking_s * said / chars + paused_s
        near = [r for r in runs if r not in taken and abs((r[0] + r[1]) / 2 - expected - piece.ms / 2000) <= window]
        best = max(near, key=lambda r: r[1] - r[0], default=None)
        length_ms = 0.0 if best is None else (best[1] - best[0]) * 1000
        if best is not None:
            taken.add(best)
        heard.append(
            PauseHeard(
                piece.ms,
                round(length_ms, 1),
                round(best[0] if best else expected, 3),
                abs(length_ms - piece.ms) <= tolerance_ms(piece.ms),
            )
        )
        paused_s += piece.ms / 1000
    return tuple(heard)


def speaking_s(samples: Any, rate: int) -> float:
    """How long mono `samples` sound: from the first sounding frame to the last, less the silent runs between."""
    first, end = sounding_bounds(samples, rate)
    inside = sum(b - a for a, b in silent_runs(samples, rate) if a >= first / rate and b <= end / rate)
    return max(0.0, (end - first) / rate - inside)
