"""Hard text judged by ear: which of an item's readings a clip is likeliest under (forced choice), with the free
transcript as the open-world reference and its own verdict as a second opinion (docs/hard-text.md).

    judge = HardTextJudge(model="tiny.en")
    score = judge.score_many([HardTextClip(item.hard, path=Path("clip.wav"))])[0]
    score.choice.verdict, score.choice.reading, score.choice.margin

Modules: `candidates` (the readings, listed or searched), `surfaces` (how a reading is written for the model),
`listener` (the model: one encode per clip, the free transcript, sentence likelihoods), `forced_choice` (the
verdict and its margins), `judge` (all of it, cached).
"""

from harness.scoring.hard_text.forced_choice import Choice, Thresholds
from harness.scoring.hard_text.judge import Evidence, HardTextClip, HardTextJudge, HardTextScore
from harness.scoring.hard_text.listener import ListenerSettings

__all__ = ["Choice", "Evidence", "HardTextClip", "HardTextJudge", "HardTextScore", "ListenerSettings", "Thresholds"]
