"""The end-of-run summary: per model, how many jobs finished, how fast, how often polled, at what cost,
how intelligibly (`Quality`: the pooled WER over word-unit clips and the pooled CER over character-unit ones, never
mixed, the figures a registered check's view names: `harness.checks.views.LineQuality`), each registered check's
figures (`harness.checks`, pooled as each declares); and how many failed in each error class; the
cost planned against the cost billed, which one each model's cost is, and the prices read
too long ago. Every figure comes from `harness.results.figures` over the run's stored rows, or, the latency and a
listener's stream figures, from the registered check that declares them (its `figures`, the leaderboard's: the
models table's columns through its view `placed`, `ModelLine`'s by their entry keys), so the terminal shows
exactly what the report, `export` and `compare` show. A run that read other languages than English adds its figures per
model and language (`harness.measurement.languages`: the error rate with its 95% interval), beside which each
registered check judging a language apart gives its column (`harness.checks.views`: its `parts`). A check whose
evidence is the run's rows (hard text's judged spans) gives its sections of them (`Summary.run_own`), computed by the
check: the summary holds no figure named for a check. What it prints, and how, is `summary_view`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.checks import OfferingCheck, Pooled, RunNote, SectionView, Shown, offering_checks, run_notes, with_views
from harness.measurement import LanguageFigures, language_figures
from harness.results import (
    CostFigures,
    EndedBy,
    ModelFigures,
    RunRows,
    Store,
    ended_by,
    model_figures,
    read_rows,
    refused_bills,
    shipped_language_verdicts,
    tally,
    unpriced_bills,
)


@dataclass(frozen=True, slots=True)
class Quality:
    """What the scorer measured for one model: pooled error rates over its scored clips, the figures of the check
    whose view names them (`harness.checks.views.LineQuality`; the other checks' figures that read its scores are
    `Summary.checks`)."""

    clips: int
    pooled_wer: float | None  # word errors / reference words over its word-unit clips
    pooled_cer: float | None = None  # character errors / reference characters over its zh/ja clips


@dataclass(frozen=True, slots=True, kw_only=True)
class Listened:
    """What a listener met over a model's streams (the figures of the check that declares them), and how its sockets
    were fed (`harness.results.ModelFigures.text_rates`)."""

    ttfa_width_p50: float | None  # median width of the first-token-to-audio interval
    last_audio_p50: float | None
    jitter_p95: float | None  # median over streams of each stream's p95 wait between chunks
    underruns: int
    underrun_streams: int
    streams: int
    rtf_p50: float | None
    text_rates: tuple[float | None, ...]


# Each offering's figures the checks give the leaderboard's entry (their `report_keys`), by (provider, model).
Figured = dict[tuple[str, str], dict[str, Any]]


def _entry_figures(rows: RunRows) -> Figured:
    """Each offering's figures the registered checks give the leaderboard's entry (`report_keys`: the latency's
    quantiles, a listener's stream figures), as their views compute them once; the library's `ModelLine` reads its
    latency and stream figures from them."""
    found: Figured = {}
    for _, views in with_views():
        if views.report_keys:
            for one in views.run_figures(rows):
                if not one.part:
                    mine = {key: one.values[key] for key in views.report_keys if key in one.values}
                    found.setdefault((one.provider, one.model), {}).update(mine)
    return found


def _quantile(figures: dict[str, Any], key: str, name: str = "p50") -> float | None:
    """A quantile's value of one of the offering's figures (None: no clip gave the figure)."""
    found = figures.get(key) or {}
    return float(found[name][0]) if name in found else None


def _listened(figures: ModelFigures, timed: dict[str, Any]) -> Listened | None:
    """What a listener met (`timed`: the offering's entry figures), where some stream carried a listener's figures,
    and how the sockets were fed."""
    if not timed.get("streams"):
        return None
    return Listened(
        ttfa_width_p50=timed.get("ttfa_width_ms"),
        last_audio_p50=_quantile(timed, "last_audio_ms"),
        jitter_p95=_quantile(timed, "jitter_p95_ms"),
        underruns=int(timed.get("underruns") or 0),
        underrun_streams=int(timed.get("underrun_streams") or 0),
        streams=int(timed["streams"]),
        rtf_p50=_quantile(timed, "real_time_factor"),
        text_rates=figures.text_rates,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelLine:
    provider: str
    model: str
    jobs: int
    ok: int
    failed: int
    skipped: int
    e2e_p50: float | None
    e2e_p95: float | None
    ttfa_p50: float | None
    polls_per_job: float | None
    cost_usd: float | None
    unpriced: int
    cost_units: dict[str, float]  # unit -> amount, for prices not in USD (credits or characters)
    e2e_width_p50: float | None = None  # median width of the interval that holds each job's latency
    perceived_ttfa_p50: float | None = None  # streams: when speech is first heard
    quality: Quality | None = None  # None when the run was not scored
    stream: Listened | None = None  # None when the model streamed nothing a listener could play
    cost: CostFigures | None = None  # planned and billed, which the cost is, the price's provenance


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    run_id: str
    status: str
    lines: tuple[ModelLine, ...]
    outcomes: dict[str, int]  # ok, skipped, or an error class -> jobs that ended so
    events: dict[str, int]  # error class -> every error recorded (retried ones included)
    spent_usd: float
    ended_by: tuple[EndedBy, ...] = ()  # the commonest errors that ended jobs, each with its message
    planned_usd: float | None
    budget_usd: float | None
    downloads_retried: int = 0  # jobs whose audio came only after a retried download
    results_lost: int = 0  # finished jobs whose audio never came
    pending: int = 0  # accepted (charged) jobs whose result is still to fetch: `bench run --resume` fetches them
    target: str = "sandbox"  # sandbox | live | url: where the money was spent (the sandbox's is play money)
    refused_bills: tuple[str, ...] = ()  # bills beyond their bound, refused (the planned cost kept), in words
    unpriced_bills: dict[str, dict[str, float]] | None = None  # per model, units billed that its plan's rates price not
    left_out: tuple[str, ...] = ()  # rows the store holds that could not be read, each named
    # what each registered check says of the whole run (harness.checks.views: its `run_note`), its section shown right
    # after the models table
    notes: tuple[SectionView, ...] = ()
    # each such check's column of the models table after the jobs' counts: heading, JSON key, and each offering's
    # disowned jobs by its "provider/model" (shown where some offering has any)
    disowned: tuple[tuple[str, str, dict[str, int]], ...] = ()
    languages: tuple[LanguageFigures, ...] = ()  # per model and language, where the run scored other languages
    own: tuple[SectionView, ...] = ()  # each registered check's section of its own (harness.checks.views)
    # each check's sections of the run's rows, shown after what was spent (harness.checks.views: its `run_sections`)
    run_own: tuple[SectionView, ...] = ()
    # each check's columns of the models table after a built-in one (harness.checks.views: its `placed`): the
    # built-in column's key ("": the table's end), the title's words, heading, JSON key and each offering's cell by
    # its "provider/model"
    placed_columns: tuple[tuple[str, str, str, str, dict[str, Shown]], ...] = ()
    # each registered check's column of the languages table: heading, JSON key, meaning, and each part's cell by
    # (provider, model, part) (harness.checks.views: its `parts`)
    own_parts: tuple[tuple[str, str, str, dict[tuple[str, str, str], Shown]], ...] = ()
    # each registered check's failures by its own rule (`bench run --fail-on <metric>`): metric, title, lines
    failures: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    checks: tuple[OfferingCheck, ...] = ()  # every registered check per offering (harness.checks)

    def figure(self, line: ModelLine, key: str) -> Pooled | None:
        """A registered check's figure of the line's offering by its key (the JSON's and the report column's),
        pooled as its check declares, with its interval; None where the offering has none."""
        return next(
            (
                one.figures.get(item.name)
                for one in self.checks
                if (one.provider, one.model) == (line.provider, line.model)
                for item in one.check.fields
                if one.check.key(item) == key
            ),
            None,
        )


def _placed_columns(rows: RunRows) -> tuple[tuple[str, str, str, str, dict[str, Shown]], ...]:
    """Each check's columns of the models table after a built-in one or at its end (`harness.checks.views`: its
    `placed`), those the run shows (where its figures stood before its check was declared)."""
    found = []
    for _, views in with_views():
        if (placed := views.placed) is None:
            continue
        figures = views.run_figures(rows)
        for column, title in placed.columns(rows, figures):
            cells = {f"{one.provider}/{one.model}": column.cell(one) for one in figures}
            found.append((placed.after, title, column.heading, column.key, cells))
    return tuple(found)


def _own_parts(rows: RunRows) -> tuple[tuple[str, str, str, dict[tuple[str, str, str], Shown]], ...]:
    """Each registered check's column of the languages table (`harness.checks.views`: its `parts`)."""
    return tuple(
        (
            views.parts.heading,
            views.parts.key,
            views.parts.meaning,
            {(one.provider, one.model, one.part): views.parts.cell(one) for one in views.figures(rows.requests)},
        )
        for _, views in with_views()
        if views.parts is not None
    )


def _failures(rows: RunRows) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Each registered check's failures by its own rule, where it has a rule `--fail-on` names."""
    return tuple(
        (views.compared.metric, check.declaration.title, views.failures(views.figures(rows.requests)))
        for check, views in with_views()
        if views.failures is not None and views.compared is not None
    )


# Each offering's pooled rates over word-unit and character-unit clips, by (provider, model).
Rated = dict[tuple[str, str], tuple[float | None, float | None]]


def _rated(rows: RunRows) -> Rated:
    """Each offering's pooled rates over word-unit and character-unit clips, as the registered check whose view
    names them gives them (`LineQuality`; none: no rates)."""
    rated: Rated = {}
    for _, views in with_views():
        if (named := views.line_quality) is not None:
            rated |= {
                (one.provider, one.model): (one.values.get(named.words), one.values.get(named.characters))
                for one in views.run_figures(rows)
            }
    return rated


def _quality(figures: ModelFigures, rated: Rated | None) -> Quality | None:
    """The model's quality where the run was scored (`rated`: each offering's pooled rates; None: not scored)."""
    if rated is None:
        return None
    return Quality(figures.scored, *rated.get((figures.provider, figures.model), (None, None)))


def _line(figures: ModelFigures, rated: Rated | None, timed: Figured) -> ModelLine:
    mine = timed.get((figures.provider, figures.model), {})
    return ModelLine(
        provider=figures.provider,
        model=figures.model,
        jobs=figures.jobs,
        ok=figures.ok,
        failed=figures.failed,
        skipped=figures.skipped,
        e2e_p50=_quantile(mine, "latency_ms"),
        e2e_p95=_quantile(mine, "latency_ms", "p95"),
        ttfa_p50=_quantile(mine, "ttfa_ms"),
        polls_per_job=figures.polls_per_job,
        cost_usd=figures.cost.total_usd,
        unpriced=figures.cost.unpriced,
        cost_units=figures.cost.amounts,
        e2e_width_p50=mine.get("latency_width_ms"),
        perceived_ttfa_p50=_quantile(mine, "perceived_ttfa_ms"),
        quality=_quality(figures, rated),
        stream=_listened(figures, mine),
        cost=figures.cost,
    )


def summary_of(rows: RunRows, spent_usd: float) -> Summary:
    """The summary of a run's rows (and what it has spent, which only the database knows)."""
    scored_run = rows.run.asr_model is not None
    counts = tally(rows)
    rated = _rated(rows) if scored_run else None
    timed = _entry_figures(rows)
    lines = tuple(_line(f, rated, timed) for f in model_figures(rows))
    notes = run_notes(rows)
    return Summary(
        run_id=rows.run_id,
        status=str(rows.run.status),
        lines=lines,
        outcomes=counts.outcomes,
        events=counts.events,
        ended_by=ended_by(rows),
        spent_usd=spent_usd,
        planned_usd=_number(rows.run.planned_cost_usd),
        budget_usd=_number(rows.run.budget_usd),
        downloads_retried=counts.downloads_retried,
        results_lost=counts.results_lost,
        pending=counts.pending,
        target=str(rows.run.target or "sandbox"),
        languages=language_figures(rows.requests, shipped_language_verdicts()) if scored_run else (),
        refused_bills=refused_bills(rows.drift),
        left_out=rows.left_out,
        unpriced_bills=unpriced_bills(rows.requests),
        notes=tuple(note.section for _, note in notes if note.section is not None),
        disowned=tuple((view.heading, view.key, _disowned(rows, note)) for view, note in notes),
        own=tuple(
            section
            for _, views in with_views()
            if views.section is not None and (section := views.section(views.run_figures(rows)))
        ),
        run_own=tuple(
            section
            for _, views in with_views()
            if views.run_sections is not None
            for section in views.run_sections(rows, str(rows.run.target or "sandbox") == "sandbox")
        ),
        placed_columns=_placed_columns(rows),
        own_parts=_own_parts(rows) if scored_run else (),
        failures=_failures(rows),
        checks=offering_checks(rows.requests),
    )


def _disowned(rows: RunRows, note: RunNote) -> dict[str, int]:
    """Each offering's jobs a check's run note disowns, by its "provider/model" (those with none left out)."""
    counts: dict[str, int] = {}
    for row in rows.requests:
        if note.disowns(row):
            label = f"{row.provider}/{row.model}"
            counts[label] = counts.get(label, 0) + 1
    return counts


def _number(value: object) -> float | None:
    return None if value is None else float(str(value))


def summarize(store: Store, run_id: str) -> Summary:
    """The summary of a stored run (raises KeyError for an unknown run id)."""
    if store.run(run_id) is None:
        raise KeyError(run_id)
    return summary_of(read_rows(store.conn, run_id, source=store.path), store.spent_usd(run_id))
