"""How the report prints a figure: one unit for every time (seconds), rates in %, USD with its precision, an
interval with its unit once. The leaderboard's columns, the page's tables and the history page all print through
these, so one number reads the same everywhere."""

from __future__ import annotations

import math


def _missing(value: float | None) -> bool:
    return value is None or not math.isfinite(value)


def format_ms(value: float | None) -> str:
    """A time in seconds, whatever its size: one unit for every time on the page, the charts' unit."""
    if _missing(value):
        return "–"
    assert value is not None
    return f"{value / 1000:.2f} s"


def format_usd(value: float | None) -> str:
    if _missing(value):
        return "–"
    assert value is not None
    return f"${value:.4f}" if abs(value) < 1 else f"${value:,.2f}"


def format_rate(value: float | None) -> str:
    return "–" if _missing(value) else f"{(value or 0.0) * 100:.1f}%"


def format_num(value: float | None, digits: int = 2) -> str:
    return "–" if _missing(value) else f"{value:.{digits}f}"


def fmt(value: float | None, kind: str) -> str:
    """A figure as the page prints it: ms, usd, rate (percent), num (2 digits), num4, int."""
    if kind == "ms":
        return format_ms(value)
    if kind == "usd":
        return format_usd(value)
    if kind == "rate":
        return format_rate(value)
    if kind == "int":
        return "–" if _missing(value) else str(int(value or 0))
    return format_num(value, 4 if kind == "num4" else 2)


def fmt_interval(low: float | None, high: float | None, kind: str) -> str:
    """An interval printed compactly, its unit once: "8.20–12.10 s", "0.0–7.9%", "$0.01–0.02"."""
    if _missing(low) or _missing(high):
        return ""
    assert low is not None and high is not None
    if kind == "ms":
        return f"{low / 1000:.2f}–{high / 1000:.2f} s"
    if kind == "rate":
        return f"{low * 100:.1f}–{high * 100:.1f}%"
    if kind == "usd":
        return f"${low:.4f}–{high:.4f}"
    return f"{low:.2f}–{high:.2f}"
