"""Print what Piper's onnxruntime threads cost when they spin between renders and when they sleep.

The sandbox loads its voice with sleeping threads (harness.speech._piper); `PiperVoice.load` keeps
onnxruntime's default, which spins. Each setting renders the same sentences alone and beside busy processes
(the benchmark's client, its scorer, other CI jobs): medians of wall and CPU seconds per round.
Run: python benchmarks/perf/piper_spinning.py [--rounds N] [--busy K] [--sentences N] [--smoke]. Goal (the reason the
sandbox sleeps its threads): sleeping costs less CPU than spinning, alone and beside busy processes; a run that misses
it says so and exits 1 (judged only where this process was not saturated while it measured: `goals.verdict`).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time
from collections.abc import Callable

import goals  # beside this script
import smoke_mode  # beside this script

from harness.speech._piper import PiperBackend

SENTENCES = (
    "The quick brown fox jumps over the lazy dog. It was a bright cold day in April.",
    "Astronomers watched the comet cross the sky for three nights.",
    "Please confirm your appointment for Tuesday at four o'clock.",
)


def _spin(stop: multiprocessing.synchronize.Event) -> None:
    while not stop.is_set():
        pass


def _round(render: Callable[[str], object], sentences: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for sentence in (SENTENCES * 3)[:sentences]:
        render(sentence)
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--busy", type=int, default=2, help="busy processes beside the renders")
    parser.add_argument("--sentences", type=int, default=3 * len(SENTENCES), help="renders per round")
    args = smoke_mode.parse(parser, argv, rounds=1, busy=0, sentences=2)

    from piper import PiperVoice, SynthesisConfig

    backend = PiperBackend()
    model, config = backend.voice_paths("joe")
    voices = {
        "spinning (onnxruntime's default)": PiperVoice.load(model, config_path=config),
        "sleeping (the sandbox's)": backend.load("joe"),
    }
    settings = SynthesisConfig(length_scale=1.0, noise_scale=0.0, noise_w_scale=0.0)
    timing: list[str] = []
    watch = goals.Watch().start()
    for busy in sorted({0, args.busy}):
        stop = multiprocessing.Event()
        spinners = [multiprocessing.Process(target=_spin, args=(stop,)) for _ in range(busy)]
        for process in spinners:
            process.start()
        cpus: list[float] = []
        try:
            for label, voice in voices.items():

                def render(text: str, voice: PiperVoice = voice) -> object:
                    return [chunk.audio_float_array for chunk in voice.synthesize(text, settings)]

                render("warm up")
                rounds = [_round(render, args.sentences) for _ in range(args.rounds)]
                wall = statistics.median(r[0] for r in rounds)
                cpu = statistics.median(r[1] for r in rounds)
                print(f"{busy} busy  {label:<34} wall {wall:6.2f} s  cpu {cpu:6.2f} s  (median of {args.rounds})")
                cpus.append(cpu)
        finally:
            stop.set()
            for process in spinners:
                process.join()
        spinning, sleeping = cpus
        if sleeping >= spinning:
            timing.append(f"{busy} busy: sleeping threads took {sleeping:.2f} CPU-s, spinning {spinning:.2f}")
    watch.stop()
    return goals.verdict([], timing, watch)


if __name__ == "__main__":
    raise SystemExit(main())
