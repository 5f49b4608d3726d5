"""ASR throughput: batched faster-whisper against openai-whisper on the same clips, same model, same settings.

Renders the first N sentences of the en_read corpus with the sandbox's main voice (Piper "joe"), then
transcribes all of them with faster-whisper (int8, clips batched across 30 s windows) and with
openai-whisper (fp32 torch, one clip at a time, the shipped tiny.en converted to its checkpoint format),
both with beam 5 at temperature 0. Prints clips per second, the throughput ratio and both pooled WERs.

Goal (issue 5): ratio >= 4x, pooled WERs within 0.5 points. On a CPU, batching full 30 s windows saves
little (the encoder's work per window is the cost), so ``--window 10`` also times the speed option that
encodes short clips in a 10 s window; its WER against openai-whisper's is printed beside its ratio.
Model loading is excluded from the timings (one warm-up clip each); wall-clock time on a shared 2-core
machine varies, so run it on a quiet one.

    python benchmarks/perf/asr_throughput.py [--clips 50] [--batch-size 8] [--window 10] [--sequential] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from harness.scoring import DecodingSettings, normalizer_for, pooled_wer, score_transcript
from harness.scoring.asr.base import AsrBackend
from harness.scoring.asr.faster import FasterWhisperBackend
from harness.scoring.asr.openai_whisper import OpenAIWhisperBackend
from harness.scoring.audio import FloatArray

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "en_read.json"


def render_corpus(count: int) -> tuple[list[str], list[FloatArray]]:
    import soxr

    from harness.speech import Engine, Rendition, default_engine

    items = json.loads(CORPUS.read_text())["items"][:count]
    engine = default_engine()
    texts, clips = [], []
    for item in items:
        clip = engine.render(item["text"], Rendition(engine=Engine.PIPER, length_scale=1.0))
        texts.append(item["text"])
        clips.append(np.asarray(soxr.resample(clip.samples, clip.sample_rate, 16_000), dtype=np.float32))
    return texts, clips


def timed(backend: AsrBackend, clips: list[FloatArray]) -> tuple[list[str], float]:
    backend.transcribe(clips[:1], "en")  # load and warm up outside the timing
    started = time.perf_counter()
    transcripts = backend.transcribe(clips, "en")
    return transcripts, time.perf_counter() - started


def pooled(texts: list[str], transcripts: list[str]) -> float:
    normalizer = normalizer_for("en")
    rate = pooled_wer([score_transcript(t, [r], normalizer) for r, t in zip(texts, transcripts, strict=True)])
    assert rate is not None
    return rate.pooled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--window", type=float, default=None, help="also time faster-whisper with this window (s)")
    parser.add_argument("--sequential", action="store_true", help="also time faster-whisper one clip at a time")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    texts, clips = render_corpus(args.clips)
    audio_s = sum(len(clip) for clip in clips) / 16_000
    settings = DecodingSettings(beam_size=args.beam_size, batch_size=args.batch_size)
    results: dict[str, dict[str, float]] = {}
    runs: list[tuple[str, AsrBackend]] = [("faster-whisper batched", FasterWhisperBackend(settings=settings))]
    if args.window:
        windowed = DecodingSettings(beam_size=args.beam_size, batch_size=args.batch_size, window_s=args.window)
        runs.append((f"faster-whisper {args.window:g} s window", FasterWhisperBackend(settings=windowed)))
    if args.sequential:
        one = DecodingSettings(beam_size=args.beam_size, batch_size=1)
        runs.append(("faster-whisper one by one", FasterWhisperBackend(settings=one)))
    runs.append(("openai-whisper", OpenAIWhisperBackend(settings=settings)))
    for label, backend in runs:
        transcripts, seconds = timed(backend, clips)
        results[label] = {
            "seconds": seconds,
            "clips_per_s": len(clips) / seconds,
            "real_time_factor": seconds / audio_s,
            "pooled_wer": pooled(texts, transcripts),
        }
    slow = results["openai-whisper"]
    comparisons = {
        label: {
            "throughput_ratio": figures["clips_per_s"] / slow["clips_per_s"],
            "wer_difference_points": 100 * abs(figures["pooled_wer"] - slow["pooled_wer"]),
        }
        for label, figures in results.items()
        if label != "openai-whisper"
    }
    summary = {
        "clips": len(clips),
        "audio_s": audio_s,
        "beam_size": args.beam_size,
        "batch_size": args.batch_size,
        "results": results,
        "against_openai_whisper": comparisons,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"{len(clips)} clips, {audio_s:.1f} s of audio, beam {args.beam_size}, batch {args.batch_size}")
    for label, figures in results.items():
        print(
            f"  {label:<28} {figures['seconds']:7.1f} s  {figures['clips_per_s']:5.2f} clips/s  "
            f"RTF {figures['real_time_factor']:.3f}  pooled WER {figures['pooled_wer']:.2%}"
        )
    for label, comparison in comparisons.items():
        print(
            f"{label} vs openai-whisper: throughput ratio {comparison['throughput_ratio']:.2f}x (goal >= 4x); "
            f"WER difference {comparison['wer_difference_points']:.2f} points (goal <= 0.5)"
        )


if __name__ == "__main__":
    main()
