"""The library face of the harness: what `import harness` offers a script (see docs/library.md).

    import harness
    result = harness.run_benchmark(models=("xtts-v2",), corpus=("en_read:3",))
    for line in result.summary.lines:
        print(line.provider, line.model, line.e2e_p50, line.quality)

Each function does what the matching command does (`tts-harness bench run`, `tts-harness score`,
`tts-harness serve`), with the same defaults, and imports the engines it needs only when called.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.benchmark import BenchmarkResult
from harness.runner.plan.config import BenchConfig

if TYPE_CHECKING:
    from harness.scoring import ClipScore, Scorer

__all__ = ["BenchmarkResult", "run_benchmark", "score_file"]


def run_benchmark(config: BenchConfig | None = None, **options: Any) -> BenchmarkResult:
    """Run (or resume) a benchmark, score its clips and write its report, as `tts-harness bench run` does
    (both call `harness.benchmark.run`).

    Pass a `BenchConfig`, or options by name as keywords (`run_benchmark(models=["xtts-v2"], budget=1.0)`),
    or both: the keywords replace those options of the config. Warnings after the run (scoring or report
    not written) are in `BenchmarkResult.notes`.
    """
    from harness import benchmark

    if config is None:
        config = BenchConfig.model_validate(options)
    elif options:
        config = config.updated(**options)
    return benchmark.run(config)


_scorer: Scorer | None = None
_scorer_lock = threading.Lock()


def score_file(
    path: str | Path, text: str, *, reference_voice: str | Path | None = None, language: str = "en"
) -> ClipScore:
    """WER/CER against `text`, conformance, DNSMOS quality and, given a reference voice, speaker similarity.

    Raises `harness.scoring.ScoringInputError` (a `ScoringError`) when the file or the reference voice is
    not there: a missing input is the caller's mistake, not a score. What the audio itself does wrong
    (it does not decode, it is silent) is a finding of the score, in `ClipScore.error` and `.findings`.
    """
    from harness.scoring import ClipInput, Scorer, ScoringInputError

    for what, given in (("audio file", path), ("reference voice", reference_voice)):
        if given is not None and not Path(given).is_file():
            raise ScoringInputError(f"{what} {given}: no such file")

    global _scorer
    with _scorer_lock:  # one loaded model per process; a scorer serves one thread at a time
        if _scorer is None:
            _scorer = Scorer()
        clip = ClipInput(
            text=text,
            path=Path(path),
            language=language,
            reference_voice=Path(reference_voice) if reference_voice is not None else None,
        )
        return _scorer.score(clip)
