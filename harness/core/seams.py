"""What a stream's seams sound like: the places where one chunk of audio meets the next, judged on the audio a
listener heard (numpy on samples already decoded; a few milliseconds a clip). The one owner of the rule: the
benchmark's derivation (`harness.measurement.audio_findings`) and the contract suite's realtime checks
(`harness.contracts.realtime_checks`) both call it.

Streamed chunks must join as one sound. What goes wrong, each a `SeamFinding` (docs/seams.md):

    click       a sample jump or a derivative spike at a chunk boundary beyond the audio's own: the step there
                (|x[b] − x[b−1]|) is more than `CLICK_FACTOR` times the clip's own 99.9th-percentile step measured
                away from its seams (`SEAM_WINDOW_S` either side of each left out: with a click at every seam of
                80 ms chunks, the seams would otherwise be their own yardstick) — and
                that of the same text's whole answer, where the provider gave one — and at least `CLICK_FLOOR`;
                likewise the second difference (a kink: two chunks each smooth, joined at an angle)
                (audio.cpp #429: a click every 5.12 s; Kokoro-FastAPI #463: a pop at each sentence's end)
    gap         silence inserted at a seam: a run of digital silence (|x| ≤ `SILENT`) of at least `GAP_MIN_S` that
                touches a boundary while the audio on both sides of it is sounding (RMS ≥ `SOUNDING_RMS` over
                `SIDE_S`) — a pause a voice makes fades in and out, an inserted one cuts (cloudflare/agents #1736:
                5.33 ms at every seam)
    header      a container header or tag in any chunk of a stream of raw samples, whatever its position (the
                first chunk's start included: nothing was asked to open it), or after the start of a
                single-container stream (a WAV header, an ID3 tag, a new Ogg stream, `fLaC`:
                `harness.core.audio.headers_inside`), played as samples (an open-source TTS API server's issue
                #14: a WAV header at every chunk of a raw PCM stream, heard as a click; `stream_headers`)
    first-sample   the first sample's jump from zero: |x[0]| above `CLICK_FLOOR` and the clip's own step scale
                (a pop as playback starts)

Boundaries come from the runner's chunk evidence (each chunk's decoded length, or its bytes for 16-bit samples);
a stream whose chunks were not recorded (an HTTP stream that is the audio itself) is judged over the whole clip:
headers in its kept bytes, gaps anywhere, and clicks only far beyond the audio's own (`LOOSE_FACTOR`: without its
seams, the audio's own transients — up to 4.5 times its 99.9th-percentile step and 5.1 times its second
difference in the sandbox's clean clips — would be judged as clicks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.core.checks import FindingKind

CLICK_FACTOR = 3.0  # the sandbox's clean seams reach 1.3 times the clip's 99.9th-percentile step
CLICK_FLOOR = 0.05  # -26 dBFS: a step below this is inaudible as a click whatever the clip's own steps
SILENT = 1e-4  # -80 dBFS: digital silence (16-bit quantisation is 3e-5)
GAP_MIN_S = 0.001
SIDE_S = 0.001  # a cut: sounding within a millisecond of the silence (a fade is quieter there: measured)
SOUNDING_RMS = 0.01  # Coval's speech level (harness.core.onset): sound on both sides
STEP_QUANTILE = 0.999
# The yardstick is measured this far from every seam: a click (the sandbox's is a two-sample pair, a loopback
# server's a three-sample pop) and the kink either side of it fall inside, the voice's own steps outside; at 20 ms
# chunks 10% of the clip is left out.
SEAM_WINDOW_S = 0.001
# Where the seams are not known, anywhere in the clip: the sandbox's clean clips' largest second difference is 5.1
# times their 99.9th percentile (a stretch of speech joined to the next inside one rendering), so 8 and 0.3.
LOOSE_FACTOR = 8.0
LOOSE_FLOOR = 0.3


#: The rule's one name (the contract suite's violations, `compare --fail-on`, history's JUnit case) and what each kind
#: of finding breaks: the seams check declares them (`harness.checks.seams`), every judge applying the rule says them.
RULE = "seams"
FINDINGS = {
    kind.kind: kind
    for kind in (
        FindingKind("click", "a stream's chunks join without a step or kink beyond the clip's own (docs/seams.md)"),
        FindingKind("gap", "no digital silence inserted where the sound on both sides is speech"),
        FindingKind("header", "headerless samples carry no container header inside the stream"),
        FindingKind("first-sample", "playback starts from silence: a first sample near zero"),
    )
}


@dataclass(frozen=True, slots=True)
class SeamFinding:
    """One seam that does not join as one sound: its kind, where (seconds into the clip), and what was measured."""

    kind: str  # click | gap | header | first-sample
    at_s: float
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "at_s": round(self.at_s, 4), "detail": self.detail}


def step_scale(samples: Any, away_from: Sequence[int] = (), rate: int = 0) -> tuple[float, float]:
    """The clip's own 99.9th-percentile step and second difference: what its audio does sample to sample, measured
    away from `away_from` (sample indices where a chunk begins: `SEAM_WINDOW_S` either side of each left out, so
    clicks at every seam of short chunks are not their own yardstick) where `rate` is given."""
    import numpy as np  # imported where it is used: the contract suite imports this module without numpy

    x = np.asarray(samples, dtype=np.float64)
    if len(x) < 3:
        return 0.0, 0.0
    steps, bends = np.abs(np.diff(x)), np.abs(np.diff(x, 2))
    if away_from and rate > 0:
        keep = np.ones(len(x), dtype=bool)
        side = max(2, round(SEAM_WINDOW_S * rate))
        for b in away_from:
            keep[max(0, b - side) : b + side] = False
        if keep[2:].sum() >= len(x) // 2:  # a stretch left to measure: else the seams are the clip
            steps, bends = steps[keep[1:]], bends[keep[2:]]
    return float(np.quantile(steps, STEP_QUANTILE)), float(np.quantile(bends, STEP_QUANTILE))


def seam_findings(
    samples: Any, rate: int, boundaries: Sequence[int] | None, reference: tuple[float, float] | None = None
) -> list[SeamFinding]:
    """Clicks and gaps at `boundaries` (sample indices where a chunk begins; None: not known) and the first sample's
    jump, in mono `samples` at `rate`; `reference` is the step scale of the same text's whole answer."""
    import numpy as np  # imported where it is used: the contract suite imports this module without numpy

    x = np.asarray(samples, dtype=np.float64)
    if len(x) < 3 or rate <= 0:
        return []
    own = step_scale(x, boundaries or (), rate)
    step, kink = (max(own[0], reference[0]), max(own[1], reference[1])) if reference else own
    found = []
    if abs(x[0]) > max(CLICK_FLOOR, CLICK_FACTOR * step):
        found.append(
            SeamFinding(
                "first-sample",
                0.0,
                f"the first sample is {x[0]:+.3f} (a jump from zero; the clip's own steps reach {step:.3f})",
            )
        )
    for b in boundaries or ():
        if 2 <= b < len(x) - 1:
            found.extend(_click(x, b, rate, step, kink))
    if boundaries is None:
        found.extend(_clicks_anywhere(x, rate, kink))
    found.extend(_gaps(x, rate, boundaries))
    return sorted(found, key=lambda f: f.at_s)


def _click(x: Any, b: int, rate: int, step: float, kink: float) -> list[SeamFinding]:
    jump = abs(x[b] - x[b - 1])
    bend = max(abs(x[b] - 2 * x[b - 1] + x[b - 2]), abs(x[b + 1] - 2 * x[b] + x[b - 1]))
    if jump > max(CLICK_FLOOR, CLICK_FACTOR * step):
        return [
            SeamFinding(
                "click",
                b / rate,
                f"a step of {jump:.3f} at the seam ({jump / step:.1f}× the audio's "
                f"own 99.9th-percentile step, {step:.4f})"
                if step
                else f"a step of {jump:.3f} at the seam",
            )
        ]
    if bend > max(CLICK_FLOOR, CLICK_FACTOR * kink):
        return [
            SeamFinding(
                "click",
                b / rate,
                f"a derivative spike of {bend:.3f} at the seam ({bend / kink:.1f}× the audio's own, {kink:.4f})"
                if kink
                else f"a derivative spike of {bend:.3f} at the seam",
            )
        ]
    return []


def _clicks_anywhere(x: Any, rate: int, kink: float) -> list[SeamFinding]:
    """Where the seams are not known: derivative spikes far beyond the audio's own (`LOOSE_FACTOR`, `LOOSE_FLOOR`),
    each run of them within a millisecond one finding."""
    import numpy as np  # imported where it is used: the contract suite imports this module without numpy

    bends = np.abs(np.diff(x, 2))
    spikes = np.flatnonzero(bends > max(LOOSE_FLOOR, LOOSE_FACTOR * kink)) + 1
    found: list[SeamFinding] = []
    last = -rate
    for at in (int(i) for i in spikes):
        if at - last > GAP_MIN_S * rate:
            found.append(
                SeamFinding(
                    "click",
                    at / rate,
                    f"a derivative spike of {bends[at - 1]:.3f} "
                    f"({bends[at - 1] / kink:.1f}× the audio's own, the "
                    "stream's seams not recorded)"
                    if kink
                    else f"a derivative spike of {bends[at - 1]:.3f}",
                )
            )
        last = at
    return found


def _gaps(x: Any, rate: int, boundaries: Sequence[int] | None) -> list[SeamFinding]:
    """Runs of digital silence between sounding audio; at a seam where the seams are known, anywhere otherwise."""
    import numpy as np  # imported where it is used: the contract suite imports this module without numpy

    silent = np.abs(x) <= SILENT
    edges = np.flatnonzero(np.diff(np.concatenate(([0], silent.astype(np.int8), [0]))))
    side = max(1, round(SIDE_S * rate))
    seams = None if boundaries is None else np.asarray(sorted(boundaries), dtype=np.int64)
    found = []
    for begin, end in zip(edges[::2], edges[1::2], strict=True):
        if end - begin < GAP_MIN_S * rate or begin < side or end + side > len(x):
            continue
        if seams is not None and not np.any((seams >= begin) & (seams <= end)):
            continue
        before, after = x[begin - side : begin], x[end : end + side]
        if min(float(np.sqrt(np.mean(before**2))), float(np.sqrt(np.mean(after**2)))) < SOUNDING_RMS:
            continue  # a pause that fades: the voice's own
        found.append(
            SeamFinding(
                "gap",
                begin / rate,
                f"{(end - begin) / rate * 1000:.2f} ms of digital silence "
                "between sounding audio" + (" at a seam" if seams is not None else ""),
            )
        )
    return found


def stream_headers(held: Sequence[Sequence[tuple[str, int]]], *, raw: bool) -> list[tuple[int, str]]:
    """Which of the headers each chunk of a stream holds (`held`: per chunk, in order, (kind, byte offset in the
    chunk) as `harness.core.audio.headers_inside` read them) are findings, as (chunk index, kind): in a stream of
    raw samples (`raw`: headerless samples were asked) every one, wherever it is; in a container stream any past the
    first chunk's start, unless every chunk opens with one (each chunk a whole file by design, joined by its
    reader)."""
    if raw:
        return [(seq, kind) for seq, headers in enumerate(held) for kind, _ in headers]
    files = len(held) > 1 and all(any(where == 0 for _, where in headers) for headers in held)
    return [
        (seq, kind)
        for seq, headers in enumerate(held)
        for kind, where in headers
        if where > 0 or (seq > 0 and not files)
    ]


def header_findings(kinds: Sequence[tuple[float, str]]) -> list[SeamFinding]:
    """Each container header or tag after a stream's start (`kinds`: where, in seconds, and what it opens; a chunk
    that is a whole file by design, every one of a stream's, is its caller's to leave out)."""
    return [SeamFinding("header", at, f"a {kind} header inside the stream (played as samples)") for at, kind in kinds]
