"""Where the server's whole seconds begin, as seen from one job: what lets the adaptive schedule phase its polls
to split the second a whole-second completion stamp names."""

from __future__ import annotations

from dataclasses import dataclass

from harness.measurement import Convention, ProviderStamps

ORIGIN_TOLERANCE_S = 0.25  # phase polls only when the server's clock is known at least this well


@dataclass(frozen=True, slots=True)
class SecondOrigins:
    """Where the server's whole seconds begin, as elapsed time since a job's submit modulo 1 s (see
    `PollContext`): one origin, or the truncating and the rounding clock's while both are possible."""

    origin: float | None = None
    round_origin: float | None = None
    doubt: float = 0.0


def second_origins(clock: ProviderStamps, sent_wall: float, stamped: bool = True) -> SecondOrigins:
    """Where the server's whole seconds begin for a job submitted at `sent_wall`, when the provider stamps
    completion (`stamped`: its status answers have a completion stamp) at whole seconds — the safe
    assumption until a stamp shows a finer fraction — and the run knows its clock to within a quarter
    second under every convention still possible."""
    if not stamped or clock.resolution("completed") < 1.0:
        return SecondOrigins()
    union = clock.offset
    if union.known and union.width <= ORIGIN_TOLERANCE_S:
        return SecondOrigins((-union.middle - sent_wall) % 1.0, doubt=union.width / 2)
    offsets = clock.completion_offsets()
    if set(offsets) != set(Convention) or any(o.width > ORIGIN_TOLERANCE_S for o in offsets.values()):
        return SecondOrigins()
    truncating, rounding = offsets[Convention.TRUNCATE], offsets[Convention.ROUND]
    return SecondOrigins(
        (-truncating.middle - sent_wall) % 1.0,
        (-rounding.middle - sent_wall) % 1.0,
        max(truncating.width, rounding.width) / 2,
    )


def stamp_resolution(clock: ProviderStamps) -> float | None:
    return clock.resolution("completed") if "completed" in clock.fields else None
