"""The closed set of problems scoring can report about a clip, each with a human sentence.

A flag is machine-readable (stored as its string value in ``scores.flags_json``); a finding pairs it with
the measured numbers that raised it, so a report can say *why* without re-deriving thresholds.
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


@dataclass(frozen=True, slots=True)
class Finding:
    """One flag with the sentence that explains it (measured value against threshold)."""

    flag: Flag
    detail: str

    def to_json(self) -> dict[str, str]:
        return {"flag": self.flag.value, "detail": self.detail}
