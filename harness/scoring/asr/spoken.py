"""Spoken-form decoding: the Whisper tokens that write a number or a symbol, to suppress while decoding.

Whisper writes what it hears in written form: "nineteen eighty four" and "one nine eight four" both come
back "1984", "twelve dollars" comes back "$12". A hard-text judge needs to know which was said, so the
span scorer decodes with every vocabulary token holding a digit or one of ``WRITTEN_SYMBOLS`` suppressed;
Whisper then spells out what it hears. The ids depend on the model's vocabulary only, so they are computed
once per model (about 50,000 decodes, under a second) and kept.
"""

from __future__ import annotations

from typing import Any

# Characters that write a spoken word: a transcript holding one has chosen a written form.
WRITTEN_SYMBOLS = frozenset("$%@/:#&+=*°×÷£€¥¢^<>~\\|_²³½¼¾§©®™")


def writes_a_symbol(text: str) -> bool:
    return any(char.isdigit() or char in WRITTEN_SYMBOLS for char in text)


_BY_MODEL: dict[str, tuple[int, ...]] = {}


def written_form_tokens(tokenizer: Any, model_id: str) -> tuple[int, ...]:
    """The text tokens (ids below end-of-text) of ``tokenizer`` that hold a digit or a written symbol."""
    if model_id not in _BY_MODEL:
        _BY_MODEL[model_id] = tuple(
            token for token in range(tokenizer.eot) if writes_a_symbol(tokenizer.decode([token]))
        )
    return _BY_MODEL[model_id]
