"""Speech for realtime channels: an utterance's text as paced pieces of audio, with where each character
is spoken, on a timeline the sandbox keeps (`/_sandbox/streams`).

A realtime emulation asks a `Speaker` for the audio of each stretch of text it decides to generate (a
flush, a full buffer, the end of input). The speaker synthesises it with the embedded voice at the
requested sample rate, cuts it into pieces of `chunk_s`, and holds each piece until its moment on the
stream's timeline (`StreamPacer`: the first after a drawn time to first audio — the profile's scale —
then near real time, now and then late). The utterance's first piece starts with a drawn stretch of
silence, as real engines' output does.

Timing marks are true to the audio (`spoken_marks`): the voice tells where it says each written word (Piper's
phoneme durations, `harness.speech.WordTime`: exact to its 256-sample frame, 11.6 ms at 22.05 kHz); a word's
characters share its span evenly, and the white space between two words is the gap between them. Where the voice
tells nothing (espeak-ng's languages, a reading changed by drift), the characters are spread evenly over the
stretch's spoken span (its first to its last frame above the onset threshold): order and bounds exact, times
approximate.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from harness.core.onset import speech_onset_s
from harness.core.protocols.markup import Pause
from harness.core.protocols.markup import Piece as MarkupPiece
from harness.core.protocols.realtime_grammar import SpokenSpan
from harness.core.silence import sounding_bounds
from harness.sandbox.emulation import Services, SpeakerVoice, Speech
from harness.sandbox.languages import spoken_language
from harness.sandbox.streams import StreamPacer, writing
from harness.speech import AudioFormat, Rendition, WordTime, decode

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of an utterance's audio, ready to send."""

    samples: Samples  # mono float at the speaker's rate
    offset_s: float  # where it starts in the utterance's audio
    marks: tuple[SpokenSpan, ...]  # the characters whose speech starts in it, times from the utterance's start


def spread_marks(text: str, samples: Samples, rate: int, offset_s: float) -> tuple[SpokenSpan, ...]:
    """Every character of `text` with an even share of the spoken span of `samples`."""
    if not text:
        return ()
    start = speech_onset_s(samples, rate)
    end_reversed = speech_onset_s(samples[::-1].copy(), rate)
    total = len(samples) / rate
    if start is None or end_reversed is None:
        start, stop = 0.0, total
    else:
        stop = max(start, total - end_reversed)
    step = (stop - start) / len(text)
    return tuple(
        SpokenSpan(char, offset_s + start + i * step, offset_s + start + (i + 1) * step) for i, char in enumerate(text)
    )


def spoken_marks(
    text: str, words: Sequence[WordTime], samples: Samples, rate: int, offset_s: float
) -> tuple[SpokenSpan, ...]:
    """Every character of `text` where the voice said it (`words`: its written words' times, from the start of
    `samples`): a word's characters share its span, the characters between two words their gap. Spread evenly
    (`spread_marks`) where the words are not `text`'s own (none told, or another reading)."""
    if not words or [w.text for w in words] != text.split() or any(text[w.first : w.last] != w.text for w in words):
        return spread_marks(text, samples, rate, offset_s)
    total = len(samples) / rate
    marks: list[SpokenSpan] = []
    at, previous_end = 0, min(words[0].start_s, total)
    for word in (*words, WordTime("", len(text), len(text), total, total)):
        start, end = min(word.start_s, total), min(max(word.start_s, word.end_s), total)
        _share(marks, text[at : word.first], previous_end, max(previous_end, start), offset_s)  # the gap's
        _share(marks, text[word.first : word.last], start, end, offset_s)
        at, previous_end = word.last, max(previous_end, end)
    return tuple(marks)


def _share(marks: list[SpokenSpan], chars: str, start: float, end: float, offset_s: float) -> None:
    """`chars` with an even share each of [start, end] (in the stretch), moved to the utterance's time."""
    step = (end - start) / len(chars) if chars else 0.0
    marks.extend(
        SpokenSpan(char, offset_s + start + i * step, offset_s + start + (i + 1) * step) for i, char in enumerate(chars)
    )


class Speaker:
    """Says one utterance's stretches of text as paced pieces, keeping the stream's truth."""

    def __init__(
        self,
        services: Services,
        sample_rate: int,
        chunk_s: float,
        pitch: float = 0.0,
        length_scale: float = 1.0,
        language: str | None = "",
        languages: tuple[str, ...] = (),
    ) -> None:
        self.services = services
        # The language spoken (harness.sandbox.languages: "" English); None: each text's own, among `languages`.
        self.language = language
        self.languages = languages
        self.heard = ""
        self.length_scale = length_scale  # Piper's: 1/speed
        self.rate = sample_rate
        self.chunk_s = chunk_s
        self.pitch = pitch
        self.pacer: StreamPacer | None = None
        self.spoken_s = 0.0  # audio sent so far

    def begin(self, text: str) -> StreamPacer:
        """Start the stream's timeline when its first text arrives (idempotent)."""
        if self.pacer is None:
            self.pacer = self.services.stream(text)
        else:
            self.pacer.truth.text += text
        return self.pacer

    async def samples(self, text: str) -> Samples:
        samples, _ = await self.timed(text)
        return samples

    async def timed(self, text: str) -> tuple[Samples, tuple[WordTime, ...]]:
        """`text`'s samples at the speaker's rate, and where the voice said each of its written words."""
        rendition = Rendition(
            sample_rate=min(48000, max(8000, self.rate)), pitch_shift=self.pitch, length_scale=self.length_scale
        )
        self.heard = f"{self.heard} {text}"  # the utterance's text so far: a stretch alone may be a word or two
        language = (
            self.language if self.language is not None else spoken_language(None, None, self.languages, self.heard)
        )
        voice = SpeakerVoice(rendition, language=language)
        wav, words = await self.services.synthesize_timed(Speech.single(text, voice, AudioFormat.WAV))
        clip = decode(wav).resampled(self.rate)
        return np.asarray(clip.samples, dtype=np.float32), words

    async def timed_pieces(self, pieces: tuple[MarkupPiece, ...]) -> tuple[Samples, tuple[WordTime, ...]]:
        """Markup honoured (`harness.core.protocols.markup`): each stretch of words rendered alone, and each pause
        exactly its asked length of zeros between them. A stretch's own silent edges are cut where a pause meets them
        (`harness.core.silence`: the judge's frames), so the silence heard is the pause asked, not the pause plus the
        voice's lead-in and tail; word times and character offsets move to the joined audio and text."""
        parts: list[Samples] = []
        words: list[WordTime] = []
        at_sample = at_char = 0
        for index, piece in enumerate(pieces):
            if isinstance(piece, Pause):
                parts.append(np.zeros(round(piece.ms * self.rate / 1000), dtype=np.float32))
            else:
                samples, said = await self.timed(piece)
                first, end = sounding_bounds(samples, self.rate)
                first = first if index > 0 and isinstance(pieces[index - 1], Pause) else 0
                end = end if index + 1 < len(pieces) and isinstance(pieces[index + 1], Pause) and end else len(samples)
                shift = (at_sample - first) / self.rate
                words += [
                    WordTime(
                        w.text,
                        w.first + at_char,
                        w.last + at_char,
                        max(0.0, w.start_s + shift),
                        max(0.0, w.end_s + shift),
                    )
                    for w in said
                ]
                parts.append(samples[first:end])
                at_char += len(piece) + 1  # the spoken text joins the stretches with one space
            at_sample += len(parts[-1])
        return (np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)), tuple(words)

    async def say(self, text: str) -> AsyncIterator[Piece]:
        """The pieces of `text`'s audio, each yielded at its moment."""
        pacer = self.pacer or self.begin(text)
        samples, words = await self.timed(text)
        if not pacer.truth.chunk_at:
            lead = np.zeros(round(pacer.lead_silence_s() * self.rate), dtype=np.float32)
            samples = np.concatenate([lead, samples])
            words = tuple(
                WordTime(w.text, w.first, w.last, w.start_s + len(lead) / self.rate, w.end_s + len(lead) / self.rate)
                for w in words
            )
        marks = spoken_marks(text, words, samples, self.rate, self.spoken_s)
        step = max(1, round(self.chunk_s * self.rate))
        for begin in range(0, len(samples), step):
            part = samples[begin : begin + step]
            offset = self.spoken_s
            length = len(part) / self.rate
            onset = speech_onset_s(part, self.rate) if pacer.truth.onset_s is None else None
            await pacer.release(length, onset)
            self.spoken_s += length
            last = begin + step >= len(samples)  # a mark at the very end belongs to the last piece
            inside = tuple(m for m in marks if offset <= m.start_s and (last or m.start_s < offset + length))
            writing(pacer)  # the socket's writer stamps the chunk's truth as it writes it
            yield Piece(part, offset, inside)
            writing(None)
