"""Every number of the leaderboard, recomputed from the exported raw rows alone, matches the report.

The recomputation here is written independently of ``harness.report.leaderboard``: plain numpy over the
exported ``requests`` table, the Wilson interval from its closed form, the pooled WER's Korn–Graubard interval from
its closed form, a quantile's interval as scipy's order-statistic interval of the data (`quantile_test`), a score's
mean with Student's t, a latency's mean with none (docs/report.md). The report's
printed numbers are read back from the HTML (``data-key`` / ``data-value`` cells).
"""

from __future__ import annotations

import json
import math
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from harness.report.export import ExportFormat, export_rows, load_export
from harness.report.render import fmt, write_report
from harness.results import RequestRow
from harness.results.reading import read_run

Z = 1.959963984540054  # two-sided 95% normal quantile


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, dict[str, str]] = {}
        self.leaderboard_json = ""
        self.html = ""
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "data-key" in found:
            self.cells[found["data-key"]] = found
        self._in_json = tag == "script" and found.get("id") == "leaderboard-data"

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.leaderboard_json += data

    def handle_endtag(self, tag: str) -> None:
        self._in_json = False


def _wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def _quantile(data: np.ndarray, q: float) -> tuple[float, float, float]:
    """The quantile and scipy's distribution-free interval between order statistics; NaN bounds where it has no two
    sides (docs/report.md: no interval rather than a narrower one)."""
    from scipy import stats  # here, not at collection: every test worker collects this module

    found = stats.quantile_test(data, q=0.0, p=q).confidence_interval(0.95)
    bounds = (float(found.low), float(found.high))
    return float(np.quantile(data, q)), *(bounds if all(map(math.isfinite, bounds)) else (math.nan, math.nan))


def _student(data: np.ndarray) -> tuple[float, float, float]:
    from scipy import stats

    low, high = stats.t.interval(0.95, data.size - 1, loc=data.mean(), scale=data.std(ddof=1) / math.sqrt(data.size))
    return float(data.mean()), float(low), float(high)


def _korn_graubard(errors: np.ndarray, words: np.ndarray) -> tuple[float, float]:
    """The pooled rate's interval as docs/report.md states it: the ratio's linearised variance over clips, its
    design effect against the words' binomial variance (at least 1), the effective count shrunk by (z / t)^2 at
    n - 1 degrees of freedom, its Clopper-Pearson interval."""
    from scipy import stats

    n, total = errors.size, words.sum()
    rate = errors.sum() / total
    variance = np.sum((errors - rate * words) ** 2) / (n - 1) / n / words.mean() ** 2
    binomial = rate * (1 - rate) / total
    effective = total / max(variance / binomial if binomial else 1.0, 1.0) * (Z / stats.t.ppf(0.975, n - 1)) ** 2
    count = rate * effective
    low = stats.beta.ppf(0.025, count, effective - count + 1) if count else 0.0
    return float(low), float(stats.beta.ppf(0.975, count + 1, effective - count))


def _expected(rows: list[RequestRow]) -> dict[str, Any]:
    """Independent recomputation of one provider × model line: key -> (value, low, high) or value."""
    sent = [r for r in rows if r.outcome in ("ok", "error")]
    ok = [r for r in sent if r.outcome == "ok"]
    e2e = np.array([r.e2e_ms for r in ok if not r.resumed], dtype=float)
    expected: dict[str, Any] = {"sent": float(len(sent))}
    expected["success"] = (len(ok) / len(sent), *_wilson(len(ok), len(sent)))
    for name, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
        expected[f"latency_ms.{name}"] = _quantile(e2e, q)
    expected["latency_ms.mean"] = (float(e2e.mean()), math.nan, math.nan)  # a latency's mean: no interval
    widths = [r.e2e_bracket_ms for r in ok if not r.resumed and r.e2e_bracket_ms is not None]
    expected["latency_width_ms"] = float(np.median(widths)) if widths else None
    ttfa = np.array([r.ttfa_ms for r in ok if not r.resumed and r.ttfa_ms is not None], dtype=float)
    if ttfa.size:
        expected["ttfa_ms.p50"] = _quantile(ttfa, 0.5)
    listened = [r for r in ok if not r.resumed and r.underruns is not None]
    if listened:  # the streams' listener figures (schema 6)
        expected["underruns"] = float(sum(r.underruns for r in listened))
        for key, column in (
            ("last_audio_ms.p50", "last_audio_ms"),
            ("jitter_p95_ms.p50", "gap_p95_ms"),
            ("real_time_factor.p50", "real_time_factor"),
        ):
            values = np.array([getattr(r, column) for r in listened], dtype=float)
            expected[key] = _quantile(values, 0.5)
    total = sum(r.cost_usd for r in sent)
    expected["cost_per_request_usd"] = total / len(sent)
    expected["cost_per_audio_minute_usd"] = total / (sum(r.duration_s for r in ok) / 60)
    expected["cost_per_1k_chars_usd"] = 1000 * total / sum(r.chars for r in sent)
    # $ per 1M characters and per hour of audio side by side, in the leaderboard and the prices section
    expected["cost_per_million_chars_usd"] = expected["price.per_million_chars_usd"] = (
        1e6 * total / sum(r.chars for r in sent)
    )
    expected["cost_per_hour_usd"] = expected["price.per_hour_usd"] = total * 3600 / sum(r.duration_s for r in ok)
    planned = sum(r.planned_usd for r in sent)  # nothing billed in these runs: the plan is the cost
    expected["planned_billed"] = expected["price.planned_usd"] = planned
    expected["price.billed_usd"] = None
    scored = [r for r in ok if r.scored]
    in_words = [r for r in scored if r.unit == "word"]
    errors = np.array([r.substitutions + r.deletions + r.insertions for r in in_words], dtype=float)
    words = np.array([r.ref_length for r in in_words], dtype=float)
    expected["wer_pooled"] = (errors.sum() / words.sum(), *_korn_graubard(errors, words))
    expected["wer_mean"] = float(np.mean([r.wer for r in in_words]))
    chars = [r for r in scored if r.unit == "char"]  # zh/ja clips, pooled apart from the word-unit ones
    expected["cer_pooled"] = (
        (sum(r.substitutions + r.deletions + r.insertions for r in chars) / sum(r.ref_length for r in chars))
        if chars
        else None
    )
    expected["flagged_clips"] = float(sum(1 for r in scored if json.loads(str(r.flags))))
    polled = [r.polls for r in sent if r.delivery in ("poll", "webhook")]
    expected["polls_mean"] = float(np.mean(polled)) if polled else None
    # These runs read no hard-text corpus: no span was judged (tests/bench/test_hard_text_run.py has a run that did)
    expected["hard_text"] = None
    # The registered checks (harness.checks), by the rules docs/checks.md states
    paced = np.array(
        [
            60 * r.ref_words / r.speech_s
            for r in in_words
            if not r.score_error
            and r.ref_words
            and r.speech_s is not None
            and r.speech_s >= 0.5
            and r.wer is not None
            and r.wer <= 0.5
        ]
    )
    logs = np.log(paced)  # a geometric mean: Student's t on the logarithms, exponentiated
    if not logs.size:
        expected["speaking_pace_wpm"] = None
    elif logs.size < 2:  # one value: no interval
        expected["speaking_pace_wpm"] = (float(np.exp(logs[0])), math.nan, math.nan)
    elif logs.std(ddof=1) == 0:  # a constant sample's interval is the value itself
        expected["speaking_pace_wpm"] = (float(np.exp(logs[0])),) * 3
    else:
        expected["speaking_pace_wpm"] = tuple(float(np.exp(v)) for v in _student(logs))
    similarity = np.array([r.similarity for r in scored if not r.score_error and r.similarity is not None])
    expected["similarity"] = _student(similarity) if similarity.size else None  # the speaker similarity check's mean
    quality = np.array([r.dnsmos_overall for r in scored if not r.score_error and r.dnsmos_overall is not None])
    expected["dnsmos"] = _student(quality) if quality.size else None  # the DNSMOS check's mean
    heard = [r for r in scored if not r.score_error and r.leading_silence_s is not None and r.speech_s]
    silence = np.array([1000 * r.leading_silence_s for r in heard], dtype=float)
    expected["leading_silence_silence_ms"] = _quantile(silence, 0.5) if silence.size else None
    first = np.array([r.ttfa_ms + 1000 * r.leading_silence_s for r in heard if r.ttfa_ms is not None], dtype=float)
    if first.size:
        expected["leading_silence_first_speech_ms"] = _quantile(first, 0.5)
    return expected


@pytest.fixture(scope="module")
def page(runs_db: Path, tmp_path_factory: pytest.TempPathFactory) -> _Cells:
    """The base run's report, rendered once, its leaderboard cells parsed."""
    written = write_report(read_run(runs_db, "base"), tmp_path_factory.mktemp("report") / "index.html")
    parser = _Cells()
    parser.feed(written.read_text(encoding="utf-8"))
    parser.html = written.read_text(encoding="utf-8")
    return parser


@pytest.mark.parametrize("fmt_name", [f.value for f in ExportFormat])
def test_every_leaderboard_number_is_recomputed_from_the_export(
    runs_db: Path, page: _Cells, tmp_path: Path, fmt_name: str
) -> None:
    export_rows(read_run(runs_db, "base"), tmp_path / "export", ExportFormat(fmt_name))
    exported = load_export(tmp_path / "export")
    parser = page
    groups: dict[str, list[RequestRow]] = {}
    for row in exported.requests:
        groups.setdefault(f"{row.provider}/{row.model}", []).append(row)
    assert len(groups) == 3
    checked = 0
    for label, members in groups.items():
        for key, want in _expected(members).items():
            cell = parser.cells[f"{label}:{key}"]
            if want is None:
                assert cell["data-value"] == "", key
                continue
            value, low, high = want if isinstance(want, tuple) else (want, None, None)
            assert float(cell["data-value"]) == pytest.approx(value, rel=1e-12, abs=1e-12), f"{label} {key}"
            if low is not None and math.isnan(low):
                assert "data-low" not in cell and "data-high" not in cell, f"{label} {key}: an interval it cannot hold"
            elif low is not None:
                assert float(cell["data-low"]) == pytest.approx(low, rel=1e-9), f"{label} {key} low"
                assert float(cell["data-high"]) == pytest.approx(high, rel=1e-9), f"{label} {key} high"
            checked += 1
    # Every expected figure was compared (polls are absent for the model delivered synchronously, CER for
    # models with no zh/ja clip: their cells were checked empty above).
    assert checked == sum(1 for m in groups.values() for want in _expected(m).values() if want is not None)
    # Every data cell of the tables was recomputed: 23 per line of the leaderboard and 4 of the prices, plus
    # TTFA, first speech, last audio, jitter, underruns and RTF for the one streaming model.
    assert len(parser.cells) == 27 * len(groups) + 6
    board = json.loads(parser.leaderboard_json)
    assert [e["sent"] for e in board["entries"]] == [int(_expected(m)["sent"]) for m in groups.values()]


@pytest.mark.parametrize(
    ("key", "kind"),
    [("latency_ms.p50", "ms"), ("cost_per_request_usd", "usd"), ("wer_pooled", "rate"), ("dnsmos", "num")],
)
def test_printed_text_is_the_formatted_value(page: _Cells, key: str, kind: str) -> None:
    cell = page.cells[f"pixazo/xtts-v2:{key}"]
    text = page.html.split(f'data-key="pixazo/xtts-v2:{key}"', 1)[1].split("</td>", 1)[0]
    assert f">{fmt(float(cell['data-value']), kind)}" in text
