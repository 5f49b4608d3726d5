"""A stream's seams in the contract suite, judged by the one rule (`harness.core.seams`) on the audio its pieces
carried — a spoken socket session's frames (`session_seams`), an SSE or NDJSON stream's events (`piece_seams`, the
speech family's `seams-<endpoint>` check): where one piece's samples meet the next — a click, an inserted silence,
the first sample's jump from zero — and a container header or tag a stream should not hold (any in a stream of raw
samples, its first piece's start included; any past the start of a WAV stream).
Each is a violation of rule `seams` at the piece it starts (docs/seams.md); the sandbox's own streams join as one
sound, its drift (`streams`: click, gap, header) breaks them on demand.

Only 16-bit samples are judged here (raw, or WAV: each piece a whole file by design, or one stream's header at the
start): a compressed stream's frames are not samples one can join. The rate heard needs another answer of the same
text: `harness.contracts.socket_rate` asks for one.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import TYPE_CHECKING

from harness.core.audio import headers_inside, walk_riff
from harness.core.protocols.realtime_grammar import AudioSpec, Event, Kind

if TYPE_CHECKING:
    from harness.core.seams import SeamFinding

SIXTEEN_BIT = "pcm_s16le"


def samples_of(piece: bytes) -> bytes:
    """A piece's sample bytes: where it opens with a WAV header (each piece a whole file, or the first of a stream
    with one header), its data chunk's (read by the one reader of a RIFF's chunks, `harness.core.audio.walk_riff`)."""
    riff = walk_riff(piece)
    data = riff.first(b"data") if riff is not None else None
    return piece[data.body] if data is not None else piece


def sample_pieces(events: Sequence[Event], spec: AudioSpec) -> tuple[list[Event], list[bytes]] | None:
    """The audio frames of one utterance's `events` and the 16-bit sample bytes each carries (a frame's own WAV
    header left out); None for audio that is not 16-bit samples (the seams' and the rate check's input)."""
    audio = [e for e in events if e.kind is Kind.AUDIO and e.audio]
    if spec.codec != SIXTEEN_BIT or spec.container not in ("raw", "wav"):
        return None
    return audio, [samples_of(e.audio) for e in audio]


def session_seams(events: Sequence[Event], spec: AudioSpec) -> list[tuple[int, SeamFinding]]:
    """Each seam finding of the session's audio (`events` of one utterance, in order) with the frame it starts in;
    none for audio that is not 16-bit samples, or fewer than two audio frames, and none where numpy is not installed
    (the contract suite runs in a base install, where the seams are the benchmark's to judge)."""
    found_pieces = sample_pieces(events, spec)
    if found_pieces is None or len(found_pieces[0]) < 2:
        return []
    audio, pieces = found_pieces
    raw = [e.audio for e in audio]
    return [
        (audio[seq].frame, finding)
        for seq, finding in piece_seams(raw, pieces, spec.sample_rate, headerless=spec.container == "raw")
    ]


def piece_seams(
    held: Sequence[bytes], pieces: Sequence[bytes], rate: int, *, headerless: bool
) -> list[tuple[int, SeamFinding]]:
    """Each seam finding of a stream's pieces (`held`: each piece's bytes as they came; `pieces`: the 16-bit sample
    bytes each carries), with the index of the piece it starts in: a container header the rule calls one
    (`harness.core.seams.stream_headers`: in a stream of `headerless` samples, every one), and the clicks, gaps and
    first sample of the joined samples. None where numpy is not installed."""
    if importlib.util.find_spec("numpy") is None or not pieces:
        return []
    import numpy as np

    from harness.core.seams import header_findings, seam_findings, stream_headers  # numpy's, imported where it is

    data = b"".join(pieces)
    samples = np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2").astype(np.float64) / 32768.0
    ends = [int(end) for end in np.cumsum([len(p) for p in pieces]) // 2]
    starts = [0, *ends[:-1]]
    inside = [[(kind.value, at) for at, kind in headers_inside(piece, 0)] for piece in held]
    found = [
        (seq, finding)
        for seq, kind in stream_headers(inside, raw=headerless)
        for finding in header_findings([(starts[seq] / rate, kind)])
    ]
    for finding in seam_findings(samples, rate, ends[:-1]):
        at = round(finding.at_s * rate)
        found.append((next(seq for seq in reversed(range(len(starts))) if starts[seq] <= at), finding))
    return sorted(found, key=lambda pair: pair[1].at_s)
