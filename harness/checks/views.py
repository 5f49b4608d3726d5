"""A check's own views: where a check's faces say more than its declared fields' pooling can (a table of medians
and worsts with the verdicts, a report column with its note, `compare`'s one-sided test against an absolute size,
`history`'s gate on a verdict newly broken), the check's module gives each face's view as data
(`OwnViews`), and each face renders every registered check's views without naming one. The generic machinery
(`pooled`, `change`) leaves such a check to its views, so no face shows it twice."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from harness.results import RequestRow, RunRows


@dataclass(frozen=True, slots=True)
class Shown:
    """A figure as a face shows it: its text, and its value in JSON (None: no figure)."""

    text: str
    value: Any = None


@dataclass(frozen=True, slots=True)
class OwnFigures:
    """An offering's figures of a check, each by its key (the leaderboard's JSON key where it gives one)."""

    provider: str
    model: str
    values: Mapping[str, Any]
    # the part of the offering the figures are of where a check judges each apart (a language asked: "es"); "": the
    # whole offering. Faces match one run's figures with another's by provider, model and part.
    part: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionView:
    """A check's section of the summary, in every format: its sentences (with every offering's figures in JSON,
    `values`), then a table keyed `table`, each heading (its text, aligned left) and each offering's row; `key` "":
    its table alone."""

    key: str
    lines: tuple[str, ...]
    values: Mapping[str, Any]
    table: str = ""  # "": its sentences alone
    title: str = ""
    headings: tuple[tuple[str, bool], ...] = ()
    rows: tuple[tuple[str | Shown, ...], ...] = ()
    keys: tuple[str, ...] = ()  # each heading's key in JSON where not its text's ("": the text's)


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelsColumn:
    """A check's column of the summary's models table (placed by its `PlacedColumns`): its heading, its key in JSON,
    and each offering's cell from its figures (an offering without: "—", never 0)."""

    heading: str
    key: str
    cell: Callable[[OwnFigures], Shown]


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacedColumns:
    """Columns a check gives the summary's models table where its figures stood before it was declared: after the
    built-in column keyed `after` ("": at the table's end, before the fields checks declare at its end), those the
    run shows (`columns`, from the run's rows and the check's figures: each a `ModelsColumn` with the words it adds
    to the table's title; none where the run shows none). The table's one way to place a check's column."""

    after: str
    columns: Callable[[RunRows, Sequence[OwnFigures]], tuple[tuple[ModelsColumn, str], ...]]


@dataclass(frozen=True, slots=True, kw_only=True)
class PartsColumn:
    """A check's column of the summary's and the report's table of each offering's parts (its languages), where the
    check gives figures by part: its heading, its key in JSON, and each part's cell from its figures (a part without:
    "—"); `meaning` is said in the table's title."""

    heading: str
    key: str
    meaning: str
    cell: Callable[[OwnFigures], Shown]


@dataclass(frozen=True, slots=True, kw_only=True)
class PartSeries:
    """`history`'s series of a check's figure per part of an offering: its key (`prefix` and the part), its label,
    unit, and each part's point (None: no point) with the clips it is of."""

    prefix: str
    label: Callable[[str], str]  # from the part
    unit: str
    value: Callable[[OwnFigures], float | None]
    sample_size: Callable[[OwnFigures], int]


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnView:
    """A column of the report's models table showing one of a check's figures of the leaderboard's entry (a key of
    its `figures` the entry keeps: `figure_keys`, `report_keys`), right after the report column `after` (placed in
    turn, so one may stand after another of its check's or of a check registered later; one naming no column: at the
    end), often where it stood before its check was declared: its key, heading and sentence, shown by default or under
    "every column", and only where some model streamed (`streaming`). Its cell, sorted by the figure and keyed by its
    name in the leaderboard's JSON where the check's `entry` names one (else the figure's own), is one of:

    - a quantile of a figure of intervals by name (`quantile`: a time's p50, p95, ...) with its interval under it;
    - an interval figure (`interval`: value, low, high, clips) with its interval under it;
    - the figure itself (`prefix` before it, times `scale`: half a width is "±", 0.5), its `note` and data attributes
      (`attrs`) from the offering's figures by key, or `absent` where it has none; `absent` alone where the offering
      has none of the check's figures at all, as `present` says from them (its streams, its marks)."""

    key: str
    heading: str
    meaning: str
    figure: str
    after: str
    kind: str = "ms"  # the figure's kind as the report prints it ("rate": in %, "num": a ratio, "int": a count)
    quantile: str = ""
    interval: bool = False
    prefix: str = ""
    scale: float = 1.0
    note: Callable[[Mapping[str, Any]], str] | None = None
    attrs: Callable[[Mapping[str, Any]], tuple[tuple[str, str], ...]] | None = None  # the cell's data attributes
    present: Callable[[Mapping[str, Any]], bool] | None = None  # None: every offering has them
    absent: str = "–"
    default: bool = True
    streaming: bool = False
    # `history`'s series of the figure, where drawn (0 is a figure, so linear; `kind` its unit)
    series: str = ""
    series_label: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ShareColumn:
    """A check's share of successes, with its Wilson 95% interval, as the leaderboard's figure and the report's
    column: the declaration's ratio field `field` (its `of`: successes over trials, each a key of the check's
    figures; its key the JSON key and the column's, its label the heading, its `better` the sort), given for every
    offering (one without the check's figures: an empty interval, in JSON too, and the cell "–"), the column standing
    after the report's column `after`."""

    field: str
    meaning: str  # the column's sentence in the report's legend
    after: str
    default: bool = True  # shown before the reader ticks "every column"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportSection:
    """A check's section of the HTML report, after the languages table: its HTML (`template`, Jinja source the
    report renders with its own helpers, `fmt` and `fmt_interval`) over the values the check reads of the run's rows
    (`values`: the rows, each clip's audio as the report holds it, by the clip's id — None where it holds none —, and
    whether every offering speaks with the sandbox's one voice; None: no section). The check owns what its section
    says; the report places every check's alike."""

    template: str
    values: Callable[[RunRows, Callable[[str], str | None], bool], Mapping[str, Any] | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClipCell:
    """A check's cell of each job in the report's table of utterances: its heading and the clip's figure, read from
    the check's own reading of the clip (`measure`'s values: one owner of a clip's figure), as the words before it
    (its unit where the clip's figure is not the heading's: "CER") and its value (None: the check does not count the
    clip, "–"), printed as the report prints a figure of `kind`."""

    heading: str
    figure: Callable[[Mapping[str, float | None]], tuple[str, float | None]]
    kind: str = "rate"


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftView:
    """`compare`'s test of a check's per-clip figure: NEW's later than BASE's by a one-sided Mann–Whitney U (Holm
    over the comparison decides), a regression past an absolute size, the threshold named `threshold` in `compare
    --threshold` (its default the declaration's threshold of that name)."""

    metric: str  # its metric in `compare --fail-on`
    statistic: str
    threshold: str
    unit: str
    value: Callable[[RequestRow], float | None]  # a clip's figure (None: not measured)
    measured: str  # what a measured clip is, plural ("answers measured")
    method: str  # the test in words (compare's METHODS)


@dataclass(frozen=True, slots=True, kw_only=True)
class Judged:
    """`compare`'s verdict of a check's own rule on one offering, NEW against BASE: the size it counts (new kinds:
    how many), whether it is a regression, and the lines that say why (each side's figures)."""

    change: float | None
    worse: bool
    details: tuple[str, ...]
    judged: bool = True  # False: the rule cannot judge it (insufficient data, said in `details`)
    statistic: str = ""  # the judged figure where it is not the view's (a part's: "... (es)")
    unit: str = ""  # of the change: "rate" (how a page prints it)


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleView:
    """`compare`'s judgement of a check by its own rule, run against run (deterministic findings: no test, no Holm):
    NEW's figures against BASE's (None: BASE had none of the offering), where NEW has any."""

    metric: str  # its metric in `compare --fail-on`
    statistic: str
    threshold: str  # the rule's size in words ("any new kind")
    method: str  # the rule in words (compare's METHODS)
    # None: no judgement of this offering or part (the rule asks for BASE's figures and there are none)
    judge: Callable[[OwnFigures | None, OwnFigures], Judged | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class PageTable:
    """`history`'s page: a table of the offerings the check's gate rule flags, under its heading (its id, each row's
    `data-<attribute>` naming the offering), or the words for none; each row's cells from a flagged offering, its
    first the offering's name."""

    heading: str
    table_id: str
    attribute: str
    none: str
    headings: tuple[str, ...]
    cells: Callable[[Any], tuple[str, ...]]
    code: tuple[int, ...] = ()  # the cells shown as code (a run's id)
    # where the views say which offerings still break the rule as the run before did (`kept`): the words before a
    # table of those alone, and under a table of both
    kept: str = ""
    both: str = ""
    row_key: Callable[[Any], str] | None = None  # each row's `data-<attribute>` where not its first cell


@dataclass(frozen=True, slots=True, kw_only=True)
class Tested:
    """One statistic of a check's own test of both runs' rows on one offering (`RunTest`): too few to test (`short`
    says why), or each side's figure, the one-sided p-value (small: NEW worse) and whether the change passed the
    check's size; the lines that say why."""

    statistic: str
    short: str = ""  # "": tested
    base: float = math.nan
    new: float = math.nan
    change: float = math.nan  # NEW's - BASE's, as the check computes it (one division: the difference of the two
    # figures can differ from it in the last bit)
    p_value: float = math.nan
    beyond: bool = False
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RunTest:
    """`compare`'s test of a check whose evidence is the run's rows, not a job's: several statistics per offering
    (one per category), each tested one-sided with its p-value adjusted with every other of the comparison (Holm), a
    regression where the change passed the size too: the threshold named `threshold` in `compare --threshold` (its
    default the declaration's threshold of that name)."""

    metric: str  # its metric in `compare --fail-on`
    threshold: str
    said: Callable[[float], str]  # the size in words ("-0.05 absolute")
    test: str  # the test's name ("one-sided exact McNemar")
    unit: str  # of each statistic ("rate")
    method: str  # the test in words (compare's METHODS)
    # BASE's rows, NEW's, the offering, the size, the fewest pairs a statistic needs: its statistics
    judge: Callable[[RunRows, RunRows, tuple[str, str], float, int], Iterable[Tested]]


# One statistic of a ratio test (`RatioTest`) of one offering: its name, and each side's clips as (numerator,
# denominator) pairs (a clip's errors and reference words).
RatioClips = tuple[str, Sequence[tuple[float, float]], Sequence[tuple[float, float]]]


@dataclass(frozen=True, slots=True, kw_only=True)
class RatioTest:
    """`compare`'s test of a check's pooled ratio (the total of one per-clip figure over the total of another: errors
    over reference words), several statistics per offering (one per unit): NEW − BASE by a two-sample percentile
    bootstrap over each run's clips (Holm over the comparison decides), a regression past an absolute size, the
    threshold named `threshold` in `compare --threshold` (its default the declaration's threshold of that name)."""

    metric: str  # its metric in `compare --fail-on`
    threshold: str
    said: Callable[[float], str]  # the size in words ("+0.020 absolute")
    measured: str  # what a clip counted is, plural ("scored clips")
    method: str  # the test in words (compare's METHODS)
    # BASE's requests of one offering, NEW's: each statistic with both sides' clips
    ratios: Callable[[Sequence[RequestRow], Sequence[RequestRow]], Iterable[RatioClips]]
    # the built-in metric (or threshold, or method) of `compare` it follows in every list the user reads (its checks,
    # `--fail-on`'s metrics, JSON's "thresholds" and "method"): where it stood before its check was declared
    after: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FigureSeries:
    """`history`'s series of one of a check's figures per offering (the leaderboard entry's, `report_keys`): its key,
    label and unit, the figure (value, low, high, clips; None or no clips: no point), and the built-in series it
    follows in a model's series (where it stood before its check was declared; "": after them all)."""

    key: str
    label: str
    unit: str
    figure: str
    after: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SeriesPoint:
    """A figure of a run as a point of one of a check's series (`RunSeries`): its offering, its key (after the
    view's prefix), its value with its interval and how many it is of."""

    provider: str
    model: str
    key: str
    value: float
    low: float
    high: float
    sample_size: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSeries:
    """`history`'s series of a check drawn from each run's rows, several per offering (one per category), each keyed
    `prefix` + its own key and judged by the change-point method like any figure; and the run's findings of the
    check's `kind`, listed by the run that first showed them, a flagged series' examples those of them its newest
    run first showed."""

    prefix: str  # "hard-text:"
    label: Callable[[str], str]  # a series' label from its own key
    unit: str
    points: Callable[[RunRows], Iterable[SeriesPoint]]
    kind: str
    findings: Callable[[RunRows], Iterable[tuple[str, str, str]]]  # (provider, model, the finding in words)
    example: Callable[[str, str], bool]  # whether a finding (its words) is of the series (its own key)


class Worse(Protocol):
    """An offering the check's gate rule flags in `history`'s newest run."""

    @property
    def provider(self) -> str: ...

    @property
    def model(self) -> str: ...

    def describe(self) -> str: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class OwnViews:
    """Every face's view of a check (see the module's docstring)."""

    figures: Callable[[Sequence[RequestRow]], tuple[OwnFigures, ...]]  # per offering with any, in the rows' order
    # the gate's rule: an offering's figures in the newest run (its id) against the latest earlier run's that had it
    worse: Callable[[str, OwnFigures, tuple[str, OwnFigures] | None], Worse | None]
    rule: str  # the gate's rule in words (history's JUnit failure)
    # Each face's view; None: the face does not show the check this way.
    section: Callable[[Sequence[OwnFigures]], SectionView | None] | None = None  # the summary's (None: nothing)
    figure_keys: tuple[str, ...] = ()  # the figures the leaderboard's JSON gives each offering (None where it has none)
    report_keys: tuple[str, ...] = ()  # more figures the report's own faces read of each offering (its JSON not)
    columns: tuple[ColumnView, ...] = ()  # the report's columns of its figures
    shift: ShiftView | None = None  # compare's test of a per-clip figure
    compared: RuleView | None = None  # compare's judgement by the check's own rule, run against run
    page: PageTable | None = None  # history's page table of the offerings its gate rule flags
    # Where a check judges each part of an offering apart (its figures' `part`):
    parts: PartsColumn | None = None  # the summary's and the report's column of the table of parts
    part_series: PartSeries | None = None  # history's series per part
    # history's JUnit case of one flagged offering where it is more than the rule's (a part's: "<case> es")
    case: Callable[[Any], str] | None = None
    # the gate's offerings that still break the rule as the run before did: not a failure, but said (terminal, page),
    # so no face says every offering kept it; under `kept_heading` in the terminal
    kept: Callable[[str, OwnFigures, tuple[str, OwnFigures] | None], Worse | None] | None = None
    kept_heading: str = ""
    # `bench run --fail-on <compared.metric>`: the run's failures by the check's own rule, one line each
    failures: Callable[[Sequence[OwnFigures]], tuple[str, ...]] | None = None
    # Where a check's evidence is the run's rows (`RunRows`), not a job's row: its figures per offering from them
    # (None: `figures` of the run's requests), compare's test of both runs' rows and history's series of them.
    from_run: Callable[[RunRows], tuple[OwnFigures, ...]] | None = None
    run_test: RunTest | None = None
    run_series: RunSeries | None = None
    # the summary's sections of the run's rows, after what was spent (the flag: every offering is the sandbox's one
    # voice), where a check says more there than a section of its figures (`section`)
    run_sections: Callable[[RunRows, bool], tuple[SectionView, ...]] | None = None
    share: ShareColumn | None = None  # the leaderboard's share with its interval, and the report's column of it
    report_section: ReportSection | None = None  # the report's section of the check (with each clip's audio)
    ratio_test: RatioTest | None = None  # compare's bootstrap of a pooled ratio (each run's clips, unpaired)
    series: FigureSeries | None = None  # history's series of a figure of the leaderboard's entry
    placed: PlacedColumns | None = None  # the summary's models table's columns after a built-in one
    entry: tuple[EntryFigures, ...] = ()  # its figures among the leaderboard's JSON keys, each group after a built-in
    front: QualityAxis | None = None  # the figure the shortlist's Pareto front and the cost chart weigh against cost
    line_quality: LineQuality | None = None  # its figures the library's `ModelLine.quality` gives
    quantile_rise: QuantileRise | None = None  # compare's tests of a long-tailed figure (a latency's p50 and p95)
    quantile_series: tuple[QuantileSeries, ...] = ()  # history's series of a long-tailed figure's quantiles
    run_note: RunNoteView | None = None  # what the check says of the whole run on every face, the jobs it disowns
    clip_cell: ClipCell | None = None  # the report's cell of each clip in its table of utterances

    def run_figures(self, rows: RunRows) -> tuple[OwnFigures, ...]:
        """The check's figures of a run, per offering with any: what every face reads."""
        return self.from_run(rows) if self.from_run is not None else self.figures(rows.requests)


# A check's figures among the leaderboard's own and the figure its shortlist weighs against cost: where a check's
# figures stood in the leaderboard's entry before the check was declared (the pooled WER and CER), the faces place
# and weigh them by these views, and compute none of them.


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryFigure:
    """One of a check's figures as the leaderboard's JSON gives each offering: its key there, the check's figure (a
    key of its `figures`), and whether it is an interval (the figure is value, low, high, clips: JSON's value, low,
    high and n; an offering without it: an empty interval) or as it is (None where the offering has none; a figure of
    intervals by name, a time's quantiles, as those intervals)."""

    key: str
    figure: str
    interval: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryFigures:
    """Where a check's figures stand among the leaderboard's JSON keys: right after the built-in key `after`, in
    their order (where they stood before the check was declared: a reader's JSON keeps its keys' places)."""

    after: str
    figures: tuple[EntryFigure, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class QualityAxis:
    """The check's figure the report's shortlist weighs against cost: the Pareto front (no other offering both
    cheaper and at least as good by it, or as cheap and better), cheapest first, and the cost chart's vertical axis.
    The figure is an interval (value, low, high, clips) of a rate from 0 to 1, lower better, shown in %; an offering
    whose figure is of no clip is not placed. The words say it in the front's rule, the chart and its notes."""

    figure: str
    column: str  # the report's column the shortlist shows it by
    label: str  # its short name: "WER"
    name: str  # its name in the rule and on the axis: "pooled WER"
    good: str  # what lower is, in the rule: "intelligible"
    placed: str  # what an offering with a price needs to be placed: "clips scored in words"
    unplaced: str  # why an offering with a price is not placed: "no clip scored in words"
    measured: str  # what an offering has where it has the figure, in the chart's note of none placed: "scored clips"


@dataclass(frozen=True, slots=True, kw_only=True)
class LineQuality:
    """Which of a check's figures are the library's `ModelLine.quality` of each offering
    (`harness.runner.summary.figures.Quality`): its pooled rate over word-unit clips and over character-unit clips
    (None where the offering has none)."""

    words: str
    characters: str


# A long-tailed per-clip figure's views (a latency's): compare's tests of its quantiles.


@dataclass(frozen=True, slots=True, kw_only=True)
class QuantileStatistic:
    """One statistic of a `QuantileRise`: its name in `compare`, its threshold's name in `--threshold` (NEW's figure
    later than BASE's by more than that share of BASE's) and its test: `shift`, a one-sided Mann–Whitney U over both
    samples (the p50s reported), else a two-sample percentile bootstrap of the `quantile`'s difference, given
    `min_samples_tail` values a side (a p95 of fewer is nearly the maximum, whose bootstrap degenerates)."""

    statistic: str
    threshold: str
    quantile: float
    shift: bool
    method: str  # the test in words (compare's METHODS, under the threshold's name)


@dataclass(frozen=True, slots=True, kw_only=True)
class QuantileRise:
    """`compare`'s tests of a check's long-tailed per-clip figure (a latency), each statistic of `statistics` in turn,
    over the clips the check counts (`counted`) that no note of the run disowns (`RunNote.disowns`: a clip timed
    while the client was saturated timed the client's stall), each note saying how many it left out; at each level
    both load sweeps ran too, where `curve`. Its metric stands before the built-in metric `before` in every list the
    user reads (`--fail-on`'s metrics, JSON's "thresholds" and "method"), where it stood before its check was
    declared."""

    metric: str  # its metric in `compare --fail-on`
    unit: str
    measured: str  # what a counted clip is, plural ("timed jobs")
    value: Callable[[RequestRow], float | None]  # a clip's figure (None: not measured)
    counted: Callable[[Iterable[RequestRow]], list[RequestRow]]
    statistics: tuple[QuantileStatistic, ...]
    before: str
    curve: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class QuantileSeries:
    """`history`'s series of one quantile of a check's long-tailed figure per offering (the leaderboard entry's,
    `report_keys`: each quantile with its interval, value, low, high, clips), drawn on a log scale (a time only scales:
    a change is a ratio) from the clips the client was not saturated for (a marked clip timed the client's stall, so
    no change is called from it); its key, label and unit, and the built-in series it precedes among a model's series
    (where it stood before its check was declared)."""

    key: str
    label: str
    unit: str
    figure: str  # the check's figure (its field's key: "latency_ms")
    quantile: str  # "p50"
    before: str


# A check of the run's own measuring rather than of an answer (whether the client kept up): what it says of the whole
# run on every face, and the jobs whose timing it disowns.


@dataclass(frozen=True, slots=True, kw_only=True)
class RunNote:
    """What a check says of one run before any figure, and the jobs whose timing it disowns. `named`: the line naming
    the run (None: nothing to name), the report's warning above its leaderboard, `compare`'s note of its side and
    `history`'s line and page item of the run; `aside`: a line said beside it, not naming the run (None: nothing), the
    report's quiet paragraph; `section`: the summary's section right after the models table (None: none); `disowns`: a
    job whose latency (and failure) is the client's, not the provider's, left out of every latency verdict (`compare`,
    `history`'s latency series), counted in the summary's column and marked in the report's list of jobs."""

    named: str | None
    aside: str | None
    section: SectionView | None
    disowns: Callable[[RequestRow], bool]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportNote:
    """Where the HTML report says a check's `RunNote`, in the check's ids and words: the warning naming the run
    before any figure (`named_id`), the quiet paragraph beside it (`aside_id`), and the mark on each job the note
    disowns in the list of jobs (its words, its title from the job: why). How they look is the report's (one style
    for every check's warning, one for every mark), so its template and stylesheet name no check."""

    named_id: str
    aside_id: str
    mark: str
    mark_title: Callable[[RequestRow], str]


@dataclass(frozen=True, slots=True, kw_only=True)
class RunNoteView:
    """Where each face says a check's `RunNote` of a run (`note`) in the check's words: the summary's models table's
    column of each offering's disowned jobs ("2/24"), after its jobs' counts (`heading`, JSON `key`; shown where some
    offering has any), `compare`'s detail of each latency check that left jobs out (`left_out`, formatted with
    `base` and `new`, the jobs of each), `history`'s page list of the runs it names (`page_heading`, its id
    `page_id`, `page_method` under it) and the HTML report's paragraphs and marks (`report`; None: it says none)."""

    note: Callable[[RunRows], RunNote]
    heading: str
    key: str
    left_out: str
    page_heading: str
    page_id: str
    page_method: str
    report: ReportNote | None = None


def disowning(notes: Iterable[RunNote]) -> Callable[[RequestRow], bool]:
    """Whether any of a run's notes disowns a job (its latency not the provider's)."""
    said = tuple(notes)
    return lambda row: any(note.disowns(row) for note in said)


def named(notes: Iterable[RunNote]) -> str | None:
    """The lines naming the run, one after another (None: no note names it)."""
    return " ".join(line for note in notes if (line := note.named) is not None) or None
