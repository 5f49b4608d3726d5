"""The newest run's offerings beside the run before that had each: what every "the newest run made it worse" rule of
`history`'s gate compares (each counted check and each check with views of its own: `harness.history.checks`),
read once here."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, TypeVar


class OfferingFigures(Protocol):
    @property
    def provider(self) -> str: ...

    @property
    def model(self) -> str: ...


Figures = TypeVar("Figures", bound=OfferingFigures)


def newest_beside_before(
    runs: Sequence[tuple[str, Sequence[Figures]]],
) -> Iterator[tuple[str, Figures, tuple[str, Figures] | None]]:
    """For each offering of the newest run (the last of `runs`: run id, its offerings' figures): the newest run's id,
    its figures there, and the latest earlier run that had the offering with its figures there (None: no run before
    had it)."""
    if not runs:
        return
    newest, figures = runs[-1]
    for figure in figures:
        before = next(
            (
                (run_id, one)
                for run_id, earlier in reversed(runs[:-1])
                for one in earlier
                # a check judging each part of an offering apart (a language) matches the part too
                if (one.provider, one.model, getattr(one, "part", ""))
                == (
                    figure.provider,
                    figure.model,
                    getattr(figure, "part", ""),
                )
            ),
            None,
        )
        yield newest, figure, before
