"""The summary's cancels (`bench run --cancel-after MS`; `harness.results.cancel_figures`): one sentence for the run
and a table of the offerings cancelled — cancel-to-silence (median and worst), the audio frames and seconds after
the provider's acknowledgement, and the verdicts (docs/cancel.md) — in every format; "—" where nothing was measured.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.results import CancelFigures
from harness.runner.summary.format import Cell, FigureCell, Heading, Lines, Section, SummaryTable


def _ms(value: float | None) -> FigureCell:
    return FigureCell("—" if value is None else f"{value:,.0f}", None if value is None else round(value, 3))


def _row(figure: CancelFigures) -> tuple[Cell, ...]:
    frames, seconds = figure.after_ack_frames, figure.after_ack_s
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in figure.verdicts.items())
    return (figure.label, FigureCell(f"{figure.measured}/{figure.cancelled}", figure.measured),
            _ms(figure.to_silence_p50_ms), _ms(figure.to_silence_max_ms),
            FigureCell("—" if frames is None else str(frames), frames),
            FigureCell("—" if seconds is None else f"{seconds:.2f}", None if seconds is None else round(seconds, 4)),
            verdicts or "—")


def cancel_sections(figures: Sequence[CancelFigures]) -> list[Section]:
    """What followed each offering's cancels; nothing for a run without `--cancel-after`."""
    if not figures:
        return []
    broken = sum(f.verdicts.get("violation", 0) for f in figures)
    noted = sum(f.verdicts.get("finding", 0) for f in figures)
    sentence = (f"Cancels: {sum(f.cancelled for f in figures)} utterances cancelled on "
                f"{len(figures)} offering{'s' if len(figures) != 1 else ''}; {broken} broke what the documents "
                f"promise, {noted} sent audio after it where they are silent.")
    values = {"offerings": [{"provider": f.provider, "model": f.model, "cancelled": f.cancelled,
                             "measured": f.measured, "cancel_to_silence_p50_ms": f.to_silence_p50_ms,
                             "cancel_to_silence_max_ms": f.to_silence_max_ms,
                             "after_ack_frames": f.after_ack_frames, "after_ack_s": f.after_ack_s,
                             "verdicts": dict(f.verdicts)} for f in figures]}
    table = SummaryTable("cancels", "Cancels: from the cancel to the last audio of its utterance, and the audio after "
                                    "the "
                  "provider's acknowledgement (no acknowledgement declared: after the cancel; docs/cancel.md)",
                  (Heading("model", left=True), Heading("measured"), Heading("to silence p50 ms"),
                   Heading("to silence max ms"), Heading("frames after ack"), Heading("s after ack"),
                   Heading("verdicts", left=True)),
                  tuple(_row(f) for f in figures))
    return [Lines("cancel", (sentence,), values), table]
