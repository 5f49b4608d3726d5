"""The cost-WER chart's labels: two models that sit close together print their names apart, by a deterministic
rule in plot coordinates (harness.report.charts.label_positions), across the starred and the dominated traces."""

from __future__ import annotations

import itertools

from harness.report.charts import PLOT_PX, cost_wer_figure, label_box, label_positions
from harness.report.leaderboard import Entry, Leaderboard
from harness.report.stats import Interval

NOTHING = Interval(float("nan"), float("nan"), float("nan"), 0)


def _entry(model: str, cost: float, wer: float, *, pareto: bool) -> Entry:
    return Entry(provider="p", model=model, sent=8, ok=8, skipped=0, success=Interval(1.0, 0.7, 1.0, 8), latency={},
                 ttfa={}, cost_total_usd=None, cost_per_request_usd=None, cost_per_audio_minute_usd=None,
                 cost_per_1k_chars_usd=cost, cost_per_million_chars_usd=cost * 1000, unpriced=0, audio_minutes=1.0,
                 chars=800, scored=8,
                 wer_pooled=Interval(wer, wer, wer, 8), wer_mean=wer, cer_pooled=None, cer_mean=None,
                 similarity=NOTHING, quality=NOTHING, flagged_clips=0, findings={}, errors={}, polls_mean=None,
                 pareto=pareto)


# Two models a hair apart (the first starred, the second just dearer and just worse) and one far away.
BOARD = Leaderboard((_entry("near-a", 0.0100, 0.050, pareto=True), _entry("near-b", 0.0102, 0.051, pareto=False),
                     _entry("far", 0.0300, 0.020, pareto=True)))


def _placed(figure_board: Leaderboard) -> dict[str, tuple[str, float, float]]:
    """label -> (text position, x, y) as the figure draws them, whichever trace holds the point."""
    figure = cost_wer_figure(figure_board)
    placed = {}
    for trace in figure.data:
        if trace.mode == "markers+text":
            placed.update({text: (position, x, y) for text, position, x, y
                           in zip(trace.text, trace.textposition, trace.x, trace.y, strict=True)})
    return placed


def _boxes(placed: dict[str, tuple[str, float, float]], x_range: tuple[float, float],
           y_range: tuple[float, float]) -> dict[str, tuple[float, float, float, float]]:
    width, height = PLOT_PX
    return {label: label_box(position, (x - x_range[0]) / (x_range[1] - x_range[0]) * width,
                             (y - y_range[0]) / (y_range[1] - y_range[0]) * height, label)
            for label, (position, x, y) in placed.items()}


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_two_close_models_print_their_labels_on_opposite_sides() -> None:
    placed = _placed(BOARD)
    near_a, near_b = placed["p/near-a"][0].split(), placed["p/near-b"][0].split()
    # Above one and below the other, or left of one and right of the other: apart whatever the window's size.
    assert {near_a[0], near_b[0]} == {"top", "bottom"} or {near_a[1], near_b[1]} == {"left", "right"}, placed
    assert placed["p/far"][0] == "top center"  # alone: the first position tried


def test_no_two_labels_overlap_in_the_figures_own_axes() -> None:
    figure = cost_wer_figure(BOARD)
    boxes = _boxes(_placed(BOARD), tuple(figure.layout.xaxis.range), tuple(figure.layout.yaxis.range))
    assert not [pair for pair in itertools.combinations(boxes, 2) if _overlap(boxes[pair[0]], boxes[pair[1]])]


def test_the_rule_is_deterministic_and_independent_of_the_entries_order() -> None:
    shuffled = Leaderboard(tuple(reversed(BOARD.entries)))
    assert {k: v[0] for k, v in _placed(shuffled).items()} == {k: v[0] for k, v in _placed(BOARD).items()}
    points, labels = [(0.0, 0.5), (0.0, 0.5), (0.0, 0.5)], ["a/x", "a/y", "a/z"]  # three on one spot
    chosen = label_positions(points, labels, (-1.0, 1.0), (0.0, 1.0))
    assert len(set(chosen)) == 3 and chosen == label_positions(points, labels, (-1.0, 1.0), (0.0, 1.0))
