"""Print what DNSMOS P.835 costs per clip run whole per window (the reference's way) and split
(harness.scoring.dnsmos_windows: the full-resolution convolutions once over a clip's overlapping windows).

Clips of the lengths the benchmark produces (the sandbox's sentences, about 3 s) and longer ones, from the
repository's reference voices repeated. For each length: windows kept, then CPU seconds per clip
over the rounds for both ways (the fastest round of each: another process on the cores
only adds time, as timeit's documentation says), their ratio and the largest difference between their outputs.
Run: python benchmarks/perf/dnsmos_windows.py [--rounds N] [--seconds 3,6,12,20] [--smoke]. Goals (the module's
claim): the split outputs are the whole model's (within 1e-4) at every length, and cost less CPU (at most
`SPLIT_COST` of the whole way's: about half for a 3 s clip, a quarter for a long one); a run that misses one says so
and exits 1 (the CPU goal judged only where this process was not saturated: `goals.verdict`).
"""

from __future__ import annotations

import argparse
import importlib.resources
import time
from pathlib import Path

import goals  # beside this script
import numpy as np
import onnxruntime
import smoke_mode  # beside this script

from harness.scoring.audio import decode_audio
from harness.scoring.dnsmos import INPUT_SAMPLES, SAMPLE_RATE, kept_windows
from harness.scoring.dnsmos_windows import SplitP835

VOICES = Path(__file__).resolve().parents[2] / "fixtures" / "voices"
SECONDS = (3.0, 6.0, 12.0, 20.0)


def _cpu(run: object) -> tuple[float, object]:
    start = time.process_time()
    result = run()  # type: ignore[operator]
    return time.process_time() - start, result


MAX_DIFFERENCE = 1e-4
SPLIT_COST = 0.8  # of the whole way's CPU seconds, at most (measured: about 0.5 at 3 s, 0.25 at 20 s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", default=",".join(f"{s:g}" for s in SECONDS), help="clip lengths, comma-separated")
    args = smoke_mode.parse(parser, argv, rounds=3, seconds="3")

    model = Path(str(importlib.resources.files("speechmos") / "dnsmos_models" / "sig_bak_ovr.onnx"))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    whole = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    split = SplitP835(model, options)
    voice = decode_audio((VOICES / "joe_reference.wav").read_bytes()).mono_at(SAMPLE_RATE).astype(np.float32)
    print(f"{'clip':>6} {'windows':>8} {'whole s':>8} {'split s':>8} {'ratio':>6} {'max diff':>9}")
    exact: list[str] = []
    timing: list[str] = []
    watch = goals.Watch().start()
    for seconds in (float(s) for s in args.seconds.split(",")):
        clip = np.resize(voice, int(seconds * SAMPLE_RATE))
        audio = clip
        while len(audio) < INPUT_SAMPLES:
            audio = np.concatenate((audio, audio))
        kept = kept_windows(len(audio))

        def run_whole(audio: np.ndarray = audio, kept: list[int] = kept) -> list[np.ndarray]:
            return [
                whole.run(None, {"input_1": audio[k * SAMPLE_RATE :][:INPUT_SAMPLES][np.newaxis]})[0][0] for k in kept
            ]

        def run_split(audio: np.ndarray = audio, kept: list[int] = kept) -> list[np.ndarray]:
            return split.raw_scores(audio, kept, INPUT_SAMPLES, SAMPLE_RATE)

        run_whole(), run_split()  # warm up both
        whole_s, split_s, difference = [], [], 0.0
        for _ in range(args.rounds):
            seconds_whole, theirs = _cpu(run_whole)
            seconds_split, ours = _cpu(run_split)
            whole_s.append(seconds_whole)
            split_s.append(seconds_split)
            difference = max(difference, float(np.abs(np.asarray(ours) - np.asarray(theirs)).max()))
        a, b = min(whole_s), min(split_s)
        print(f"{seconds:>5.0f}s {len(kept):>8} {a:>8.2f} {b:>8.2f} {a / b:>6.2f} {difference:>9.1e}")
        if difference > MAX_DIFFERENCE:
            exact.append(f"{seconds:g} s: the split outputs differ from the whole model's by {difference:.1e}")
        if b > SPLIT_COST * a:
            timing.append(f"{seconds:g} s: split {b:.2f} CPU-s against whole {a:.2f} (at most {SPLIT_COST:g}x)")
    watch.stop()
    return goals.verdict(exact, timing, watch)


if __name__ == "__main__":
    raise SystemExit(main())
