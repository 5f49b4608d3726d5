"""The hard-text span scorer tested against itself: does it pass a right reading and fail a wrong one?

For every item of a hard-text corpus, the sandbox's Piper voice reads the carrier sentence with the span
replaced by each accepted form and each known misreading (one reading per form: every optional word, the
first of each choice). The span scorer (spoken-form tiny.en, `harness.scoring.span_scorer`) judges each
render. Per category it prints how often a right reading passes and a wrong one fails (and how often with
its own error type), and labels a category below ``--threshold`` on either "not judgeable by <model>".

    python benchmarks/perf/hard_text_selftest.py [--corpus en_hard_smoke] [--threshold 0.8] [--json]
        [--write harness/data/hard_text/judgeable.json] [--examples 3] [--smoke]

``--smoke`` judges the first two items only (seconds; the test suite runs it). Goal: every category the shipped
verdicts (`harness/data/hard_text/judgeable.json`, what the report reads) call judgeable by the model measured is
judgeable on what was measured here — its right readings pass and its wrong ones fail at the threshold or more —; a
run that finds otherwise says which and exits 1 (rerun with --write to ship what it found). ``--write`` keeps the
per-category verdicts where the report reads them (categories not judgeable are shown, not scored).
``--save FILE`` keeps every render's transcript; ``--from FILE`` judges those transcripts again without
rendering or transcribing (minutes become a second, to try a change to the judge).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import goals  # beside this script
import numpy as np
import soxr

from harness.bench.corpus import load_corpus
from harness.core.hard_text import HardText
from harness.core.spoken_grammar import fullest
from harness.scoring.asr.base import SAMPLE_RATE
from harness.scoring.span import Verdict, judge_span
from harness.scoring.span_scorer import SpanClip, SpanScorer
from harness.speech import Engine, Rendition, default_engine

DEFAULT_CORPUS = "en_hard_smoke"
THRESHOLD = 0.8
SMOKE_ITEMS = 2


@dataclass(frozen=True, slots=True)
class Render:
    """One reading said aloud: the item, the words, and what the scorer should say (None: pass)."""

    item_id: str
    hard: HardText
    reading: str
    error: str | None  # the misreading's error type; None for an accepted reading


@dataclass(slots=True)
class Tally:
    right: int = 0
    right_passed: int = 0
    wrong: int = 0
    wrong_failed: int = 0
    wrong_failed_as_itself: int = 0
    unsure: int = 0
    examples: list[dict[str, str]] = field(default_factory=list)

    def rates(self) -> tuple[float | None, float | None]:
        return (self.right_passed / self.right if self.right else None,
                self.wrong_failed / self.wrong if self.wrong else None)


def spoken_text(words: tuple[str, ...]) -> str:
    """A reading as the voice is given it: a lone letter other than "a" in capitals, so Piper names the
    letter ("v two" would come out "the two"); "a" stays the article Piper reads it as."""
    return " ".join(word.upper() if len(word) == 1 and word != "a" else word for word in words)


def renders(items: list[tuple[str, HardText]]) -> list[Render]:
    out = []
    for item_id, hard in items:
        for form in hard.accepted:
            out.append(Render(item_id, hard, spoken_text(fullest(form)), None))
        for wrong in hard.misreadings:
            out.append(Render(item_id, hard, spoken_text(fullest(wrong.say)), wrong.error))
    return out


def say(render: Render) -> np.ndarray:
    text = render.hard.text.replace(render.hard.span, render.reading)
    clip = default_engine().render(text, Rendition(Engine.PIPER, length_scale=1.0))
    return soxr.resample(clip.samples, clip.sample_rate, SAMPLE_RATE).astype(np.float32)


def hard_items(corpus: str, limit: int | None) -> list[tuple[str, HardText]]:
    loaded = load_corpus(corpus)
    if not loaded.is_hard_text:
        raise SystemExit(f"{corpus} is not a hard-text corpus")
    items = [(item.id, item.hard) for item in loaded.items if item.hard is not None and not item.control]
    return items if limit is None else items[:limit]


def transcribe(items: list[tuple[str, HardText]]) -> tuple[list[tuple[Render, str]], str]:
    """Each render and its spoken-form transcript."""
    scorer = SpanScorer()
    heard: list[tuple[Render, str]] = []
    todo = renders(items)
    for start in range(0, len(todo), 32):  # render and transcribe in batches: memory stays small
        batch = todo[start : start + 32]
        scores = scorer.score_many([SpanClip(render.hard, samples=say(render)) for render in batch])
        heard.extend((render, score.transcript) for render, score in zip(batch, scores, strict=True))
    return heard, scorer.model_name


def count(heard: list[tuple[Render, str]], examples: int) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for render, transcript in heard:
        judgement = judge_span(render.hard, transcript)
        tally = tallies[render.hard.category]
        verdict = judgement.verdict
        tally.unsure += verdict is Verdict.UNSURE
        if render.error is None:
            tally.right += 1
            tally.right_passed += verdict is Verdict.PASS
            misjudged = verdict is not Verdict.PASS
        else:
            tally.wrong += 1
            tally.wrong_failed += verdict is Verdict.FAIL
            tally.wrong_failed_as_itself += judgement.error == render.error
            misjudged = verdict is not Verdict.FAIL
        if misjudged and len(tally.examples) < examples:
            tally.examples.append({"item": render.item_id, "said": render.reading, "heard": transcript,
                                   "verdict": verdict.value, "span_heard": judgement.heard})
    return dict(sorted(tallies.items()))


def saved(heard: list[tuple[Render, str]], model: str) -> dict[str, Any]:
    return {"asr_model": model, "renders": [{"item": r.item_id, "reading": r.reading, "error": r.error,
                                             "transcript": t} for r, t in heard]}


def from_saved(data: dict[str, Any], items: list[tuple[str, HardText]]) -> tuple[list[tuple[Render, str]], str]:
    by_id = dict(items)
    heard = [(Render(r["item"], by_id[r["item"]], r["reading"], r["error"]), r["transcript"])
             for r in data["renders"] if r["item"] in by_id]
    return heard, str(data["asr_model"])


def judgeable(tally: Tally, threshold: float) -> bool:
    right, wrong = tally.rates()
    return right is not None and wrong is not None and right >= threshold and wrong >= threshold


def table(tallies: dict[str, Tally], model: str, threshold: float) -> str:
    lines = [f"| category | right readings | passed | wrong readings | failed (own error) | unsure | "
             f"judgeable by {model} (≥ {threshold:g} on both) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for category, tally in tallies.items():
        right, wrong = tally.rates()
        lines.append(
            f"| {category} | {tally.right} | {_rate(right)} | {tally.wrong} | {_rate(wrong)} "
            f"({tally.wrong_failed_as_itself}) | {tally.unsure} | "
            f"{'yes' if judgeable(tally, threshold) else f'**not judgeable by {model}**'} |")
    return "\n".join(lines)


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def verdicts(tallies: dict[str, Tally], model: str, threshold: float, corpus: str) -> dict[str, Any]:
    return {
        "asr_model": model,
        "threshold": threshold,
        "corpus": corpus,
        "categories": {
            category: {"right_pass": tally.rates()[0], "wrong_fail": tally.rates()[1],
                       "right": tally.right, "wrong": tally.wrong, "judgeable": judgeable(tally, threshold)}
            for category, tally in tallies.items()
        },
    }


def missed(result: dict[str, Any]) -> list[str]:
    """The categories the shipped verdicts call judgeable (by this run's model) that this run did not find so."""
    from harness.results import shipped_judgeability

    shipped = shipped_judgeability()
    if shipped is None or shipped.asr_model != result["asr_model"]:
        return []
    return [f"{category}: shipped as judgeable by {shipped.asr_model}, here right readings passed "
            f"{_rate(found['right_pass'])} and wrong ones failed {_rate(found['wrong_fail'])} (threshold "
            f"{result['threshold']:g})" for category, found in result["categories"].items()
            if category not in shipped.not_judgeable and not found["judgeable"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS, help="a hard-text corpus name or file")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--smoke", action="store_true", help=f"the first {SMOKE_ITEMS} items only")
    parser.add_argument("--examples", type=int, default=3, help="misjudged renders listed per category")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", type=Path, help="write the per-category verdicts (JSON) here")
    parser.add_argument("--save", type=Path, help="keep every render's transcript here (JSON)")
    parser.add_argument("--from", dest="source", type=Path, help="judge the transcripts --save kept")
    args = parser.parse_args(argv)
    items = hard_items(args.corpus, SMOKE_ITEMS if args.smoke else None)
    started = time.perf_counter()
    if args.source:
        heard, model = from_saved(json.loads(args.source.read_text(encoding="utf-8")), items)
    else:
        heard, model = transcribe(items)
    if args.save:
        args.save.write_text(json.dumps(saved(heard, model), indent=1) + "\n", encoding="utf-8")
    tallies = count(heard, args.examples)
    clips, seconds = len(heard), time.perf_counter() - started
    result = verdicts(tallies, model, args.threshold, args.corpus)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps({**result, "clips": clips, "seconds": round(seconds, 1),
                          "examples": {c: t.examples for c, t in tallies.items()}}, indent=2))
        return goals.verdict(missed(result))
    print(f"{clips} renders of {args.corpus} judged by spoken-form {model} in {seconds:.0f} s\n")
    print(table(tallies, model, args.threshold))
    for category, counted in tallies.items():
        for example in counted.examples:
            print(f"  {category} {example['item']}: said {example['said']!r}, heard {example['heard']!r} "
                  f"-> {example['verdict']} ({example['span_heard']!r})")
    return goals.verdict(missed(result))


if __name__ == "__main__":
    sys.exit(main())
