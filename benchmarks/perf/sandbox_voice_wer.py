"""Intelligibility of the sandbox's voices on the English read corpus, scored with tiny.en.

The sandbox's main voice (Piper "joe" at length_scale 1.0) should be near-perfectly intelligible (goal:
pooled WER <= 5 %); the degraded Piper voice, the deliberately worse model, must score at least twice
as badly. Renders every item of ``benchmarks/corpora/en_read.json`` with each engine (no sandbox server
needed; espeak-ng too where it is installed), scores them with the default ``Scorer`` and prints pooled
WER, the per-utterance mean, error counts, flags and the worst items of each voice.

    python benchmarks/perf/sandbox_voice_wer.py [--corpus PATH] [--limit N] [--worst 5] [--json] [--smoke]
"""

from __future__ import annotations

import argparse
import io
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import goals  # beside this script
import smoke_mode  # beside this script
import soundfile

from harness.scoring import ClipInput, ClipScore, Scorer, pooled_wer
from harness.speech import Engine, Rendition, default_engine, unavailable_reason

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "en_read.json"
VOICES = {"piper-joe": "piper", "piper-degraded": "piper-degraded", "espeak-ng": "espeak"}


def render(text: str, engine: str) -> bytes:
    clip = default_engine().render(text, Rendition(engine=Engine(engine), length_scale=1.0))
    buffer = io.BytesIO()
    soundfile.write(buffer, clip.samples, clip.sample_rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def summarise(label: str, items: list[dict[str, str]], scores: list[ClipScore], worst: int) -> dict[str, Any]:
    rate = pooled_wer(scores)
    assert rate is not None, f"no clip of {label} could be scored"
    ranked = sorted(zip(items, scores, strict=True), key=lambda pair: -(pair[1].wer or 0.0))
    return {
        "voice": label,
        "clips": rate.clips,
        "failed": sum(1 for score in scores if score.error),
        "pooled_wer": rate.pooled,
        "per_utterance_mean_wer": rate.per_utterance_mean,
        "substitutions": rate.substitutions,
        "deletions": rate.deletions,
        "insertions": rate.insertions,
        "reference_words": rate.ref_length,
        "flags": dict(Counter(flag.value for score in scores for flag in score.flags)),
        "worst": [
            {"id": item["id"], "wer": score.wer, "reference": item["text"], "transcript": score.transcript}
            for item, score in ranked[:worst]
            if score.wer
        ],
    }


GOAL_WER, GOAL_WORSE = 0.05, 2.0


def missed(report: dict[str, Any]) -> list[str]:
    """The main voice's pooled WER above the goal, a worse voice less than twice as bad (see the docstring)."""
    if not report["voices"]:
        return ["no voice scored"]
    main_voice, *others = report["voices"]
    said = (
        [f"main voice pooled WER {main_voice['pooled_wer']:.2%} > {GOAL_WER:.0%}"]
        if main_voice["pooled_wer"] > GOAL_WER
        else []
    )
    said += [
        f"{other['voice']} pooled WER {other['pooled_wer']:.2%}: not {GOAL_WORSE:g}x the main voice's "
        f"{main_voice['pooled_wer']:.2%}"
        for other in others
        if other["pooled_wer"] < GOAL_WORSE * main_voice["pooled_wer"] or other["pooled_wer"] == 0
    ]
    return said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="score only the first N items")
    parser.add_argument("--worst", type=int, default=5, help="show this many worst items per voice")
    parser.add_argument("--json", action="store_true")
    args = smoke_mode.parse(parser, argv, limit=4, worst=1)  # one sentence's one misheard word is 8%: four

    corpus = json.loads(args.corpus.read_text())
    items = corpus["items"][: args.limit]
    scorer = Scorer(similarity=False, dnsmos=False)  # intelligibility: DNSMOS (a CPU-second a clip) is not read
    report: dict[str, Any] = {"corpus": f"{corpus['name']}@{corpus['version']}", "voices": []}
    for label, engine in VOICES.items():
        missing = unavailable_reason(Engine(engine))
        if missing:
            print(f"skipping {label}: {missing}")
            continue
        started = time.perf_counter()
        clips = [
            ClipInput(text=item["text"], audio=render(item["text"], engine), language=corpus["language"])
            for item in items
        ]
        scores = scorer.score_many(clips)
        summary = summarise(label, items, scores, args.worst)
        summary["seconds"] = time.perf_counter() - started
        report["voices"].append(summary)
    report["versions"] = {
        "asr": f"{scores[0].versions.asr_backend} {scores[0].versions.asr_model}",
        "normalizer": f"{scores[0].versions.normalizer_name} {scores[0].versions.normalizer_version}",
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return goals.verdict(missed(report))
    versions = report["versions"]
    print(f"corpus {report['corpus']}, {len(items)} items; {versions['asr']}; {versions['normalizer']}")
    for voice in report["voices"]:
        print(
            f"  {voice['voice']:<10} pooled WER {voice['pooled_wer']:6.2%}  per-utterance mean "
            f"{voice['per_utterance_mean_wer']:6.2%}  S/D/I {voice['substitutions']}/{voice['deletions']}/"
            f"{voice['insertions']} of {voice['reference_words']} words  failed {voice['failed']}  "
            f"flags {voice['flags'] or '-'}  ({voice['seconds']:.0f} s)"
        )
        for worst in voice["worst"]:
            print(f"      {worst['id']} {worst['wer']:.0%}: {worst['transcript']!r}")
    main_voice, *others = report["voices"]
    floor = max(main_voice["pooled_wer"], 1e-9)
    ratios = "; ".join(f"{other['voice']} is {other['pooled_wer'] / floor:.1f}x worse" for other in others)
    print(f"main voice pooled WER {main_voice['pooled_wer']:.2%} (goal <= 5%; worse voices >= 2x); {ratios}")
    return goals.verdict(missed(report))


if __name__ == "__main__":
    raise SystemExit(main())
