"""Score (or re-score) a stored benchmark run from its SQLite database, without regenerating audio.

The runner stores one ``clips`` row per generated clip (`harness.results.clips.ClipRow`); this module
reads them, scores the audio files they point to, writes ``scores`` rows and summarises per provider and
model, all through `harness.results`. Audio paths that are relative are resolved against the database's
folder, so a run directory can be moved whole.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from harness.results import ClipRow, PooledErrorRate, ScoreCache, connect_writer, pooled_wer, read_clips, write_scores
from harness.scoring.references import parse_alternatives_json
from harness.scoring.results import ClipInput, ClipScore
from harness.scoring.score_row import score_row
from harness.scoring.scorer import Scorer
from harness.scoring.scoring_errors import ScoringInputError


def clip_input(row: ClipRow, base_dir: Path) -> ClipInput:
    """A stored clip as scorer input, relative paths resolved against ``base_dir`` (the database's folder)."""
    reference = _resolve(base_dir, row.reference_audio_path) if row.reference_audio_path else None
    return ClipInput(
        text=row.text,
        path=_resolve(base_dir, row.audio_path),
        language=row.language,
        alternatives=parse_alternatives_json(row.alternatives_json),
        reference_voice=reference,
        declared_media_type=row.declared_media_type,
        declared_sample_rate=row.declared_sample_rate,
        clip_id=row.clip_id,
    )


def checked(row: ClipRow, score: ClipScore) -> ClipScore:
    """The score, marked failed when the audio file is not the one the run recorded."""
    if score.audio_sha256 is None or score.audio_sha256 == row.audio_sha256:
        return score
    return replace(
        score,
        error=f"audio file {row.audio_path} has sha256 {score.audio_sha256[:12]}..., the run recorded "
        f"{row.audio_sha256[:12]}...: it changed after the run",
    )


def _resolve(base_dir: Path, path: str) -> Path:
    candidate = Path(path)
    return candidate if candidate.is_absolute() else base_dir / candidate


@dataclass(frozen=True, slots=True, kw_only=True)
class SystemSummary:
    """Scores of one provider/model (and error-rate unit) within a run."""

    provider: str
    model: str
    clips: int
    failed: int
    rate: PooledErrorRate | None
    mean_similarity: float | None
    flag_counts: dict[str, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class RunScoreSummary:
    """What ``score_run`` did: counts, transcript cache use, and per-system error rates."""

    run_id: str
    clips: int
    scored: int
    failed: int
    cache_hits: int
    cache_misses: int
    asr_backend: str
    asr_model: str
    normalizer_version: str
    systems: tuple[SystemSummary, ...]
    executor: str = "local"
    # Why clips could not be scored: each distinct one-line reason and how many clips it hit.
    errors: tuple[tuple[str, int], ...] = ()


def score_run(db_path: str | Path, run_id: str, scorer: Scorer, *, batch_size: int | None = None) -> RunScoreSummary:
    """Score every clip of ``run_id`` and store the rows; the scorer's cache, else the run database's.

    Clips go to the scorer ``batch_size`` at a time (by default as many as its executor wants at once:
    a few for this process, hundreds for a Ray cluster), and each batch's rows are written before the next.
    """
    batch_size = batch_size or scorer.executor.clips_per_call
    db = Path(db_path)
    if not db.is_file():
        raise ScoringInputError(f"expected a run database file, {db} does not exist")
    conn = connect_writer(db)
    try:
        clips = read_clips(conn, run_id)
        if not clips:
            raise ScoringInputError(f"run {run_id!r} has no clips in {db}")
        cache = scorer.cache or ScoreCache(conn)
        before = scorer.stats
        scored: list[tuple[ClipRow, ClipScore]] = []
        for start in range(0, len(clips), batch_size):
            batch = clips[start : start + batch_size]
            scores = [
                checked(row, score)
                for row, score in zip(
                    batch, scorer.score_many([clip_input(row, db.parent) for row in batch], cache=cache), strict=True
                )
            ]
            write_scores(conn, [score_row(run_id, row.clip_id, s) for row, s in zip(batch, scores, strict=True)])
            scored.extend(zip(batch, scores, strict=True))
        after = scorer.stats
    finally:
        conn.close()
    versions = scorer.versions(scorer.default_language)
    return RunScoreSummary(
        run_id=run_id,
        clips=len(clips),
        scored=sum(1 for _, score in scored if score.error is None),
        failed=sum(1 for _, score in scored if score.error is not None),
        cache_hits=after.cache_hits - before.cache_hits,
        cache_misses=after.cache_misses - before.cache_misses,
        asr_backend=versions.asr_backend,
        asr_model=versions.asr_model,
        normalizer_version=versions.normalizer_version,
        systems=summarise(scored),
        executor=scorer.executor.name,
        errors=tuple(Counter(score.error for _, score in scored if score.error is not None).most_common()),
    )


def summarise(scored: list[tuple[ClipRow, ClipScore]]) -> tuple[SystemSummary, ...]:
    """Per provider/model/unit: pooled and mean error rate, mean similarity, flag counts."""
    groups: dict[tuple[str, str, str], list[ClipScore]] = defaultdict(list)
    for row, score in scored:
        groups[(row.provider, row.model, score.unit.value)].append(score)
    summaries = []
    for (provider, model, _unit), scores in sorted(groups.items()):
        ok = [score for score in scores if score.error is None]
        similarities = [score.similarity for score in ok if score.similarity is not None]
        flags = Counter(flag.value for score in scores for flag in score.flags)
        summaries.append(
            SystemSummary(
                provider=provider,
                model=model,
                clips=len(scores),
                failed=len(scores) - len(ok),
                rate=pooled_wer(ok),
                mean_similarity=statistics.fmean(similarities) if similarities else None,
                flag_counts=dict(sorted(flags.items())),
            )
        )
    return tuple(summaries)
