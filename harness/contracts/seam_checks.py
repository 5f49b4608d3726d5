"""A spoken socket session's seams, judged by the one rule (`harness.core.seams`) on the audio its frames carried:
where one audio frame's samples meet the next — a click, an inserted silence, the first sample's jump from zero —
and a container header or tag inside a stream of raw samples (a WAV header mid-stream).
Each is a violation of rule `seams` at the frame it starts (docs/seams.md); the sandbox's own streams join as one
sound, its drift (`streams`: click, gap, header) breaks them on demand.

Only 16-bit samples are judged here (raw, or WAV: each frame a whole file by design, or one stream's header at the
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


def _samples_of(piece: bytes, whole_file: bool) -> bytes:
    """A frame's sample bytes: its own WAV file's data chunk where each frame is a whole file (read by the one
    reader of a RIFF's chunks, `harness.core.audio.walk_riff`)."""
    riff = walk_riff(piece) if whole_file else None
    data = riff.first(b"data") if riff is not None else None
    return piece[data.body] if data is not None else piece


def sample_pieces(events: Sequence[Event], spec: AudioSpec) -> tuple[list[Event], list[bytes]] | None:
    """The audio frames of one utterance's `events` and the 16-bit sample bytes each carries (a whole-file frame's
    own header left out); None for audio that is not 16-bit samples (the seams' and the rate check's input)."""
    audio = [e for e in events if e.kind is Kind.AUDIO and e.audio]
    if spec.codec != SIXTEEN_BIT or spec.container not in ("raw", "wav"):
        return None
    files = all(walk_riff(e.audio) is not None for e in audio)  # each frame a whole WAV file, by design
    return audio, [_samples_of(e.audio, files) for e in audio]


def session_seams(events: Sequence[Event], spec: AudioSpec) -> list[tuple[int, SeamFinding]]:
    """Each seam finding of the session's audio (`events` of one utterance, in order) with the frame it starts in;
    none for audio that is not 16-bit samples, or fewer than two audio frames, and none where numpy is not installed
    (the contract suite runs in a base install, where the seams are the benchmark's to judge)."""
    if importlib.util.find_spec("numpy") is None:
        return []
    import numpy as np

    from harness.core.seams import header_findings, seam_findings  # numpy's, imported where it is

    found_pieces = sample_pieces(events, spec)
    if found_pieces is None or len(found_pieces[0]) < 2:
        return []
    audio, pieces = found_pieces
    data = b"".join(pieces)
    samples = np.frombuffer(data[:len(data) // 2 * 2], dtype="<i2").astype(np.float64) / 32768.0
    ends = np.cumsum([len(p) for p in pieces]) // 2
    rate = spec.sample_rate
    found: list[tuple[int, SeamFinding]] = []
    start = 0
    for seq, (event, piece) in enumerate(zip(audio, pieces, strict=True)):
        inside = headers_inside(piece, 0 if seq else 1)
        found += [(event.frame, f) for f in header_findings([(start / rate, kind.value) for _, kind in inside])]
        start = int(ends[seq])
    frame_at = [(int(begin), e.frame) for begin, e in zip((0, *ends[:-1]), audio, strict=True)]
    for finding in seam_findings(samples, rate, [int(end) for end in ends[:-1]]):
        at = round(finding.at_s * rate)
        found.append((next(frame for begin, frame in reversed(frame_at) if begin <= at), finding))
    return sorted(found, key=lambda pair: pair[1].at_s)
