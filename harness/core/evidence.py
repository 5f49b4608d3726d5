"""What a declaration rests on (`Evidence`): the provider's documents, its official client library (`source: sdk`), or
independent clients in wide use (`source: client`), each named with its version. Its own module, so that every part of
the core vocabulary (`harness.core.spec`, the realtime grammar's `Channel`) says it without importing the other."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EvidenceSource(StrEnum):
    """What a declaration rests on."""

    DOCS = "docs"  # the provider's documents (the default: every declaration quotes them)
    SDK = "sdk"  # the provider's official client library: the calls it makes and the fields it reads
    # An independent client in wide use (a voice-agent framework's integration), named with its version: what it
    # sends where no stored page documents it (an endpoint, a value); counted apart from the documents and the SDK.
    CLIENT = "client"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a declaration comes from. The documents, unless an official client library (published on a
    package index, named with its version) calls an endpoint, or sends a shape, the documents never show:
    an application built on that library depends on it, so the spec says it, marked `source: sdk`; or unless
    independent clients in wide use (each named with its version) speak what no stored page shows, marked
    `source: client`."""

    source: EvidenceSource = EvidenceSource.DOCS
    library: str = ""  # "acme-speech==1.2.0": the distribution and version read
    call: str = ""  # the library's function that makes the call: "Client.speak"

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.library, self.call) if part)
        return f"{self.source.value} ({where})" if where else self.source.value


DOCUMENTS = Evidence()
