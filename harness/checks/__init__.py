"""The checks of an answer, each declared once (issue 79; `harness.core.checks` is the vocabulary): one module per
check holds its `CheckDeclaration` and the pure function reading one clip from its stored request, and every face —
the summary, `--format json|markdown`, the report, `compare`, `history`'s gate — iterates the registry, naming no
check. A new check is its module here, a migration where its evidence is not yet stored, and its tests
(docs/checks.md).

Modules: `registry` (`DeclaredCheck`, `ClipCheck`, `registered`: every module here defining `CHECK`), `pooled` (each
offering's checks over a run: `offering_checks`), `change` (a check's change between two runs: `changes_between`,
paired; `counted_change`, a counted check's run against run), `views` (`OwnViews`: each face's view of a check whose
faces say more than its fields' pooling can, given by its module; `with_views`); every other module is a check
(docs/checks.md lists them). The checks that predate this package are registered now, each read through its views
(`with_views`): `compare`'s tests (`RatioTest`, `QuantileRise`), `history`'s series (`FigureSeries`,
`QuantileSeries`), the summary's columns (`PlacedColumns`), the report's (`ColumnView`), the
leaderboard's JSON (`EntryFigures`), its shortlist's Pareto front and the cost chart (`QualityAxis`), the library's
`ModelLine.quality` (`LineQuality`) and the report's cell of each clip in its table of utterances (`ClipCell`,
`clip_cells`: the check's own reading of the clip) (docs/checks.md).
Hard text is one now, its evidence the run's `span_scores`, not a job's row, so its views read the run's rows
(`OwnViews.from_run`) and give the report its section (`ReportSection`) and the leaderboard and the report its share
with its interval (`ShareColumn`).
A check of the run's own measuring rather than of an answer gives every face its note on the run and the jobs whose
latency it disowns (`RunNoteView`, `run_notes`).
"""

from harness.checks.change import (
    CheckChange,
    CountedChange,
    changes_between,
    counted_change,
    counted_checks,
    paired_change,
)
from harness.checks.pooled import (
    OfferingCheck,
    Pooled,
    counted_columns,
    counted_value,
    every_field,
    offering_checks,
    offering_value,
    pool,
    said_with,
)
from harness.checks.registry import (
    ClipCheck,
    DeclaredCheck,
    clip_cells,
    generic,
    registered,
    run_notes,
    with_views,
)
from harness.checks.views import (
    ClipCell,
    ColumnView,
    EntryFigure,
    EntryFigures,
    FigureSeries,
    Judged,
    LineQuality,
    ModelsColumn,
    OwnFigures,
    OwnViews,
    PageTable,
    PartsColumn,
    PartSeries,
    PlacedColumns,
    QualityAxis,
    QuantileRise,
    QuantileSeries,
    QuantileStatistic,
    RatioTest,
    ReportNote,
    ReportSection,
    RuleView,
    RunNote,
    RunNoteView,
    RunSeries,
    RunTest,
    SectionView,
    SeriesPoint,
    ShareColumn,
    ShiftView,
    Shown,
    Tested,
    Worse,
    disowning,
    named,
)

__all__ = [
    "CheckChange",
    "ClipCell",
    "ClipCheck",
    "ColumnView",
    "CountedChange",
    "DeclaredCheck",
    "EntryFigure",
    "EntryFigures",
    "FigureSeries",
    "Judged",
    "LineQuality",
    "ModelsColumn",
    "OfferingCheck",
    "OwnFigures",
    "OwnViews",
    "PageTable",
    "PartSeries",
    "PartsColumn",
    "PlacedColumns",
    "Pooled",
    "QualityAxis",
    "QuantileRise",
    "QuantileSeries",
    "QuantileStatistic",
    "RatioTest",
    "ReportNote",
    "ReportSection",
    "RuleView",
    "RunNote",
    "RunNoteView",
    "RunSeries",
    "RunTest",
    "SectionView",
    "SeriesPoint",
    "ShareColumn",
    "ShiftView",
    "Shown",
    "Tested",
    "Worse",
    "changes_between",
    "clip_cells",
    "counted_change",
    "counted_checks",
    "counted_columns",
    "counted_value",
    "disowning",
    "every_field",
    "generic",
    "named",
    "offering_checks",
    "offering_value",
    "paired_change",
    "pool",
    "registered",
    "run_notes",
    "said_with",
    "with_views",
]
