"""Where a scatter chart's labels go so that none prints over another: a deterministic rule in pixels of a nominal
plot. Each labelled point tries the positions beside its marker in a fixed order and takes the first whose box
overlaps no label placed before it (nor comes within `GAP_PX` of one beside it), no marker and no edge of the plot,
else the one that overlaps least; a label that would still print over another label is not printed (its point keeps
its hover), so two labels never overlap on the nominal plot, and a larger plot only widens the gaps (the nominal one
is smaller than any the report draws: `harness.report.charts.PLOT_PX`).
"""

from __future__ import annotations

from collections.abc import Sequence

Box = tuple[float, float, float, float]  # left, bottom, right, top, in px of the plotting area, y upwards

# Where a scatter label may go, in the order tried: above or below its point first (a label is wider than
# it is tall), then beside it, then diagonally.
LABEL_POSITIONS = (
    "top center",
    "bottom center",
    "middle right",
    "middle left",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)
CHAR_PX, LINE_PX = 7.0, 14.0  # a 12 px label's mean character width and its line height
MARKER_PX = 7.0  # from a point's centre to its label: the 12 px marker's radius and a pixel
GAP_PX = 3.0  # kept clear beside a label (left and right): a font a little wider than CHAR_PX leaves them apart


def label_box(position: str, x: float, y: float, label: str) -> Box:
    """The box plotly draws `label` in at `position` beside a marker centred at (x, y) px."""
    vertical, horizontal = position.split()
    width = CHAR_PX * len(label)
    left = {"left": x - MARKER_PX - width, "center": x - width / 2, "right": x + MARKER_PX}[horizontal]
    bottom = {"bottom": y - MARKER_PX - LINE_PX, "middle": y - LINE_PX / 2, "top": y + MARKER_PX}[vertical]
    return left, bottom, left + width, bottom + LINE_PX


def to_pixels(
    points: Sequence[tuple[float, float]],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    plot_px: tuple[float, float],
) -> list[tuple[float, float]]:
    """Points in axis coordinates (a log axis: their log10) as px of a `plot_px` plotting area."""
    width, height = plot_px
    x_span, y_span = (x_range[1] - x_range[0]) or 1.0, (y_range[1] - y_range[0]) or 1.0
    return [((x - x_range[0]) / x_span * width, (y - y_range[0]) / y_span * height) for x, y in points]


def label_positions(
    points: Sequence[tuple[float, float]],
    labels: Sequence[str],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    plot_px: tuple[float, float],
    others: Sequence[tuple[float, float]] = (),
) -> list[str | None]:
    """A text position per labelled point (axis coordinates, in axes of these ranges), or None where every position
    would print over a label placed before it. `others`: unlabelled points whose markers the labels avoid.
    Deterministic: points are taken by x, then y, then label."""
    width, height = plot_px
    pixels = to_pixels(points, x_range, y_range, plot_px)
    markers = [
        (x - MARKER_PX, y - MARKER_PX, x + MARKER_PX, y + MARKER_PX)
        for x, y in (*pixels, *to_pixels(others, x_range, y_range, plot_px))
    ]
    taken: list[Box] = []
    chosen: list[str | None] = [None] * len(points)
    for index in sorted(range(len(points)), key=lambda i: (points[i][0], points[i][1], labels[i])):

        def cost(position: str, index: int = index) -> tuple[float, float]:
            box = label_box(position, *pixels[index], labels[index])
            on_labels = sum(overlap(widened(box, GAP_PX), other) for other in taken)
            outside = area(box) - overlap(box, (0.0, 0.0, width, height))
            return on_labels, outside + sum(overlap(box, other) for other in markers)

        best = min(LABEL_POSITIONS, key=cost)  # the first of the least overlapping: in the order tried
        if cost(best)[0] > 0:
            continue  # it would print over another label: the hover names it
        chosen[index] = best
        taken.append(label_box(best, *pixels[index], labels[index]))
    return chosen


def widened(box: Box, by: float) -> Box:
    """`box` wider by `by` px each side (its height kept: the nominal plot is lower than any drawn, so a vertical
    gap only grows on the page)."""
    return box[0] - by, box[1], box[2] + by, box[3]


def area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
