"""What a check finds: violations (the contract is broken) and drift (the documents disagree with
themselves or with what came back, but nothing is broken)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken contract, located by JSON pointer (RFC 6901) in the checked document."""

    pointer: str
    expected: str
    got: str
    rule: str = "schema"  # schema | status | content-type | header | lifecycle | timestamp | protocol

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: expected {self.expected}, got {self.got} [{self.rule}]"

    def as_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "expected": self.expected, "got": self.got, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class Drift:
    """Something the documents allow in one place and not another, or a field they never mention."""

    pointer: str
    note: str
    kind: str = "documentation"  # documentation | unknown-field | soft-limit

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.note} [{self.kind}]"

    def as_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "note": self.note, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class Verdict:
    violations: tuple[Violation, ...] = ()
    drift: tuple[Drift, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.violations

    def __add__(self, other: Verdict) -> Verdict:
        return Verdict(self.violations + other.violations, self.drift + other.drift)


def pointer(*parts: object) -> str:
    """RFC 6901 pointer from path parts (`~` and `/` escaped)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
