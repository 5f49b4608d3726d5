"""Values by evidence: a value a client sends at an enumerated field outside the listed set — another case (`pcm`
where the reference lists `PCM`), another unit (bits per second where it lists kilobits) — and what the provider does
with it, decided from evidence and kept as data. It names no provider; the imitations read it.

The unknown-input policy, extended from fields to values: a list of valid values is not by itself a statement about a
case or unit variant. Where the reference shows the provider refusing such a value (an error example, "must be one
of"), a `ValueVariant` with `means=None` says so and the imitation refuses in the provider's words; where the evidence
is silent, the variant is taken as the listed value it stands for and a finding names it. Besides the declared
variants, one rule holds for every format slot of the families: a format name that is a declared name in another case
(and no other) is that format, with a finding — unless a declared variant refuses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.core.spec import Evidence, EvidenceSource


@dataclass(frozen=True, slots=True, kw_only=True)
class ValueVariant:
    """One value clients send at a request field (`at`, a JSON pointer) outside its listed set. `means`: the listed
    value the provider takes it as, or None where the evidence shows it refused (`words`: the reference's words for
    the refusal, or for its silence). `evidence`: who sends it (`source: client`, `source: sdk`, each named with its
    version) and what the reference says. `endpoints`: the endpoint keys it applies to (empty: every one with `at`)."""

    at: str
    sent: Any
    means: Any
    evidence: tuple[Evidence, ...]
    words: str
    endpoints: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.evidence:
            raise ValueError(f"a value variant ({self.at} = {self.sent!r}) names its evidence")

    @property
    def accepted(self) -> bool:
        return self.means is not None

    def applies(self, endpoint: str) -> bool:
        return not self.endpoints or endpoint in self.endpoints


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a variant resolved to: the pointer, what was sent, what it is taken as (None: refused), and why."""

    at: str
    sent: Any
    means: Any
    why: str = ""
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)


def case_variant(value: Any, names: Iterable[str]) -> str | None:
    """The one declared name `value` spells in another case (`pcm` for `PCM`); None where it is a declared name
    itself, spells none, or spells several."""
    if not isinstance(value, str):
        return None
    listed = list(names)
    if value in listed:
        return None
    matching = [name for name in listed if name.casefold() == value.casefold()]
    return matching[0] if len(matching) == 1 else None


def declared_variant(variants: Sequence[ValueVariant], endpoint: str, at: str, value: Any) -> ValueVariant | None:
    """The declared variant for `value` at `at` on `endpoint`, if any (a bool is never an int's variant)."""
    for variant in variants:
        if (
            variant.at == at
            and variant.applies(endpoint)
            and type(variant.sent) is type(value)
            and variant.sent == value
        ):
            return variant
    return None


@dataclass(frozen=True, slots=True)
class FieldSpelling:
    """A request field clients send under another spelling than the reference's (`voice_id` where it names
    `voiceId`), decided as a value variant is: where the evidence is silent on other spellings, taken as the field
    it spells, with a finding naming the evidence. `sent`, `means`: JSON pointers, as sent and as the reference
    spells the field; `endpoints`: the endpoint keys it applies to (empty: every one)."""

    sent: str
    means: str
    evidence: tuple[Evidence, ...]
    words: str
    endpoints: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.evidence:
            raise ValueError(f"a field spelling ({self.sent} for {self.means}) names its evidence")

    def applies(self, endpoint: str) -> bool:
        return not self.endpoints or endpoint in self.endpoints


def spelling_finding(spelling: FieldSpelling) -> str:
    """The finding's words for a field taken under another spelling."""
    who = "; ".join(str(e) for e in spelling.evidence)
    return (
        f"a field the reference spells {spelling.means.lstrip('/')!r}, sent as {spelling.sent.lstrip('/')!r}: "
        f"taken as it, the reference being silent on other spellings ({who})"
    )


def finding_words(resolved: Resolved) -> str:
    """The finding's words for a variant the imitation accepted: the reference silent on it, or (every piece of its
    evidence the provider's documents: a dated snapshot of a model, "currently equivalent to" it) saying what it is."""
    who = "; ".join(str(e) for e in resolved.evidence) or "the family's case rule"
    if resolved.evidence and all(e.source is EvidenceSource.DOCS for e in resolved.evidence):
        return (
            f"a value outside the listed set, {resolved.sent!r}: taken as {resolved.means!r}, as the reference "
            f"says ({who})"
        )
    return (
        f"a value outside the listed set, {resolved.sent!r}: taken as {resolved.means!r}, the reference being "
        f"silent on it ({who})"
    )
