"""The hard-text judge's ear: a clip encoded once, its free spoken-form transcript, and how likely any sentence
is under it, batched across clips.

Asking a small ASR model *which* of an item's readings a clip is likelier under is a far easier question than
asking it to write the span down (docs/hard-text.md). CTranslate2's Whisper answers it: `Whisper.align` takes
the encoded clip and a batch of token sequences and returns each token's probability under teacher forcing,
so the log-likelihood of a sentence is the sum of its tokens' log-probabilities. (Not the end of text's:
`align` gives it no probability, whatever follows the text, so it is not asked.) The clip is encoded once and
its encoder output repeated for every sentence asked about.

What the cost is (benchmarks/perf/hard_text_judge.py measures it): the encoder in proportion to the window,
and per sentence the decoder's vocabulary projection per token plus the cross-attention keys over the window.
A sentence's cost grows with its tokens more than with the window (the CPU one took, tiny.en, passes of twelve:
10 tokens 6 ms and 30 tokens 18 ms under a 1 s window, 8 and 19 ms under 5 s). So each clip, its silence before
and after the speech cut to `EDGE_S`, is encoded in a window fitted to it (its duration plus
`ListenerSettings.pad_s`, in half seconds, never Whisper's fixed 30 s: the probabilities do not need the
padding), clips of one window are encoded and decoded together, their sentences of one length scored in shared
passes (`token_batches`: never padded, so a sentence's likelihood is its own, whatever is scored beside it), a
sentence's prior is scored under one second of silence, and the free transcript is decoded on the same encoder
output with a length cap (a decoder that loops near a window's end stops at the cap; only the span, found by the
carrier, is read from it).

The free transcript depends on its clip alone: its length cap is the clip's window's (`transcript_budget`), never
the item's or a neighbour's (CTranslate2 4.8.5 returns about half the tokens ``max_length`` allows where tiny.en
emits no end of text in a fitted window, and a batch's cap is its longest: a clip decoded beside a longer one ran
on), and where the decoder starts the sentence over it is cut there (`transcript.ends_where_speech_ends`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from harness.scoring.asr.base import SAMPLE_RATE, WINDOW_S
from harness.scoring.asr.faster import FasterWhisperBackend
from harness.scoring.asr.spoken_form import written_form_tokens
from harness.scoring.audio import FloatArray
from harness.scoring.blas import one_blas_thread
from harness.scoring.hard_text.transcript import ends_where_speech_ends
from harness.scoring.scoring_errors import AsrBackendError

# Mel frames per second, and encoder frames per mel frame (Whisper's convolution halves the frames).
_MEL_RATE = 100
# The silence a sentence's prior is scored under (`Listener.priors`): what the decoder expects with nothing heard.
PRIOR_WINDOW_S = 1.0
# Silence kept before and after a clip's speech (found as a run's perceived first audio is: harness.core.onset).
EDGE_S = 0.15
_WINDOW_STEP_S = 0.5
# Where spoken-form decoding stopped early (the digits it wanted were blocked, and suppressing the end of text does
# not stop CTranslate2 from ending), the clip is decoded again after this "previous text": numbers spelled out,
# which Whisper takes as the transcript's style and follows. It favours no reading of any item.
SPOKEN_STYLE = "one two three four five six seven eight nine zero"
# The free transcript's cap, in tokens per second of the clip's window (and a few more): CTranslate2 returns about
# half of it (measured with tiny.en: 12 -> 6, 20 -> 10, 30 -> 15 tokens), so about 6 tokens a second, more than a
# voice says (spelled letters included); a decoder that loops is cut where it starts over.
_TOKENS_PER_S = 12
_TOKENS_SLACK = 8
_FLOOR = 1e-30  # a token probability below this counts as this (log of zero is no number)


@dataclass(frozen=True, slots=True, kw_only=True)
class ListenerSettings:
    """What changes a likelihood or a transcript (part of every cache key), and the batch sizes (which do not).

    ``pad_s``: silence after the clip's end inside its window; ``beam_size``: the free transcript's beam;
    ``tokens_per_batch``: token positions (its prompt included) a decoder pass scores together, sentences of one
    length (`token_batches`); ``clips_per_encode``: clips of one window encoded and decoded together; ``cpu_threads``:
    the threads the model computes on, shared by ``listeners``: the clips of a call heard in that many Python threads
    at once, each on a replica of the model of its own (`HardTextJudge.listen`: a clip's evidence does not depend on
    the clips heard beside it, so the split changes nothing but the time)."""

    pad_s: float = 0.5
    beam_size: int = 1
    tokens_per_batch: int = 128
    clips_per_encode: int = 16
    cpu_threads: int = 2
    listeners: int = 2

    def key(self) -> str:
        # "unpadded": likelihoods scored in passes of one length (`token_batches`); those cached before were scored in
        # padded passes, up to 0.52 nats off, and are not read as these.
        return (
            f"window=speech+{EDGE_S:g}s+{self.pad_s:g}s;prior={PRIOR_WINDOW_S:g}s;beam={self.beam_size};"
            "spoken-form;unpadded"
        )

    def window_s(self, duration_s: float) -> float:
        """The encoder window for a clip: its duration plus the pad, in half seconds, at most Whisper's 30 s."""
        steps = math.ceil((duration_s + self.pad_s) / _WINDOW_STEP_S)
        return float(min(WINDOW_S, max(1.0, steps * _WINDOW_STEP_S)))


def transcript_budget(window_s: float) -> int:
    """The free transcript's cap, in tokens, for a clip of this window: the window's alone, so the transcript of a
    clip is the same whatever item it reads and whatever clips it is decoded beside."""
    return math.ceil(window_s * _TOKENS_PER_S) + _TOKENS_SLACK


def token_batches(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """The sentences (by their lengths in tokens) in decoder passes: only sentences of one length together, at most
    ``budget`` token positions a pass (one sentence longer than that alone), shortest first.

    One length a pass, because a pass pads its sentences to its longest, and a padded sentence's likelihood is not
    the one it has alone (CTranslate2 4.8.5, tiny.en: sentences batched twelve at a time by length, 73 of 1,709 of
    en_hard's clips' moved, up to 0.28 nats; over the self-test's 2,778 renders 3,700 of 53,693 likelihoods and
    priors, up to 0.52 nats, though no figure of it moved): a clip's verdict would depend on the sentences scored
    beside it. Unpadded, a sentence's likelihood is the same in any pass, with any clip's sentences. A budget of
    positions, not a count of sentences, because `Listener.likelihoods` asks each position's probability over the
    whole vocabulary: past about 128 positions (26 MB of logits, against the 32 MiB cache the two cores share) a
    sentence costs more, not less (the CPU en_hard's sentences and priors took a clip: twelve a pass by length 156 to
    177 ms; one length, 128 positions 103 to 111; 192 positions 132 to 137: docs/measurements.md)."""
    by_length: dict[int, list[int]] = defaultdict(list)
    for position in sorted(range(len(lengths)), key=lambda position: lengths[position]):
        by_length[lengths[position]].append(position)
    passes: list[list[int]] = []
    for length, positions in by_length.items():
        size = max(1, budget // max(1, length))
        passes += [positions[start : start + size] for start in range(0, len(positions), size)]
    return passes


def speech_of(clip: FloatArray) -> FloatArray:
    """The clip with its silence before and after the speech cut to `EDGE_S` (all of it where none is found)."""
    from harness.core.onset import speech_onset_s

    start = speech_onset_s(clip, SAMPLE_RATE)
    end = speech_onset_s(clip[::-1], SAMPLE_RATE)
    if start is None or end is None:
        return clip
    first = max(0, int((start - EDGE_S) * SAMPLE_RATE))
    last = min(len(clip), len(clip) - int((end - EDGE_S) * SAMPLE_RATE))
    return clip[first:last] if last - first > SAMPLE_RATE // 10 else clip


@dataclass(slots=True)
class Hearing:
    """One clip as the model heard it: the encoder output (kept for the sentences asked about next) and the
    free spoken-form transcript."""

    encoded: np.ndarray  # (encoder frames, model width), float32
    transcript: str
    window_s: float
    truncated: bool = False  # the clip was longer than one window: only its first 30 s were heard


class Listener:
    """Encodes clips, decodes their free transcripts and scores sentences, with one faster-whisper model."""

    def __init__(self, backend: FasterWhisperBackend, settings: ListenerSettings | None = None) -> None:
        self.backend = backend
        self.settings = settings or ListenerSettings()
        self._tokenizer: Any = None
        self._prompt: list[int] = []
        self._suppressed: list[int] = []
        self._silence: Hearing | None = None

    @property
    def model_id(self) -> str:
        return self.backend.model_id

    def _model(self) -> Any:
        model = self.backend.whisper_model()
        if self._tokenizer is None:
            from faster_whisper.tokenizer import Tokenizer
            from faster_whisper.transcribe import get_suppressed_tokens

            tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")
            self._prompt = list(model.get_prompt(tokenizer, [], without_timestamps=True))
            self._suppressed = list(
                get_suppressed_tokens(tokenizer, [-1, *written_form_tokens(tokenizer, self.model_id)])
            )
            self._tokenizer = tokenizer
        return model

    def tokens(self, sentence: str) -> list[int]:
        """The sentence's text tokens as the decoder is forced through them."""
        self._model()
        tokens: list[int] = self._tokenizer.encode(" " + sentence.strip())
        return tokens

    def hear(self, audio: Sequence[FloatArray]) -> list[Hearing]:
        """Encode each clip in its window and decode its free transcript (capped by its window,
        `transcript_budget`). Clips of one window are encoded and decoded together."""
        with one_blas_thread():
            return self._hear(audio)

    def _hear(self, audio: Sequence[FloatArray]) -> list[Hearing]:
        audio = [speech_of(clip) for clip in audio]
        by_window: dict[float, list[int]] = defaultdict(list)
        for index, clip in enumerate(audio):
            by_window[self.settings.window_s(len(clip) / SAMPLE_RATE)].append(index)
        hearings: list[Hearing | None] = [None] * len(audio)
        step = self.settings.clips_per_encode
        for window, indices in sorted(by_window.items()):
            for start in range(0, len(indices), step):
                batch = indices[start : start + step]
                encoded = self._encode([audio[index] for index in batch], window)
                texts = self._decode(encoded, transcript_budget(window))
                for row, (index, text) in enumerate(zip(batch, texts, strict=True)):
                    hearings[index] = Hearing(
                        np.array(encoded[row]), text, window, truncated=len(audio[index]) > WINDOW_S * SAMPLE_RATE
                    )
        return [hearing for hearing in hearings if hearing is not None]

    def _encode(self, clips: list[FloatArray], window_s: float) -> Any:
        from faster_whisper.audio import pad_or_trim

        model = self._model()
        frames = int(window_s * _MEL_RATE)
        try:
            features = np.stack([pad_or_trim(model.feature_extractor(clip)[..., :-1], frames) for clip in clips])
            return np.array(model.encode(features))
        except (RuntimeError, ValueError) as exc:
            raise AsrBackendError(f"faster-whisper could not encode {len(clips)} clips: {exc}") from exc

    def hear_again(self, hearings: Sequence[Hearing]) -> list[str]:
        """The free transcripts decoded again after `SPOKEN_STYLE` as previous text (each capped by its window): where
        spoken-form decoding stopped early (the digits it wanted were blocked), the rest of the sentence."""
        with one_blas_thread():
            texts: list[str] = []
            for start in range(0, len(hearings), self.settings.clips_per_encode):
                batch = hearings[start : start + self.settings.clips_per_encode]
                by_shape: dict[tuple[int, ...], list[int]] = defaultdict(list)
                for index, hearing in enumerate(batch):
                    by_shape[hearing.encoded.shape].append(index)
                chunk = [""] * len(batch)
                for indices in by_shape.values():
                    encoded = np.stack([batch[index].encoded for index in indices])
                    decoded = self._decode(encoded, transcript_budget(batch[indices[0]].window_s), styled=True)
                    for index, text in zip(indices, decoded, strict=True):
                        chunk[index] = text
                texts.extend(chunk)
            return texts

    def _decode(self, encoded: np.ndarray, max_tokens: int, *, styled: bool = False) -> list[str]:
        """Each encoded clip's free transcript, at most ``max_tokens`` asked (the same for every clip of the batch:
        a clip's transcript does not depend on its neighbours), cut where the decoder starts over."""
        import ctranslate2

        model = self._model()
        prompt = (
            list(model.get_prompt(self._tokenizer, self._tokenizer.encode(" " + SPOKEN_STYLE), without_timestamps=True))
            if styled
            else self._prompt
        )
        try:
            results = model.model.generate(
                ctranslate2.StorageView.from_array(np.ascontiguousarray(encoded, dtype=np.float32)),
                [list(prompt) for _ in range(len(encoded))],
                beam_size=self.settings.beam_size,
                max_length=len(prompt) + max_tokens,
                suppress_blank=True,
                suppress_tokens=self._suppressed,
            )
        except (RuntimeError, ValueError) as exc:
            raise AsrBackendError(f"faster-whisper could not decode {len(encoded)} clips: {exc}") from exc
        return [ends_where_speech_ends(self._tokenizer.decode(result.sequences_ids[0]).strip()) for result in results]

    def priors(self, sentences: Sequence[str]) -> list[float]:
        """Each sentence's log-likelihood under silence (`PRIOR_WINDOW_S`): the decoder's own expectation of the text,
        what a reading's likelihood owes to how Whisper likes to write rather than to what was heard."""
        if self._silence is None:
            with one_blas_thread():
                encoded = self._encode([np.zeros(int(PRIOR_WINDOW_S * SAMPLE_RATE), dtype=np.float32)], PRIOR_WINDOW_S)
            self._silence = Hearing(np.array(encoded[0]), "", PRIOR_WINDOW_S)
        return self.likelihoods([(self._silence, sentences)])[0]

    def likelihoods(self, requests: Sequence[tuple[Hearing, Sequence[str]]]) -> list[list[float]]:
        """For each (hearing, sentences): each sentence's log-likelihood under the hearing, in nats (the sum of
        its tokens' log-probabilities under teacher forcing). Sentences of one length of clips of one window are
        scored in shared passes (`token_batches`)."""
        with one_blas_thread():
            return self._likelihoods(requests)

    def _likelihoods(self, requests: Sequence[tuple[Hearing, Sequence[str]]]) -> list[list[float]]:
        import ctranslate2

        model = self._model()
        scores: list[list[float]] = [[math.nan] * len(sentences) for _, sentences in requests]
        by_shape: dict[tuple[int, ...], list[tuple[int, int]]] = defaultdict(list)
        for request, (hearing, sentences) in enumerate(requests):
            by_shape[hearing.encoded.shape].extend((request, index) for index in range(len(sentences)))
        for pairs in by_shape.values():
            tokenized = [(request, index, self.tokens(requests[request][1][index])) for request, index in pairs]
            lengths = [len(self._prompt) + len(tokens) for _, _, tokens in tokenized]
            for passed in token_batches(lengths, self.settings.tokens_per_batch):
                chosen = [tokenized[position] for position in passed]
                batch = [(request, index) for request, index, _ in chosen]
                encoded = np.stack([requests[request][0].encoded for request, _ in batch])
                tokens = [sentence_tokens for _, _, sentence_tokens in chosen]
                try:
                    results = model.model.align(
                        ctranslate2.StorageView.from_array(np.ascontiguousarray(encoded, dtype=np.float32)),
                        list(self._prompt),
                        tokens,
                        [2] * len(batch),
                        median_filter_width=1,
                    )
                except (RuntimeError, ValueError) as exc:
                    raise AsrBackendError(f"faster-whisper could not score {len(batch)} sentences: {exc}") from exc
                for (request, index), result in zip(batch, results, strict=True):
                    probabilities = np.maximum(np.asarray(result.text_token_probs, dtype=np.float64), _FLOOR)
                    scores[request][index] = float(np.log(probabilities).sum())
        return scores
