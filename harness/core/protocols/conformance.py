"""What a server of a family must do to be compatible with a built-in provider's endpoint, clause by clause, each in
the provider's documents' words: the data `tts-harness conform URL --like NAME` runs (docs/conform.md). A built-in of
the HTTP speech family declares its clauses on its `SpeechService` (`conformance`); a providers-file table or a
`conform` run started `like` it inherits them, so the clauses follow the family, not the server.

A clause names no code: it names the one check of the harness that judges it (`Judge`, and for a family check the
check's name in `harness.contracts.speech_checks.checks_for`), so the contract suite and `conform` can never judge
one behaviour two ways:

    family     a check of the HTTP speech family by its name (`format-mp3`, `speed`, `stream-sse`, `seams`, ...)
    plan       a generic contract plan by its label (`401-invalid-key`: a wrong key refused in the error body)
    accepted   the request with the clause's `sets` spoken: the success status and audio in the format asked
    voices     every voice the documents list spoken (not a family check: a voice library's hundreds would cost
               the contract suite as many answers)

`not_for` names the models the documents exempt ("Does not work with tts-1 or tts-1-hd"): a server whose models are
all exempt does not offer the clause.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Judge(StrEnum):
    FAMILY = "family"
    PLAN = "plan"
    ACCEPTED = "accepted"
    VOICES = "voices"


@dataclass(frozen=True, slots=True, kw_only=True)
class Clause:
    """One documented behaviour: its name on the card, what it asks in a few words, the documents' own words and where
    they are, and the check that judges it."""

    name: str
    asks: str
    words: str
    source: str
    judge: Judge
    check: str = ""  # the family check's name (`Judge.FAMILY`) or the plan's label (`Judge.PLAN`)
    sets: Mapping[str, Any] = field(default_factory=dict)  # request values (JSON pointers) the clause sends
    not_for: tuple[str, ...] = ()  # the models the documents exempt

    def __post_init__(self) -> None:
        if self.judge in (Judge.FAMILY, Judge.PLAN) and not self.check:
            raise ValueError(f"clause {self.name}: a {self.judge} judge names its check")
        if not self.words.strip() or not self.source.strip():
            raise ValueError(f"clause {self.name}: the documents' words and their source are required")


@dataclass(frozen=True, slots=True)
class ConformClauses:
    """A family's endpoint as a compatible server must answer it: its signature, in the documents' terms, and its
    clauses in the order a card shows them."""

    endpoint: str
    clauses: tuple[Clause, ...]

    def __post_init__(self) -> None:
        names = [clause.name for clause in self.clauses]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.endpoint}: clause names repeat")
