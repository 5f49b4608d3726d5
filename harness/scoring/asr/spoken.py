"""Spoken-form decoding: the Whisper tokens that write a number or a symbol, to suppress while decoding.

Whisper writes what it hears in written form: "nineteen eighty four" and "one nine eight four" both come
back "1984", "twelve dollars" comes back "$12", "world war two" comes back "World War II". A hard-text judge
needs to know which was said, so the span scorer decodes with every vocabulary token holding a digit or one
of ``WRITTEN_SYMBOLS`` suppressed, and every token that is a Roman numeral of two letters or more (a lone
"I" is the pronoun and stays); Whisper then spells out what it hears. The ids depend on the model's
vocabulary only, so they are computed once per model (about 50,000 decodes, under a second) and kept.
"""

from __future__ import annotations

import re
from typing import Any

# Characters that write a spoken word: a transcript holding one has chosen a written form. "@" is not
# among them: suppressed, Whisper writes "." where it hears "at" in an address; it is always "at", and the
# span scorer reads it so (harness.scoring.span).
WRITTEN_SYMBOLS = frozenset("$%/:#&+=*°×÷£€¥¢^<>~\\|_²³½¼¾§©®™")


_ROMAN = re.compile(r"(?=[IVX]{2,}$)X{0,3}(?:IX|IV|V?I{0,3})")


def writes_a_symbol(text: str) -> bool:
    """Whether a token's text writes a number or a symbol rather than words."""
    return any(char.isdigit() or char in WRITTEN_SYMBOLS for char in text) or bool(
        _ROMAN.fullmatch(text.strip(" .")))


_BY_MODEL: dict[str, tuple[int, ...]] = {}


def written_form_tokens(tokenizer: Any, model_id: str) -> tuple[int, ...]:
    """The text tokens (ids below end-of-text) of ``tokenizer`` that hold a digit or a written symbol."""
    if model_id not in _BY_MODEL:
        _BY_MODEL[model_id] = tuple(
            token for token in range(tokenizer.eot) if writes_a_symbol(tokenizer.decode([token]))
        )
    return _BY_MODEL[model_id]
