"""Spoken-form decoding: the Whisper tokens that write a number or a symbol, to suppress while decoding.

Whisper writes what it hears in written form: "nineteen eighty four" and "one nine eight four" both come
back "1984", "twelve dollars" comes back "$12", "world war two" comes back "World War II". A hard-text judge
needs to know which was said, so the span scorer decodes with every vocabulary token holding a digit or one
of ``WRITTEN_SYMBOLS`` suppressed, and every token that is a Roman numeral of two letters or more (a lone
"I" is the pronoun and stays); Whisper then spells out what it hears. The ids depend on the model's
vocabulary only, so they are computed once per model (about 50,000 decodes, under a second) and kept.

Whisper's vocabulary is byte-level: a symbol without a token of its own ("¼", "÷", " ™") is written as
two or three tokens of its UTF-8 bytes, each of which decodes alone to U+FFFD. Such a symbol is blocked
by suppressing the tokens that complete it (those whose bytes begin with the end of the symbol's bytes: "¼"
is C2 BC, and the token of the byte BC is suppressed); the token of a leading byte stays, as it also begins
letters ("é" is C3 A9 and has a token of its own).
"""

from __future__ import annotations

import re
from typing import Any

# Characters that write a spoken word: a transcript holding one has chosen a written form. "@" is not
# among them: suppressed, Whisper writes "." where it hears "at" in an address; it is always "at", and the
# span scorer reads it so (harness.scoring.hard_text.transcript).
WRITTEN_SYMBOLS = frozenset("$%/:#&+=*°×÷£€¥¢^<>~\\|_²³½¼¾§©®™")


_ROMAN = re.compile(r"(?=[IVX]{2,}$)X{0,3}(?:IX|IV|V?I{0,3})")


def writes_a_symbol(text: str) -> bool:
    """Whether a token's text writes a number or a symbol rather than words."""
    return any(char.isdigit() or char in WRITTEN_SYMBOLS for char in text) or bool(_ROMAN.fullmatch(text.strip(" .")))


_BY_MODEL: dict[str, tuple[int, ...]] = {}


def written_form_tokens(tokenizer: Any, model_id: str) -> tuple[int, ...]:
    """The text tokens (ids below end-of-text) of ``tokenizer`` that hold a digit or a written symbol, or
    complete a written symbol's bytes (the module's docstring)."""
    if model_id not in _BY_MODEL:
        endings = symbol_byte_endings()
        _BY_MODEL[model_id] = tuple(
            token
            for token in range(tokenizer.eot)
            if writes_a_symbol(tokenizer.decode([token])) or token_bytes(tokenizer, token).startswith(endings)
        )
    return _BY_MODEL[model_id]


def symbol_byte_endings() -> tuple[bytes, ...]:
    """The ends of the written symbols' UTF-8 bytes that complete a symbol begun by another token."""
    endings = {
        encoded[start:]
        for symbol in WRITTEN_SYMBOLS
        if len(encoded := symbol.encode()) > 1
        for start in range(1, len(encoded))
    }
    return tuple(sorted(endings))


def _byte_of_character() -> dict[str, int]:
    """GPT-2's byte-level alphabet (which Whisper's tokenizer uses): the printable character standing for each
    byte in a token's text."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("\u00a1"), ord("\u00ac") + 1),
        *range(ord("\u00ae"), ord("\u00ff") + 1),
    ]
    shifted = [byte for byte in range(256) if byte not in printable]
    characters = {byte: chr(byte) for byte in printable} | {byte: chr(256 + n) for n, byte in enumerate(shifted)}
    return {character: byte for byte, character in characters.items()}


_BYTES = _byte_of_character()


def token_bytes(tokenizer: Any, token: int) -> bytes:
    """The bytes a token of a byte-level tokenizer stands for (empty where its text is not byte-level)."""
    text = tokenizer.tokenizer.id_to_token(token) or ""
    if not all(character in _BYTES for character in text):
        return b""
    return bytes(_BYTES[character] for character in text)
