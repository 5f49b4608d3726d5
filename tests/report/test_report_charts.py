"""The charts at 130 models: the cost-WER scatter names only the Pareto front, placed by a deterministic rule so that
no two labels print over each other (harness.report.labels), on a log cost axis where a free model and a $2,000
outlier sit side by side; a front model whose jobs did not all succeed is marked; the errors chart has a bar and a
name only for the models that failed; the latency chart names each model on its own row, ranked."""

from __future__ import annotations

import itertools
import math

from harness.report.charts import PLOT_PX, cost_wer_figure, errors_figure, latency_figure
from harness.report.labels import label_box, label_positions, to_pixels
from harness.report.leaderboard import Entry, Leaderboard
from harness.report.stats import Interval
from tests.helpers.request_rows import request_row

NOTHING = Interval(float("nan"), float("nan"), float("nan"), 0)


def _entry(
    model: str,
    cost: float,
    wer: float,
    *,
    pareto: bool,
    ok: int = 8,
    errors: dict[str, int] | None = None,
    provider: str = "p",
) -> Entry:
    return Entry(
        provider=provider,
        model=model,
        sent=8,
        ok=ok,
        skipped=0,
        success=Interval(ok / 8, 0.5, 1.0, 8),
        cost_total_usd=None,
        cost_per_request_usd=None,
        cost_per_audio_minute_usd=None,
        cost_per_1k_chars_usd=cost / 1000,
        cost_per_million_chars_usd=cost,
        unpriced=0,
        audio_minutes=1.0,
        chars=800,
        scored=8,
        own=(("wer_pooled", (wer, wer, wer, 8)), ("wer_mean", wer)),  # the WER/CER check's figures
        flagged_clips=0,
        findings={},
        errors=errors or {},
        polls_mean=None,
        pareto=pareto,
    )


# Two models a hair apart (the first starred, the second starred too: just dearer and just better) and one far away.
BOARD = Leaderboard(
    (
        _entry("near-a", 10.0, 0.050, pareto=True),
        _entry("near-b", 10.2, 0.049, pareto=True),
        _entry("far", 30.0, 0.020, pareto=True),
        _entry("dominated", 40.0, 0.06, pareto=False),
    )
)


def _labelled(board: Leaderboard) -> dict[str, tuple[str, float, float]]:
    """label -> (text position, x, y) of every label the figure prints, whichever trace holds it."""
    figure = cost_wer_figure(board)
    placed = {}
    for trace in figure.data:
        if trace.mode == "markers+text":
            placed.update(
                {
                    text: (position, x, y)
                    for text, position, x, y in zip(trace.text, trace.textposition, trace.x, trace.y, strict=True)
                    if text
                }
            )
    return placed


def _hovered(board: Leaderboard) -> dict[str, float]:
    """label -> x of every point the figure draws (each one named on hover)."""
    return {
        name: x
        for trace in cost_wer_figure(board).data
        if trace.mode != "lines"
        for name, x in zip(trace.hovertext, trace.x, strict=True)
    }


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_two_close_models_print_their_labels_on_opposite_sides() -> None:
    placed = _labelled(BOARD)
    near_a, near_b = placed["p/near-a"][0].split(), placed["p/near-b"][0].split()
    # Above one and below the other, or left of one and right of the other: apart whatever the window's size.
    assert {near_a[0], near_b[0]} == {"top", "bottom"} or {near_a[1], near_b[1]} == {"left", "right"}, placed
    assert placed["p/far"][0] == "top center"  # alone: the first position tried


def test_only_the_front_is_named_the_rest_on_hover() -> None:
    assert set(_labelled(BOARD)) == {"p/near-a", "p/near-b", "p/far"}
    assert set(_hovered(BOARD)) == {"p/near-a", "p/near-b", "p/far", "p/dominated"}


def test_no_two_labels_overlap_in_the_figures_own_axes() -> None:
    crowd = Leaderboard(tuple(_entry(f"m{i}", 10.0 + i * 0.01, 0.05 - i * 0.0001, pareto=True) for i in range(12)))
    figure = cost_wer_figure(crowd)
    x_range, y_range = tuple(figure.layout.xaxis.range), tuple(figure.layout.yaxis.range)
    placed = _labelled(crowd)
    boxes = {
        label: label_box(position, *to_pixels([(math.log10(x), y)], x_range, y_range, PLOT_PX)[0], label)
        for label, (position, x, y) in placed.items()
    }
    assert not [pair for pair in itertools.combinations(boxes, 2) if _overlap(boxes[pair[0]], boxes[pair[1]])]
    # Twelve on one spot cannot all be named without overlap: those left out are still drawn, named on hover.
    assert 2 <= len(placed) < 12 and len(_hovered(crowd)) == 12


def test_labels_placed_apart_stay_apart_on_the_plot_the_browser_draws() -> None:
    """CI's run: two front models' labels, apart on the nominal plot by a pixel, touched on the page, whose plotting
    area was lower (279 px at a 1,400 px window). Placed on the nominal plot, labels stay apart on any plot at least
    as large, and with a font up to 3% wider than the rule's estimate."""
    labels = ["google/wavenet", "speechmatics/speechmatics-tts"]
    for dx, dy in itertools.product((0.0, 0.02, 0.05, 0.1, 0.2), [i / 600 for i in range(40)]):
        points = [(0.3, 0.4), (0.3 + dx, 0.4 + dy)]
        chosen = label_positions(points, labels, (0.0, 1.0), (0.0, 1.0), PLOT_PX)
        for plot in ((PLOT_PX[0], 279.0), (1235.0, 279.0), (PLOT_PX[0], PLOT_PX[1])):
            boxes = []
            for (x, y), label, position in zip(
                to_pixels(points, (0.0, 1.0), (0.0, 1.0), plot), labels, chosen, strict=True
            ):
                if position is None:
                    continue
                left, bottom, right, top = label_box(position, x, y, label)
                wider = (right - left) * 0.03
                boxes.append(
                    {
                        "left": (left - wider, bottom, right, top),
                        "right": (left, bottom, right + wider, top),
                        "center": (left - wider / 2, bottom, right + wider / 2, top),
                    }[position.split()[1]]
                )
            assert len(boxes) < 2 or not _overlap(*boxes), (dx, dy, plot, chosen)


def test_the_rule_is_deterministic_and_independent_of_the_entries_order() -> None:
    shuffled = Leaderboard(tuple(reversed(BOARD.entries)))
    assert {k: v[0] for k, v in _labelled(shuffled).items()} == {k: v[0] for k, v in _labelled(BOARD).items()}
    points, labels = [(0.0, 0.5), (0.0, 0.5), (0.0, 0.5)], ["a/x", "a/y", "a/z"]  # three on one spot
    chosen = label_positions(points, labels, (-1.0, 1.0), (0.0, 1.0), PLOT_PX)
    assert None not in chosen and len(set(chosen)) == 3
    assert chosen == label_positions(points, labels, (-1.0, 1.0), (0.0, 1.0), PLOT_PX)


def test_the_cost_axis_is_logarithmic_so_one_outlier_does_not_squash_the_rest() -> None:
    """The run that drew $2,000 per 1M characters for one model and $4–$30 for the rest; and a free model."""
    board = Leaderboard(
        (
            _entry("free", 0.0, 0.08, pareto=True),
            _entry("cheap", 4.0, 0.04, pareto=True),
            _entry("usual", 15.0, 0.08, pareto=False),
            _entry("outlier", 2000.0, 0.04, pareto=False),
        )
    )
    figure = cost_wer_figure(board)
    axis = figure.layout.xaxis
    assert axis.type == "log"
    low, high = axis.range
    hovered = _hovered(board)
    assert low < math.log10(hovered["p/free"]) < math.log10(4.0) and math.log10(2000.0) < high
    assert "free" in axis.ticktext and hovered["p/free"] in axis.tickvals  # a cost of 0 has its own tick
    # $4 and $15 sit a third of the axis apart, not squeezed into its first 1% as on a linear axis to $2,000
    assert (math.log10(15.0) - math.log10(4.0)) / (high - low) > 0.1


def test_a_front_model_whose_jobs_did_not_all_succeed_is_marked_not_starred_silently() -> None:
    board = Leaderboard((_entry("half", 5.0, 0.03, pareto=True, ok=4), _entry("whole", 9.0, 0.02, pareto=True)))
    figure = cost_wer_figure(board)
    symbols = {
        name: trace.marker.symbol for trace in figure.data if trace.mode == "markers+text" for name in trace.hovertext
    }
    assert symbols == {"p/half": "star-open", "p/whole": "star"}
    assert set(_labelled(board)) == {"p/half (4/8 ok)", "p/whole"}


def test_the_errors_chart_names_every_model_that_failed_and_no_other() -> None:
    entries = [
        _entry(f"m{i:03}", 1.0, 0.1, pareto=False, errors={"timeout": i % 3} if i % 3 else {}) for i in range(130)
    ]
    figure = errors_figure(Leaderboard(tuple(entries)))
    failing = [e.label for e in entries if e.errors]
    assert list(figure.layout.yaxis.tickvals) == failing == list(figure.layout.yaxis.categoryarray)
    assert all(list(trace.y) == failing for trace in figure.data)
    assert figure.layout.height >= 17 * len(failing)  # a row for every name: none skipped, none overprinted


def test_the_latency_chart_ranks_every_model_on_a_row_of_its_own() -> None:
    rows = [
        request_row(provider="p", model=f"m{i}", outcome="ok", resumed=0, e2e_ms=float(1000 * (130 - i) + k))
        for i in range(130)
        for k in (0, 10)
    ]
    figure = latency_figure(rows)
    order = list(figure.layout.yaxis.categoryarray)
    assert order == [f"p/m{i}" for i in reversed(range(130))]  # fastest median first
    assert list(figure.layout.yaxis.tickvals) == order and figure.layout.xaxis.type == "log"
    assert figure.layout.height >= 17 * 130


def test_a_board_with_no_figure_to_weigh_has_no_front_and_says_so() -> None:
    """The front's figure is a registered check's (`Leaderboard.front`); with none, nothing is placed or shortlisted."""
    bare = Leaderboard(BOARD.entries, front=None)
    figure = cost_wer_figure(bare)
    assert not figure.data and figure.layout.annotations[0].text == "no figure to weigh against cost"
    assert not any(bare.placed(e) for e in bare.entries)
