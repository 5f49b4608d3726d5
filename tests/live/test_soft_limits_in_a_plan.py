"""A benchmark plan sends what the documents only recommend against, and carries the warning to the
run's drift rows; what a hard limit forbids is refused before anything is sent and costs nothing."""

from __future__ import annotations

from harness.core.corpora import Corpus, CorpusItem
from harness.core.registry import providers
from harness.runner.plan.jobs import Plan, References, build_plan, select
from harness.runner.plan.pricing import PriceBook

LONG = "A sentence that keeps going for a while. " * 15  # 615 characters: past XTTS's recommended 500


def _plan(text: str, model: str) -> Plan:
    corpus = Corpus(name="limits", version="1", language="en", items=(CorpusItem(id="long", text=text, language="en"),))
    selections = select(providers(), ["pixazo"], [model])
    return build_plan("run-1", selections, [corpus], 1, PriceBook(), References(url="https://voices.example/ref.wav"))


def test_a_text_past_the_recommended_length_is_planned_with_a_warning() -> None:
    plan = _plan(LONG, "xtts-v2")
    [job] = plan.jobs
    assert job.invalid is None
    assert [(w.pointer, w.kind) for w in job.warnings] == [("/text", "soft-limit")]
    assert '"Text to synthesize (max 500 characters recommended)"' in job.warnings[0].note
    assert "615 characters" in job.warnings[0].note
    assert plan.cost_usd == job.price.usd


def test_a_text_within_the_recommendation_carries_no_warning() -> None:
    [job] = _plan("Short and sweet.", "xtts-v2").jobs
    assert job.warnings == ()
