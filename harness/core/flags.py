"""The closed set of problems scoring can report about a clip, each with a human sentence.

A flag is machine-readable (stored as its string value in ``scores.flags_json``); a finding pairs it with
the measured numbers that raised it, so a report can say *why* without re-deriving thresholds.

The vocabulary lives in the core, not in scoring: the scorer raises these flags and the checks read them back from
the store (the language check reads `wrong_language`), and a check may not import scoring, so both name this enum.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Flag(StrEnum):
    """A problem found in a clip's transcript or audio."""

    # Transcript versus reference.
    EMPTY_TRANSCRIPT = "empty_transcript"
    HALLUCINATION_LONG = "hallucination_long"
    HALLUCINATION_REPEAT = "hallucination_repeat"
    MISSING_END = "missing_end"
    MISSING_START = "missing_start"
    # The language heard is not the one asked for (harness.scoring.language_check).
    WRONG_LANGUAGE = "wrong_language"
    # Container and declared properties.
    UNDECODABLE = "undecodable"
    TRUNCATED_FILE = "truncated_file"
    MEDIA_TYPE_MISMATCH = "media_type_mismatch"
    SAMPLE_RATE_MISMATCH = "sample_rate_mismatch"
    CHANNELS_MISMATCH = "channels_mismatch"
    # Signal.
    SILENT = "silent"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    LEADING_SILENCE = "leading_silence"
    TRAILING_SILENCE = "trailing_silence"
    CLIPPING = "clipping"


class FlagKind(StrEnum):
    """What a flag says is wrong, for the faces that list findings by kind (the history page): only the container
    and the declared properties are the provider's contract; a clip in another language than asked is the language
    check's, not a contract violation."""

    TRANSCRIPT = "transcript"
    LANGUAGE = "language"
    CONTRACT = "contract"
    SIGNAL = "signal"


_KINDS = {
    Flag.EMPTY_TRANSCRIPT: FlagKind.TRANSCRIPT,
    Flag.HALLUCINATION_LONG: FlagKind.TRANSCRIPT,
    Flag.HALLUCINATION_REPEAT: FlagKind.TRANSCRIPT,
    Flag.MISSING_END: FlagKind.TRANSCRIPT,
    Flag.MISSING_START: FlagKind.TRANSCRIPT,
    Flag.WRONG_LANGUAGE: FlagKind.LANGUAGE,
    Flag.UNDECODABLE: FlagKind.CONTRACT,
    Flag.TRUNCATED_FILE: FlagKind.CONTRACT,
    Flag.MEDIA_TYPE_MISMATCH: FlagKind.CONTRACT,
    Flag.SAMPLE_RATE_MISMATCH: FlagKind.CONTRACT,
    Flag.CHANNELS_MISMATCH: FlagKind.CONTRACT,
    Flag.SILENT: FlagKind.SIGNAL,
    Flag.TOO_SHORT: FlagKind.SIGNAL,
    Flag.TOO_LONG: FlagKind.SIGNAL,
    Flag.LEADING_SILENCE: FlagKind.SIGNAL,
    Flag.TRAILING_SILENCE: FlagKind.SIGNAL,
    Flag.CLIPPING: FlagKind.SIGNAL,
}


def flag_kind(name: str) -> str:
    """The kind of a stored flag's name; "clip" for a name this version no longer knows (an older store's)."""
    try:
        return _KINDS[Flag(name)].value
    except ValueError:
        return "clip"


@dataclass(frozen=True, slots=True)
class Finding:
    """One flag with the sentence that explains it (measured value against threshold)."""

    flag: Flag
    detail: str

    def to_json(self) -> dict[str, str]:
        return {"flag": self.flag.value, "detail": self.detail}
