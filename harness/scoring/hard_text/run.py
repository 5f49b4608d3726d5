"""Judge the hard-text clips of a stored run: every clip of a hard-text item, as written and as its control.

The run's `clips` rows name their corpus and item; the caller (the benchmark use case, which loaded the
corpora once, for the run) says which of them are hard-text items and how to judge each (`HardTextRunItem`): no
corpus is read here. Each clip is judged by
the `HardTextJudge` (forced choice, with the free transcript's second opinion) and its verdict stored in
`span_scores` (`harness.results.hard_text`), where the summary and the report read the per-category figures.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.core.hard_text import HardText, HardTextVerdict
from harness.results import (
    FORCED_CHOICE,
    ClipRow,
    ScoreCache,
    SpanScoreRow,
    connect_writer,
    read_clips,
    write_span_scores,
)
from harness.scoring.hard_text.judge import HardTextClip, HardTextJudge, HardTextScore
from harness.scoring.scoring_errors import ScoringInputError

# Clips judged together: the listener encodes and decodes the clips of one window together and scores the sentences
# of one length together, so the more clips a call holds, the fuller its passes (the free transcripts: 32 clips a
# call cost 64 to 87 ms of CPU a clip over en_hard's, 128 a call 53 to 66, the same transcripts). What a call holds
# while it runs is each clip's encoder output: about 0.3 MB for a 4 s clip, 2.3 MB for a 30 s one.
CLIPS_PER_CALL = 128


@dataclass(frozen=True, slots=True)
class HardTextRunItem:
    """What a clip of a hard-text corpus reads: the item's own id, how to judge it, and whether it is the
    item's control."""

    item_id: str
    hard: HardText
    control: bool = False


@dataclass(frozen=True, slots=True)
class HardTextRunSummary:
    judged: int  # clips judged (written and controls)
    verdicts: dict[HardTextVerdict, int]  # clips per verdict
    asr_model: str
    disagreements: int = 0  # clips whose forced choice and free-transcription verdict decided differently
    unreadable: int = 0  # clips whose audio could not be decoded (unsure, with the reason on the row)


def span_score_row(row: ClipRow, item: HardTextRunItem, score: HardTextScore, run_id: str) -> SpanScoreRow:
    """A judged clip as the results store keeps it."""
    choice = score.choice
    return SpanScoreRow(
        provider=row.provider,
        model=row.model,
        item_id=item.item_id,
        category=item.hard.category,
        control=item.control,
        verdict=choice.verdict,
        heard=choice.reading,
        error=choice.error,
        transcript=score.transcript,
        clip_id=row.clip_id,
        run_id=run_id,
        reason=choice.reason,
        asr_model=score.asr_model,
        method=FORCED_CHOICE,
        margin=None if math.isnan(choice.margin) or math.isinf(choice.margin) else choice.margin,
        free_margin=choice.free_margin,
        thresholds=score.thresholds.key(),
        free_heard=score.free_heard,
        second_opinion=score.second_opinion_label,
        disagree=score.disagree,
    )


def judge_hard_text_run(
    db_path: Path,
    run_id: str,
    items: Mapping[tuple[str, str], HardTextRunItem],
    judge: HardTextJudge,
    *,
    batch_size: int = CLIPS_PER_CALL,
) -> HardTextRunSummary:
    """Judge every clip of ``run_id`` whose (corpus, item id) ``items`` names, and store the verdicts; what the
    model said is cached in the judge's cache, else the run database's (judging again costs no ASR)."""
    if not db_path.is_file():
        raise ScoringInputError(f"expected a run database file, {db_path} does not exist")
    conn = connect_writer(db_path)
    counts: Counter[HardTextVerdict] = Counter()
    disagreements = unreadable = 0
    cache = judge.cache or ScoreCache(conn)
    try:
        clips = [
            (row, items[(row.corpus or "", row.item_id or "")])
            for row in read_clips(conn, run_id)
            if (row.corpus or "", row.item_id or "") in items
        ]
        for start in range(0, len(clips), batch_size):
            batch = clips[start : start + batch_size]
            paths = [
                Path(row.audio_path) if Path(row.audio_path).is_absolute() else db_path.parent / row.audio_path
                for row, _ in batch
            ]
            scores = judge.score_many(
                [
                    HardTextClip(
                        hard=item.hard,
                        path=path,
                        control=item.control,
                        declared_media_type=row.declared_media_type,
                        declared_sample_rate=row.declared_sample_rate,
                    )
                    for (row, item), path in zip(batch, paths, strict=True)
                ],
                cache=cache,
            )
            judged = [
                span_score_row(row, item, score, run_id) for (row, item), score in zip(batch, scores, strict=True)
            ]
            write_span_scores(conn, judged)
            counts.update(judged_row.verdict for judged_row in judged)
            disagreements += sum(score.disagree for score in scores)
            unreadable += sum(score.unreadable for score in scores)
    finally:
        conn.close()
    return HardTextRunSummary(sum(counts.values()), dict(counts), judge.model_id, disagreements, unreadable)
