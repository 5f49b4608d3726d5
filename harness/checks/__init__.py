"""The checks of an answer, each declared once (issue 79; `harness.core.checks` is the vocabulary): one module per
check holds its `CheckDeclaration` and the pure function reading one clip from its stored request, and every face —
the summary, `--format json|markdown`, the report, `compare`, `history`'s gate — iterates the registry, naming no
check. A new check is its module here, a migration where its evidence is not yet stored, and its tests
(docs/checks.md).

Modules: `registry` (`DeclaredCheck`, `ClipCheck`, `registered`: every module here defining `CHECK`), `pooled` (each
offering's checks over a run: `offering_checks`), `change` (a check's change between two runs: `changes_between`,
paired; `counted_change`, a counted check's run against run), `views` (`OwnViews`: each face's view of a check whose
faces say more than its fields' pooling can, given by its module; `with_views`); every other module is a check
(docs/checks.md lists them). The checks that predate this package (hard text, WER/CER, client health, the latency
figures) are being moved onto it: hard text is declared once in `read_right` with views reading the run's
`span_scores` (its evidence, not a job's row), through which `compare` and `history` judge it and the summary shows
its tables (`with_run_views`); not yet registered (`DECLARED`, not `CHECK`: `declared_only`) while the report reads
its figures by name.
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
from harness.checks.read_right import MISREAD, READ_RIGHT, misreading, read_right_fell, read_right_figures
from harness.checks.registry import (
    ClipCheck,
    DeclaredCheck,
    declared_only,
    generic,
    registered,
    with_run_views,
    with_views,
)
from harness.checks.views import (
    ColumnView,
    Judged,
    ModelsColumn,
    OwnFigures,
    OwnViews,
    PageTable,
    PartsColumn,
    PartSeries,
    RuleView,
    RunSeries,
    RunTest,
    SectionView,
    SeriesPoint,
    ShiftView,
    Shown,
    Tested,
    Worse,
)

__all__ = [
    "MISREAD",
    "READ_RIGHT",
    "CheckChange",
    "ClipCheck",
    "ColumnView",
    "CountedChange",
    "DeclaredCheck",
    "Judged",
    "ModelsColumn",
    "OfferingCheck",
    "OwnFigures",
    "OwnViews",
    "PageTable",
    "PartSeries",
    "PartsColumn",
    "Pooled",
    "RuleView",
    "RunSeries",
    "RunTest",
    "SectionView",
    "SeriesPoint",
    "ShiftView",
    "Shown",
    "Tested",
    "Worse",
    "changes_between",
    "counted_change",
    "counted_checks",
    "counted_columns",
    "counted_value",
    "declared_only",
    "every_field",
    "generic",
    "misreading",
    "offering_checks",
    "offering_value",
    "paired_change",
    "pool",
    "read_right_fell",
    "read_right_figures",
    "registered",
    "said_with",
    "with_run_views",
    "with_views",
]
