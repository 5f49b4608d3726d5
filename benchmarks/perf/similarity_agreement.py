"""Agreement of the default speaker encoder (numpy, no torch) with resemblyzer itself, on 50 pairs.

The default install scores similarity with resemblyzer's network re-implemented on numpy
(harness.scoring.speaker_encoder). This script embeds the same 50 (clip, reference) pairs with both and
prints the Pearson correlation of the two sets of cosines (goal: r >= 0.95; a run below it exits 1), the
largest difference and the time each took. Needs the score-heavy extra (resemblyzer, torch).

The pairs span the range similarity takes in a benchmark: corpus sentences spoken by the sandbox's
voices (Piper at several pitches and rates, the degraded Piper voice) against the committed reference
clips (the Piper voice, espeak-ng's) and against other renditions.

    python benchmarks/perf/similarity_agreement.py [--pairs 50] [--json] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path
from typing import Any

import goals  # beside this script
import numpy as np
import smoke_mode  # beside this script

from harness.core.target import default_reference_voice, reference_voices_dir
from harness.scoring.audio import decode_audio
from harness.scoring.speaker_encoder import preprocess, shared_encoder
from harness.speech import Engine, Rendition, default_engine

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "benchmarks" / "corpora" / "en_read.json"
REFERENCES = [default_reference_voice(), reference_voices_dir() / "espeak_reference.wav"]
VOICES = (
    Rendition(),
    Rendition(pitch_shift=3.0),
    Rendition(pitch_shift=-4.0),
    Rendition(length_scale=0.9, pitch_shift=1.0),
    Rendition(Engine.PIPER_DEGRADED),
    Rendition(Engine.PIPER_DEGRADED, pitch_shift=-4.0),
    Rendition(pitch_shift=7.0),
)


def pairs(count: int) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(label, clip at 16 kHz, reference at 16 kHz): clips against both committed references and each other."""
    texts = [item["text"] for item in json.loads(CORPUS.read_text())["items"]]
    engine = default_engine()
    references = [(path.name, decode_audio(path.read_bytes()).mono_at(16000)) for path in REFERENCES]
    made: list[tuple[str, np.ndarray, np.ndarray]] = []
    for index in range(count):
        voice = VOICES[index % len(VOICES)]
        clip = engine.render(texts[index % len(texts)], voice).resampled(16000).samples
        label = f"{voice.engine}{voice.pitch_shift:+.0f}st/{voice.length_scale:g}"
        if index % 3 < 2:
            name, reference = references[index % 3]
        else:  # another sentence in another voice as the "reference"
            other = VOICES[(index // 3) % len(VOICES)]
            reference = engine.render(texts[(index + 17) % len(texts)], other).resampled(16000).samples
            name = f"{other.engine}{other.pitch_shift:+.0f}st"
        made.append((f"{label} vs {name}", np.asarray(clip, np.float32), np.asarray(reference, np.float32)))
    return made


def cosines_numpy(items: list[tuple[str, np.ndarray, np.ndarray]]) -> list[float]:
    encoder = shared_encoder()
    return [
        float(encoder.embed_utterance(preprocess(clip)) @ encoder.embed_utterance(preprocess(reference)))
        for _, clip, reference in items
    ]


def cosines_resemblyzer(items: list[tuple[str, np.ndarray, np.ndarray]]) -> list[float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from resemblyzer import VoiceEncoder, preprocess_wav
    encoder = VoiceEncoder("cpu", verbose=False)
    return [
        float(
            encoder.embed_utterance(preprocess_wav(clip, source_sr=16000))
            @ encoder.embed_utterance(preprocess_wav(reference, source_sr=16000))
        )
        for _, clip, reference in items
    ]


GOAL_R = 0.95


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = smoke_mode.parse(parser, argv, pairs=4)  # a Pearson r of two is always ±1: four say something
    items = pairs(args.pairs)
    started = time.perf_counter()
    ours = cosines_numpy(items)
    numpy_seconds = time.perf_counter() - started
    started = time.perf_counter()
    theirs = cosines_resemblyzer(items)
    torch_seconds = time.perf_counter() - started
    difference = np.abs(np.asarray(ours) - np.asarray(theirs))
    report: dict[str, Any] = {
        "pairs": len(items),
        "pearson_r": float(np.corrcoef(ours, theirs)[0, 1]),
        "max_abs_difference": float(difference.max()),
        "mean_abs_difference": float(difference.mean()),
        "range": [float(min(theirs)), float(max(theirs))],
        "numpy_seconds": numpy_seconds,
        "resemblyzer_seconds": torch_seconds,
        "items": [
            {"pair": label, "numpy": a, "resemblyzer": b}
            for (label, _, _), a, b in zip(items, ours, theirs, strict=True)
        ],
    }
    missed = [] if report["pearson_r"] >= GOAL_R else [f"Pearson r {report['pearson_r']:.4f} < {GOAL_R}"]
    if args.json:
        print(json.dumps(report, indent=2))
        return goals.verdict(missed)
    for item in report["items"]:
        print(f"  {item['pair']:<42} numpy {item['numpy']:.4f}  resemblyzer {item['resemblyzer']:.4f}")
    print(
        f"{report['pairs']} pairs, resemblyzer cosines {report['range'][0]:.3f}..{report['range'][1]:.3f}: "
        f"Pearson r = {report['pearson_r']:.6f} (goal >= 0.95); largest difference "
        f"{report['max_abs_difference']:.2e}, mean {report['mean_abs_difference']:.2e}; "
        f"numpy {numpy_seconds:.1f} s, resemblyzer (torch) {torch_seconds:.1f} s"
    )
    return goals.verdict(missed)


if __name__ == "__main__":
    raise SystemExit(main())
