"""What a run's kept audio says of its streams, after the run, from stored evidence: each streamed answer's seams
(`seams`) and, for every answer whose rate the provider's own header does not state, whether the rate heard is the
rate declared (`harness.core.heard_rate`).

The evidence is the kept audio itself (`jobs.audio_path`, read at the rate its clip row declares), the chunks'
rows (each chunk's decoded length or its bytes, and the container header its bytes held) and the same text's other
answers in the run. Columns written back to `jobs` (`recompute --check` re-derives them):

    seam_findings   how many seam findings the answer has (NULL: not a stream, or its audio is not kept)
    seams_json      {"audio_s": the seconds judged, "findings": [{"kind", "at_s", "detail"}, ...]} (`seams.SeamFinding`)
    heard_rate      the rate the samples are at, where it is not the declared one (NULL: it is, or not judged)
    heard_rate_how  the finding in words: the rate heard, the rate declared, and how it was told (the length
                    against the same text with a header, or the length and how low the voice sounds against the
                    same text's other answers)

Cheap by design (the README's first command must not slow down): numpy on audio decoded once per clip. Without
numpy and the decoder (a base install: the score/sandbox extra brings them) nothing is judged and nothing written.
"""

from __future__ import annotations

import json
import statistics
import warnings
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.core.audio import AudioInfo, AudioKind, headers_inside, pcm_layout, walk_riff, wave_format
from harness.core.heard_rate import HeardRate, rate_by_length, rate_by_voice
from harness.results import ChunkRow, ClipRow, JobRow

STREAMED = ("stream", "socket")  # HTTP streams and SSE; realtime sockets and gRPC streams (recorded as sockets)
RELABELLED = ("socket",)  # kept as WAV written by the runner at the declared rate: its header is not the provider's
COLUMNS = ("seam_findings", "seams_json", "heard_rate", "heard_rate_how")


@dataclass(frozen=True, slots=True, kw_only=True)
class Heard:
    """One kept answer, decoded: mono samples at the rate read, and what the run says of it."""

    job: JobRow
    samples: Any
    rate: int
    headed: bool  # its rate is stated by the provider's own header
    data: bytes  # the kept bytes
    frame_bytes: int | None  # bytes a sample frame takes where they are 16-bit samples as they came (None: not)
    seconds: float  # how long its voice sounds (`voice.sounding_s`)
    spectrum: Any  # its long-term average spectrum (`voice.spectrum`), measured once


def _decode(job: JobRow, clip: ClipRow | None, root: Path) -> Heard | None:
    from harness.measurement.voice import sounding_s, spectrum
    from harness.speech import AudioCodecError, decode_audio  # the one decoder

    path = Path(job.audio_path or "")
    path = path if path.is_absolute() else root / path
    declared = (clip.declared_media_type if clip is not None else None) or job.declared_media_type
    try:
        data = path.read_bytes()
        decoded = decode_audio(data, declared, clip.declared_sample_rate if clip is not None else None)
    except (OSError, AudioCodecError):
        return None
    headerless = decoded.info.kind is AudioKind.PCM or pcm_layout(job.sniffed_media_type) is not None
    headed = not headerless and job.delivery not in RELABELLED
    samples = decoded.mono()
    return Heard(
        job=job,
        samples=samples,
        rate=decoded.sample_rate,
        headed=headed,
        data=data,
        frame_bytes=_frame_bytes(data, decoded.info, headerless),
        seconds=sounding_s(samples, decoded.sample_rate),
        spectrum=spectrum(samples, decoded.sample_rate),
    )


def _frame_bytes(data: bytes, info: AudioInfo, headerless: bool) -> int | None:
    """Bytes per sample frame of 16-bit samples kept as they came: headerless ones (mono unless said), or a WAV's
    integer PCM (`harness.core.audio.wave_format`); None for anything else."""
    if headerless:
        return 2 * (info.channels or 1)
    riff = walk_riff(data) if info.kind is AudioKind.WAV else None
    shape = wave_format(data, riff) if riff is not None else None
    if shape is None or shape.bits != 16 or shape.tag not in (1, 0xFFFE):
        return None
    return shape.block_align


def _boundaries(chunks: Sequence[ChunkRow], heard: Heard) -> list[int] | None:
    """Where each chunk after the first begins, in samples of the kept audio: from each chunk's decoded length; else,
    for 16-bit samples kept as they came — headerless, or one WAV header opening the stream and its samples following
    it chunk by chunk (WAV-framed SSE: only the first delta decodes on its own) — from the chunks' bytes; None where
    neither tells."""
    import numpy as np

    if not chunks:
        return None
    lengths = [ms for c in chunks if (ms := c.audio_ms) is not None]
    if len(lengths) == len(chunks):
        return [round(float(end)) for end in (np.cumsum(lengths) * heard.rate / 1000.0)[:-1]]
    if heard.job.delivery in RELABELLED or heard.frame_bytes is None:
        return None
    ends = np.cumsum([c.bytes for c in chunks])
    header = int(ends[-1]) - len(heard.samples) * heard.frame_bytes  # the stream's own header, where it has one
    riff = walk_riff(heard.data) if heard.headed else None
    data = riff.first(b"data") if riff is not None else None
    if header != (data.body.start if data is not None else 0) or header > chunks[0].bytes:
        return None  # the kept bytes are not the chunks' as they came: their seams are not told by their bytes
    return [round(float(end - header) / heard.frame_bytes) for end in ends[:-1]]


def _headers(chunks: Sequence[ChunkRow], heard: Heard, boundaries: Sequence[int] | None) -> list[Any]:
    """Each container header or tag that is a finding (`harness.core.seams.stream_headers`), from each chunk's
    recorded `header` ("wav@0"); for a stream whose chunks were not recorded, from its kept bytes (an HTTP stream
    keeps them as they came). A stream of headerless samples (`jobs.asked_media_type`) holds none, its start's
    included. Each is placed where its chunk begins (`boundaries`, else the chunks' decoded lengths)."""
    from harness.core.seams import header_findings, stream_headers

    raw = heard.job.asked_media_type is not None
    if not chunks:
        seconds = len(heard.samples) / heard.rate
        return header_findings(
            [(seconds * at / len(heard.data), kind.value) for at, kind in headers_inside(heard.data, 0 if raw else 1)]
        )
    held = [
        [(kind, int(where)) for kind, _, where in (h.partition("@") for h in (c.header or "").split(",") if h)]
        for c in chunks
    ]
    starts = (
        [0.0, *(b / heard.rate for b in boundaries)]
        if boundaries is not None
        else [0.0, *(sum((c.audio_ms or 0.0) for c in chunks[:n]) / 1000.0 for n in range(1, len(chunks)))]
    )
    return list(header_findings([(starts[seq], kind) for seq, kind in stream_headers(held, raw=raw)]))


def _seams(heard: Heard, chunks: Sequence[ChunkRow], whole: Heard | None) -> dict[str, Any]:
    from harness.core.seams import seam_findings, step_scale

    reference = step_scale(whole.samples) if whole is not None and whole.rate == heard.rate else None
    boundaries = _boundaries(chunks, heard)
    found = [*_headers(chunks, heard, boundaries), *seam_findings(heard.samples, heard.rate, boundaries, reference)]
    found.sort(key=lambda f: f.at_s)
    return {
        "seam_findings": len(found),
        "seams_json": json.dumps(
            {"audio_s": round(len(heard.samples) / heard.rate, 3), "findings": [f.to_json() for f in found]}
        ),
    }


def _rate(heard: Heard, others: Sequence[Heard]) -> HeardRate | None:
    """The length against the same model's headed answer of the same text; else the length and how low it sounds
    against the same text's other answers: the whole files with a header where any exist (a stream's header may be
    the mislabelled one), else all of them (their medians: a few mislabelled ones do not move them)."""
    import numpy as np

    from harness.measurement.voice import lower_by

    declared = heard.rate
    same = [o for o in others if o.headed and o.job.provider == heard.job.provider and o.job.model == heard.job.model]
    if same:
        return rate_by_length(
            heard.seconds, declared, same[0].seconds, f"{same[0].job.provider}/{same[0].job.model} with a header"
        )
    pool = [o for o in others if o.headed and o.job.delivery not in STREAMED] or list(others)
    spectra = [o.spectrum for o in pool if o.spectrum is not None]
    with np.errstate(all="ignore"), warnings.catch_warnings():  # a bin none of them holds stays NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        middle = np.nanmedian(spectra, axis=0) if spectra else None
    lower = lower_by(heard.spectrum, middle) if middle is not None else None
    if lower is None:
        return None
    return rate_by_voice(
        heard.seconds,
        lower,
        declared,
        statistics.median(o.seconds for o in pool),
        f"{len(pool)} other answers in the run",
    )


def _text(job: JobRow) -> tuple[str, str]:
    """The same text: one corpus item (every offering of a run speaks the same items)."""
    return job.corpus, job.item_id


def audio_findings(
    jobs: Sequence[JobRow], chunks: Sequence[ChunkRow], clips: Sequence[ClipRow], root: Path
) -> dict[str, dict[str, Any]]:
    """`job_key` → the seam and rate columns, for every kept answer they judge (none without numpy and the one
    decoder: a base install)."""
    try:
        import numpy  # noqa: F401
        import soundfile  # noqa: F401
    except ImportError:
        return {}
    clip_of = {c.clip_id: c for c in clips}
    chunks_of: dict[str, list[ChunkRow]] = defaultdict(list)
    for chunk in sorted(chunks, key=lambda c: (c.job_key, c.seq)):
        chunks_of[chunk.job_key].append(chunk)
    kept = [j for j in jobs if j.audio_path and j.outcome == "ok"]
    heard = {j.job_key: h for j in kept if (h := _decode(j, clip_of.get(j.job_key), root))}
    by_text: dict[tuple[str, str], list[Heard]] = defaultdict(list)
    for one in heard.values():
        by_text[_text(one.job)].append(one)
    found: dict[str, dict[str, Any]] = {}
    for key, one in heard.items():
        columns: dict[str, Any] = {}
        if one.job.delivery in STREAMED:
            whole = next(
                (
                    o
                    for o in by_text[_text(one.job)]
                    if o.job.delivery == "sync" and o.job.provider == one.job.provider and o.job.model == one.job.model
                ),
                None,
            )
            columns |= _seams(one, chunks_of.get(key, []), whole)
        if not one.headed or one.job.delivery in STREAMED:  # a stream's header may be the mislabelled one
            others = [o for o in by_text[_text(one.job)] if o is not one]
            rate = _rate(one, others)
            columns |= {
                "heard_rate": None if rate is None else rate.heard,
                "heard_rate_how": None if rate is None else str(rate),
            }
        if columns:
            found[key] = columns
    return found
