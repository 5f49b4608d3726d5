"""The library face of the harness: what `import harness` offers a script (see docs/library.md).

    import harness
    result = harness.run_benchmark(harness.BenchConfig(models=("xtts-v2",), corpus=("en_read:3",)))
    for line in result.summary.lines:
        print(line.provider, line.model, line.e2e_p50, line.quality)

Each function does what the matching command does (`tts-harness bench run`, `tts-harness score`,
`tts-harness serve`), with the same defaults, and imports the engines it needs only when called.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.bench.config import BenchConfig

if TYPE_CHECKING:
    from harness.bench.summary import Summary
    from harness.scoring import ClipScore, Scorer


@dataclass(frozen=True, slots=True)
class BenchmarkResult:
    """How a run ended, where its rows are, and its summary (per model: latency, cost, WER, similarity)."""

    run_id: str
    status: str
    db_path: Path
    counts: dict[str, int]  # outcome or error class -> jobs
    spent_usd: Decimal
    summary: Summary
    report_path: Path | None  # the HTML report, when written
    notes: tuple[str, ...]


def run_benchmark(config: BenchConfig | None = None, **settings: Any) -> BenchmarkResult:
    """Run (or resume) a benchmark, score its clips and write its report, as `tts-harness bench run` does.

    Pass a `BenchConfig`, or its fields as keywords (`run_benchmark(models=["xtts-v2"])`).
    """
    from harness.bench.session import run_benchmark as run_session
    from harness.bench.summary import summarize
    from harness.results import Store

    if config is None or settings:
        config = BenchConfig.model_validate((config.model_dump() if config else {}) | settings)
    scorer = _background_scorer(config.db_path) if config.score else None
    try:
        result = run_session(config, scorer=scorer)
    finally:
        if scorer is not None:
            scorer.close()
    report = _write_report(result.run_id, result.db_path) if config.report else None
    store = Store(result.db_path)
    try:
        summary = summarize(store, result.run_id)
    finally:
        store.close()
    return BenchmarkResult(result.run_id, result.status, result.db_path, dict(result.counts), result.spent_usd,
                           summary, report, tuple(result.notes))


def _background_scorer(db_path: Path) -> Any:
    from harness.results import Store
    from harness.scoring import BackgroundScorer, Scorer

    Store(db_path).close()  # the runner's tables (clips) exist before the scorer looks at the database
    return BackgroundScorer(db_path, Scorer())


def _write_report(run_id: str, db_path: Path) -> Path:
    from harness.report.export import load_run
    from harness.report.render import write_report

    written: Path = write_report(load_run(run_id, db_path, None), db_path.parent / run_id / "index.html", None)
    return written


_scorer: Scorer | None = None
_scorer_lock = threading.Lock()


def score_file(path: str | Path, text: str, *, reference_voice: str | Path | None = None,
               language: str = "en") -> ClipScore:
    """WER/CER against `text`, conformance, DNSMOS quality and, given a reference voice, speaker similarity."""
    from harness.scoring import ClipInput, Scorer

    global _scorer
    with _scorer_lock:  # one loaded model per process; a scorer serves one thread at a time
        if _scorer is None:
            _scorer = Scorer()
        clip = ClipInput(text=text, path=Path(path), language=language,
                         reference_voice=Path(reference_voice) if reference_voice is not None else None)
        return _scorer.score(clip)
