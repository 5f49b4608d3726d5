"""WER/CER: how many of the sent words (characters, for a character-unit language: zh, ja) the recogniser did not hear
as sent, pooled per offering, and a rise between runs (docs/checks.md#wercer).

The counts are the scorer's, aligned once (`scores.hits`, `substitutions`, `deletions`, `insertions`, `ref_length`,
`unit`: the normalised reference against the normalised transcript); this check reads them and never aligns again.
A clip counts where its answer came (`jobs.outcome` ok) and was scored without error (`scores.error`), with a
reference of some length. Per offering the errors and reference words are totals (`sum`) and the WER is their ratio
(`ratio`: a pooled WER, not a mean of clips' rates, so a short clip's one error weighs no more than its words), with
the interval of `harness.measurement.pooled_rate` (honest at two clips); the CER likewise over character-unit clips,
apart (a WER and a CER cannot be pooled).

A change between runs (`ChangeTest.POOLED_RISE`, rule `wer`, as `compare --fail-on wer` had it): the pooled WER of
NEW above BASE's by more than 0.02 absolute (`compare --threshold wer=...`), tested one-sided by a two-sample
percentile bootstrap over each run's clips (each run may speak other clips: unpaired); the CER apart by the same
rule. Each language's pooled rate is the language metric's (`harness.measurement.languages`), tested as this is.

Its views (`VIEWS`): `compare`'s test (`ratio_test`: each unit's clips of both runs; compare bootstraps them) and
`history`'s series "WER (pooled)" (`series`, key `wer`: the leaderboard entry's figure `wer_pooled`, judged by the
change-point method as any figure) and the summary's models table's WER and CER columns (`placed`: after the cost
per 1M characters) and the report's columns "WER pooled", "WER mean", "CER pooled" (`columns`: after "planned /
billed"). Registered (`CHECK`): those faces iterate the registry's checks with views (`with_views`), naming none; the
generic machinery leaves it to them (`generic`). The leaderboard's JSON gives its figures after "scored" (`entry`:
`wer_pooled` with its interval, `wer_mean`, `cer_pooled`, `cer_mean`), its shortlist's Pareto front and the cost–WER
chart weigh the pooled WER against cost (`front`), and the library's `ModelLine.quality` is its pooled rates
(`line_quality`): its `figures` are the one computation of them. The report's table of utterances shows each clip's
rate as `measure` reads it (`clip_cell`: a zh/ja clip's CER named as such; docs/checks.md#wercer says what is left).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.checks.views import (
    ClipCell,
    ColumnView,
    EntryFigure,
    EntryFigures,
    FigureSeries,
    LineQuality,
    ModelsColumn,
    OwnFigures,
    OwnViews,
    PlacedColumns,
    QualityAxis,
    RatioClips,
    RatioTest,
    Shown,
)
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField, Pooling
from harness.measurement import pooled_ratio_interval
from harness.results import ErrorCounts, ErrorUnit, RequestRow, RunRows, error_rates, group, scored

RISE = 0.02  # compare: a pooled WER (or CER) higher by more than this, absolute

RULE_NAME = "wer"  # the rule's one name: `compare --fail-on wer`, `--threshold wer=...`

DECLARATION = CheckDeclaration(
    name="word_error",
    title="WER/CER",
    version="1",
    doc="docs/checks.md#wercer",
    fields=(
        CheckField(
            name="errors",
            label="word errors",
            unit="words",
            better=Better.LOWER,
            pooling=Pooling.SUM,
            meaning="The words substituted, deleted and inserted in the recogniser's transcript of a word-unit clip, "
            "against the sent text (both normalised).",
        ),
        CheckField(
            name="ref_words",
            label="reference words",
            unit="words",
            better=Better.NEITHER,
            pooling=Pooling.SUM,
            meaning="The words of the sent text, normalised, of a word-unit clip.",
        ),
        CheckField(
            name="wer",
            label="WER",
            unit="rate",
            better=Better.LOWER,
            pooling=Pooling.RATIO,
            of=("errors", "ref_words"),
            decimals=3,
            key="wer_pooled",  # the leaderboard's JSON key and the report's column, as before it was declared
            meaning="Pooled WER: the word errors over the reference words of every word-unit clip scored, with the "
            "interval of harness.measurement.pooled_rate.",
        ),
        CheckField(
            name="char_errors",
            label="character errors",
            unit="characters",
            better=Better.LOWER,
            pooling=Pooling.SUM,
            meaning="The characters substituted, deleted and inserted in the transcript of a character-unit clip "
            "(zh, ja).",
        ),
        CheckField(
            name="ref_chars",
            label="reference characters",
            unit="characters",
            better=Better.NEITHER,
            pooling=Pooling.SUM,
            meaning="The characters of the sent text, normalised, of a character-unit clip.",
        ),
        CheckField(
            name="cer",
            label="CER",
            unit="rate",
            better=Better.LOWER,
            pooling=Pooling.RATIO,
            of=("char_errors", "ref_chars"),
            decimals=3,
            key="cer_pooled",
            meaning="Pooled CER: the character errors over the reference characters of every character-unit clip "
            "scored, apart from the WER.",
        ),
    ),
    reads=(
        "jobs.outcome",
        "scores.error",
        "scores.unit",
        "scores.hits",
        "scores.substitutions",
        "scores.deletions",
        "scores.insertions",
        "scores.ref_length",
    ),
    thresholds={"wer": RISE},
    change=ChangeRule(
        field="wer",
        test=ChangeTest.POOLED_RISE,
        relative=0.0,
        absolute=RISE,
        min_pairs=5,
        name=RULE_NAME,
        statistic="pooled WER",
    ),
)

# Each unit's fields: (errors, reference length, rate).
_FIELDS = {ErrorUnit.WORD: ("errors", "ref_words", "wer"), ErrorUnit.CHAR: ("char_errors", "ref_chars", "cer")}


def counts(request: RequestRow) -> ErrorCounts | None:
    """A clip's counts where it counts: an answer that came, scored without error, with a reference (else None)."""
    return ErrorCounts.of(request) if scored((request,)) else None


def measure(request: RequestRow) -> ClipCheck:
    """A clip's errors and reference length in its unit (words, or characters for zh and ja), and its rate; nothing
    where it does not count (`counts`)."""
    found = counts(request)
    if found is None:
        return ClipCheck({})
    errors, length, rate = _FIELDS[found.unit]
    return ClipCheck(
        {errors: float(found.errors), length: float(found.ref_length), rate: found.errors / found.ref_length}
    )


def unit_clips(requests: Iterable[RequestRow], unit: ErrorUnit) -> tuple[ErrorCounts, ...]:
    """The clips that count of one unit, each its counts (those `figures` pools)."""
    return error_rates(ErrorCounts.of(r) for r in scored(requests)).of(unit)[1]


def pooled_interval(clips: Sequence[ErrorCounts]) -> tuple[float, float, float, int]:
    """The pooled rate with its 95% interval and the clips it is of (`harness.measurement.pooled_rate`)."""
    return pooled_ratio_interval(
        np.asarray([float(c.errors) for c in clips], dtype=np.float64),
        np.asarray([float(c.ref_length) for c in clips], dtype=np.float64),
    )


def offering_figures(requests: Sequence[RequestRow]) -> tuple[OwnFigures, ...]:
    """Each offering's totals and pooled rates per unit (only a unit it has clips of); `wer_pooled`, the pooled WER
    with its interval (value, low, high, clips: the leaderboard entry's), and each unit's mean of its clips' rates
    (None where it has none), for every offering: the one computation of them every face reads."""
    found = []
    for (provider, model), rows in group(requests).items():
        rates = error_rates(ErrorCounts.of(r) for r in scored(rows))
        values: dict[str, object] = {}
        for unit, (errors, length, rate) in _FIELDS.items():
            pooled, clips = rates.of(unit)
            if pooled is not None:
                values |= {errors: float(sum(c.errors for c in clips)), length: float(pooled.ref_length)}
                values[rate] = pooled.pooled
        words = pooled_interval(rates.word_clips)
        values["wer_pooled"] = words if rates.wer is None else (rates.wer.pooled, *words[1:])
        values["wer_mean"] = rates.wer.per_utterance_mean if rates.wer else None  # the report's "WER mean"
        values["cer_mean"] = rates.cer.per_utterance_mean if rates.cer else None  # the leaderboard's JSON
        found.append(OwnFigures(provider, model, values))
    return tuple(found)


def unit_ratios(base: Sequence[RequestRow], new: Sequence[RequestRow]) -> Iterable[RatioClips]:
    """`compare`'s statistics of one offering: the pooled WER over word-unit clips, always; the pooled CER, apart,
    where either run has character-unit (zh/ja) clips."""
    for unit in ErrorUnit:
        b, n = unit_clips(base, unit), unit_clips(new, unit)
        if unit is ErrorUnit.CHAR and not (b or n):
            continue
        yield (
            f"pooled {unit.rate_name}",
            [(float(c.errors), float(c.ref_length)) for c in b],
            [(float(c.errors), float(c.ref_length)) for c in n],
        )


def _rate(value: float | None) -> Shown:
    return Shown("—" if value is None else f"{value:.1%}", value)


def clip_rate(values: Mapping[str, float | None]) -> tuple[str, float | None]:
    """A clip's rate as the report's table of utterances shows it, from `measure`'s values: its WER bare (the
    column's heading), its CER named (a zh/ja clip's rate is of characters), nothing where the clip does not count."""
    if (wer := values.get("wer")) is not None:
        return "", wer
    if (cer := values.get("cer")) is not None:
        return f"{ErrorUnit.CHAR.rate_name} ", cer
    return "", None


WER_COLUMN = ModelsColumn(heading="WER", key="wer_pooled", cell=lambda figures: _rate(figures.values.get("wer")))
CER_COLUMN = ModelsColumn(heading="CER", key="cer_pooled", cell=lambda figures: _rate(figures.values.get("cer")))


def summary_columns(rows: RunRows, figures: Sequence[OwnFigures]) -> tuple[tuple[ModelsColumn, str], ...]:
    """The summary's models table's WER column where the run was scored (its ASR model named: every offering's cell,
    "—" where it has no word-unit clip), and the CER column where some offering has character-unit clips, each with
    the words it adds to the table's title."""
    if rows.run.asr_model is None:
        return ()
    found = [(WER_COLUMN, "; WER pooled over each model's word-unit clips")]
    if any("cer" in one.values for one in figures):
        found.append((CER_COLUMN, "; CER over its zh/ja clips"))
    return tuple(found)


VIEWS = OwnViews(
    figures=offering_figures,
    # history's gate on WER is the change-point method over its series (`series`), as before it was declared: no
    # rule of its own on the newest run, so no JUnit case of one
    worse=lambda run_id, after, before: None,
    rule=DECLARATION.change_said(),
    # the leaderboard entry's figures history's series and the report's columns read
    report_keys=("wer_pooled", "wer_mean", "cer"),
    # the report's columns, after "planned / billed" as before the check was declared, in turn
    columns=(
        ColumnView(
            key="wer_pooled",
            heading="WER pooled",
            meaning="Word error rate in %, the scored clips in word languages pooled (errors / reference words), "
            "with a 95% interval over clips that holds at two clips (Korn–Graubard); lower is better.",
            figure="wer_pooled",
            after="planned_billed",
            kind="rate",
            interval=True,
        ),
        ColumnView(
            key="wer_mean",
            heading="WER mean",
            meaning="Mean of the per-clip word error rates, in %.",
            figure="wer_mean",
            after="wer_pooled",
            kind="rate",
            default=False,
        ),
        ColumnView(
            key="cer_pooled",
            heading="CER pooled",
            meaning="Character error rate in %, errors / reference characters over the zh and ja clips, pooled "
            "apart from WER (a WER and a CER are never mixed).",
            figure="cer",
            after="wer_mean",
            kind="rate",
            default=False,
        ),
    ),
    ratio_test=RatioTest(
        metric=RULE_NAME,
        threshold="wer",  # the declared threshold's name: `compare --threshold wer=...`
        said=lambda size: f"+{size:.3f} absolute",
        measured="scored clips",
        method="two-sample percentile bootstrap over utterances of pooled WER(NEW) - WER(BASE) (word-unit clips; "
        "CER over character-unit clips, apart)",
        ratios=unit_ratios,
        after="latency",  # compare listed WER after latency before the check was declared
    ),
    series=FigureSeries(key="wer", label="WER (pooled)", unit="rate", figure="wer_pooled", after="ttfa_p50"),
    # the leaderboard's JSON keys, after "scored" as before the check was declared
    entry=(
        EntryFigures(
            after="scored",
            figures=(
                EntryFigure(key="wer_pooled", figure="wer_pooled", interval=True),
                EntryFigure(key="wer_mean", figure="wer_mean"),
                EntryFigure(key="cer_pooled", figure="cer"),
                EntryFigure(key="cer_mean", figure="cer_mean"),
            ),
        ),
    ),
    # the shortlist's front and the cost chart weigh the pooled WER against cost, as before the check was declared: a
    # cheaper voice is worth what a listener still makes out of it
    front=QualityAxis(
        figure="wer_pooled",
        column="wer_pooled",
        label="WER",
        name="pooled WER",
        good="intelligible",
        placed="clips scored in words",
        unplaced="no clip scored in words",
        measured="scored clips",
    ),
    line_quality=LineQuality(words="wer", characters="cer"),
    # the summary's WER and CER columns, after the cost per 1M characters as before the check was declared
    placed=PlacedColumns(after="usd_per_million_chars", columns=summary_columns),
    # the report's table of utterances: each clip's rate as this check reads it, under "WER" as before it was declared
    clip_cell=ClipCell(heading="WER", figure=clip_rate),
)

CHECK = DeclaredCheck(DECLARATION, measure, views=VIEWS)
