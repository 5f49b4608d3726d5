"""The end-of-run summary: per model, how many jobs finished, how fast, how often polled, at what cost,
how intelligibly (pooled WER over word-unit clips, pooled CER over character-unit ones, never mixed) and,
for cloning models, how close to the reference voice (mean speaker similarity); and how many failed in
each error class; the cost planned against the cost billed, which one each model's cost is, and the prices read
too long ago. Every figure comes from `harness.results.figures` over the run's stored rows, so the terminal shows
exactly what the report, `export` and `compare` show.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.table import Table

from harness.core.errors import ErrorClass
from harness.measurement import (
    CategoryFigures,
    Proportion,
    across_models,
    category_figures,
    normalisation_differences,
)
from harness.results import (
    CostFigures,
    ModelFigures,
    RunRows,
    Store,
    model_figures,
    read_rows,
    shipped_judgeability,
    tally,
)


@dataclass(frozen=True, slots=True)
class Quality:
    """What the scorer measured for one model: pooled error rates over its scored clips, mean similarity."""

    clips: int
    pooled_wer: float | None  # word errors / reference words over its word-unit clips
    similarity: float | None  # mean speaker similarity of the clips cloned from a reference
    pooled_cer: float | None = None  # character errors / reference characters over its zh/ja clips


@dataclass(frozen=True, slots=True)
class Listened:
    """What a listener met over a model's streams (harness.results.StreamFigures)."""

    ttfa_width_p50: float | None  # median width of the first-token-to-audio interval
    last_audio_p50: float | None
    jitter_p95: float | None  # median over streams of each stream's p95 wait between chunks
    underruns: int
    underrun_streams: int
    streams: int
    rtf_p50: float | None
    text_rates: tuple[float | None, ...]


def _listened(figures: ModelFigures) -> Listened | None:
    stream = figures.stream
    if not stream.streams:
        return None
    return Listened(stream.ttfa_width_p50, stream.last_audio.p50, stream.jitter.p50, stream.underruns,
                    stream.underrun_streams, stream.streams, stream.real_time_factor.p50, stream.text_rates)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Summary:
    run_id: str
    status: str
    lines: tuple[ModelLine, ...]
    outcomes: dict[str, int]  # ok, skipped, or an error class -> jobs that ended so
    events: dict[str, int]  # error class -> every error recorded (retried ones included)
    spent_usd: float
    planned_usd: float | None
    budget_usd: float | None
    downloads_retried: int = 0  # jobs whose audio came only after a retried download
    results_lost: int = 0  # finished jobs whose audio never came
    pending: int = 0  # accepted (charged) jobs whose result is still to fetch: `bench run --resume` fetches them
    target: str = "sandbox"  # sandbox | live | url: where the money was spent (the sandbox's is play money)
    hard_text: tuple[CategoryFigures, ...] = ()  # per model and category, where the run read a hard-text corpus


def _quality(figures: ModelFigures, scored_run: bool) -> Quality | None:
    if not scored_run:
        return None
    rates = figures.rates
    return Quality(figures.scored, rates.wer.pooled if rates.wer else None, figures.similarity_mean,
                   rates.cer.pooled if rates.cer else None)


def _line(figures: ModelFigures, scored_run: bool) -> ModelLine:
    return ModelLine(
        figures.provider, figures.model, figures.jobs, figures.ok, figures.failed, figures.skipped,
        figures.latency.p50, figures.latency.p95, figures.ttfa.p50, figures.polls_per_job,
        figures.cost.total_usd, figures.cost.unpriced, figures.cost.amounts, figures.latency_width_p50,
        figures.perceived_ttfa.p50, _quality(figures, scored_run), _listened(figures), figures.cost,
    )


def summary_of(rows: RunRows, spent_usd: float) -> Summary:
    """The summary of a run's rows (and what it has spent, which only the database knows)."""
    scored_run = rows.run["asr_model"] is not None
    counts = tally(rows)
    lines = tuple(_line(f, scored_run) for f in model_figures(rows))
    return Summary(rows.run_id, str(rows.run["status"]), lines,
                   counts.outcomes, counts.events, spent_usd, _number(rows.run["planned_cost_usd"]),
                   _number(rows.run["budget_usd"]), counts.downloads_retried, counts.results_lost, counts.pending,
                   str(rows.run["target"] or "sandbox"),
                   tuple(category_figures(rows.spans, shipped_judgeability())) if rows.spans else ())


def _number(value: object) -> float | None:
    return None if value is None else float(str(value))


def summarize(store: Store, run_id: str) -> Summary:
    """The summary of a stored run (raises KeyError for an unknown run id)."""
    if store.run(run_id) is None:
        raise KeyError(run_id)
    return summary_of(read_rows(store.conn, run_id, source=store.path), store.spent_usd(run_id))


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _width(value: float | None) -> str:
    """The interval's width beside a latency: ±half of it is the most the estimate can be off."""
    return "—" if value is None else f"±{value / 2:,.0f}"


_UNITS = {"characters": "chars"}


def _cost(line: ModelLine) -> str:
    """The model's cost and which it is (billed, planned), or why there is none: no public price is not no data."""
    cost = line.cost
    if line.unpriced and line.cost_units:
        return ", ".join(f"{amount:,.0f} {_UNITS.get(unit, unit)}" for unit, amount in line.cost_units.items())
    if cost is not None and cost.gap:
        return cost.gap
    if line.unpriced:
        return f"{line.unpriced} jobs unpriced"
    if line.cost_usd is None:
        return "—"
    source = f" {cost.source}" if cost is not None and cost.source != "none" else ""
    return f"${line.cost_usd:.4f}{source}" + (" (stale price)" if cost is not None and cost.provenance.stale else "")


def cost_notes(lines: tuple[ModelLine, ...]) -> list[str]:
    """Planned against billed over the run, and the stale prices, in words."""
    costs = [line.cost for line in lines if line.cost is not None]
    planned = [c.planned_usd for c in costs if c.planned_usd is not None]
    gaps: dict[str, int] = {}
    for cost in costs:
        if cost.planned_usd is None and cost.sent:
            gaps[cost.gap or "not planned"] = gaps.get(cost.gap or "not planned", 0) + 1
    notes = []
    billed = [c for c in costs if c.billed_jobs]
    apart = "; ".join(f"{reason}: {count} model{'s' if count != 1 else ''}" for reason, count in sorted(gaps.items()))
    said = f"planned ${sum(planned):.4f} from the prices" + (f" ({apart})" if apart else "")
    if billed:
        jobs = sum(c.billed_jobs for c in billed)
        total = sum(c.billed_usd or 0.0 for c in billed)
        their_plan = [c.planned_of_billed_usd for c in billed]
        plan = ("" if any(v is None for v in their_plan)
                else f"; their plan ${sum(v or 0.0 for v in their_plan):.4f}")
        said += f"; billed ${total:.4f} by the answers of {jobs} jobs{plan}: the cost above is the billed one there"
    else:
        said += "; no answer said what it billed: the cost above is the plan"
    notes.append(f"Cost: {said}.")
    stale = [f"{line.provider}/{line.model} (read {line.cost.provenance.read or 'undated'})" for line in lines
             if line.cost is not None and line.cost.provenance.stale]
    if stale:
        notes.append(f"Stale prices (read longer ago than --price-max-age; check their sources): {', '.join(stale)}.")
    return notes


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _quality_cells(quality: Quality | None, with_cer: bool) -> tuple[str, ...]:
    if quality is None:
        return ("—", "—", "—") if with_cer else ("—", "—")
    similarity = "—" if quality.similarity is None else f"{quality.similarity:.3f}"
    rates = (_rate(quality.pooled_wer), _rate(quality.pooled_cer)) if with_cer else (_rate(quality.pooled_wer),)
    return (*rates, similarity)


LISTENED = ("TTFA ±", "last p50", "jitter p95", "underruns", "RTF")


def _listened_cells(stream: Listened | None) -> tuple[str, ...]:
    """A listener's figures: TTFA's interval half-width, time to last audio, jitter, stalls, real-time factor."""
    if stream is None:
        return ("—",) * len(LISTENED)
    rtf = "—" if stream.rtf_p50 is None else f"{stream.rtf_p50:.2f}"
    return (_width(stream.ttfa_width_p50), _ms(stream.last_audio_p50), _ms(stream.jitter_p95),
            f"{stream.underruns} in {stream.underrun_streams}/{stream.streams}", rtf)


def _feeding(summary: Summary) -> str:
    """How the sockets were fed, for the title: whole texts, or tokens at a rate."""
    rates = {rate for line in summary.lines if line.stream for rate in line.stream.text_rates}
    if not rates:
        return ""
    shown = ", ".join("whole text" if rate is None else f"{rate:g} tokens/s" for rate in sorted(
        rates, key=lambda r: -1.0 if r is None else r))
    return f"; realtime sockets fed {shown}, stream times from the first token"


def render(summary: Summary, console: Console, db_path: str) -> None:
    scored = any(line.quality is not None for line in summary.lines)
    with_cer = any(line.quality is not None and line.quality.pooled_cer is not None for line in summary.lines)
    title = f"Run {summary.run_id} ({summary.status}); end-to-end latency in ms"
    if scored:
        title += ("; WER pooled over each model's word-unit clips" + ("; CER over its zh/ja clips" if with_cer else "")
                  + "; similarity to the reference voice (cloning models)")
    title += _feeding(summary)
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    streams = any(line.ttfa_p50 is not None for line in summary.lines)
    listened = any(line.stream is not None for line in summary.lines)
    skips = any(line.skipped for line in summary.lines)
    names = ["model", "ok/jobs", *(["skipped"] if skips else []), "p50", "p95", "±",
             *(["TTFA p50", "heard p50"] if streams else []), *(LISTENED if listened else []), "polls", "cost",
             *(["WER", *(["CER"] if with_cer else []), "similarity"] if scored else [])]
    for name in names:
        table.add_column(name, justify="left" if name == "model" else "right", no_wrap=True)
    for line in summary.lines:
        table.add_row(f"{line.provider}/{line.model}", f"{line.ok}/{line.jobs}",
                      *([str(line.skipped)] if skips else []), _ms(line.e2e_p50), _ms(line.e2e_p95),
                      _width(line.e2e_width_p50),
                      *([_ms(line.ttfa_p50), _ms(line.perceived_ttfa_p50)] if streams else []),
                      *(_listened_cells(line.stream) if listened else ()),
                      "—" if line.polls_per_job is None else f"{line.polls_per_job:.1f}", _cost(line),
                      *(_quality_cells(line.quality, with_cer) if scored else ()))
    console.print(table)
    classes = Table(title="Jobs by outcome; errors by class (retried ones included)", title_justify="left",
                    box=box.SIMPLE_HEAD)
    classes.add_column("class")
    classes.add_column("jobs ended so", justify="right")
    classes.add_column("errors seen", justify="right")
    names = ["ok", "unfetched", "skipped", *[c.value for c in ErrorClass]]
    for name in names:
        ended, seen = summary.outcomes.get(name, 0), summary.events.get(name, 0)
        if ended or seen:
            classes.add_row(name, str(ended), str(seen))
    console.print(classes)
    budget = f" of a ${summary.budget_usd:.4f} budget" if summary.budget_usd is not None else ""
    planned = f" (planned ${summary.planned_usd:.4f})" if summary.planned_usd is not None else ""
    play = " (sandbox: play money, what these requests would cost live)" if summary.target == "sandbox" else ""
    console.print(f"Spent ${summary.spent_usd:.4f}{play}{budget}{planned}.")
    for note in cost_notes(summary.lines):
        console.print(note, markup=False)
    if summary.downloads_retried or summary.results_lost:
        console.print(f"Downloads: {summary.downloads_retried} jobs needed retries to get their audio; "
                      f"{summary.results_lost} finished jobs lost their audio for good.")
    if summary.pending:
        console.print(f"Pending: {summary.pending} paid results not fetched yet (status or media host down until "
                      f"their deadline); [bold]tts-harness bench run --resume {summary.run_id}[/bold] fetches them.")
    if summary.hard_text:
        render_hard_text(summary.hard_text, console, sandbox=summary.target == "sandbox")
    console.print(f"Run id [bold]{summary.run_id}[/bold]; rows in [bold]{db_path}[/bold] "
                  f"(tables runs, jobs, marks, polls, chunks, costs, errors, drift, clips).")


def render_hard_text(figures: tuple[CategoryFigures, ...], console: Console, examples: int = 2, *,
                     sandbox: bool = False) -> None:
    """One table across models (category × model: accuracy on the judged items, its Wilson 95% interval, judged of
    items), the categories not scored with their reason, and per model its failing readings (docs/hard-text.md)."""
    table_of = across_models(figures)
    console.print("[bold]Hard text[/bold]: each span judged by forced choice (which reading the clip is likeliest "
                  "under); accuracy on items whose control passed, Wilson 95%, judged of items.")
    if sandbox:
        console.print("Sandbox: every offering speaks with the same voice (the sandbox's Piper), so these figures "
                      "tell the imitation's readings apart, not the providers'.")
    scored = [category for category in table_of.categories if table_of.unscored(category) is None]
    width = max(1, (console.width - 18) // 13)  # model columns a table fits: the widest cell is 12 wide
    for start in range(0, len(table_of.systems), width):
        systems = table_of.systems[start : start + width]
        table = Table(box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("category")
        for provider, model in systems:
            table.add_column(f"{provider}/{model}", justify="right", overflow="fold")
        for category in scored:
            table.add_row(category, *(_across_cell(table_of.cell(category, system)) for system in systems))
        table.add_row("[bold]all scored[/bold]", *(_proportion_cell(table_of.pooled(system)) for system in systems))
        console.print(table)
    unscored = [f"{category} ({table_of.unscored(category)})" for category in table_of.categories
                if table_of.unscored(category) is not None]
    if unscored:
        console.print("Not scored: " + "; ".join(unscored) + ".", markup=False)
    for provider, model in table_of.systems:
        failing = [row for category in scored if (figure := table_of.cell(category, (provider, model)))
                   for row in figure.failures]
        if failing:
            shown = "; ".join(f"{row.item_id} {row.heard!r} ({row.error})" for row in failing[:examples])
            more = len(failing) - examples
            console.print(f"  {provider}/{model} failed {len(failing)}: {shown}"
                          + (f"; +{more} more" if more > 0 else ""), markup=False)
    render_normalisation(figures, console)


def _across_cell(figure: CategoryFigures | None) -> str:
    if figure is None:
        return ""
    if figure.unscored:
        return figure.unscored
    return _proportion_cell(figure.accuracy)


def _proportion_cell(accuracy: Proportion) -> str:
    """"83% 20/24" over "71–91%": the accuracy, passes of the judged items, and the interval, on two lines."""
    if not accuracy.trials:
        return "— 0 judged"
    return f"{accuracy.value:.0%} {accuracy.successes}/{accuracy.trials}\n{accuracy.low:.0%}–{accuracy.high:.0%}"


def render_normalisation(figures: tuple[CategoryFigures, ...], console: Console) -> None:
    """Where the run read models with their provider's own text normalisation off and on (`bench run
    --normalisation off,on`): per model and category, each setting's accuracy and the difference on − off."""
    differences = normalisation_differences(figures)
    if not differences:
        return
    table = Table(title="Hard text, the provider's own normalisation: accuracy off and on (judged items), on − off",
                  title_justify="left", box=box.SIMPLE_HEAD)
    for name in ("model", "category", "off", "on", "on − off"):
        table.add_column(name, justify="left" if name in ("model", "category") else "right")
    for row in differences:
        label = f"{row.provider}/{row.model}"
        if row.unscored:
            table.add_row(label, row.category, row.unscored, "", "")
            continue
        off, on = (("—" if not p.trials else f"{p.value:.0%} ({p.successes}/{p.trials})") for p in (row.off, row.on))
        difference = "—" if not (row.off.trials and row.on.trials) else f"{row.difference:+.0%}"
        table.add_row(label, row.category, off, on, difference)
    console.print(table)
