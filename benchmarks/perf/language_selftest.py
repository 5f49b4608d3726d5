"""The multilingual ear tested against the sandbox's own voices: which languages can the shipped ASR model judge?

Every sentence of each read corpus (`<lang>_read`) is rendered twice: by the sandbox's voice of its language
(espeak-ng's,
chosen as the sandbox chooses it for a request in that language: `harness.sandbox.languages.in_language`) and by the
sandbox's English voice reading the same text (Piper: what a voice that falls back to English sounds like). The
product's scorer reads both with the model asked for (the shipped multilingual `base` by default), in the corpus'
language, through its own normalisation, WER/CER and language check.

Per language it prints the model's error rate on the native renders, pooled (WER; CER for zh, ja, ko, th) with its
bootstrap 95% interval over sentences; the voice's own errors are inside it (espeak-ng is a robotic voice, and its
Japanese reads kana only): an upper bound on what the model gets wrong, and the floor under which no voice's
difference shows. Then the language check: the native renders heard as their language and those wrongly flagged, the
English renders caught (flagged `wrong_language`). A language's error rate is judgeable by the model when its pooled
rate is at most ``--threshold`` (0.30); its language check when at least ``--check`` (0.90) of the English renders are
caught and at most 1 - ``--check`` of the native ones flagged. A language not judgeable is named with the model that
would judge it (large-v3, the field's: Seed-TTS-eval's English judge; fetched where a hub is reachable, then
measured here with ``--asr-model large-v3``).

    python benchmarks/perf/language_selftest.py [--languages es,de] [--items 30] [--asr-model base]
        [--write harness/data/languages/judgeable.json] [--json] [--smoke]

``--write`` keeps the verdicts where every face reads them (a language not judgeable is shown so, not scored), under
the model's name beside other models' verdicts. ``--smoke`` reads three Spanish sentences and asserts the goal on
them: Spanish read by its own voice is heard as Spanish and scored, the English fallback is caught (a second
language would double the renders and the reading with nothing more to judge).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import goals  # beside this script
import smoke_mode

from harness.core.corpora import available, load_corpus
from harness.report.stats import ratio_interval
from harness.results import pooled_wer
from harness.sandbox.languages import in_language
from harness.scoring import ClipInput, Flag, Scorer
from harness.scoring.results import ClipScore
from harness.speech import AudioFormat, Engine, Rendition, default_engine, encode

THRESHOLD = 0.30
CHECK = 0.90
LARGER = "large-v3"
DATA = Path(__file__).resolve().parents[2] / "harness" / "data" / "languages" / "judgeable.json"


@dataclass(slots=True)
class Language:
    """One language's renders as the model read them."""

    language: str
    native: list[ClipScore] = field(default_factory=list)
    fallback: list[ClipScore] = field(default_factory=list)
    voice: str = ""
    examples: list[dict[str, str]] = field(default_factory=list)

    def rate(self) -> tuple[str, float | None, float | None, float | None]:
        """(unit, pooled rate, interval low, high) over the native renders."""
        scored = [score for score in self.native if score.error is None]
        pooled = pooled_wer(scored)
        if pooled is None:
            return "", None, None, None
        interval = ratio_interval(
            [s.substitutions + s.deletions + s.insertions for s in scored], [s.ref_length for s in scored]
        )
        return pooled.unit.value, pooled.pooled, interval.low, interval.high

    def shares(self) -> tuple[float, float, float]:
        """(native heard as the language, native flagged, fallbacks caught)."""
        native = [s for s in self.native if s.error is None]
        fallback = [s for s in self.fallback if s.error is None]
        heard = sum(s.heard_language == self.language for s in native) / max(len(native), 1)
        flagged = sum(Flag.WRONG_LANGUAGE in s.flags for s in native) / max(len(native), 1)
        caught = sum(Flag.WRONG_LANGUAGE in s.flags for s in fallback) / max(len(fallback), 1)
        return heard, flagged, caught


def languages_shipped() -> list[str]:
    return sorted(name.removesuffix("_read") for name in available() if name.endswith("_read") and name != "en_read")


def rendered(text: str, rendition: Rendition) -> bytes:
    return encode(default_engine().render(text, rendition), AudioFormat.WAV)


def measure(language: str, items: int, scorer: Scorer, examples: int) -> Language:
    corpus = load_corpus(f"{language}_read:{items}")
    voice = in_language(Rendition(Engine.PIPER), language)
    english = Rendition(Engine.PIPER)
    clips = [
        ClipInput(text=item.text, audio=rendered(item.text, voice), language=language, clip_id=item.id)
        for item in corpus.items
    ]
    fallbacks = [
        ClipInput(text=item.text, audio=rendered(item.text, english), language=language, clip_id=f"{item.id}.en")
        for item in corpus.items
    ]
    scores = scorer.score_many([*clips, *fallbacks])
    found = Language(language, scores[: len(clips)], scores[len(clips) :], f"{voice.engine.value}:{voice.voice}")
    for item, score in zip(corpus.items, found.native, strict=True):
        if len(found.examples) < examples and (score.error_rate or 0) > THRESHOLD:
            found.examples.append(
                {
                    "item": item.id,
                    "said": item.text,
                    "heard": score.transcript or "",
                    "heard_language": str(score.heard_language),
                }
            )
    return found


def verdict(found: Language, threshold: float, check: float) -> dict[str, Any]:
    unit, rate, low, high = found.rate()
    heard, flagged, caught = found.shares()
    judgeable = rate is not None and rate <= threshold
    check_judgeable = caught >= check and flagged <= 1 - check
    return {
        "unit": unit,
        "rate": _round(rate),
        "low": _round(low),
        "high": _round(high),
        "clips": len(found.native),
        "voice": found.voice,
        "heard_as_language": _round(heard),
        "native_flagged": _round(flagged),
        "fallback_caught": _round(caught),
        "judgeable": judgeable,
        "check_judgeable": check_judgeable,
        **({} if judgeable and check_judgeable else {"larger": LARGER}),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def table(verdicts: dict[str, dict[str, Any]], model: str, threshold: float, check: float) -> str:
    lines = [
        f"| language | voice | rate (95% interval) | heard as itself | native flagged | English caught | "
        f"WER/CER judgeable by {model} (≤ {threshold:.0%}) | language check (≥ {check:.0%}) |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for language, found in verdicts.items():
        name = "CER" if found["unit"] == "char" else "WER"
        rate = (
            "—" if found["rate"] is None else (f"{name} {found['rate']:.1%} ({found['low']:.1%}–{found['high']:.1%})")
        )
        lines.append(
            f"| {language} | {found['voice']} | {rate} | {found['heard_as_language']:.0%} | "
            f"{found['native_flagged']:.0%} | {found['fallback_caught']:.0%} | "
            f"{'yes' if found['judgeable'] else f'**no**: {LARGER}'} | "
            f"{'yes' if found['check_judgeable'] else f'**no**: {LARGER}'} |"
        )
    return "\n".join(lines)


def written(path: Path, model: str, result: dict[str, Any]) -> None:
    """The verdicts under the model's name, beside those other models already have in the file."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"models": {}}
    data["models"][model] = result
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default=",".join(languages_shipped()), help="comma-separated language tags")
    parser.add_argument("--items", type=int, default=30, help="sentences per language")
    parser.add_argument("--asr-model", default="base", help="the model to test (a name, folder or parts)")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--check", type=float, default=CHECK)
    parser.add_argument("--examples", type=int, default=2, help="misread sentences kept per language")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", type=Path, help=f"keep the verdicts here (the shipped file: {DATA})")
    args = smoke_mode.parse(parser, argv, languages="es", items=3)
    scorer = Scorer(backend="faster-whisper", model=args.asr_model, similarity=False, dnsmos=False)
    started = time.perf_counter()
    found = {language: measure(language, args.items, scorer, args.examples) for language in args.languages.split(",")}
    seconds = time.perf_counter() - started
    model = args.asr_model
    verdicts = {language: verdict(one, args.threshold, args.check) for language, one in found.items()}
    result = {
        "asr_model": model,
        "model_id": scorer.asr.model_id,
        "threshold": args.threshold,
        "check": args.check,
        "measured": date.today().isoformat(),
        "items": args.items,
        "languages": verdicts,
    }
    if args.write:
        written(args.write, model, result)
    if args.json:
        print(
            json.dumps(
                {
                    **result,
                    "seconds": round(seconds, 1),
                    "examples": {language: one.examples for language, one in found.items()},
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        clips = sum(len(one.native) + len(one.fallback) for one in found.values())
        print(f"{clips} renders of {len(found)} languages read by {scorer.asr.model_id} in {seconds:.0f} s\n")
        print(table(verdicts, model, args.threshold, args.check))
        for language, one in found.items():
            for example in one.examples:
                print(
                    f"  {language} {example['item']}: said {example['said']!r}, heard {example['heard']!r} "
                    f"({example['heard_language']})"
                )
    missed = []
    if args.smoke:  # the goal on the smoke sample: Spanish scored, heard as itself, and its English fallback caught
        spanish = verdicts["es"]
        if spanish["rate"] is None or spanish["heard_as_language"] < 2 / 3:
            missed.append(f"Spanish scored and heard as itself on at least 2 of 3 renders: {spanish}")
        if spanish["fallback_caught"] < 2 / 3:
            missed.append(f"Spanish read by the English voice caught on at least 2 of 3 renders: {spanish}")
    return goals.verdict(missed)


if __name__ == "__main__":
    sys.exit(main())
