"""Hard text judged by ear: which of an item's readings a clip is likeliest under (forced choice), with the free
transcript as the open-world reference and its own verdict as a second opinion (docs/hard-text.md). The item, its
grammar and the verdict (`HardTextVerdict`) are the core's (`harness.core.hard_text`); the rows the verdicts are
kept in, the results store's (`harness.results.hard_text`).

    judge = HardTextJudge(model="tiny.en")
    score = judge.score_many([HardTextClip(hard=item.hard, path=Path("clip.wav"))])[0]
    score.choice.verdict, score.choice.reading, score.choice.margin

Modules: `candidates` (the readings, listed or searched), `surfaces` (how a reading is written for the model),
`listener` (the model: one encode per clip, the free transcript, sentence likelihoods), `forced_choice` (the
verdict and its margins), `transcript` (the free transcript's own verdict, the second opinion, and the carrier
alignment both use), `judge` (all of it, cached), `run` (a stored run's hard-text clips judged and their rows
written, from the corpora its caller loaded).
"""

from harness.scoring.hard_text.forced_choice import Choice, Thresholds
from harness.scoring.hard_text.judge import HardTextClip, HardTextJudge, HardTextScore, JudgeEvidence
from harness.scoring.hard_text.listener import ListenerSettings
from harness.scoring.hard_text.run import HardTextRunItem, HardTextRunSummary, judge_hard_text_run
from harness.scoring.hard_text.transcript import SpanJudgement, judge_span

__all__ = [
    "Choice",
    "HardTextClip",
    "HardTextJudge",
    "HardTextRunItem",
    "HardTextRunSummary",
    "HardTextScore",
    "JudgeEvidence",
    "ListenerSettings",
    "SpanJudgement",
    "Thresholds",
    "judge_hard_text_run",
    "judge_span",
]
