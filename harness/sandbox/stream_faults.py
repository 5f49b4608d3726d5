"""A stream broken on demand (`POST /_sandbox/drift {"streams": {"provider": kind}}`): the seam and rate faults
issue 66 names, each the way a real server was seen to make it, so `bench run` must name it
(`harness.measurement.audio_findings`); and its timing marks (`{"marks": {"provider": kind}}`: the ways issue 65
names, below, judged by `harness.measurement.marks`):

    click    each chunk after the first begins with a full-scale pair of samples (+0.9, −0.9): a pop at every
             seam (audio.cpp #429, Kokoro-FastAPI #463)
    gap      each chunk after the first begins with `GAP_SAMPLES` of digital silence (cloudflare/agents #1736:
             5.33 ms at every seam, 128 samples at 24 kHz)
    header   the second chunk begins with a WAV header, as a server that starts a new file mid-stream
             (chatterbox-tts-api #14)
    rate     the samples are at a standard rate at least `RATE_FACTOR` times the rate asked, labelled as asked:
             24 kHz samples for 16 kHz (dograh-hq/pipecat PR #59), 48 kHz for 24 kHz (flowcat #10, reversed)
    after_cancel  a socket's cancel (its clear, a context's cancel) is taken and acknowledged as documented, and
             the speech it should have stopped is sent anyway, to its end (Pipecat #793, #1942): the harness's
             cancel rule (`harness.core.protocols.cancel`) must name it
    retired  a socket declaring the grammar its provider retired (`websocket_speech.RetiredGrammar`) speaks it on the
             current URL: a realtime API's beta events after its GA (every framework broke in turn: livekit/agents
             #3412); the frame checks must name the renamed event
    retired_model  the model a socket is asked for is refused as its provider refuses a model it no longer serves
             (the `SpeechService`'s `unknown_model` refusal, in the socket's error message, or in its close where the
             socket tells errors so: `CloseErrors.unknown_model`; each provider's declaration quotes the words): the
             contract suite must name the model
    renamed_field  a socket declaring renamed client fields (`RetiredGrammar.fields`) takes them by their other name,
             so a client's current name is unknown to it: refused naming the field where the socket refuses unknown
             fields ("Unknown parameter: '<field>'.", the words a strict realtime endpoint was seen to use), else set
             aside with a finding as any unknown field

Only streamed answers (HTTP streams, SSE, sockets) and only 16-bit samples (raw, or a WAV stream's data) are broken
at their seams: a compressed stream's chunks are left whole. The sandbox's own streams, with no fault set, join as
one sound (its chunks are cuts of one rendering).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

import numpy as np

from harness.core.protocols.realtime_grammar import SpokenSpan

KINDS = ("click", "gap", "header", "rate")  # what a stream sounds like: `bench run` names each in the audio
AFTER_CANCEL = "after_cancel"  # what a stream does after a cancel: the cancel rule names it
# A socket's server messages sent by the names of the grammar its provider switched off (`Socket.retired`: a beta's
# events on the GA URL): the contract suite must name the event
RETIRED = "retired"
# The socket's model refused as retired, and its client fields taken by their renamed names: the contract suite must
# name the model and the field
RETIRED_MODEL = "retired_model"
RENAMED_FIELD = "renamed_field"
DRIFT_KINDS = (*KINDS, AFTER_CANCEL, RETIRED, RETIRED_MODEL, RENAMED_FIELD)  # every kind the drift control takes
GAP_SAMPLES = 128
CLICK = struct.pack("<hh", 29491, -29491)  # +0.9, -0.9 of full scale
RATE_FACTOR = 1.5
SERVED_RATES = (12000, 24000, 48000)  # twice or one and a half times the rates asked most
SIXTEEN_BIT = ("pcm_s16le",)


def wav_header(rate: int = 16000) -> bytes:
    """A streaming writer's WAV header (sizes unknown: 0xFFFFFFFF), mono 16-bit at `rate`."""
    return (
        b"RIFF"
        + struct.pack("<I", 0xFFFFFFFF)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
        + b"data"
        + struct.pack("<I", 0xFFFFFFFF)
    )


def served_rate(asked: int) -> int:
    """The rate a `rate` fault's samples are really at: the first standard rate at least `RATE_FACTOR` times the
    one asked (16 kHz asked: 24 kHz served; 24 kHz asked: 48 kHz)."""
    return next((rate for rate in SERVED_RATES if rate >= asked * RATE_FACTOR), round(asked * RATE_FACTOR))


def served_samples(samples: Any, kind: str, asked: int) -> Any:
    """The samples a `rate` fault serves for `asked` Hz: the same sound at `served_rate` (linear interpolation: the
    rate is what is judged, not the resampling's quality); any other kind: as they are."""
    if kind != "rate" or len(samples) < 2:
        return samples
    x = np.asarray(samples, dtype=np.float32)
    factor = served_rate(asked) / asked
    positions = np.arange(round(len(x) * factor)) / factor
    return np.interp(positions, np.arange(len(x)), x).astype(np.float32)


def broken_piece(piece: bytes, index: int, kind: str, codec: str) -> bytes:
    """Chunk `index` of a stream of `codec` samples as the fault `kind` sends it (the first chunk as it is); a chunk
    that is a whole WAV file (a socket's LINEAR16) is broken in its samples, after its own header."""
    if index == 0 or codec not in SIXTEEN_BIT or not piece:
        return piece
    data = piece.find(b"data", 12) + 8 if piece.startswith(b"RIFF") and piece.find(b"data", 12) > 0 else 0
    head, samples = piece[:data], piece[data:]
    if kind == "click":
        return head + CLICK + samples[len(CLICK) :]
    if kind == "gap":
        return head + bytes(2 * GAP_SAMPLES) + samples
    if kind == "header" and index == 1:
        return head + wav_header() + samples
    return piece


# --- timing marks broken on demand (`POST /_sandbox/drift {"marks": {"provider": kind}}`, issue 65) ---------------
#
#    shift    every mark 150 ms late (`SHIFT_S`): a clock that starts at the request, not the audio
#    scale    every time × 1.5 (`SCALE`), as marks timed at another sample rate than the audio's
#    repeat   every mark after `REPEAT_AFTER_S` ends at that time, the same end repeated (elevenlabs-python #707)
#    restart  each chunk's marks count again from zero where they should continue (from the chunk's start where
#             the declaration says they count from the chunk: they then run on) (Pipecat #4316)
#    merge    the words' spaces dropped: two words a mark, or character marks without their spaces (LiveKit #6848)
#    none     marks advertised (declared, asked for) and none sent: empty lists (LiveKit agents #6493)
#
# A socket's marks break piece by piece; an HTTP answer's (its JSON, its events, a request of their own) as one part,
# so `restart` leaves them as they are. The sandbox's own marks, with no fault set, are true: the voice's own word
# times (docs/sandbox-differences.md).

MARKS_KINDS = ("shift", "scale", "repeat", "restart", "merge", "none")

SHIFT_S = 0.150
SCALE = 1.5
REPEAT_AFTER_S = 1.0


def broken_marks(
    spans: Sequence[SpokenSpan], kind: str, index: int, offset_s: float, chunk_relative: bool = False
) -> tuple[SpokenSpan, ...]:
    """The marks of chunk `index` (starting `offset_s` into the utterance; `spans` in the utterance's time) as the
    fault `kind` sends them; "" or another kind: as they are."""
    if kind == "none":
        return ()
    if kind == "shift":
        return tuple(SpokenSpan(m.text, m.start_s + SHIFT_S, m.end_s + SHIFT_S) for m in spans)
    if kind == "scale":
        return tuple(SpokenSpan(m.text, m.start_s * SCALE, m.end_s * SCALE) for m in spans)
    if kind == "repeat":
        return tuple(SpokenSpan(m.text, m.start_s, REPEAT_AFTER_S) if m.start_s > REPEAT_AFTER_S else m for m in spans)
    if kind == "restart" and index > 0:
        moved = offset_s if chunk_relative else -offset_s
        return tuple(SpokenSpan(m.text, max(0.0, m.start_s + moved), max(0.0, m.end_s + moved)) for m in spans)
    if kind == "merge":  # characters: their spaces dropped (words: `merged_words`, which holds one across chunks)
        return tuple(m for m in spans if not m.text.isspace())
    return tuple(spans)


def merged_words(
    held: Sequence[SpokenSpan], spans: Sequence[SpokenSpan], last: bool
) -> tuple[tuple[SpokenSpan, ...], tuple[SpokenSpan, ...]]:
    """The `merge` fault on word marks: two words a mark, their space dropped ("oldman"), and the word held for the
    next chunk where a chunk's words are odd in number (all of them sent with the `last`)."""
    words = [*held, *spans]
    keep = () if last or len(words) % 2 == 0 else (words.pop(),)
    return tuple(
        SpokenSpan("".join(m.text for m in words[i : i + 2]), words[i].start_s, words[i : i + 2][-1].end_s)
        for i in range(0, len(words), 2)
    ), keep
