"""Judge the hard-text clips of a stored run: every clip of a hard-text item, as written and as its control.

The run's `clips` rows name their corpus and item; the caller (the benchmark use case, which loaded the
corpora) says which of them are hard-text items and how to judge each (`HardClip`). Each clip is judged by
the `SpanScorer` and its judgement stored in `span_scores` (`harness.results.hard_text`), where the
summary and the report read the per-category figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.core.hard_text import HardText
from harness.results import ScoreCache, SpanVerdict, connect_writer, read_clips, write_span_verdicts
from harness.scoring.scoring_errors import ScoringInputError
from harness.scoring.span_scorer import SpanClip, SpanScorer


@dataclass(frozen=True, slots=True)
class HardClip:
    """What a clip of a hard-text corpus reads: the item's own id, how to judge it, and whether it is the
    item's control."""

    item_id: str
    hard: HardText
    control: bool = False


@dataclass(frozen=True, slots=True)
class SpanRunSummary:
    judged: int  # clips judged (written and controls)
    verdicts: dict[str, int]  # pass | fail | unsure -> clips
    asr_model: str


def judge_run(db_path: Path, run_id: str, items: Mapping[tuple[str, str], HardClip], scorer: SpanScorer,
              *, batch_size: int = 16) -> SpanRunSummary:
    """Judge every clip of ``run_id`` whose (corpus, item id) ``items`` names, and store the judgements; the
    transcripts are cached in the scorer's cache, else the run database's (judging again costs no ASR)."""
    if not db_path.is_file():
        raise ScoringInputError(f"expected a run database file, {db_path} does not exist")
    conn = connect_writer(db_path)
    counts: Counter[str] = Counter()
    cache = scorer.cache or ScoreCache(conn)
    try:
        clips = [(row, items[(row.corpus or "", row.item_id or "")]) for row in read_clips(conn, run_id)
                 if (row.corpus or "", row.item_id or "") in items]
        for start in range(0, len(clips), batch_size):
            batch = clips[start : start + batch_size]
            paths = [Path(row.audio_path) if Path(row.audio_path).is_absolute() else db_path.parent / row.audio_path
                     for row, _ in batch]
            scores = scorer.score_many([SpanClip(item.hard, path=path, control=item.control,
                                                 declared_media_type=row.declared_media_type,
                                                 declared_sample_rate=row.declared_sample_rate)
                                        for (row, item), path in zip(batch, paths, strict=True)], cache=cache)
            verdicts = [
                SpanVerdict(row.provider, row.model, item.item_id, item.hard.category, item.control,
                            score.judgement.verdict.value, score.judgement.heard, score.judgement.error,
                            score.transcript, row.clip_id, run_id, score.judgement.reason, score.asr_model)
                for (row, item), score in zip(batch, scores, strict=True)
            ]
            write_span_verdicts(conn, verdicts)
            counts.update(verdict.verdict for verdict in verdicts)
    finally:
        conn.close()
    return SpanRunSummary(sum(counts.values()), dict(counts), scorer.asr.model_id)
