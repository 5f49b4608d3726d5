"""Latency measured from the evidence, after the fact: the runner records, this package derives.

The runner records evidence only (`evidence`: marks, status answers with the stamps they carried, webhook and
stream arrivals), stored as rows. After the run — and again on demand, `tts-harness recompute` — this package
derives from all of a run's evidence at once what each provider's clock is worth (`clock_learning` feeding
`server_clock`: offset, stamp convention, zone), then every figure's interval as a pure function of those
rows (`intervals` for e2e, e2e_server, queue and processing; `stream_intervals` for first audio and the
listener's figures). `derivation` is the one path from a store to its figures.

The poll schedule may learn during the run (the same `learn_submit`/`learn_completion` on a clock of its
own), but it decides only *when* to ask, never what a figure is.

`audio_findings` judges, from the kept audio and the chunk rows, each stream's seams (the rule is
`harness.core.seams`'s: clicks, inserted silence, a header inside the stream, the first sample) and every headerless
or relabelled answer's rate (`voice`: how long it sounds and how low; the rule is `harness.core.heard_rate`'s);
`recompute` writes them beside the latencies when it is given the store's folder.

`bootstrap` is the percentile bootstrap compare's differences between two runs come from; `sample_intervals` the
intervals of a figure over one run's clips that hold at two clips as at thirty (a quantile's from order statistics,
a score's mean from Student's t, none where none holds); `pooled_rate` is the one interval of a rate pooled over
clips (WER, CER: the report's, the summary's per-language rates), one that holds at two clips. `languages` derives
per provider × model × language the error rate with its interval (whether a model answers in the language asked is
a registered check's: docs/checks.md).
`hard_text` derives the hard-text figures from a run's judged spans (per category and model, with Wilson
intervals; exact McNemar tests between models and between runs): scipy's statistics, imported lazily. `marks`
derives a clip's timing-mark figures (the onset error of its marks against the harness's aligner, median and p95
with intervals, and coverage). `markup` judges a markup corpus' clips (docs/markup.md): each asked pause heard as
silence of about its length where it stands, and no tag's word in the transcript.
"""

from harness.measurement.bootstrap import (
    BOOTSTRAP_CONFIDENCE,
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    Statistic,
    bootstrap_rng,
    percentile_interval,
    ratio_from_indices,
)
from harness.measurement.clock_learning import learn_completion, learn_run_clocks, learn_submit
from harness.measurement.derivation import (
    TOLERANCE,
    FigureMismatch,
    Recomputation,
    derive_rows,
    derive_run,
    figures_of,
    mismatches,
    recompute,
)
from harness.measurement.evidence import Chunk, JobEvidence, Mark, Seen, ServerStamps, StatusAnswer
from harness.measurement.hard_text import (
    AcrossModels,
    CategoryFigures,
    McNemar,
    Proportion,
    SettingDifference,
    across_models,
    category_figures,
    compare_models,
    compare_runs,
    mcnemar_exact,
    mcnemar_worse,
    normalisation_differences,
    wilson,
)
from harness.measurement.intervals import Figure, Window, client_bracket, completion_window, job_figures
from harness.measurement.languages import LanguageFigures, language_figures
from harness.measurement.marks import (
    NOT_HEARD,
    UNRECORDED_ONSET_LIMIT_MS,
    OfferingMarks,
    OnsetFigures,
    marks_columns,
    offering_marks,
    onset_figures,
    worse_kinds,
)
from harness.measurement.pooled_rate import pooled_rate_bounds, pooled_ratio_interval
from harness.measurement.sample_intervals import mean_without_interval, quantile_interval_exact, score_mean_interval
from harness.measurement.server_clock import (
    ClockOffset,
    Convention,
    FieldStamps,
    ProviderStamps,
    StampBook,
    is_zoned,
    stamp_bounds,
)
from harness.measurement.stored_evidence import run_evidence
from harness.measurement.stream_intervals import stream_figures

__all__ = [
    "BOOTSTRAP_CONFIDENCE",
    "BOOTSTRAP_RESAMPLES",
    "BOOTSTRAP_SEED",
    "NOT_HEARD",
    "TOLERANCE",
    "UNRECORDED_ONSET_LIMIT_MS",
    "AcrossModels",
    "CategoryFigures",
    "Chunk",
    "ClockOffset",
    "Convention",
    "FieldStamps",
    "Figure",
    "FigureMismatch",
    "JobEvidence",
    "LanguageFigures",
    "Mark",
    "McNemar",
    "OfferingMarks",
    "OnsetFigures",
    "Proportion",
    "ProviderStamps",
    "Recomputation",
    "Seen",
    "ServerStamps",
    "SettingDifference",
    "StampBook",
    "Statistic",
    "StatusAnswer",
    "Window",
    "across_models",
    "bootstrap_rng",
    "category_figures",
    "client_bracket",
    "compare_models",
    "compare_runs",
    "completion_window",
    "derive_rows",
    "derive_run",
    "figures_of",
    "is_zoned",
    "job_figures",
    "language_figures",
    "learn_completion",
    "learn_run_clocks",
    "learn_submit",
    "marks_columns",
    "mcnemar_exact",
    "mcnemar_worse",
    "mean_without_interval",
    "mismatches",
    "normalisation_differences",
    "offering_marks",
    "onset_figures",
    "percentile_interval",
    "pooled_rate_bounds",
    "pooled_ratio_interval",
    "quantile_interval_exact",
    "ratio_from_indices",
    "recompute",
    "run_evidence",
    "score_mean_interval",
    "stamp_bounds",
    "stream_figures",
    "wilson",
    "worse_kinds",
]
