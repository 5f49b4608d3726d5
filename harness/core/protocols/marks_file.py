"""Timing marks declared in a providers file: a `marks` table on an `http-speech` table (the marks in the JSON answer,
or in each event of its stream) or on one of its socket tables (in the audio message, or in a message of their own:
`marks_message`), in the terms of `marks.Marks`:

    marks = { text = "/words", start = "/start", end = "/end", unit = "ms", evidence = "our reference: ..." }
    # optional beside them: durations = true (end holds durations), chars = true (a mark per character),
    #   chunk_relative = true, items = "/timestamps" (a list of objects, the pointers then inside each),
    #   kind_at = "/type" and kind = "word" (other kinds set aside), offsets = ["/start_char", "/end_char"] with
    #   offsets_in = "chars" | "bytes", asked_by = "/timestamps" with asked_value (default true), end = "" (none:
    #   a mark lasts to the next), paired = true (start lists [start, end] pairs beside the texts), asked_at_start =
    #   true (a socket's flag in its opening, not in each text message)

A mistake is one line, as every providers-file mistake.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from harness.core.protocols.marks import BYTES, CHARS, Answer, Marks

POINTER = r"^(/[^/]+)+$"
UNITS = {"s": 1.0, "ms": 0.001, "100ns": 1e-7}  # seconds per unit: seconds, milliseconds, 100-ns ticks


class MarksTable(BaseModel):
    """`marks = { text, start, end, unit, ..., evidence }`: where the marks are and how they are asked for."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built on first use, not at import

    text: str = Field(pattern=POINTER)
    start: str = Field(pattern=POINTER)
    end: str = Field("", pattern=r"^((/[^/]+)+)?$")
    unit: Literal["s", "ms", "100ns"] = "s"
    durations: bool = False
    paired: bool = False
    chars: bool = False
    chunk_relative: bool = False
    items: str | None = Field(None, pattern=r"^((/[^/]+)+)?$")
    kind_at: str = Field("", pattern=r"^((/[^/]+)+)?$")
    kind: str = "word"
    offsets: list[str] = Field(default_factory=list)
    offsets_in: Literal["chars", "bytes"] = "chars"
    asked_by: str = Field("", pattern=r"^((/[^/]+)+)?$")
    asked_value: Any = True
    asked_at_start: bool = False
    evidence: str = Field(min_length=1)

    @model_validator(mode="after")
    def _whole(self) -> MarksTable:
        self.marks()  # its rules (durations need their pointer, two offsets, a mark a message in an object) in a line
        return self

    def marks(self, answer: Answer | None = None) -> Marks:
        """The family's `Marks` of this table (`answer`: the message of their own they come in, if any)."""
        if self.offsets and len(self.offsets) != 2:
            raise ValueError("offsets: two JSON pointers, the start's and the end's")
        assert self.offsets_in in (CHARS, BYTES)
        return Marks(
            text_at=self.text,
            start_at=self.start,
            end_at=self.end,
            answer=answer,
            unit_s=UNITS[self.unit],
            durations=self.durations,
            paired=self.paired,
            chars=self.chars,
            chunk_relative=self.chunk_relative,
            asked_by=self.asked_by,
            asked_value=self.asked_value,
            asked_at_start=self.asked_at_start,
            items_at=self.items,
            kind_at=self.kind_at,
            kind=self.kind,
            offsets_at=tuple(self.offsets),
            offsets_in=self.offsets_in,
            evidence=self.evidence,
        )
