"""The markup a request's text carries, honoured as its documents show it (`harness.core.protocols.markup`), or
broken on demand (`POST /_sandbox/drift {"markup": {"provider": kind}}`): what `bench run --corpus markup` must
catch (docs/markup.md).

    ""              as documented: the words spoken, each pause the asked length of silence, no tag ever spoken
    speak           the tags read aloud, as a voice that takes markup for text does ("speak break time 500ms ...")
    ignore_break    the tags set aside but no pause made: the words run on
    ignore_say_as   `say-as` and `sub` set aside, their text read as written ("DOG" a word, "1234" a number)

A phoneme is honoured by speaking its word: the sandbox's Piper takes raw phonemes (`[[ ... ]]`), but its word marks
are read from the written text, so the phones are not sent (docs/sandbox-differences.md).
"""

from __future__ import annotations

import re

from harness.core.protocols.markup import Markup, Pause, Piece, tag_words

MARKUP_KINDS = ("speak", "ignore_break", "ignore_say_as")
_TAG = re.compile(r"<[^<>]*>")


def honoured(markup: Markup, sent: str, model: str, fault: str = "") -> tuple[Piece, ...]:
    """What the voice says for the sent text: its words and pauses (`Markup.read`), or as `fault` breaks it.
    ValueError (one line) for SSML that is not well-formed, as the provider refuses it."""
    pieces = markup.read(sent, model, honour_said=fault != "ignore_say_as")
    if fault == "ignore_break":
        return tuple(p for p in pieces if not isinstance(p, Pause))
    if fault == "speak":  # each tag said as its words, where it stands
        said = _TAG.sub(lambda tag: f" {' '.join(tag_words(tag.group()))} ", sent)
        return (" ".join(said.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").split()),)
    return pieces
