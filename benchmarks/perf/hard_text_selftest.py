"""The hard-text judge tested against itself: does it pass a right reading and fail a wrong one, by ear?

For every item of a hard-text corpus, each sandbox voice asked for (``--voices``: Piper, and a second natural voice,
Kokoro, so that the figure is not one voice's; espeak-ng's robotic one to see what a voice the model hears badly
does) reads the carrier sentence with the span replaced by each accepted form and each
known misreading (one reading per form: every optional word, the first of each choice). The judge
(`harness.scoring.hard_text`, forced choice with ``--asr-model``) judges each render. Per category it prints how
often a right reading passes and a wrong one fails (and how often with its own error type), how many renders were
unsure or heard as another reading, and labels a category "not judgeable by <model>" unless, on both rates, it is
at least ``--threshold``, the lower end of its Wilson 95% interval at least `LOWER_BOUND` and it was measured on at
least `MIN_COUNT` renders (so that one miss does not move a category across the line). It also judges every wrong
render again with its own misreading left out of the item (the held-out mode: an unknown misreading, as a provider's
new one would be, caught only by a generated misreading or the free transcript) and reports, per category beside
the listed mode, how many of those failed and passed, with the Wilson interval of the share passed.

    python benchmarks/perf/hard_text_selftest.py [--corpus en_hard_smoke] [--asr-model tiny.en]
        [--voices piper,kokoro] [--threshold 0.9] [--write harness/data/hard_text/judgeable]
        [--save evidence.json] [--from evidence.json] [--calibrate piper] [--json] [--smoke]

``--smoke`` judges the first two items only (seconds; the test suite runs it). ``--write DIR`` keeps the
per-category verdicts where the faces read them (`DIR/<model>.json`). ``--save FILE`` keeps what the model said
about every render (its free transcript and every sentence's likelihood); ``--from FILE`` judges them again without
rendering or the model (minutes become seconds: how a change of the decision rule is tried). ``--calibrate VOICE``
derives the margins from that voice's renders only and reports the others with them (held out); ``--calibrate
half`` calibrates on the items at even places of each category and, apart, on the odd ones, reports each fold on
the other half, and judges every render with the wider of the two folds' margins.

Goals (`goals.verdict`, exit 1 when one is missed): no wrong reading passes (judged on any sample); every category
the shipped self-test of the model measured (`harness/data/hard_text/judgeable/<model>.json`, what the faces read)
calls judgeable is judgeable here (not judged where a category has too few renders for the rule, as on
``--smoke``'s two items a category or a small corpus of one's own: rerun in full, and with ``--write`` to ship what
it found). Under the table, the goal's rates pooled and per voice, each with its Wilson 95% interval.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import goals  # beside this script
import numpy as np
import soxr

from harness.core.corpora import load_corpus
from harness.core.hard_text import HardText, HardTextVerdict
from harness.core.hard_text.generated import GENERATED
from harness.core.hard_text.grammar import fullest
from harness.measurement import Proportion, wilson
from harness.scoring.asr.base import DEFAULT_MODEL, SAMPLE_RATE
from harness.scoring.hard_text import HardTextClip, HardTextJudge, JudgeEvidence, Thresholds
from harness.speech import Engine, Rendition, default_engine

DEFAULT_CORPUS = "en_hard_smoke"
THRESHOLD = 0.9
# The judgeable rule besides the threshold: the lower end of each rate's Wilson 95% interval, and the fewest renders
# each way (en_hard's categories have 62 to 236 each way with two voices; --smoke's two items are too few).
LOWER_BOUND = 0.8
MIN_COUNT = 30
SMOKE_ITEMS = 2
METHOD = "forced-choice"


@dataclass(frozen=True, slots=True)
class Render:
    """One reading said aloud by one voice: the item, the words, and what the judge should say (None: pass)."""

    item_id: str
    hard: HardText
    reading: str
    error: str | None  # the misreading's error type; None for an accepted reading
    voice: str


@dataclass(slots=True)
class Tally:
    right: int = 0
    right_passed: int = 0
    wrong: int = 0
    wrong_failed: int = 0
    wrong_failed_as_itself: int = 0
    wrong_passed: int = 0
    unsure: int = 0
    other: int = 0
    unknown: int = 0  # wrong renders judged with their own misreading left out (the held-out mode)
    unknown_passed: int = 0
    unknown_failed: int = 0
    unknown_failed_generated: int = 0  # of those failed, by a generated misreading
    examples: list[dict[str, str]] = field(default_factory=list)

    def rates(self) -> tuple[float | None, float | None]:
        return (
            self.right_passed / self.right if self.right else None,
            self.wrong_failed / self.wrong if self.wrong else None,
        )

    def intervals(self) -> tuple[Proportion, Proportion]:
        """The right readings passed and the wrong ones failed, each with its Wilson 95% interval."""
        return wilson(self.right_passed, self.right), wilson(self.wrong_failed, self.wrong)

    def add(self, other: Tally) -> None:
        for name in (
            "right",
            "right_passed",
            "wrong",
            "wrong_failed",
            "wrong_failed_as_itself",
            "wrong_passed",
            "unsure",
            "other",
            "unknown",
            "unknown_passed",
            "unknown_failed",
            "unknown_failed_generated",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def spoken_text(words: tuple[str, ...]) -> str:
    """A reading as the voice is given it: a lone letter in capitals, so the voice names the letter ("v two"
    would come out "the two"). A lone "a" is the article, except beside another lone letter ("a m", "n a s a"),
    where it is the letter, respelled "eigh" (both voices read a capital "A" as the article)."""

    def letter(index: int) -> bool:
        return any(0 <= other < len(words) and len(words[other]) == 1 for other in (index - 1, index + 1))

    return " ".join(
        ("eigh" if letter(index) else word) if word == "a" else word.upper() if len(word) == 1 else word
        for index, word in enumerate(words)
    )


@functools.cache
def _phonemiser() -> Any:
    from harness.speech._piper import PiperBackend

    return PiperBackend(store=None).load("joe")


@functools.cache
def _phonemes(text: str) -> str:
    """How the voices say ``text`` (Piper's espeak-ng phonemiser, which the espeak-ng voice shares), without stress
    marks or word breaks."""
    said = "".join("".join(sentence) for sentence in _phonemiser().phonemize(text))
    return "".join(mark for mark in said if mark not in "ˈˌ ʲ")


def said_as_letters(words: tuple[str, ...]) -> bool:
    """Whether the voices say a word of the reading as its letters ("pm" as "P M", "id" as "I D"): such a render
    does not say the reading it stands for (a word read as a word), so the self-test leaves it out."""
    return any(1 < len(word) <= 5 and _phonemes(word) == _phonemes(" ".join(word.upper())) for word in words)


def said_as(words: tuple[str, ...], others: Iterable[tuple[str, ...]]) -> bool:
    """Whether the voices say the reading exactly as one of ``others`` (the accepted readings): espeak-ng reads
    "dept" as "department", so a render of that misreading says the accepted reading, and is left out."""
    said = _phonemes(spoken_text(words))
    return any(said == _phonemes(spoken_text(other)) for other in others)


def renders(items: list[tuple[str, HardText]], voices: Iterable[str]) -> tuple[list[Render], list[str]]:
    """Every reading of every item by every voice, and the readings left out (the voices say them as letters)."""
    out: list[Render] = []
    left_out: list[str] = []
    for voice in voices:
        for item_id, hard in items:
            right = [fullest(form) for form in hard.accepted]
            wrong = [fullest(misreading.say) for misreading in hard.misreadings]
            said: list[tuple[tuple[str, ...], str | None]] = [(words, None) for words in right]
            said += [(words, misreading.error) for words, misreading in zip(wrong, hard.misreadings, strict=True)]
            for words, error in said:
                if said_as_letters(words) or (error is not None and said_as(words, right)):
                    left_out.append(f"{item_id} {' '.join(words)!r}")
                    continue
                out.append(Render(item_id, hard, spoken_text(words), error, voice))
    return out, sorted(set(left_out))


def say(render: Render) -> np.ndarray:
    text = render.hard.text.replace(render.hard.span, render.reading)
    clip = default_engine().render(text, Rendition(Engine(render.voice)))
    return soxr.resample(clip.samples, clip.sample_rate, SAMPLE_RATE).astype(np.float32)


def hard_items(corpus: str, limit: int | None) -> list[tuple[str, HardText]]:
    loaded = load_corpus(corpus)
    if not loaded.is_hard_text:
        raise SystemExit(f"{corpus} is not a hard-text corpus")
    items = [(item.id, item.hard) for item in loaded.items if item.hard is not None and not item.control]
    return items if limit is None else items[:limit]


def listen(judge: HardTextJudge, todo: list[Render], save: Path | None = None) -> list[tuple[Render, JudgeEvidence]]:
    """What the model says about each render (rendered and heard in batches: memory stays small); with ``save``,
    what was heard so far is kept there every few batches (a long run that stops keeps its work)."""
    heard: list[tuple[Render, JudgeEvidence]] = []
    started = time.perf_counter()
    for start in range(0, len(todo), 32):
        batch = todo[start : start + 32]
        found, problems = judge.evidence([HardTextClip(hard=render.hard, samples=say(render)) for render in batch])
        for render, evidence, problem in zip(batch, found, problems, strict=True):
            if evidence is None:
                raise SystemExit(f"{render.item_id}: {problem}")
            heard.append((render, evidence))
        if save is not None and (start // 32) % 10 == 9:
            save.write_text(json.dumps(saved(heard, judge.model_id)) + "\n", encoding="utf-8")
        print(
            f"{len(heard)} of {len(todo)} renders heard in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
            flush=True,
        )
    return heard


def without_own_misreading(render: Render) -> HardText:
    """The render's item with the render's own misreading left out: the reading is an unknown misreading."""
    kept = tuple(
        wrong
        for wrong in render.hard.misreadings
        if wrong.error != render.error or spoken_text(fullest(wrong.say)) != render.reading
    )
    return replace(render.hard, misreadings=kept)


def complete_held_out(judge: HardTextJudge, heard: list[tuple[Render, JudgeEvidence]]) -> int:
    """Ask the model what the held-out mode needs and the run did not ask (how many renders needed it): an item with
    a misreading left out may generate a reading the whole item did not ask about (a generated reading its listed
    misreading says is not generated again; where that misreading's form is searched, the reading may not have been
    met: en_hard's "500,000" without its "five {oh|zero} ..." generates "five zero zero zero zero zero"). The render
    is heard again (the voice's render store keeps it) as the held-out item's clip, and what is new merged in: the
    free transcript depends on the clip alone, so the rest is what the run heard. A render whose whole item asks
    what a saved run did not (``--from`` a run judged before the judge asked it: a new generated misreading, a new
    reading of the free transcript) is heard again the same way."""
    todo = [
        (evidence, render, asked)
        for render, evidence in heard
        for asked in dict.fromkeys((render.hard, without_own_misreading(render)))
        if not judge.complete(asked, evidence)
    ]
    for start in range(0, len(todo), 32):
        batch = todo[start : start + 32]
        found, problems = judge.evidence([HardTextClip(hard=asked, samples=say(render)) for _, render, asked in batch])
        for (evidence, render, asked), more, problem in zip(batch, found, problems, strict=True):
            if more is None:
                raise SystemExit(f"{render.item_id}: {problem}")
            evidence.scores = {**more.scores, **evidence.scores}
            evidence.priors = {**more.priors, **evidence.priors}
            evidence.searched = {**more.searched, **evidence.searched}
            if not judge.complete(asked, evidence):
                raise SystemExit(
                    f"{render.item_id} {render.reading!r} ({render.voice}): heard again, its free "
                    f"transcript was {more.transcript!r}, not {evidence.transcript!r}"
                )
    return len(todo)


def count(
    judge: HardTextJudge,
    heard: list[tuple[Render, JudgeEvidence]],
    thresholds: Thresholds,
    examples: int,
    *,
    unknown: bool = True,
) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for render, evidence in heard:
        score = judge.decide(render.hard, evidence, thresholds)
        tally = tallies[render.hard.category]
        verdict = score.verdict
        tally.unsure += verdict is HardTextVerdict.UNSURE
        tally.other += verdict is HardTextVerdict.OTHER
        if render.error is None:
            tally.right += 1
            tally.right_passed += verdict is HardTextVerdict.PASS
            misjudged = verdict is not HardTextVerdict.PASS
        else:
            tally.wrong += 1
            tally.wrong_failed += verdict is HardTextVerdict.FAIL
            tally.wrong_passed += verdict is HardTextVerdict.PASS
            tally.wrong_failed_as_itself += score.choice.error == render.error
            misjudged = verdict is not HardTextVerdict.FAIL
            unlisted = without_own_misreading(render)
            if unknown and unlisted.misreadings != render.hard.misreadings:
                held_out = judge.decide(unlisted, evidence, thresholds).choice
                tally.unknown += 1
                tally.unknown_passed += held_out.verdict is HardTextVerdict.PASS
                tally.unknown_failed += held_out.verdict is HardTextVerdict.FAIL
                tally.unknown_failed_generated += held_out.verdict is HardTextVerdict.FAIL and (
                    held_out.error or ""
                ).startswith(GENERATED)
        if misjudged and len(tally.examples) < examples:
            tally.examples.append(
                {
                    "item": render.item_id,
                    "voice": render.voice,
                    "said": render.reading,
                    "heard": score.transcript,
                    "verdict": verdict.value,
                    "chose": score.choice.reading,
                    "margin": f"{score.choice.margin:.1f}",
                }
            )
    return dict(sorted(tallies.items()))


# The margins a calibration tries (nats), and the shares of a reading's prior taken off (chosen first, at the judge's
# margins). The pass margin guards against passing a wrong reading, the fail margin against failing a right one: they
# are chosen apart.
PRIOR_WEIGHTS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
PASS_MARGINS = (2.0, 2.5, 3.0, 3.5)
FAIL_MARGINS = (1.5, 2.0, 2.5, 3.0, 3.5)
OTHER_MARGINS = (5.0, 8.0, 12.0)
MAX_UNSURE = 0.05
# The most wrong readings a calibration lets pass with their own misreading left out (the held-out mode, issue 68's
# goal): the other margin is what catches an unknown misreading, and the listed mode alone would widen it (8 nats
# on each half of en_hard, which let 4.4% of them pass).
MAX_HELD_OUT_PASSED = 0.02


def calibrate(
    judge: HardTextJudge,
    heard: list[tuple[Render, JudgeEvidence]],
    threshold: float,
    *,
    prior_weight: float | None = None,
) -> Thresholds:
    """The pass and fail margins that pass the fewest wrong readings of ``heard`` with at most `MAX_UNSURE` of the
    renders unsure, and of those leave the most categories at ``threshold`` on both rates (`at_threshold`), ties to
    the wider (the safer both ways); then the widest other margin that lets at most `MAX_HELD_OUT_PASSED` of the
    wrong readings pass with their own misreading left out (the narrowest where none does): the listed mode cannot
    choose it, since another reading only ever costs it a verdict, while an unknown misreading is caught by it. The
    prior's share is ``prior_weight`` (else the judge's)."""
    best: tuple[tuple[float, ...], Thresholds] | None = None
    share = judge.thresholds.prior_weight if prior_weight is None else prior_weight
    for pass_margin in PASS_MARGINS:
        for fail_margin in FAIL_MARGINS:
            candidate = replace(
                judge.thresholds,
                pass_margin=pass_margin,
                fail_margin=fail_margin,
                other_margin=min(OTHER_MARGINS),
                prior_weight=share,
            )
            tallies = count(judge, heard, candidate, 0, unknown=False)
            figures = totals(tallies, threshold)
            if figures["unsure_share"] > MAX_UNSURE:
                continue
            rank = (-figures["wrong_passed"], at_threshold(tallies, threshold), pass_margin, fail_margin)
            if best is None or rank > best[0]:
                best = (rank, candidate)
    if best is None:
        raise SystemExit(f"no margins leave at most {MAX_UNSURE:.0%} of these renders unsure")

    def held_out_passed(other: float) -> float:
        figures = totals(count(judge, heard, replace(best[1], other_margin=other), 0), threshold)
        return figures["unknown_passed"] / max(1, figures["unknown"])

    allowed = [other for other in OTHER_MARGINS if held_out_passed(other) <= MAX_HELD_OUT_PASSED]
    return replace(best[1], other_margin=max(allowed, default=min(OTHER_MARGINS)))


def misjudged(tallies: dict[str, Tally]) -> int:
    """The renders judged otherwise than said: a right reading not passed, a wrong one not failed."""
    return sum(tally.right - tally.right_passed + tally.wrong - tally.wrong_failed for tally in tallies.values())


def at_threshold(tallies: dict[str, Tally], threshold: float) -> int:
    """The categories whose two rates are at least ``threshold``: what a calibration compares. Not the judgeable
    rule, whose minimum count half the items cannot reach (each half's categories have 20 to 70 renders a way)."""
    return sum(all(rate is not None and rate >= threshold for rate in tally.rates()) for tally in tallies.values())


def calibrate_prior(judge: HardTextJudge, heard: Heard) -> float:
    """The share of each reading's prior taken off (`PRIOR_WEIGHTS`, at the judge's margins) that passes the fewest
    wrong readings of ``heard``, then misjudges the fewest (a right reading not passed, a wrong one not failed), then
    lets the fewest wrong readings pass with their own misreading left out (the held-out mode); ties go to the share
    nearest the judge's."""

    def rank(weight: float) -> tuple[float, ...]:
        tallies = count(judge, heard, replace(judge.thresholds, prior_weight=weight), 0)
        figures = totals(tallies, THRESHOLD)
        return (
            figures["wrong_passed"],
            misjudged(tallies),
            figures["unknown_passed"],
            abs(weight - judge.thresholds.prior_weight),
        )

    return min(PRIOR_WEIGHTS, key=rank)


def two_fold(judge: HardTextJudge, heard: Heard, threshold: float) -> tuple[Thresholds, list[str]]:
    """The prior's share and the margins calibrated on the items at even places of each category and, apart, on those
    at odd places, each fold reported on the other half (held out). The share kept is the two folds' mean (on the
    grid); the margins, calibrated at it, are the safer of the two folds' each way (the wider pass and fail margins,
    the narrower other margin): a margin one half allows may pass a wrong reading of the other (measured: a pass
    margin of 2.5 nats, enough on the even items, passed 2 wrong readings of the odd ones)."""
    even, odd = halves(heard)
    shares = [calibrate_prior(judge, fitted) for fitted in (even, odd)]
    share = min(PRIOR_WEIGHTS, key=lambda weight: (abs(weight - sum(shares) / 2), weight))
    chosen, said = [], []
    for name, fitted, held, fold_share in (("even", even, odd, shares[0]), ("odd", odd, even, shares[1])):
        margins = calibrate(judge, fitted, threshold, prior_weight=share)
        tallies = count(judge, held, margins, 0)
        figures = totals(tallies, threshold)
        chosen.append(margins)
        said.append(
            f"calibrated on the items at {name} places: the prior's share {fold_share:g}, at {share:g} "
            f"{margins.key()}; on the others, held out: {at_threshold(tallies, threshold)} of "
            f"{figures['categories']} categories at {threshold:g} on both rates, {figures['unsure_share']:.1%} "
            f"unsure, {figures['wrong_passed']} wrong readings passed, {figures['unknown_passed']} of "
            f"{figures['unknown']} passed with their own misreading left out"
        )
    kept = replace(
        judge.thresholds,
        prior_weight=share,
        pass_margin=max(m.pass_margin for m in chosen),
        fail_margin=max(m.fail_margin for m in chosen),
        other_margin=min(m.other_margin for m in chosen),
    )
    return kept, said


Heard = list[tuple[Render, JudgeEvidence]]


def halves(heard: Heard) -> tuple[Heard, Heard]:
    """The renders of the items at even places of each category (to calibrate on) and at odd places (to report)."""
    order: dict[str, list[str]] = defaultdict(list)
    for render, _ in heard:
        if render.item_id not in order[render.hard.category]:
            order[render.hard.category].append(render.item_id)
    even = {item for items in order.values() for item in items[::2]}
    return [pair for pair in heard if pair[0].item_id in even], [pair for pair in heard if pair[0].item_id not in even]


def saved(heard: list[tuple[Render, JudgeEvidence]], model: str) -> dict[str, Any]:
    return {
        "asr_model": model,
        "renders": [
            {"item": r.item_id, "voice": r.voice, "reading": r.reading, "error": r.error, "evidence": e.as_json()}
            for r, e in heard
        ],
    }


def from_saved(
    data: dict[str, Any], items: list[tuple[str, HardText]]
) -> tuple[list[tuple[Render, JudgeEvidence]], str]:
    by_id = dict(items)
    heard = [
        (
            Render(r["item"], by_id[r["item"]], r["reading"], r["error"], r["voice"]),
            JudgeEvidence.from_json(r["evidence"]),
        )
        for r in data["renders"]
        if r["item"] in by_id
    ]
    return heard, str(data["asr_model"])


def judgeable(tally: Tally, threshold: float) -> bool:
    """The rule: on both rates (right readings passed, wrong ones failed) at least ``threshold``, the lower end of
    the Wilson 95% interval at least `LOWER_BOUND`, on at least `MIN_COUNT` renders."""
    return all(
        share.trials >= MIN_COUNT and share.value >= threshold and share.low >= LOWER_BOUND
        for share in tally.intervals()
    )


def table(tallies: dict[str, Tally], model: str, threshold: float) -> str:
    """The listed mode per category (each rate with its Wilson 95% interval) and, beside it, the held-out mode."""
    lines = [
        f"| category | right readings | passed | wrong readings | failed (own error) | passed | unsure | other | "
        f"judgeable by {model} (≥ {threshold:g}, interval from {LOWER_BOUND:g}, ≥ {MIN_COUNT} each) | "
        "held out: wrong | failed (generated) | passed |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for category, tally in tallies.items():
        right, wrong = tally.intervals()
        lines.append(
            f"| {category} | {tally.right} | {_share(right)} | {tally.wrong} | {_share(wrong)} "
            f"({tally.wrong_failed_as_itself}) | {tally.wrong_passed} | {tally.unsure} | {tally.other} | "
            f"{'yes' if judgeable(tally, threshold) else f'**not judgeable by {model}**'} | {tally.unknown} | "
            f"{tally.unknown_failed} ({tally.unknown_failed_generated}) | {tally.unknown_passed} |"
        )
    return "\n".join(lines)


def _share(share: Proportion) -> str:
    """A rate with its Wilson 95% interval: "0.95 (0.87–0.98)"."""
    return "–" if not share.trials else f"{share.value:.2f} ({share.low:.2f}–{share.high:.2f})"


def totals(tallies: dict[str, Tally], threshold: float) -> dict[str, Any]:
    total = Tally()
    for tally in tallies.values():
        total.add(tally)
    renders_judged = total.right + total.wrong
    return {
        "categories": len(tallies),
        "judgeable": sum(judgeable(t, threshold) for t in tallies.values()),
        "renders": renders_judged,
        "right": total.right,
        "right_passed": total.right_passed,
        "wrong": total.wrong,
        "wrong_failed": total.wrong_failed,
        "unsure": total.unsure,
        "other": total.other,
        "unsure_share": total.unsure / renders_judged if renders_judged else math.nan,
        "wrong_passed": total.wrong_passed,
        "unknown": total.unknown,
        "unknown_passed": total.unknown_passed,
        "unknown_failed": total.unknown_failed,
        "unknown_failed_generated": total.unknown_failed_generated,
    }


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _interval(share: Proportion) -> list[float] | None:
    return None if not share.trials else [round(share.low, 4), round(share.high, 4)]


def verdicts(
    tallies: dict[str, Tally], model: str, threshold: float, corpus: str, voices: list[str], thresholds: Thresholds
) -> dict[str, Any]:
    return {
        "asr_model": model,
        "method": METHOD,
        "threshold": threshold,
        "corpus": corpus,
        "voices": voices,
        "margins": thresholds.key(),
        "rule": {"threshold": threshold, "wilson_lower_bound": LOWER_BOUND, "min_count": MIN_COUNT},
        "categories": {category: _category(tally, threshold) for category, tally in tallies.items()},
    }


def _category(tally: Tally, threshold: float) -> dict[str, Any]:
    """A category's listed mode (its rates, counts and Wilson intervals, and the verdict of the rule) and its held-out
    mode (wrong renders with their own misreading left out: failed, failed by a generated one, passed)."""
    right, wrong = tally.intervals()
    passed = wilson(tally.unknown_passed, tally.unknown)
    return {
        "right_pass": tally.rates()[0],
        "wrong_fail": tally.rates()[1],
        "right": tally.right,
        "wrong": tally.wrong,
        "right_pass_interval": _interval(right),
        "wrong_fail_interval": _interval(wrong),
        "judgeable": judgeable(tally, threshold),
        "held_out": {
            "wrong": tally.unknown,
            "failed": tally.unknown_failed,
            "failed_generated": tally.unknown_failed_generated,
            "passed": tally.unknown_passed,
            "wrong_passed": passed.value if passed.trials else None,
            "wrong_passed_interval": _interval(passed),
        },
    }


def missed(result: dict[str, Any], summary: dict[str, Any]) -> list[str]:
    """The goals this run missed: wrong readings passed, and categories the shipped self-test of the same model (by
    content id and method) calls judgeable that were not judgeable here. Unknown misreadings that passed are a
    figure the run prints, not a goal: a reading no item lists is only caught when the free transcript hears it."""
    from harness.results import shipped_judgeability

    lines = []
    if summary["wrong_passed"]:
        lines.append(f"{summary['wrong_passed']} wrong reading(s) passed")
    shipped = next(
        (
            model
            for model in shipped_judgeability().models
            if model.asr_model == result["asr_model"] and model.method == result["method"]
        ),
        None,
    )
    if shipped is None:
        return lines
    return lines + [
        f"{category}: shipped as judgeable by {shipped.asr_name}, here right readings passed "
        f"{_rate(found['right_pass'])} and wrong ones failed {_rate(found['wrong_fail'])} (threshold "
        f"{result['threshold']:g})"
        for category, found in result["categories"].items()
        if shipped.categories.get(category) and not found["judgeable"] and not _too_few(found)
    ]


def _too_few(found: dict[str, Any]) -> bool:
    """Whether a category had too few renders either way for the rule to call it judgeable at all (`MIN_COUNT`)."""
    return bool(found["right"] < MIN_COUNT or found["wrong"] < MIN_COUNT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS, help="a hard-text corpus name or file")
    parser.add_argument("--asr-model", default=DEFAULT_MODEL, help="the judge's ASR model (tiny.en, base, a folder)")
    parser.add_argument(
        "--voices",
        default=Engine.PIPER.value,
        help=f"sandbox voices, comma-separated ({', '.join(engine.value for engine in Engine)})",
    )
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--smoke", action="store_true", help=f"the first {SMOKE_ITEMS} items only")
    parser.add_argument("--examples", type=int, default=3, help="misjudged renders listed per category")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", type=Path, help="write the per-category verdicts here (a folder: <model>.json)")
    parser.add_argument("--save", type=Path, help="keep what the model said about every render here (JSON)")
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        action="append",
        help="judge again what --save kept (repeat it to join runs: one voice each, say)",
    )
    parser.add_argument(
        "--calibrate",
        metavar="VOICE|half",
        help="derive the margins from this voice's renders (or half the items), report the rest",
    )
    args = parser.parse_args(argv)
    items = hard_items(args.corpus, SMOKE_ITEMS if args.smoke else None)
    judge = HardTextJudge(model=args.asr_model)
    started = time.perf_counter()
    todo, left_out = renders(items, args.voices.split(","))
    if args.source:
        heard, models = [], set()
        for source in args.source:
            found, model = from_saved(json.loads(source.read_text(encoding="utf-8")), items)
            heard += found
            models.add(model)
        if len(models) > 1:
            raise SystemExit(f"--from files name different models ({', '.join(sorted(models))}): judge one at a time")
        kept = {(render.item_id, render.reading, render.voice) for render in todo}
        heard = [
            (render, evidence) for render, evidence in heard if (render.item_id, render.reading, render.voice) in kept
        ]
    else:
        heard, model = listen(judge, todo, args.save), judge.model_id
    if args.save:
        args.save.write_text(json.dumps(saved(heard, model)) + "\n", encoding="utf-8")
    if completed := complete_held_out(judge, heard):
        print(
            f"Heard again for the held-out mode (a reading its whole item did not ask about): {completed} renders",
            file=sys.stderr,
        )
        if args.save:
            args.save.write_text(json.dumps(saved(heard, model)) + "\n", encoding="utf-8")
    voices = list(dict.fromkeys(render.voice for render, _ in heard))
    thresholds = judge.thresholds
    reported = heard
    folds: list[str] = []
    if args.calibrate == "half":
        thresholds, folds = two_fold(judge, heard, args.threshold)
    elif args.calibrate:
        thresholds = calibrate(judge, [(r, e) for r, e in heard if r.voice == args.calibrate], args.threshold)
        reported = [(r, e) for r, e in heard if r.voice != args.calibrate] or heard
    tallies = count(judge, reported, thresholds, args.examples)
    per_voice = {
        voice: totals(count(judge, [(r, e) for r, e in reported if r.voice == voice], thresholds, 0), args.threshold)
        for voice in voices
    }
    seconds = time.perf_counter() - started
    result = verdicts(tallies, model, args.threshold, args.corpus, voices, thresholds)
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        path = args.write / f"{model.split('#')[0]}.json"
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    summary = totals(tallies, args.threshold)
    if args.json:
        print(
            json.dumps(
                {
                    **result,
                    "renders": len(reported),
                    "seconds": round(seconds, 1),
                    "totals": summary,
                    "per_voice": per_voice,
                    "examples": {c: t.examples for c, t in tallies.items()},
                },
                indent=2,
            )
        )
        return _verdict(result, summary)
    held_out = {None: "", "half": ", the safer of two folds' margins (below)"}.get(
        args.calibrate, f", held out from {args.calibrate} (calibrated on it)"
    )
    for fold in folds:
        print(fold)
    if left_out:
        print(
            f"Left out, the voices say them as letters or as a reading of the other side: {len(left_out)} readings "
            f"({'; '.join(left_out[:6])}{'; …' if len(left_out) > 6 else ''})"
        )
    print(
        f"{len(reported)} renders of {args.corpus} by {', '.join(voices)} judged by forced choice with {model} in "
        f"{seconds:.0f} s; margins {thresholds.key()}{held_out}\n"
    )
    print(table(tallies, model.split("#")[0], args.threshold))
    _print_totals(summary, per_voice, tallies, args.threshold)
    return _verdict(result, summary)


def _print_totals(
    summary: dict[str, Any], per_voice: dict[str, dict[str, Any]], tallies: dict[str, Tally], threshold: float
) -> None:
    """The totals under the table, both modes, each voice's (the rates of issue 81's goal, each with its Wilson 95%
    interval), and the misjudged renders."""
    print(
        f"\n{summary['judgeable']} of {summary['categories']} categories judgeable at {threshold:g}; unsure "
        f"{summary['unsure']} of {summary['renders']} renders ({summary['unsure_share']:.1%}); other "
        f"{summary['other']}; wrong readings passed {summary['wrong_passed']}; held out (own misreading left out): "
        f"passed {summary['unknown_passed']} of {summary['unknown']}, failed {summary['unknown_failed']} "
        f"({summary['unknown_failed_generated']} by a generated misreading)"
    )
    print(f"  all: {_rates(summary)}")
    for voice, figures in per_voice.items():
        print(
            f"  {voice}: {figures['judgeable']} of {figures['categories']} judgeable, unsure "
            f"{figures['unsure_share']:.1%}, wrong passed {figures['wrong_passed']}; {_rates(figures)}"
        )
    for category, counted in tallies.items():
        for example in counted.examples:
            print(
                f"  {category} {example['item']} ({example['voice']}): said {example['said']!r}, heard "
                f"{example['heard']!r} -> {example['verdict']} {example['chose']!r} (margin {example['margin']})"
            )


def _rates(figures: dict[str, Any]) -> str:
    """The goal's three rates, each "k of n, share (Wilson 95% interval)"."""

    def rate(successes: int, trials: int) -> str:
        share = wilson(successes, trials)
        return f"{successes} of {trials}" + (
            f", {share.value:.1%} ({share.low:.1%}–{share.high:.1%})" if share.trials else ""
        )

    return (
        f"right readings passed {rate(figures['right_passed'], figures['right'])}; wrong readings failed "
        f"{rate(figures['wrong_failed'], figures['wrong'])}; held out, wrong passed "
        f"{rate(figures['unknown_passed'], figures['unknown'])}"
    )


def _verdict(result: dict[str, Any], summary: dict[str, Any]) -> int:
    """The goals missed; a category with too few renders to be judgeable (`--smoke`'s two items, or a small corpus of
    one's own) is not judged against the shipped file, and is named as such."""
    few = [category for category, found in result["categories"].items() if _too_few(found)]
    unjudged = [
        f"the shipped judgeability of {len(few)} categor{'y' if len(few) == 1 else 'ies'} ({', '.join(few[:4])}"
        f"{', …' if len(few) > 4 else ''}): fewer than {MIN_COUNT} renders each way"
    ]
    return goals.verdict(missed(result, summary), unjudged=unjudged if few else [])


if __name__ == "__main__":
    sys.exit(main())
