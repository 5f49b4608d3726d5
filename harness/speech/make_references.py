"""Write the reference voice clips the cloning tests upload: `python -m harness.speech.make_references`.

The clips are generated, not recorded, so they carry no one's real voice, can be committed (licence
notes: harness/data/voices/README.md, linked as fixtures/voices), and can be re-made bit for bit on any
machine with the same packages.
`--check` re-renders them and fails if the committed files drifted (a changed package, a hand edit).

Written to the output folder: one WAV per `REFERENCES` entry and `manifest.json` (text, settings,
duration, sha256 of each clip), which cloning tests read for the reference transcript.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from harness.core.target import reference_voices_dir

from ._codec import AudioFormat, decode, encode
from ._engine import SpeechEngine, unavailable_reason
from ._types import Engine, Rendition

DEFAULT_OUT = reference_voices_dir()  # package data: an installed harness has the clips too
MANIFEST = "manifest.json"
#: Files stay small enough to commit and to upload in every cloning test.
MAX_BYTES = 400_000
#: Largest sample difference (16-bit steps) --check tolerates: onnxruntime may round differently on
#: another CPU's instruction set.
CHECK_TOLERANCE = 4 / 32768
#: Piper's duration predictor rounds each phoneme up to whole frames of this many samples; a duration that
#: lies next to a frame boundary rounds to the neighbouring frame on another CPU's instruction set (seen: one
#: frame longer on an EPYC without AVX-512 than where the clips were made), which shifts every later sample.
PIPER_FRAME = 256
#: How many such frames --check lets a fresh render differ by before it calls the clip drifted.
CHECK_FRAME_SLACK = 2

_CLONING_TEXT = (
    "Good morning. This recording is the reference voice for the cloning tests. "
    "It was generated offline, from a free voice, so anyone can make it again."
)


@dataclass(frozen=True, slots=True)
class ReferenceClip:
    """One reference clip: its file name, what it says, how it sounds, and the duration it must have."""

    name: str
    text: str
    rendition: Rendition
    min_s: float
    max_s: float


REFERENCES: tuple[ReferenceClip, ...] = (
    # A cloning provider requires >= 5 s at >= 16 kHz; 6 s is the floor here for margin.
    ReferenceClip("joe_reference.wav", _CLONING_TEXT, Rendition(Engine.PIPER), 6.0, 9.0),
    # A second, clearly different speaker: similarity between the two must score low.
    ReferenceClip("espeak_reference.wav", _CLONING_TEXT, Rendition(Engine.ESPEAK, voice="en-us+f3"), 6.0, 9.0),
    # Deliberately too short for cloning, for the "reference too short" error tests.
    ReferenceClip("joe_short.wav", "Hello, this clip is far too short.", Rendition(Engine.PIPER), 1.5, 2.5),
)


def render_reference(engine: SpeechEngine, reference: ReferenceClip) -> bytes:
    """The WAV bytes of one reference, checked against its duration and size bounds."""
    clip = engine.render(reference.text, reference.rendition)
    if not reference.min_s <= clip.duration_s <= reference.max_s:
        raise ValueError(
            f"{reference.name}: rendered {clip.duration_s:.2f} s, expected "
            f"{reference.min_s}-{reference.max_s} s; adjust its text"
        )
    data = encode(clip, AudioFormat.WAV)
    if len(data) > MAX_BYTES:
        raise ValueError(f"{reference.name}: {len(data)} bytes, expected at most {MAX_BYTES}")
    return data


def manifest_entry(reference: ReferenceClip, data: bytes) -> dict[str, object]:
    clip = decode(data)
    return {
        "file": reference.name,
        "text": reference.text,
        "engine": reference.rendition.engine.value,
        "voice": reference.rendition.voice,
        "length_scale": reference.rendition.length_scale,
        "sample_rate": clip.sample_rate,
        "duration_s": round(clip.duration_s, 3),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def write_references(out: Path, engine: SpeechEngine) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    entries = []
    for reference in REFERENCES:
        data = render_reference(engine, reference)
        path = out / reference.name
        path.write_bytes(data)
        written.append(path)
        entries.append(manifest_entry(reference, data))
    manifest = out / MANIFEST
    manifest.write_text(json.dumps({"clips": entries}, indent=2) + "\n", encoding="utf-8")
    written.append(manifest)
    return written


def check_references(out: Path, engine: SpeechEngine) -> list[str]:
    """Problems found comparing committed clips with fresh renders (empty when they match).

    A clip whose engine is not installed here (espeak-ng is optional) is only checked to exist.
    """
    problems: list[str] = []
    for reference in REFERENCES:
        path = out / reference.name
        if not path.is_file():
            problems.append(f"{path}: missing")
            continue
        if unavailable_reason(reference.rendition.engine) is not None:
            continue
        fresh = decode(render_reference(engine, reference))
        stored = decode(path.read_bytes())
        extra = len(fresh.samples) - len(stored.samples)
        frame_rounding = extra % PIPER_FRAME == 0 and abs(extra) <= CHECK_FRAME_SLACK * PIPER_FRAME
        if stored.sample_rate != fresh.sample_rate or (extra and not frame_rounding):
            problems.append(
                f"{path}: {stored.sample_rate} Hz / {len(stored.samples)} samples on disk, "
                f"{fresh.sample_rate} Hz / {len(fresh.samples)} samples rendered now"
            )
            continue
        if extra:
            # Whole frames apart: a phoneme rounded to its neighbouring frame here (PIPER_FRAME); the samples
            # after it are shifted, so only the length can be compared, and it is within the slack.
            continue
        diff = float(np.max(np.abs(stored.samples - fresh.samples)))
        if diff > CHECK_TOLERANCE:
            problems.append(
                f"{path}: differs from a fresh render by up to {diff:.5f} (tolerance {CHECK_TOLERANCE:.5f})"
            )
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.speech.make_references", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    parser.add_argument("--check", action="store_true", help="compare existing clips with fresh renders")
    args = parser.parse_args(argv)
    engine = SpeechEngine()
    if args.check:
        problems = check_references(args.out, engine)
        for problem in problems:
            print(problem, file=sys.stderr)
        for reference in REFERENCES:
            reason = unavailable_reason(reference.rendition.engine)
            if reason:
                print(f"{reference.name}: not re-rendered ({reason})")
        print(f"{len(REFERENCES) - len(problems)}/{len(REFERENCES)} reference clips match fresh renders")
        return 1 if problems else 0
    for path in write_references(args.out, engine):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
