"""Response time: how long an answer took to come and, for a stream, how it came — the end-to-end latency, the first
audio, and what a listener of a stream met (docs/checks.md#response-time).

The figures are the runner's, measured once and stored on the job's row (`jobs.e2e_ms` from its brackets, the stream's
`ttfa_ms`, `perceived_ttfa_ms`, `last_audio_ms`, `gap_p95_ms`, `real_time_factor`, `underruns`; `tts-harness
recompute` derives them again from the stored evidence, `harness.measurement`); this check reads them and never times
again. A clip counts where it is timed (`harness.results.timed`: its answer came and its job was not resumed, so its
clock ran once). Per offering a time is long-tailed, so it pools as its p50, p95 and p99, each with its interval between
two order statistics, and its mean without one (`Pooling.QUANTILES`: the leaderboard's `latency_ms`, `ttfa_ms`, ...);
a stream's underruns are totals; the widths of the intervals that hold each job's latency and each stream's first
audio are medians without an interval.

A change between runs (`ChangeTest.QUANTILE_RISE`, rule `latency`, as `compare --fail-on latency` had it): NEW's p50
above BASE's by more than 10% (`compare --threshold latency_p50=...`) by a one-sided Mann–Whitney U, its p95 by more
than 20% (`latency_p95`) by a two-sample percentile bootstrap, over the timed jobs no note of the run disowns
(`harness.checks.run_notes`: client health's disowns a job marked saturated, which timed the client's own
stall). Named "response time", not "latency": that word is every face's column heading.

Its views (`VIEWS`): `compare`'s tests (`quantile_rise`: the p50 and p95, whole-run and at each level of a load
sweep, before cost), `history`'s series "Latency p50", "Latency p95", "First audio p50" (`quantile_series`: the
entry's figures, log scale, from the jobs no note disowns), the leaderboard's JSON keys of its figures (`entry`) and
the report's latency and stream columns (`columns`), and the summary's models table's latency and stream
columns (`placed`: after the job counts; the library's `ModelLine` reads the same figures by their entry keys).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.checks.views import (
    ColumnView,
    EntryFigure,
    EntryFigures,
    ModelsColumn,
    OwnFigures,
    OwnViews,
    PlacedColumns,
    QuantileRise,
    QuantileSeries,
    QuantileStatistic,
    Shown,
)
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField, Pooling
from harness.core.quantiles import quantile
from harness.measurement import mean_without_interval, quantile_interval_exact
from harness.results import QUANTILES, RequestRow, RunRows, group, timed

P50_RISE = 0.10  # compare: NEW's p50 later by more than this share of BASE's
P95_RISE = 0.20  # compare: NEW's p95 later by more than this share of BASE's (a tail moves more between runs)

RULE_NAME = "latency"  # the rule's one name: `compare --fail-on latency`

_MEANING_QUANTILES = "p50, p95 and p99 with their intervals between order statistics, and the mean without one"


def _time(name: str, label: str, key: str, meaning: str, *, streamed: bool = False) -> CheckField:
    """A long-tailed time of a clip in ms, lower better, pooled by its quantiles."""
    return CheckField(
        name=name,
        label=label,
        unit="ms",
        better=Better.LOWER,
        pooling=Pooling.QUANTILES,
        key=key,
        streamed=streamed,
        meaning=f"{meaning} Per offering: {_MEANING_QUANTILES}.",
    )


def _total(name: str, label: str, meaning: str, *, better: Better = Better.LOWER) -> CheckField:
    """A stream's count, summed over an offering's streams."""
    unit = "underruns" if name == "underruns" else "streams"
    return CheckField(
        name=name, label=label, unit=unit, better=better, pooling=Pooling.SUM, key=name, streamed=True, meaning=meaning
    )


def _width(name: str, label: str, key: str, holds: str, *, streamed: bool = False) -> CheckField:
    """The width of the interval that holds a clip's true time: per offering its median, no interval."""
    return CheckField(
        name=name,
        label=f"{label} interval width",
        unit="ms",
        better=Better.LOWER,
        pooling=Pooling.EVERY_VALUE_MEDIAN,
        key=key,
        streamed=streamed,
        meaning=f"The width of the interval that holds {holds}; per offering its median, no interval.",
    )


DECLARATION = CheckDeclaration(
    name="response_time",
    title="Response time",
    version="1",
    doc="docs/checks.md#response-time",
    fields=(
        _time(
            "e2e",
            "latency",
            "latency_ms",
            "End-to-end latency of a timed job: from the request's first byte sent to the last audio byte received "
            "(its brackets' midpoint, `harness.measurement`).",
        ),
        _time("ttfa", "first audio", "ttfa_ms", "Time to the first audio byte of a timed stream."),
        _time(
            "perceived_ttfa",
            "heard",
            "perceived_ttfa_ms",
            "Time until speech is first heard in a stream: its first audio and the leading silence inside it.",
            streamed=True,
        ),
        _time("last_audio", "last audio", "last_audio_ms", "First token to the last audio chunk.", streamed=True),
        _time("jitter", "jitter p95", "jitter_p95_ms", "A stream's p95 wait between audio chunks.", streamed=True),
        CheckField(
            name="real_time_factor",
            label="RTF",
            unit="ratio",
            better=Better.LOWER,
            pooling=Pooling.QUANTILES,
            key="real_time_factor",
            streamed=True,
            decimals=2,
            meaning="A stream's time to its end over the seconds of audio it carried. Per offering: "
            f"{_MEANING_QUANTILES}.",
        ),
        _total(
            "underruns", "underruns", "Times a listener playing the stream as it came ran dry, summed over the streams."
        ),
        _total("underrun_streams", "streams that ran dry", "The streams that ran dry at least once."),
        _total(
            "streams",
            "streams",
            "The timed streams that carry a listener's figures (their underruns stored).",
            better=Better.NEITHER,
        ),
        _width("e2e_width", "latency", "latency_width_ms", "a job's true latency (`jobs.e2e_bracket_ms`)"),
        _width("ttfa_width", "first audio", "ttfa_width_ms", "a stream's true first audio", streamed=True),
    ),
    reads=(
        "jobs.outcome",
        "jobs.resumed",
        "jobs.client_saturated",
        "jobs.e2e_ms",
        "jobs.e2e_bracket_ms",
        "jobs.ttfa_ms",
        "jobs.ttfa_lo_ms",
        "jobs.ttfa_hi_ms",
        "jobs.perceived_ttfa_ms",
        "jobs.last_audio_ms",
        "jobs.gap_p95_ms",
        "jobs.real_time_factor",
        "jobs.underruns",
    ),
    thresholds={"latency_p50": P50_RISE, "latency_p95": P95_RISE},
    change=ChangeRule(
        field="e2e",
        test=ChangeTest.QUANTILE_RISE,
        relative=P50_RISE,
        min_pairs=5,
        name=RULE_NAME,
        statistic="latency p50 (ms)",
    ),
)

# Each time's stored column on a timed job's row, by field.
_TIMES = {
    "e2e": lambda r: r.e2e_ms,
    "ttfa": lambda r: r.ttfa_ms,
    "perceived_ttfa": lambda r: r.perceived_ttfa_ms,
    "last_audio": lambda r: r.last_audio_ms,
    "jitter": lambda r: r.gap_p95_ms,
    "real_time_factor": lambda r: r.real_time_factor,
    "e2e_width": lambda r: r.e2e_bracket_ms,
    "ttfa_width": lambda r: None if r.ttfa_hi_ms is None or r.ttfa_lo_ms is None else r.ttfa_hi_ms - r.ttfa_lo_ms,
}


def measure(request: RequestRow) -> ClipCheck:
    """A timed clip's times as stored, and whether it is a stream with a listener's figures (its underruns stored,
    and whether it ran dry); nothing where it is not timed."""
    if not timed((request,)):
        return ClipCheck({})
    values: dict[str, float | None] = {
        name: None if (found := read(request)) is None else float(found) for name, read in _TIMES.items()
    }
    if request.underruns is not None:
        values |= {"underruns": float(request.underruns), "underrun_streams": float(bool(request.underruns))}
        values["streams"] = 1.0
    return ClipCheck(values)


def quantiles(values: Sequence[float]) -> dict[str, tuple[float, float, float, int]]:
    """A long-tailed figure's p50, p95 and p99 with their intervals and its mean without one (value, low, high,
    clips), as the leaderboard gives them; none of a figure no clip gave."""
    if not values:
        return {}
    data = np.asarray(values, dtype=np.float64)
    found = {f"p{round(q * 100)}": quantile_interval_exact(data, q) for q in QUANTILES}
    found["mean"] = mean_without_interval(data)
    return found


def _pooled(pooling: Pooling, values: Sequence[float]) -> object:
    """An offering's figure of a field, as its pooling says: quantiles, a whole total, or a median without interval
    (None: no clip gave one)."""
    if pooling is Pooling.QUANTILES:
        return quantiles(values)
    if pooling is Pooling.SUM:
        return round(sum(values))
    return quantile(values, 0.5)


def offering_figures(requests: Sequence[RequestRow]) -> tuple[OwnFigures, ...]:
    """Each offering's figures over its timed clips, under each field's key (the leaderboard's)."""
    found = []
    for (provider, model), rows in group(requests).items():
        readings = [measure(row).values for row in rows]
        values = {
            DECLARATION.key(item): _pooled(
                item.pooling, [float(v) for one in readings if (v := one.get(item.name)) is not None]
            )
            for item in DECLARATION.fields
        }
        found.append(OwnFigures(provider, model, values))
    return tuple(found)


def _as_they_are(keys: tuple[str, ...]) -> tuple[EntryFigure, ...]:
    """Figures the leaderboard's JSON gives under their own keys, as they are (a time's quantiles as intervals)."""
    return tuple(EntryFigure(key=key, figure=key) for key in keys)


def _stalled(values: Mapping[str, Any]) -> str:
    """Under the underruns: how many of the offering's streams stalled."""
    return f"in {values['underrun_streams']} / {values['streams']}"


# The report's columns of its figures, each after the one it stood after before the check was declared (the first
# after the success rate)
COLUMNS = (
    ColumnView(
        key="p50",
        heading="latency p50",
        meaning="Median end-to-end latency of successful jobs (request sent → audio complete), with a bootstrap 95% "
        "interval.",
        figure="latency_ms",
        quantile="p50",
        after="success",
    ),
    ColumnView(
        key="p95",
        heading="p95",
        meaning="95th percentile of the same latency: the slow tail one request in twenty meets.",
        figure="latency_ms",
        quantile="p95",
        after="p50",
    ),
    ColumnView(
        key="p99",
        heading="p99",
        meaning="99th percentile of the same latency.",
        figure="latency_ms",
        quantile="p99",
        after="p95",
        default=False,
    ),
    ColumnView(
        key="mean",
        heading="mean",
        meaning="Mean of the same latency.",
        figure="latency_ms",
        quantile="mean",
        after="p99",
        default=False,
    ),
    ColumnView(
        key="width",
        heading="± job",
        meaning="How precisely each job's latency is known: half the median width of the interval that must hold it "
        "(polling and whole-second server clocks blur completion). The column is e2e_bracket in the rows.",
        figure="latency_width_ms",
        after="mean",
        prefix="±",
        scale=0.5,
    ),
    ColumnView(
        key="ttfa",
        heading="TTFA p50",
        meaning="Median time to first audio of streamed answers, from the first text token sent (an HTTP or SSE "
        "request: its send; a realtime socket: its first text message, the text fed whole or token by token as the run "
        "says) to the first decodable audio.",
        figure="ttfa_ms",
        quantile="p50",
        after="width",
        streaming=True,
    ),
    ColumnView(
        key="heard",
        heading="heard p50",
        meaning="Median time from the first token until speech is first heard: time to first audio plus the silence "
        "that leads the stream, plus any wait for a late chunk before it.",
        figure="perceived_ttfa_ms",
        quantile="p50",
        after="ttfa",
        streaming=True,
    ),
    ColumnView(
        key="last_audio",
        heading="last audio p50",
        meaning="Median time from the first token to the last audio chunk.",
        figure="last_audio_ms",
        quantile="p50",
        after="heard",
        default=False,
        streaming=True,
    ),
    ColumnView(
        key="jitter",
        heading="jitter p95",
        meaning="Median over streams of each stream's 95th percentile wait between consecutive audio chunks: how "
        "unevenly the audio comes.",
        figure="jitter_p95_ms",
        quantile="p50",
        after="last_audio",
        streaming=True,
    ),
    ColumnView(
        key="underruns",
        heading="underruns",
        meaning="Playback stalls: times a player that starts at the first audio ran out before the next chunk came, "
        "summed over the model's streams, and how many streams stalled.",
        figure="underruns",
        after="jitter",
        kind="int",
        note=_stalled,
        present=lambda values: bool(values.get("streams")),  # some stream was timed
        streaming=True,
    ),
    ColumnView(
        key="rtf",
        heading="RTF p50",
        meaning="Median real-time factor: time from the first token to the stream's end / seconds of audio (below 1: "
        "the audio comes faster than it plays).",
        figure="real_time_factor",
        quantile="p50",
        after="underruns",
        kind="num",
        default=False,
        streaming=True,
    ),
)

# The summary's models table: its latency and stream columns, where they stood before the check was declared (after
# the job counts), their headings, JSON keys and cells as they were (a figure no clip gave: "—", JSON null).


def _p(figures: OwnFigures, figure: str, name: str = "p50") -> float | None:
    """A quantile's value of one of the offering's figures (None: no clip gave the figure)."""
    found = figures.values.get(figure) or {}
    return found[name][0] if name in found else None


def _ms(value: float | None) -> Shown:
    return Shown("—" if value is None else f"{value:,.0f}", value)


def _half_width(value: float | None) -> Shown:
    """An interval's width beside a time: ±half of it is the most the estimate can be off."""
    return Shown("—" if value is None else f"±{value / 2:,.0f}", None if value is None else value / 2)


def _streamed(cell: Callable[[OwnFigures], Shown]) -> Callable[[OwnFigures], Shown]:
    """A listener's figure of an offering that streamed something a listener could play; "—" (in JSON too, as
    before) where it streamed nothing so."""
    return lambda figures: cell(figures) if figures.values.get("streams") else Shown("—", "—")


def _underruns(figures: OwnFigures) -> Shown:
    underruns, stalled, streams = (
        int(figures.values.get(key) or 0) for key in ("underruns", "underrun_streams", "streams")
    )
    return Shown(
        f"{underruns} in {stalled}/{streams}", {"underruns": underruns, "streams_stalled": stalled, "streams": streams}
    )


def _rtf(figures: OwnFigures) -> Shown:
    value = _p(figures, "real_time_factor")
    return Shown("—" if value is None else f"{value:.2f}", value)


_LATENCY = (
    ModelsColumn(heading="p50", key="latency_p50_ms", cell=lambda f: _ms(_p(f, "latency_ms"))),
    ModelsColumn(heading="p95", key="latency_p95_ms", cell=lambda f: _ms(_p(f, "latency_ms", "p95"))),
    ModelsColumn(
        heading="±", key="latency_half_width_ms", cell=lambda f: _half_width(f.values.get("latency_width_ms"))
    ),
)
_FIRST_AUDIO = (
    ModelsColumn(heading="TTFA p50", key="ttfa_p50_ms", cell=lambda f: _ms(_p(f, "ttfa_ms"))),
    ModelsColumn(heading="heard p50", key="heard_p50_ms", cell=lambda f: _ms(_p(f, "perceived_ttfa_ms"))),
)
_LISTENED = (
    ModelsColumn(
        heading="TTFA ±",
        key="ttfa_half_width_ms",
        cell=_streamed(lambda f: _half_width(f.values.get("ttfa_width_ms"))),
    ),
    ModelsColumn(heading="last p50", key="last_audio_p50_ms", cell=_streamed(lambda f: _ms(_p(f, "last_audio_ms")))),
    ModelsColumn(heading="jitter p95", key="jitter_p95_ms", cell=_streamed(lambda f: _ms(_p(f, "jitter_p95_ms")))),
    ModelsColumn(heading="underruns", key="underruns", cell=_streamed(_underruns)),
    ModelsColumn(heading="RTF", key="rtf_p50", cell=_streamed(_rtf)),
)


def summary_columns(rows: RunRows, figures: Sequence[OwnFigures]) -> tuple[tuple[ModelsColumn, str], ...]:
    """The summary's models table's latency columns, the first audio's where some offering streamed (a figure a
    check declares beside "ttfa" stands after its p50), and a listener's where some stream carried a listener's
    figures; the latency's unit in the table's title."""
    found = [(_LATENCY[0], "; end-to-end latency in ms"), *((column, "") for column in _LATENCY[1:])]
    if any(_p(one, "ttfa_ms") is not None for one in figures):
        found += [(column, "") for column in _FIRST_AUDIO]
    if any(one.values.get("streams") for one in figures):
        found += [(column, "") for column in _LISTENED]
    return tuple(found)


VIEWS = OwnViews(
    figures=offering_figures,
    # history's gate on latency is the change-point method over its series, as before the check was declared: no rule
    # of its own on the newest run, so no JUnit case of one
    worse=lambda run_id, after, before: None,
    rule=DECLARATION.change_said(),
    # compare's latency tests, in their words and order before the check was declared: first of its metrics
    quantile_rise=QuantileRise(
        metric=RULE_NAME,
        unit="ms",
        measured="timed jobs",
        value=lambda r: r.e2e_ms,
        counted=timed,
        statistics=(
            QuantileStatistic(
                statistic="latency p50 (ms)",
                threshold="latency_p50",
                quantile=0.5,
                shift=True,
                method="one-sided Mann-Whitney U on e2e_ms (scipy.stats.mannwhitneyu, alternative='greater'), jobs "
                "marked client-saturated left out",
            ),
            QuantileStatistic(
                statistic="latency p95 (ms)",
                threshold="latency_p95",
                quantile=0.95,
                shift=False,
                method="two-sample percentile bootstrap of p95(NEW) - p95(BASE), 2000 resamples, fixed seed",
            ),
        ),
        before="cost",
    ),
    columns=COLUMNS,
    # the summary's latency and stream columns, after the job counts as before the check was declared
    placed=PlacedColumns(after="ok_jobs", columns=summary_columns),
    # the leaderboard entry's figures: its JSON's, the report's columns' and history's series'
    report_keys=tuple(DECLARATION.key(item) for item in DECLARATION.fields),
    # the leaderboard's JSON keys of them, where each stood before the check was declared (the widths of the first
    # audio's intervals are the summary's alone)
    entry=(
        EntryFigures(after="success", figures=_as_they_are(("latency_ms", "ttfa_ms"))),
        EntryFigures(
            after="polls_mean",
            figures=_as_they_are(
                (
                    "latency_width_ms",
                    "perceived_ttfa_ms",
                    "last_audio_ms",
                    "jitter_p95_ms",
                    "real_time_factor",
                    "underruns",
                    "underrun_streams",
                    "streams",
                )
            ),
        ),
    ),
    # history's latency series, first among a model's series as before the check was declared (before the cost's)
    quantile_series=(
        QuantileSeries(
            key="latency_p50", label="Latency p50", unit="ms", figure="latency_ms", quantile="p50", before="cost_per_1k"
        ),
        QuantileSeries(
            key="latency_p95", label="Latency p95", unit="ms", figure="latency_ms", quantile="p95", before="cost_per_1k"
        ),
        QuantileSeries(
            key="ttfa_p50", label="First audio p50", unit="ms", figure="ttfa_ms", quantile="p50", before="cost_per_1k"
        ),
    ),
)

CHECK = DeclaredCheck(DECLARATION, measure, views=VIEWS)
