"""An SSML document read safely, the one reading both the SSML a provider's body carries (`harness.core.ssml`) and the
markup a declaration writes (`harness.core.protocols.markup`) go through: bounded in length, a DTD refused outright
(no SSML a provider documents declares one, and a DTD is how entity expansion attacks arrive), parsed with the
standard library's expat parser, its root a `<speak>`. A module of its own: `harness.core.ssml` builds on
`harness.core.spec`, which the markup vocabulary is part of."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

MAX_DOCUMENT_CHARS = 1_000_000  # far above any documented limit; a bound on what is parsed


def parse_ssml(document: str) -> ElementTree.Element:
    """The document's `<speak>` root, or a ValueError in one line saying what is wrong with it."""
    if len(document) > MAX_DOCUMENT_CHARS:
        raise ValueError(f"longer than {MAX_DOCUMENT_CHARS:,} characters")
    if re.search(r"<!(DOCTYPE|ENTITY)", document, re.IGNORECASE):
        raise ValueError("a DTD or entity declaration is not SSML")
    try:
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError as error:
        raise ValueError(f"not well-formed XML ({error})") from None
    if local_name(root.tag) != "speak":
        raise ValueError(f"the root element is <{local_name(root.tag)}>, not <speak>")
    return root


def local_name(tag: str) -> str:
    """An element's name without its namespace (`{uri}speak` is `speak`)."""
    return tag.rsplit("}", 1)[-1]
