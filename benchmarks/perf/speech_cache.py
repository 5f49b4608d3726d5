"""Print the speech engine's costs: Piper load, first render, cache hit, espeak-ng, pitch shift, encoding.

Figures for the sandbox's latency budget (its emulated jobs must not be dominated by our own synthesis).
Run: python benchmarks/perf/speech_cache.py [--repeat N] [--smoke]. Prints medians of N runs. Goals: an uncached render
faster than real time (the sentence's seconds), a cache hit a hundredth of it or less, every encoding of the clip
faster than real time; a run that misses one says so and exits 1 (judged only where this process was not saturated
while it measured: `goals.verdict`).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

import goals  # beside this script
import smoke_mode  # beside this script

from harness.speech import AudioFormat, Engine, Rendition, SpeechEngine, encode
from harness.speech._piper import PiperBackend

SENTENCE = "The quick brown fox jumps over the lazy dog near the quiet river."
#: A sentence of about the same length in three of espeak-ng's languages.
ESPEAK_SENTENCES = {
    "en-us": SENTENCE,
    "es": "El rápido zorro marrón salta sobre el perro perezoso cerca del río tranquilo.",
    "cmn": "敏捷的棕色狐狸跳过了安静河边那只懒惰的狗。",
}


def _median_s(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    repeat = smoke_mode.parse(parser, argv, repeat=1).repeat

    watch = goals.Watch().start()
    # Uncached down to the voice: no engine cache, no kept renders, no folder of renders (the test suite sets one).
    uncached = SpeechEngine(cache_size=0, piper=PiperBackend(store=None, recent=0))
    start = time.perf_counter()
    uncached.warm_up()
    print(f"piper load (once per process)      {time.perf_counter() - start:8.3f} s")

    clip = uncached.render(SENTENCE)
    print(f"sentence duration                  {clip.duration_s:8.3f} s")
    rows: list[tuple[str, Callable[[], object]]] = [
        ("piper render, uncached", lambda: uncached.render(SENTENCE)),
        (
            "piper render, pitch +3, 16 kHz",
            lambda: uncached.render(SENTENCE, Rendition(pitch_shift=3, sample_rate=16000)),
        ),
        ("degraded piper render, uncached", lambda: uncached.render(SENTENCE, Rendition(Engine.PIPER_DEGRADED))),
    ]
    # espeak-ng loads its library afresh for every render (harness/speech/_espeak.py: determinism), included here.
    rows.extend(
        (f"espeak-ng render ({voice}), uncached", partial(uncached.render, text, Rendition(Engine.ESPEAK, voice=voice)))
        for voice, text in ESPEAK_SENTENCES.items()
    )
    cached = SpeechEngine()
    cached.render(SENTENCE)
    rows.append(("render, cache hit", lambda: cached.render(SENTENCE)))
    rows.extend((f"encode {fmt.value}", partial(encode, clip, fmt)) for fmt in AudioFormat)
    took = {}
    for label, action in rows:
        took[label] = _median_s(action, repeat)
        print(f"{label:<35}{took[label] * 1000:9.3f} ms (median of {repeat})")
    print(f"cache: {cached.cache_info()}")
    watch.stop()
    render, hit = took["piper render, uncached"], took["render, cache hit"]
    timing = [
        f"{label}: {seconds:.3f} s for {clip.duration_s:.2f} s of speech"
        for label, seconds in took.items()
        if label != "render, cache hit" and not label.startswith("degraded") and seconds >= clip.duration_s
    ]
    if hit > render / 100:
        timing.append(f"a cache hit took {hit * 1000:.2f} ms, over a hundredth of a render ({render * 1000:.0f} ms)")
    return goals.verdict([], timing, watch)


if __name__ == "__main__":
    raise SystemExit(main())
