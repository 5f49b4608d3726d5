"""The benchmark use case, in one place for every face: plan → run → score → summary → report.

`tts-harness bench run` (harness/cli/bench.py) and `harness.run_benchmark` (harness/library.py) both call
`run`: a face only turns its input into a `BenchConfig` and shows what it is told through an `Observer`.

This module sits above the engines it drives and below the faces. It cannot live in any one engine:
the runner (`harness.runner.session`), scoring (`harness.scoring`: a background scorer during the run, or
Ray after it), the summary (`harness.runner.summary.figures`) and the report (`harness.report`) are siblings, and
an engine does not import its siblings. No engine imports this module.

What happens after the jobs never hides their rows: a scoring or report failure is a warning (kept in
`BenchmarkResult.notes`), and the summary is still computed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from harness.core.errors import UsageError
from harness.core.target import TargetKind
from harness.runner.plan.config import DEFAULT_ASR_MODEL, BenchConfig, ScoringSettings

if TYPE_CHECKING:
    from harness.core.corpora import Corpus
    from harness.core.protocols.markup import Asked, Piece
    from harness.measurement.markup import ClipMarkup
    from harness.results import ClipRow
    from harness.runner.dry_run import DryRun
    from harness.runner.plan.jobs import PlannedJob
    from harness.runner.plan.target import Target
    from harness.runner.run import PreparedRun, RunResult
    from harness.runner.summary.figures import Summary
    from harness.scoring import BackgroundScorer, HardTextRunSummary
    from harness.scoring.distributed import TranscriptionExecutor


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchmarkResult:
    """How a run ended, where its rows are, and its summary (per model: latency, cost, WER and every check)."""

    run_id: str
    status: str  # finished | interrupted | stopped_budget | pending (results still to fetch: --resume)
    db_path: Path
    planned: int  # jobs in the plan
    counts: dict[str, int]  # outcome or error class -> jobs
    spent_usd: Decimal
    summary: Summary
    report_path: Path | None  # the HTML report, when written
    notes: tuple[str, ...]  # what the run said before it started, and every warning after it
    fail_on: tuple[str, ...] = ()  # results that make the run fail (`OutputSettings.fail_on`: "language")

    def shortfall(self) -> str | None:
        """Why the run does not count as a success, or None. A CI job reads the exit code, so a run that
        stopped early, lost paid results or measured nothing must not pass."""
        if self.status == "pending":
            return f"run {self.run_id}: {self.counts.get('unfetched', 0)} paid results not fetched yet (unfetched)"
        if self.status != "finished":
            return f"run {self.run_id} {self.status}"
        if self.counts.get("lost"):
            return (
                f"run {self.run_id}: {self.counts['lost']} jobs lost (accepted, perhaps charged, and no "
                "result will come); see the errors above"
            )
        if self.planned == 0:
            return f"run {self.run_id} planned no job: check --corpus, --models and --providers"
        if not self.counts.get("ok"):
            return f"run {self.run_id}: no job succeeded ({self.planned} planned); see the errors above"
        return self._failed_check()

    def _failed_check(self) -> str | None:
        """A check of the results the run was asked to fail on (`--fail-on language`), as `compare` fails on it: each
        registered check's failures by its own rule (`harness.checks.views`: its `failures`)."""
        for metric, title, lines in self.summary.failures:
            if metric in self.fail_on and lines:
                return f"run {self.run_id}: {title.lower()} failed (--fail-on {metric}): " + "; ".join(lines)
        return None


class Observer:
    """What a face is told while a benchmark runs. Every method does nothing here: a face overrides what
    it shows (the CLI: the plan, progress bars, the summary table)."""

    def plan(self, prepared: PreparedRun, target: Target) -> None:
        """The plan and its price, before anything is sent. May raise `UsageError` to refuse it."""

    def job_done(self, job: PlannedJob, outcome: str) -> None:
        """A job was stored: `ok`, `skipped`, or its error class."""

    def run_ended(self) -> None:
        """The jobs are over (finished, stopped or interrupted); scoring and the report follow."""

    def summary(self, summary: Summary, db_path: Path) -> None:
        """The run's summary, before the report is written."""

    def info(self, message: str) -> None:
        """Progress worth a line (scoring the last clips, how many were scored)."""

    def warning(self, message: str) -> None:
        """Something went wrong after the jobs; their rows are safe."""


@dataclass(slots=True)
class _Told:
    """The observer, and every warning it was given (they end in the result's notes)."""

    observer: Observer
    warnings: list[str] = field(default_factory=list)

    def warning(self, message: str) -> None:
        self.warnings.append(message)
        self.observer.warning(message)


def resolved(config: BenchConfig) -> BenchConfig:
    """The settings to run. For `--resume`, those the run was started with (only `--out` may differ): a
    resumed run keeps its scoring and report settings although the command line does not repeat them."""
    output = config.output
    if output.resume is None:
        return config
    from harness.results import Store
    from harness.runner.run import resolve_config

    if not output.db_path.is_file():
        raise UsageError(f"no results database at {output.db_path}: nothing to resume (pass the run's --out)")
    store = Store(output.db_path)
    try:
        return resolve_config(config, store)
    finally:
        store.close()


def dry_run(config: BenchConfig) -> DryRun:
    """The requests the run would send (curl lines, keys filtered) and its planned cost; nothing is sent."""
    from harness.runner.dry_run import dry_run as plan_requests
    from harness.runner.session import benchmarkable

    return plan_requests(resolved(config), benchmarkable())


def run(config: BenchConfig, observer: Observer | None = None) -> BenchmarkResult:
    """Run (or resume) a benchmark, score its clips, summarise it and write its report.

    Raises `UsageError` when the run is refused before anything is sent (bad settings, a live run without
    a budget, a provider the target cannot serve), and lets `KeyboardInterrupt` through once the clips
    already produced are scored: the run is resumable.
    """
    from harness.runner.session import run_bench_session as run_jobs

    told = _Told(observer or Observer())
    config = resolved(config)
    scorer = _background_scorer(config, told) if config.scoring.during_run else None
    refused = False
    try:
        outcome = run_jobs(config, on_plan=told.observer.plan, listener=told.observer.job_done, scorer=scorer)
    except UsageError:
        refused = True  # before anything was sent: the refusal is all there is to say
        raise
    finally:
        told.observer.run_ended()
        if scorer is not None and refused:
            scorer.close()
        elif scorer is not None:  # an interrupted run's clips are scored before it stops
            _drain(scorer, told)
    if config.scoring.after_run:
        _score_after(config.scoring, outcome, told)
    if config.scoring.enabled:
        _judge_spans(config, outcome, told)
        _align_marks(outcome, told)
    _judge_markup(config, outcome, told)  # pauses need no recogniser; tags spoken are judged where a transcript is
    summary = _summary(outcome)
    told.observer.summary(summary, outcome.db_path)
    report = _report(outcome, told) if config.output.report else None
    return BenchmarkResult(
        run_id=outcome.run_id,
        status=outcome.status,
        db_path=outcome.db_path,
        planned=outcome.planned,
        counts=dict(outcome.counts),
        spent_usd=outcome.spent_usd,
        summary=summary,
        report_path=report,
        notes=(*outcome.notes, *told.warnings),
        fail_on=config.output.fail_on,
    )


def _background_scorer(config: BenchConfig, told: _Told) -> BackgroundScorer | None:
    """Scores clips as they are stored, in a thread of its own (BackgroundScorer), or None without the extra."""
    try:
        from harness.scoring import BackgroundScorer, Scorer
    except ImportError as error:
        told.warning(f"scoring off: the scoring extra is not installed ({error})")
        return None
    from harness.results import Store

    Store(config.output.db_path).close()  # the runner's tables (clips) exist before the scorer looks at them
    # A run's own sandbox renders and serves in this process: scoring beside it saturates 2 cores, so it waits for
    # the jobs to end (harness.scoring.background); elsewhere the client mostly waits on the network.
    return BackgroundScorer(
        config.output.db_path,
        Scorer(model=config.scoring.asr_model, dnsmos=_dnsmos(config.scoring)),
        hold_until_closed=config.target.kind is TargetKind.SANDBOX,
    )


def _dnsmos(settings: ScoringSettings) -> bool | None:
    """The scorer's `dnsmos`: None (estimated when its extra is installed) unless the run turned it off."""
    return None if settings.dnsmos else False


def _drain(scorer: BackgroundScorer, told: _Told) -> None:
    if scorer.stats.pending:
        told.observer.info("Scoring the remaining clips…")
    stats = scorer.close()
    if stats.submitted:
        told.observer.info(
            f"Scored {stats.scored} clips ({stats.failed} failed"
            + (f"; last error: {stats.last_error}" if stats.last_error else "")
            + ")."
        )


def _score_after(settings: ScoringSettings, outcome: RunResult, told: _Told) -> None:
    """Score the finished run's clips on another executor (Ray: docs/scale.md)."""
    try:
        from harness.scoring.distributed import make_executor
        from harness.scoring.run import score_run
        from harness.scoring.scorer import Scorer
        from harness.scoring.scoring_errors import ScoringError
    except ImportError as error:
        told.warning(f"scoring off: the scoring extra is not installed ({error})")
        return
    told.observer.info(f"Scoring run {outcome.run_id} on {settings.executor}…")
    try:
        executor = make_executor(settings.executor, settings.address)
        try:
            scored = score_run(
                outcome.db_path,
                outcome.run_id,
                Scorer(model=settings.asr_model, executor=executor, dnsmos=_dnsmos(settings)),
            )
        finally:
            executor.close()
    except ScoringError as error:
        told.warning(f"scoring failed: {error}")
        return
    told.observer.info(f"Scored {scored.scored} clips on {scored.executor} ({scored.failed} failed).")
    for reason, count in scored.errors:
        told.warning(f"{count} clip(s) not scored: {reason}")


def _align_marks(outcome: RunResult, told: _Told) -> None:
    """Where each answer that carried timing marks says its words, heard by the aligner, and the marks' figures
    derived again with it (docs/marks.md); nothing without the scoring extra."""
    try:
        from harness.scoring.word_alignment import align_marked
    except ImportError:
        return
    from harness.measurement import recompute
    from harness.results import connect_writer
    from harness.scoring.scoring_errors import ScoringError

    try:
        aligned = align_marked(outcome.db_path, outcome.run_id)
    except ScoringError as error:
        told.warning(f"timing marks not aligned: {error}")
        return
    if aligned:
        conn = connect_writer(outcome.db_path)
        try:
            recompute(conn, outcome.run_id)
        finally:
            conn.close()


def judge_hard_text(
    db_path: Path,
    run_id: str,
    corpora: Sequence[Corpus],
    *,
    asr_model: str = DEFAULT_ASR_MODEL,
    executor: TranscriptionExecutor | None = None,
) -> HardTextRunSummary | None:
    """The hard spans of the run's clips of every hard-text corpus among ``corpora`` (what the run read, loaded once),
    judged by forced choice with ``asr_model`` and stored (docs/hard-text.md); None where none is a hard-text corpus.
    The one path for a run that ends and for `tts-harness score RUN_ID`. A Ray ``executor`` asks the model on its
    workers (docs/scale.md). Raises ImportError without the scoring extra, ScoringError."""
    hard = [corpus for corpus in corpora if corpus.is_hard_text]
    if not hard:
        return None
    from harness.scoring import HardTextJudge, HardTextRunItem, judge_hard_text_run

    items = {
        (corpus.name, item.id): HardTextRunItem(item.hard_id, item.hard, item.control)
        for corpus in hard
        for item in corpus.items
        if item.hard is not None
    }
    return judge_hard_text_run(db_path, run_id, items, HardTextJudge(model=asr_model, executor=executor))


def judged_line(judged: HardTextRunSummary) -> str:
    """What a judging pass did, in one line (and the clips that could not be decoded, counted, never listed)."""
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in sorted(judged.verdicts.items()))
    line = f"Judged {judged.judged} hard-text clips by forced choice with {judged.asr_model} ({verdicts})"
    if judged.disagreements:
        line += f"; the free transcript disagreed on {judged.disagreements}"
    if judged.unreadable:
        line += f"; {judged.unreadable} clips could not be decoded (unsure)"
    return line + "."


def _judge_spans(config: BenchConfig, outcome: RunResult, told: _Told) -> None:
    """The hard spans of a hard-text corpus' clips, judged by forced choice (docs/hard-text.md)."""
    if not any(corpus.is_hard_text for corpus in outcome.corpora):
        return
    try:
        from harness.scoring import ScoringError
    except ImportError as error:
        told.warning(f"hard text not judged: the scoring extra is not installed ({error})")
        return
    told.observer.info("Judging the hard-text spans…")
    settings = config.scoring
    try:
        from harness.scoring.distributed import make_executor

        executor = make_executor(settings.executor, settings.address)
        try:
            judged = judge_hard_text(
                outcome.db_path, outcome.run_id, outcome.corpora, asr_model=settings.asr_model, executor=executor
            )
        finally:
            executor.close()
    except ScoringError as error:
        told.warning(f"hard text not judged: {error}")
        return
    if judged is not None:
        told.observer.info(judged_line(judged))


def judge_markup(
    db_path: Path,
    run_id: str,
    corpora: Sequence[Corpus],
    *,
    asr_model: str = DEFAULT_ASR_MODEL,
    executor: TranscriptionExecutor | None = None,
) -> list[ClipMarkup] | None:
    """The run's clips of every markup corpus among `corpora` judged (docs/markup.md): each pause's silence, each
    say-as and sub by forced choice with `asr_model` (where the scoring extra is installed), and no tag heard in the
    clip's transcript, stored on each job's row (`markup_honoured`, `markup_json`); None where none is a markup
    corpus. Raises ImportError without numpy."""
    marked = [corpus for corpus in corpora if corpus.is_markup]
    if not marked:
        return None
    from harness.core.protocols.markup import Pause, tag_words
    from harness.core.registry import providers
    from harness.measurement.markup import markup_verdicts
    from harness.results import connect_writer, read_clips, read_rows, write_figures

    known = providers()

    def sent_as(provider: str, model: str, pieces: Sequence[Asked]) -> tuple[tuple[Piece, ...], tuple[str, ...]]:
        offering = next((o for o in known[provider].offerings if o.name == model), None) if provider in known else None
        markup = offering.markup if offering is not None else None
        if markup is None:  # the plan sends no markup item to it: its words, as written
            return tuple(p for p in pieces if isinstance(p, (str, Pause))), ()
        sent = markup.written(pieces, model)
        return markup.read(sent, model), tag_words(sent)  # a tag the model is documented not to take: no pause

    items = {(corpus.name, item.id): item.markup for corpus in marked for item in corpus.items if item.markup}
    conn = connect_writer(db_path)
    try:
        heard: dict[tuple[str | None, str | None], str | None] = {
            (r.audio_path, r.item_id): r.transcript for r in read_rows(conn, run_id).requests
        }
        clips = read_clips(conn, run_id)
        transcripts = {clip.clip_id: heard.get((clip.audio_path, clip.item_id)) for clip in clips}
        verdicts = markup_verdicts(clips, transcripts, items, sent_as, db_path.parent)
        verdicts = _with_readings(verdicts, clips, items, db_path.parent, asr_model, executor)
        # each clip's verdict on its job's row (a clip is its job's: clip_id is the job_key)
        write_figures(conn, {v.job_key: v.verdict.columns() for v in verdicts if v.verdict is not None and v.job_key})
    finally:
        conn.close()
    return verdicts


def _with_readings(
    verdicts: list[ClipMarkup],
    clips: Sequence[ClipRow],
    items: Mapping[tuple[str, str], Sequence[Asked]],
    root: Path,
    asr_model: str,
    executor: TranscriptionExecutor | None,
) -> list[ClipMarkup]:
    """Each clip's say-as and sub judged by the hard-text judge's forced choice (`said_hard_text`: the honoured
    reading against the text read as if untagged); the verdicts unchanged without the scoring extra."""
    import dataclasses

    from harness.measurement.markup import ReadingHeard, judged_said, said_hard_text

    asked = [
        (clip, pieces, said)
        for clip in clips
        if (pieces := items.get((clip.corpus or "", clip.item_id or ""))) is not None and clip.audio_path
        for said in judged_said(pieces)
    ]
    if not asked:
        return verdicts
    try:
        from harness.scoring import HardTextClip, HardTextJudge
    except ImportError:
        return verdicts  # the pauses and the tags spoken are judged all the same
    hard = []
    for clip, pieces, said in asked:
        path = Path(clip.audio_path)
        hard.append(
            HardTextClip(
                hard=said_hard_text(pieces, said),
                path=path if path.is_absolute() else root / path,
                declared_media_type=clip.declared_media_type,
                declared_sample_rate=clip.declared_sample_rate,
            )
        )
    scores = HardTextJudge(model=asr_model, executor=executor).score_many(hard)
    heard: dict[str, list[ReadingHeard]] = {}
    for (clip, _, said), score in zip(asked, scores, strict=True):
        heard.setdefault(clip.clip_id, []).append(
            ReadingHeard(said.kind.value, said.text, score.verdict.value, score.choice.reading)
        )
    return [
        dataclasses.replace(v, verdict=dataclasses.replace(v.verdict, readings=tuple(heard[v.job_key])))
        if v.verdict is not None and v.job_key in heard
        else v
        for v in verdicts
    ]


def _judge_markup(config: BenchConfig, outcome: RunResult, told: _Told) -> None:
    """A markup corpus' clips judged, each unhonoured clip's findings and each offering's share told."""
    try:
        verdicts = judge_markup(outcome.db_path, outcome.run_id, outcome.corpora, asr_model=config.scoring.asr_model)
    except ImportError as error:
        told.warning(f"markup not judged: numpy and the decoder are not installed ({error})")
        return
    if verdicts is None:
        return
    for clip in verdicts:
        if clip.verdict is None:
            told.observer.info(f"markup {clip.provider}/{clip.model} {clip.item_id}: the audio could not be read")
        elif not clip.verdict.honoured:
            told.observer.info(
                f"markup {clip.provider}/{clip.model} {clip.item_id}: " + "; ".join(clip.verdict.findings())
            )
    told.observer.info(markup_line(verdicts))


def markup_line(verdicts: Sequence[ClipMarkup]) -> str:
    """Each offering's share of markup clips honoured, in one line (a run that ends, `tts-harness score RUN_ID`)."""
    from harness.measurement.markup import honoured_shares

    shares = honoured_shares(verdicts)
    return "Markup honoured (breaks within tolerance, say-as and sub read as asked, no tag spoken): " + (
        ", ".join(f"{label} {good}/{total}" for label, (good, total) in sorted(shares.items()))
        or "no clip could be read"
    )


def _summary(outcome: RunResult) -> Summary:
    from harness.results import Store
    from harness.runner.summary.figures import summarize

    store = Store(outcome.db_path)
    try:
        return summarize(store, outcome.run_id)
    finally:
        store.close()


def _report(outcome: RunResult, told: _Told) -> Path | None:
    """The HTML report beside the database (`<out>/<run>/index.html`), or None with a warning."""
    try:
        from harness.report.export import load_run
        from harness.report.render import write_report
    except ImportError as error:
        told.warning(f"report not written: the report extra is not installed ({error})")
        return None
    try:
        rows = load_run(outcome.run_id, outcome.db_path, None)
        written: Path = write_report(rows, outcome.db_path.parent / outcome.run_id / "index.html", None)
    except Exception as error:  # the run's rows are safe; a report failure must not hide them
        told.warning(f"report not written: {type(error).__name__}: {error}")
        return None
    return written
