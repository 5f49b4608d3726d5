"""Held submits that pin a provider's clock: a whole-second `created_at` tells the server's clock only to the
second, unless the submit is sent at the instant the run's middle guess says the printed second changes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from harness.measurement import Convention, ProviderStamps

# A whole-second `created_at` pins the server's clock no better than the phases of the submits differ, and
# submits after the first wave follow completions (polled at mid-second): one phase. Until the clock offset is
# known this well, one submit at a time is held to the instant that halves what the run knows (`ClockProbe`).
CLOCK_PIN_S = 0.04
CLOCK_PROBES = 8  # held submits per provider and run, at most (a clock that steps is never pinned)
PROBE_ANSWER_S = 10.0  # a held submit's created_at is awaited no longer than this before another is held
PROBE_POLL_S = 0.05  # a held submit's job is polled this soon, for its created_at (the submit's answer may lack it)


def probe_delay(clock: ProviderStamps, wall: float, round_trip: float) -> float | None:
    """Seconds to hold a submit sent at epoch `wall` so that the server stamps its `created_at` where the run's
    middle guess of its clock says the printed value changes (the stamp then says on which side of that guess
    the clock is: half the offset's interval is ruled out); None when the offset is unknown or known well
    enough (to `CLOCK_PIN_S`, or to the round trip that bounds what a submit can tell). Under rounding the
    printed value changes half a resolution earlier than under truncation, and its offset is that much lower:
    the instant is the same."""
    alive = [c for c in clock.conventions if clock.offsets[c].known]
    resolution = clock.resolution("created")
    if not alive or resolution < CLOCK_PIN_S:  # a fine stamp pins the clock by itself, to the round trip
        return None
    convention = alive[0]
    offset = clock.offsets[convention]
    if offset.width <= max(CLOCK_PIN_S, 2.0 * round_trip):
        return None
    # The server reads its clock about half a round trip after the send.
    base = offset.middle + (resolution / 2 if convention is Convention.ROUND else 0.0) + round_trip / 2
    change = (math.floor((wall + base) / resolution) + 1) * resolution
    return change - base - wall


@dataclass(slots=True)
class ClockProbe:
    """One provider's held submits (`probe_delay`): one at a time, until its `created_at` is read (the first
    status answer may be the first to carry it) or `PROBE_ANSWER_S` has passed, at most `CLOCK_PROBES`."""

    held: int = 0
    busy_until: float = 0.0  # monotonic: a held submit's created_at has not been read yet
    round_trip: float = 0.0  # of the last held submit

    def hold(self, clock: ProviderStamps, mono: float, wall: float) -> float | None:
        """Seconds to hold the submit about to go out (and counts it), or None: send it now."""
        if self.held >= CLOCK_PROBES or mono < self.busy_until:
            return None
        delay = probe_delay(clock, wall, self.round_trip)
        if delay is not None:
            self.held += 1
            self.busy_until = mono + delay + PROBE_ANSWER_S
        return delay

    def answered(self, round_trip: float) -> None:
        self.busy_until, self.round_trip = 0.0, round_trip
