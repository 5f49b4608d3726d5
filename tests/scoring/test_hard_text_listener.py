"""The listener's decoder passes (no model: the model's `align` imitated where the test needs it): which sentences
are scored together, and that a sentence's likelihood does not depend on the ones beside it."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np

from harness.scoring.hard_text.listener import Hearing, Listener, ListenerSettings, token_batches


def test_a_pass_holds_sentences_of_one_length_within_its_budget() -> None:
    lengths = [9, 5, 9, 7, 5, 5, 9, 40, 7]
    passes = token_batches(lengths, budget=18)
    assert sorted(position for batch in passes for position in batch) == list(range(len(lengths)))
    for batch in passes:
        assert len({lengths[position] for position in batch}) == 1  # never padded
        assert len(batch) * lengths[batch[0]] <= 18 or len(batch) == 1  # one sentence longer than it: alone
    assert [[lengths[position] for position in batch] for batch in passes] == [[5, 5, 5], [7, 7], [9, 9], [9], [40]]
    assert token_batches([], budget=128) == []


class _PaddedAlign:
    """CTranslate2's `Whisper.align` as measured (tiny.en, 4.8.5): a sentence's token probabilities move a little with
    the length its pass pads it to (up to 0.28 nats over a sentence); the passes it was asked are kept."""

    def __init__(self) -> None:
        self.passes: list[list[int]] = []

    def align(
        self, _encoded: Any, _prompt: Sequence[int], tokens: list[list[int]], *_: Any, **__: Any
    ) -> list[SimpleNamespace]:
        longest = max(len(sentence) for sentence in tokens)
        self.passes.append([len(sentence) for sentence in tokens])
        return [
            SimpleNamespace(text_token_probs=[0.5 * (1 - 0.001 * (longest - len(sentence)))] * len(sentence))
            for sentence in tokens
        ]


def _listener(align: _PaddedAlign, budget: int) -> Listener:
    listener = Listener.__new__(Listener)
    listener.settings = ListenerSettings(tokens_per_batch=budget)
    listener._prompt = [0, 1]
    listener._model = lambda: SimpleNamespace(model=align)  # type: ignore[method-assign]
    listener.tokens = lambda sentence: list(range(len(sentence.split())))  # type: ignore[method-assign]
    return listener


def test_a_sentences_likelihood_is_the_same_alone_and_beside_longer_ones() -> None:
    """Sentences were batched twelve at a time by length, so a pass padded the shorter ones to its longest: 73 of
    1,709 sentences of en_hard's clips got another likelihood than alone (up to 0.28 nats), a clip's verdict
    depending on its neighbours' sentences. Now a pass holds sentences of one length only."""
    clip = Hearing(np.zeros((100, 4), dtype=np.float32), "", 2.0)
    other = Hearing(np.ones((100, 4), dtype=np.float32), "", 2.0)  # another clip of the same window
    short, longer = "one two three", "one two three four five six seven"
    align = _PaddedAlign()
    alone = _listener(align, 128).likelihoods([(clip, [short])])[0][0]
    beside = _listener(align, 128).likelihoods([(clip, [short, longer]), (other, [longer, short, short])])
    assert beside[0][0] == beside[1][1] == beside[1][2] == alone == 3 * float(np.log(0.5))
    assert all(len(set(asked)) == 1 for asked in align.passes)


def test_the_clips_of_one_window_are_decoded_sixteen_together() -> None:
    """A free transcript's decode costs nearly as much for one clip as for sixteen (each step reads the vocabulary
    projection once for all of them: tiny.en, 4 s windows, 85 ms of CPU a clip alone, 12 in sixteen), so clips of
    one window are decoded up to sixteen at a time, not eight; clips of another window apart."""
    decoded: list[int] = []
    listener = Listener.__new__(Listener)
    listener.settings = ListenerSettings()
    listener._encode = lambda clips, window_s: np.zeros((len(clips), int(window_s * 50), 4))  # type: ignore[method-assign]

    def decode(encoded: np.ndarray, max_tokens: int, *, styled: bool = False) -> list[str]:
        decoded.append(len(encoded))
        return ["heard"] * len(encoded)

    listener._decode = decode  # type: ignore[method-assign]
    silence = np.zeros(16_000 * 3, dtype=np.float32)  # no speech found: the clip heard whole, a 3.5 s window
    hearings = listener._hear([silence] * 20 + [np.zeros(16_000 * 5, dtype=np.float32)])
    assert decoded == [16, 4, 1]
    assert [hearing.window_s for hearing in hearings] == [3.5] * 20 + [5.5]


def test_likelihoods_cached_from_padded_passes_are_not_read_as_these() -> None:
    """The cache key names the unpadded passes: a judge before them cached likelihoods that moved with their
    neighbours, and a stored run judged again must not read those as its own."""
    from harness.scoring.hard_text.listener import ListenerSettings

    assert ListenerSettings().key().endswith(";unpadded")
