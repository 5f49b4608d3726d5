"""A provider's runs over time: every stored figure of every run, per provider × model, as series.

Each run's figures are the report's (`harness.report.leaderboard`: the `harness.results` figures with their
intervals), computed from that run's stored rows, so a point of a history is the number that run's report
shows. Findings — the scorer's flags of clips under their kind (`harness.core.flags.flag_kind`: contract, language,
transcript, signal), drift, errors by class — are listed by the run they first appeared in. The same voice over
time (`harness.history.voice`) adds its two series. Cost: the billed cost where the answers said what they billed,
else the planned one (the series' label says which), the billed cost
per 1,000 characters apart, and what the newest run was billed more for, for the same requests, than the run
before it (`harness.results.dearer`: deterministic, so two runs are enough). A run over a
hard-text corpus adds one series per category (accuracy on judged items, `harness.measurement.category_figures`),
and each failing reading is a finding by the run it first appeared in: a provider whose reading of a category
changed is flagged, with an example. Latency series are drawn only from the jobs no registered check of the run's
own measuring disowns (`harness.checks.run_notes`): a run measured on a machine that could not keep up is named
(`RunInfo.named`) and calls no latency change. A category the report leaves unscored (its ASR model cannot judge it
in absolute terms, docs/hard-text.md) is followed too: the same ASR over the same items, a change in what it
hears is still a change in what was said.

Corpora are kept apart: a series holds the runs that read the same corpora for the model (a run over en_read and
one over a hard-text corpus are two series, not one whose latency and WER jump between texts of another kind); a
run over several corpora is a series of that set, as its report pools them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from harness.checks import (
    ColumnView,
    FigureSeries,
    QuantileSeries,
    RunNote,
    RunNoteView,
    RunSeries,
    counted_checks,
    counted_columns,
    disowning,
    every_field,
    offering_value,
    run_notes,
    with_views,
)
from harness.core.checks import CheckDeclaration, CheckField
from harness.core.flags import flag_kind
from harness.history.catalogue import catalogue_changes
from harness.history.checks import newest_checks_changed, newest_counted_worse, newest_own_kept, newest_own_worse
from harness.history.languages import language_series, run_figures, series_label
from harness.history.values import History, HistoryFinding, Point, RunInfo, Scale, Series
from harness.history.voice import voice_series
from harness.report.leaderboard import Entry, build_leaderboard
from harness.report.stats import Interval
from harness.results import (
    CatalogueRow,
    RequestRow,
    RunRows,
    StoreTarget,
    group,
    newest_dearer,
    open_read_only,
    read_catalogues,
    read_rows,
    run_ids,
    shipped_language_verdicts,
)


@dataclass(frozen=True, slots=True)
class SeriesMetric:
    key: str
    label: str
    unit: str  # "ms", "usd", "rate", "score", "count", "ratio"
    scale: Scale
    read: Callable[[Entry], Interval | float | None] = field(compare=False, repr=False)


def _error_rate(entry: Entry) -> Interval | None:
    success = entry.success
    if entry.sent == 0:
        return None
    return Interval(1.0 - success.value, 1.0 - success.high, 1.0 - success.low, success.sample_size)


def _counted_reader(check: CheckDeclaration, item: CheckField) -> Callable[[Entry], float | None]:
    return lambda entry: offering_value(entry.checks, check, item)


def _own_reader(view: ColumnView) -> Callable[[Entry], float | None]:
    return lambda entry: entry.own_figure(view.figure)


def _figure_reader(view: FigureSeries) -> Callable[[Entry], Interval | None]:
    """A check's figure with its interval (value, low, high, clips) as a point; none where it is of no clip."""

    def read(entry: Entry) -> Interval | None:
        figure = entry.own_figure(view.figure)
        return Interval(*figure) if figure is not None and figure[3] else None

    return read


def _quantile_reader(view: QuantileSeries) -> Callable[[Entry], Interval | None]:
    """A quantile of a check's long-tailed figure with its interval as a point; none where no clip gave the figure."""

    def read(entry: Entry) -> Interval | None:
        found = (entry.own_figure(view.figure) or {}).get(view.quantile)
        return None if found is None else Interval(*found)

    return read


def _placed(metrics: tuple[SeriesMetric, ...]) -> tuple[SeriesMetric, ...]:
    """The built-in series with each check's quantile series (`harness.checks.views.QuantileSeries`) before the one
    its view names and its figure series (`FigureSeries`) after the one its view names (where each stood before its
    check was declared; none named: after them all)."""
    found = list(metrics)
    for _, views in with_views():
        for quantile in views.quantile_series:  # each in turn, so they keep their own order
            at = next((i for i, metric in enumerate(found) if metric.key == quantile.before), len(found))
            found.insert(
                at, SeriesMetric(quantile.key, quantile.label, quantile.unit, Scale.LOG, _quantile_reader(quantile))
            )
        if (view := views.series) is None:
            continue
        at = next((i + 1 for i, metric in enumerate(found) if metric.key == view.after), len(found))
        found.insert(at, SeriesMetric(view.key, view.label, view.unit, Scale.LINEAR, _figure_reader(view)))
    return tuple(found)


# The series whose points are a check's quantiles of a time (`harness.checks.views.QuantileSeries`): drawn only from
# the jobs no note of the run disowns (`harness.checks.run_notes`: the client saturated), so no change is called from
# its own stall.
UNTROUBLED_KEYS = frozenset(view.key for _, views in with_views() for view in views.quantile_series)

_BUILT_IN: tuple[SeriesMetric, ...] = (
    SeriesMetric("cost_per_1k", "Cost per 1,000 characters", "usd", Scale.LOG, lambda e: e.cost_per_1k_chars_usd),
    SeriesMetric(
        "billed_per_1k",
        "Billed per 1,000 characters",
        "usd",
        Scale.LOG,
        lambda e: None if e.billed_per_million_chars_usd is None else e.billed_per_million_chars_usd / 1000,
    ),
    SeriesMetric("error_rate", "Error rate", "rate", Scale.LINEAR, _error_rate),
    SeriesMetric("polls_per_job", "Polls per job", "count", Scale.LOG, lambda e: e.polls_mean),
    # each registered check with views of its own: its report columns' figures drawn as series (harness.checks.views;
    # 0 is a figure, so linear)
    *(
        SeriesMetric(view.series, view.series_label, view.kind, Scale.LINEAR, _own_reader(view))
        for _, views in with_views()
        for view in views.columns
        if view.series
    ),
    # each registered counted check's ratio (harness.checks.counted_columns); the gate judges it by its own rule
    # (harness.history.checks), the change-point method draws it like any figure
    *(
        SeriesMetric(
            check.key(item),
            item.label[:1].upper() + item.label[1:],
            "count",
            Scale.LINEAR,
            _counted_reader(check, item),
        )
        for check, item in counted_columns()
    ),
)


METRICS: tuple[SeriesMetric, ...] = _placed(_BUILT_IN)


def _finite(value: float) -> float | None:
    return value if value == value and abs(value) != float("inf") else None


def _point(run: RunInfo, value: Interval | float | None) -> Point | None:
    if value is None:
        return None
    if isinstance(value, Interval):
        if _finite(value.value) is None:
            return None
        return Point(
            run_id=run.run_id,
            created_at=run.created_at,
            value=value.value,
            low=_finite(value.low),
            high=_finite(value.high),
            sample_size=value.sample_size,
        )
    return Point(run_id=run.run_id, created_at=run.created_at, value=float(value))


def _findings_of(rows: RunRows, entries: Iterable[Entry]) -> Iterable[tuple[str, str, str, str]]:
    for entry in entries:
        for name in entry.findings:  # a clip's flag, listed under its own kind (a wrong language is no contract's)
            yield entry.provider, entry.model, flag_kind(name), name
        for error_class in entry.errors:
            yield entry.provider, entry.model, "error", error_class
    for drift in rows.drift:
        yield drift.provider, drift.model, "drift", f"{drift.kind} {drift.endpoint} {drift.pointer}"


def _run_series() -> tuple[RunSeries, ...]:
    """Every check's series drawn from a run's rows (`harness.checks.views.RunSeries`)."""
    return tuple(views.run_series for _, views in with_views() if views.run_series is not None)


def _run_points(rows: RunRows, run: RunInfo) -> Iterable[tuple[tuple[str, str, str], Point]]:
    """Each check's points of the run from its rows (each category's accuracy, with its Wilson interval), under
    their series keys."""
    for view in _run_series():
        for one in view.points(rows):
            yield (
                (one.provider, one.model, view.prefix + one.key),
                Point(
                    run_id=run.run_id,
                    created_at=run.created_at,
                    value=one.value,
                    low=one.low,
                    high=one.high,
                    sample_size=one.sample_size,
                ),
            )


def _run_findings(rows: RunRows) -> Iterable[tuple[str, str, str, str]]:
    """Each check's findings of the run from its rows (each failing reading of a calibrated item), under its kind."""
    for view in _run_series():
        for provider, model, what in view.findings(rows):
            yield provider, model, view.kind, what


# A registered check's field as a series (harness.checks): drawn on the page; judged by its own declared rule
# (`harness.history.checks`), never by the change-point method too (`harness.history.analysis`).
CHECK_PREFIX = "check:"


def _check_points(entries: Iterable[Entry], run: RunInfo) -> Iterable[tuple[tuple[str, str, str], Point]]:
    """Each registered check's pooled fields of each entry, as a point of the run under its series key."""
    for entry in entries:
        for one in entry.checks:
            for item in (item for item in one.check.fields if not item.pooling.counted):  # counted: in METRICS
                pooled = one.figures.get(item.name)
                if pooled is None:
                    continue
                low, high = (
                    (math.nan, math.nan) if pooled.low is None or pooled.high is None else (pooled.low, pooled.high)
                )
                point = _point(run, Interval(pooled.value, low, high, pooled.clips))
                if point is not None:
                    yield (entry.provider, entry.model, CHECK_PREFIX + one.check.key(item)), point


def _check_metric(key: str) -> tuple[str, str, Scale, int] | None:
    for check, item in every_field():
        if key == CHECK_PREFIX + check.key(item):
            # a field whose label its check's title already holds is said by the title alone (not "X: x")
            title = check.title if item.label.lower() in check.title.lower() else f"{check.title}: {item.label}"
            return (title, "ms" if item.unit == "ms" else "score", Scale.LINEAR, len(METRICS))
    return None


def _metric(key: str) -> tuple[str, str, Scale, int]:
    """A series' label, unit, scale and rank among a model's series."""
    for rank, metric in enumerate(METRICS):
        if metric.key == key:
            return metric.label, metric.unit, metric.scale, rank
    declared = _check_metric(key)
    if declared is not None:
        return declared
    language = series_label(key)
    if language is not None:
        return (*language, len(METRICS))
    for _, views in with_views():  # a check's series per part (a language asked: harness.checks.views)
        if (part := views.part_series) is not None and key.startswith(part.prefix):
            return part.label(key.removeprefix(part.prefix)), part.unit, Scale.LINEAR, len(METRICS)
    for view in _run_series():
        if key.startswith(view.prefix):
            return view.label(key.removeprefix(view.prefix)), view.unit, Scale.LINEAR, len(METRICS)
    return key, "", Scale.LINEAR, len(METRICS)  # no series is drawn that no metric, check or view names


def _part_points(rows: RunRows, run: RunInfo) -> Iterable[tuple[tuple[str, str, str], Point]]:
    """Each registered check's series per part of an offering (`harness.checks.views`: its `part_series`)."""
    for _, views in with_views():
        if (part := views.part_series) is None:
            continue
        for figure in views.figures(rows.requests):
            value = part.value(figure)
            if value is not None:
                yield (
                    (figure.provider, figure.model, part.prefix + figure.part),
                    Point(
                        run_id=run.run_id,
                        created_at=run.created_at,
                        value=value,
                        low=None,
                        high=None,
                        sample_size=part.sample_size(figure),
                    ),
                )


def _wanted(models: Iterable[str] | None) -> Callable[[str, str], bool]:
    names = set(models or ())
    return lambda provider, model: not names or f"{provider}/{model}" in names or model in names or (provider in names)


def _of_wanted(rows: RunRows, wanted: Callable[[str, str], bool]) -> RunRows:
    """The run's rows of the models asked for."""
    return RunRows(
        run=rows.run,
        requests=tuple(r for r in rows.requests if wanted(r.provider, r.model)),
        errors=rows.errors,
        drift=tuple(r for r in rows.drift if wanted(r.provider, r.model)),
        source=rows.source,
        spans=tuple(s for s in rows.spans if wanted(s.provider, s.model)),
    )


def _first_seen(first: Mapping[tuple[str, str, str, str], tuple[RunInfo, int]]) -> tuple[HistoryFinding, ...]:
    """Each finding at the run that first showed it and the number of runs that did, oldest first."""
    return tuple(
        sorted(
            (
                HistoryFinding(
                    provider=p, model=m, kind=kind, what=what, first_run=run.run_id, first_at=run.created_at, runs=count
                )
                for (p, m, kind, what), (run, count) in first.items()
            ),
            key=lambda f: (f.first_at, f.provider, f.model, f.kind, f.what),
        )
    )


def _metric_points(
    rows: RunRows, disowns: Callable[[RequestRow], bool], entries: Iterable[Entry], run: RunInfo
) -> Iterable[tuple[tuple[str, str, str], Point]]:
    """Each model's point of every figure in `METRICS` for one run; its latency figures only from the requests
    the run's notes do not disown."""
    timing = _untroubled_entries(rows, disowns, entries)
    for entry in entries:
        for metric in METRICS:
            source = timing.get((entry.provider, entry.model)) if metric.key in UNTROUBLED_KEYS else entry
            point = _point(run, metric.read(source)) if source is not None else None
            if point is not None:
                yield (entry.provider, entry.model, metric.key), point


def _series_of(
    points: dict[tuple[str, str, str, str], list[Point]], sources: dict[tuple[str, str], set[str]]
) -> list[Series]:
    """Each (provider, model, corpora, figure)'s points as a series, ordered by provider, model, corpora, then the
    figure's place among the metrics."""
    return [
        Series(
            provider=provider,
            model=model,
            key=key,
            label=_label(key, sources.get((provider, model), set())),
            unit=_metric(key)[1],
            scale=_metric(key)[2],
            points=tuple(found),
            corpus=corpus,
        )
        for (provider, model, corpus, key), found in sorted(
            points.items(), key=lambda item: (item[0][0], item[0][1], item[0][2], _metric(item[0][3])[3], item[0][3])
        )
    ]


def read_history(store: StoreTarget, models: Iterable[str] | None = None, since: str | None = None) -> History:
    """Every run of the store (from `since`, an ISO date or time, on), its figures per model as series."""
    wanted = _wanted(models)
    conn = open_read_only(store)
    runs: list[RunInfo] = []
    points: dict[tuple[str, str, str, str], list[Point]] = {}  # provider, model, corpora, figure
    first: dict[tuple[str, str, str, str], tuple[RunInfo, int]] = {}
    all_rows: list[RunRows] = []
    sources: dict[tuple[str, str], set[str]] = {}  # which cost each model's cost series used, over its runs
    listings: list[tuple[str, tuple[CatalogueRow, ...]]] = []
    left_out: list[str] = []
    verdicts = shipped_language_verdicts()
    try:
        for run_id in run_ids(conn):
            rows = read_rows(conn, run_id)
            said = run_notes(rows)
            run = _run_info(rows, said)
            if since and run.created_at < since:
                continue
            left_out += rows.left_out
            rows = _of_wanted(rows, wanted)
            if not rows.requests:
                continue
            runs.append(run)
            all_rows.append(rows)
            listings.append((run_id, read_catalogues(conn, run_id)))
            entries = build_leaderboard(rows).entries
            corpora = _corpora(rows)
            for entry in entries:
                if entry.cost_source != "none":
                    sources.setdefault((entry.provider, entry.model), set()).add(entry.cost_source)
            disowns = disowning(note for _, note in said)
            for (provider, model, series_key), point in _metric_points(rows, disowns, entries, run):
                points.setdefault((provider, model, corpora.get((provider, model), ""), series_key), []).append(point)
            for (provider, model, series_key), point in _check_points(entries, run):
                points.setdefault((provider, model, corpora.get((provider, model), ""), series_key), []).append(point)
            for (provider, model, series_key), point in _run_points(rows, run):
                points.setdefault((provider, model, corpora.get((provider, model), ""), series_key), []).append(point)
            for (provider, model, figure), point in (
                *language_series(run_figures(rows, verdicts), run),
                *_part_points(rows, run),
            ):
                points.setdefault((provider, model, corpora.get((provider, model), ""), figure), []).append(point)
            for key in {*_findings_of(rows, entries), *_run_findings(rows)}:
                seen = first.get(key)
                first[key] = (seen[0], seen[1] + 1) if seen else (run, 1)
    finally:
        conn.close()
    by_run = {run.run_id: run for run in runs}
    for run_id, provider, endpoint, change in catalogue_changes(listings):
        if wanted(provider, "catalogue"):  # a catalogue is the provider's, whichever of its models was asked
            first.setdefault((provider, f"catalogue {endpoint}", "catalogue", change), (by_run[run_id], 1))
    series = [*_series_of(points, sources), *voice_series(all_rows, store)]
    findings = _first_seen(first)
    dearer = newest_dearer([(rows.run_id, rows.requests) for rows in all_rows])
    return History(
        runs=tuple(runs),
        series=tuple(series),
        findings=findings,
        dearer=tuple(dearer),
        left_out=tuple(left_out),
        counted_worse=tuple(
            (check.name, newest_counted_worse([(rows.run_id, rows.requests) for rows in all_rows], check))
            for check in counted_checks()
        ),
        own_worse=tuple(
            (check.name, newest_own_worse([(rows.run_id, rows.requests) for rows in all_rows], views))
            for check, views in with_views()
        ),
        own_kept=tuple(
            (check.name, newest_own_kept([(rows.run_id, rows.requests) for rows in all_rows], views))
            for check, views in with_views()
        ),
        checks_changed=newest_checks_changed([(rows.run_id, rows.requests) for rows in all_rows]),
    )


def _corpora(rows: RunRows) -> dict[tuple[str, str], str]:
    """Per model, the corpora the run read for it, named together ("en_read", "en_read+hard_money")."""
    return {
        key: "+".join(sorted({str(r.corpus) for r in members if r.corpus}))
        for key, members in group(rows.requests).items()
    }


def _run_info(rows: RunRows, said: Sequence[tuple[RunNoteView, RunNote]]) -> RunInfo:
    """The run as the history lists it, with the line each note names it in (over every job, before any is
    filtered out)."""
    named = tuple((view.page_id, note.named) for view, note in said if note.named is not None)
    return RunInfo(rows.run_id, str(rows.run.created_at), str(rows.run.status), str(rows.run.target), named)


def _untroubled_entries(
    rows: RunRows, disowns: Callable[[RequestRow], bool], entries: Iterable[Entry]
) -> dict[tuple[str, str], Entry]:
    """Each model's entry for its latency series: over the jobs no note of the run disowns (the client saturated
    while they ran; the run's own entries where none is; a model whose every job is has none: no latency point that
    run)."""
    kept = tuple(row for row in rows.requests if not disowns(row))
    if len(kept) == len(rows.requests):
        return {(entry.provider, entry.model): entry for entry in entries}
    if not kept:
        return {}
    calm = RunRows(
        run=rows.run, requests=kept, errors=rows.errors, drift=rows.drift, source=rows.source, spans=rows.spans
    )
    return {(entry.provider, entry.model): entry for entry in build_leaderboard(calm).entries}


def _label(key: str, sources: set[str]) -> str:
    """A series' label; a cost series says which cost its points are: billed where the answers said, else planned."""
    label = _metric(key)[0]
    if key != "cost_per_1k" or not sources:
        return label
    return f"{label} ({' and '.join(sorted(sources))})"
