"""The reference beside the transcript, word by word: the same alignment jiwer used to count WER.

Highlighting with a different aligner (difflib) would mark differences that disagree with the counted
substitutions, deletions and insertions; aligning the stored normalized texts with jiwer again keeps the
picture and the numbers the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Op(StrEnum):
    EQUAL = "equal"
    SUBSTITUTE = "substitute"
    DELETE = "delete"  # in the reference, not spoken
    INSERT = "insert"  # spoken, not in the reference


@dataclass(frozen=True, slots=True)
class Token:
    op: Op
    reference: str  # words of the reference in this chunk ("" for insertions)
    transcript: str  # words of the transcript in this chunk ("" for deletions)


def align(reference: str, transcript: str) -> tuple[Token, ...]:
    """Chunks of the word alignment of two normalized texts (space-separated tokens)."""
    ref_words, hyp_words = reference.split(), transcript.split()
    if not ref_words:
        return (Token(Op.INSERT, "", " ".join(hyp_words)),) if hyp_words else ()
    if not hyp_words:
        return (Token(Op.DELETE, " ".join(ref_words), ""),)
    import jiwer  # the scorer's dependency; imported here so the report's other parts do not need it

    result = jiwer.process_words(" ".join(ref_words), " ".join(hyp_words))
    tokens = []
    for chunk in result.alignments[0]:
        tokens.append(
            Token(
                Op(chunk.type),
                " ".join(ref_words[chunk.ref_start_idx : chunk.ref_end_idx]),
                " ".join(hyp_words[chunk.hyp_start_idx : chunk.hyp_end_idx]),
            )
        )
    return tuple(tokens)
