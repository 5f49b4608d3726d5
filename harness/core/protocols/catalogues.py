"""Open and closed catalogues: whether a declared list of voices (or models) is the whole set its reference offers, and
what an id no declared entry names gets. It names no provider; every imitation of a family (HTTP, socket, gRPC) asks
`judge` and nothing else.

A reference that lists every voice (a table of a dozen named voices) makes a closed catalogue: an id it does not list
is the provider's not-found refusal. A reference that shows a sample of a larger set — a voice library of thousands,
the account's own cloned and designed voices — makes an open one: the provider would speak any id of the documented
form its account holds, so the imitation, never stricter than the provider, speaks it too and records a finding
naming it. What stays refused: an id not of the documented form, and an id a team marked missing
(`AccountCatalogue.missing`: the sandbox's `POST /_sandbox/catalogue`), so the documented not-found answer stays
reachable for the contract suite's negative checks. A team's own catalogue (`AccountCatalogue.voices`, `.models`:
`tts-harness serve --catalogue FILE`) names the ids its account holds: spoken as listed, no finding.

A model name the provider takes that is no benchmark offering (`KnownModel`: a newer model, a dated snapshot, an alias
such as `-latest`, a client's default that no stored page lists) is declared with its evidence and spoken like a
declared model of the same synthesis, or of the socket that names its models its own way; it adds no offering to the
market and no price of its own. One the documents list is spoken as listed; one only clients (or the official client)
send is spoken too, never stricter than the provider, with a finding naming that evidence (`known_finding`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from harness.core.evidence import DOCUMENTS, Evidence, EvidenceSource


@dataclass(frozen=True, slots=True)
class Catalogue:
    """One declared list's extent, as its reference says. `open`: the list samples a larger set (a voice library,
    the account's voices); `form`: a regular expression every id of the set fully matches, as the reference shows or
    states it (an open catalogue accepts any id of it); `why`: the reference's words, quoted, and where."""

    open: bool = False
    form: str = ""
    why: str = ""

    def __post_init__(self) -> None:
        if self.open and not self.form:
            raise ValueError("an open catalogue needs the documented form of its ids (form=...)")
        if self.form:
            re.compile(self.form)  # a declaration's typo stops at import, not at the first request

    def of_form(self, name: str) -> bool:
        return bool(self.form) and re.fullmatch(self.form, name) is not None


CLOSED = Catalogue()


@dataclass(frozen=True, slots=True)
class AccountCatalogue:
    """A team's own catalogue for one provider: the voices and models its account holds beyond the documents' (cloned
    voices, library voices added, models newer than the stored reference), and the ids it wants refused as missing."""

    voices: frozenset[str] = frozenset()
    models: frozenset[str] = frozenset()
    missing: frozenset[str] = frozenset()

    def merged(self, other: AccountCatalogue) -> AccountCatalogue:
        return AccountCatalogue(self.voices | other.voices, self.models | other.models, self.missing | other.missing)


NO_ACCOUNT = AccountCatalogue()


@dataclass(frozen=True, slots=True, kw_only=True)
class KnownModel:
    """A model name the provider takes beyond the declared offerings, kept current from its references: spoken as
    `like` (the name a declared model sends at the same model slot: its voice, its formats) — and priced as it where
    the name is an `alias` of that same model (a dated snapshot, a `-latest`), unpriced otherwise (another model,
    no offering, no price of its own). `words`: the source's words, quoted, with the read date; `evidence`: the
    documents by default, or the official client (`source: sdk`) or independent clients (`source: client`) that send
    the name where no stored page lists it, each named with its version."""

    name: str
    like: str
    words: str
    evidence: tuple[Evidence, ...] = (DOCUMENTS,)
    alias: bool = False
    # Where `like` is a socket's own name for a declared model rather than the name an HTTP request sends (a realtime
    # socket may call a model by a name of its own, `<model>-realtime`, and its snapshots after that name): the key of
    # that socket, the only place the name is taken. Empty: the name is taken on every synthesis, and every socket,
    # that serves the model `like` names under that name.
    socket: str = ""

    def __post_init__(self) -> None:
        if not self.words or not self.evidence:
            raise ValueError(f"a known model ({self.name}) quotes its source and names its evidence")

    @property
    def documented(self) -> bool:
        """Whether a document of the provider's lists the name (some of its evidence the documents)."""
        return any(e.source is EvidenceSource.DOCS for e in self.evidence)


def known_finding(known: KnownModel) -> str | None:
    """The finding's words for a known model spoken: None where the documents list it (spoken as any listed name);
    where only clients or the official client send it, the sandbox speaks it, never stricter than the provider, and
    says so, naming them."""
    if known.documented:
        return None
    who = "; ".join(str(e) for e in known.evidence)
    return (
        f"a model name no stored page lists, {known.name!r}: spoken like {known.like!r}"
        f"{', priced as it' if known.alias else ''}, as its clients send it ({who})"
    )


class SlotVerdict(StrEnum):
    """What an imitation does with an id at a voice (or model) slot."""

    LISTED = "listed"  # the declaration lists it: spoken
    ACCOUNT = "account"  # the team's own catalogue lists it: spoken, no finding
    UNLISTED = "unlisted"  # an open catalogue, an id of its form: spoken, and a finding names it
    MISSING = "missing"  # the provider's not-found refusal

    @property
    def spoken(self) -> bool:
        return self is not SlotVerdict.MISSING


def judge(
    catalogue: Catalogue, name: str, *, listed: bool, account: AccountCatalogue = NO_ACCOUNT, kind: str = "voice"
) -> SlotVerdict:
    """The one rule: an id marked missing is refused whatever lists it; a declared id is spoken; an id the team's
    catalogue lists is spoken; an id of an open catalogue's form is spoken with a finding; anything else is refused.
    `kind`: which of the account's lists to read (`voice` or `model`)."""
    if name in account.missing:
        return SlotVerdict.MISSING
    if listed:
        return SlotVerdict.LISTED
    if name in (account.voices if kind == "voice" else account.models):
        return SlotVerdict.ACCOUNT
    if catalogue.open and catalogue.of_form(name):
        return SlotVerdict.UNLISTED
    return SlotVerdict.MISSING


def unlisted_finding(kind: str, name: str) -> str:
    """The finding's words for an id an open catalogue accepted."""
    return (
        f"a {kind} id the documents do not list, {name!r}: spoken, as the reference's {kind}s are a sample of a "
        f"larger set and the id has the documented form"
    )
