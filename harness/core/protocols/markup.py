"""Markup in the text a provider speaks, as its documents show it: the vocabulary a declaration writes it in
(`Markup`, `Tag`), and the one reader and writer every engine uses. It names no provider.

    a markup item (the corpus)     ["Mary had a little lamb.", Pause(500), "Whose fleece was white as snow."]
        │ written(markup, model)   the text sent, each pause in the provider's own form, in its document wrapper
        ▼
    "<speak>Mary had a little lamb.<break time=\"500ms\"/>Whose fleece was white as snow.</speak>"
        │ read(markup, text, model)  what a voice honouring the documents says: the words, and each pause's length
        ▼
    ("Mary had a little lamb.", Pause(500), "Whose fleece was white as snow.")

Words written one way and said another (`Said`: SSML `say-as` characters or digits, `sub`, `phoneme`) are written in
the provider's own element where its documents show one and read back as a voice honouring it says them: each
character on its own, the alias in place of the text, the word itself (a phoneme's phones are the voice's business).

`read` is the sandbox's imitation and `tag_words` the judge's list of what must never be heard: a tag is never
spoken. A tag a model is documented not to take (`Tag.unsupported_on`) is read as nothing (neither spoken nor a
pause); any other tag of the text is set aside too, its enclosed words spoken (SSML: an element's text; inline
syntax: everything outside `<...>`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from harness.core.checks import FindingKind
from harness.core.json_pointer import drop, put, resolve
from harness.core.ssml_document import parse_ssml

#: The markup rule's one name (the contract suite's violations, `compare --fail-on`, history's JUnit case) and what
#: each kind of finding breaks: the markup check declares them (`harness.checks.markup`), every judge says them.
RULE = "markup"
BREAK_MISSED = FindingKind(
    "break",
    "a break is heard as silence within max(100 ms, 25%) of the asked length, where "
    "it was asked (the provider's documented break or pause tag)",
)
READING_MISSED = FindingKind("reading", "a say-as or sub is read as the tag asks, not as its text is written")
TAG_SPOKEN = FindingKind("tag spoken", "a tag the offering is sent is never spoken aloud")

MAX_PAUSE_MS = 10_000  # the longest pause any stored document allows ("The maximum duration is 10s")


class Syntax(StrEnum):
    """How the text carries its tags."""

    SSML = "ssml"  # an XML document (`<speak>` root); the words are its text, every element is markup
    INLINE = "inline"  # tags written into plain text; everything outside `<...>` is spoken


class TagKind(StrEnum):
    BREAK = "break"  # a pause of the asked length
    CHARACTERS = "say-as characters"  # the text said letter by letter
    DIGITS = "say-as digits"  # a number said digit by digit
    SUB = "sub"  # the alias said in place of the text
    PHONEME = "phoneme"  # the word said as the phones given


SPELLED = (TagKind.CHARACTERS, TagKind.DIGITS)  # said one character at a time


@dataclass(frozen=True, slots=True)
class Pause:
    """A pause asked for (or heard) in the text: its length in milliseconds."""

    ms: int


Piece = str | Pause


@dataclass(frozen=True, slots=True)
class Said:
    """Words written one way and asked to be said another (`kind`): `text` as written, `value` the alias (`sub`) or
    the phones (`phoneme`). `honoured` and `ignored`: the item's spoken forms (`harness.core.hard_text.grammar`) of
    the asked reading and of the text read as if no tag were there, what the judge's forced choice chooses between
    (none for a phoneme: only "no tag spoken" is judged of it)."""

    kind: TagKind
    text: str
    value: str = ""
    honoured: str = ""
    ignored: str = ""

    @property
    def said(self) -> str:
        """What a voice honouring the tag says, written as text another voice reads the same way."""
        if self.kind in SPELLED:  # as the documents write it: "test" said "T E S T"
            return " ".join(self.text.replace(" ", "").upper())
        return self.value if self.kind is TagKind.SUB else self.text


Asked = Piece | Said  # a markup item's piece


@dataclass(frozen=True, slots=True, kw_only=True)
class Tag:
    """One tag the documents show: what it does, how it is written (`form`, with `{ms}` or `{s}` for a pause's
    length), the models whose documents say they do not take it, and the documents' words."""

    kind: TagKind
    # '<break time="{ms}ms"/>', '<break time="{s}s" />'; a `Said`'s: '<sub alias="{value}">{text}</sub>'
    form: str
    doc: str
    quote: str
    unsupported_on: tuple[str, ...] = ()  # models documented not to take it: read as nothing (never spoken)
    max_ms: int = MAX_PAUSE_MS
    # How it is read back from the text: a regular expression matching the whole tag, its length in the group `ms`
    # (milliseconds) or `s` (seconds); "": a `<break ... time="500ms"/>` (the SSML-like form).
    pattern: str = ""

    def write(self, piece: Pause | Said) -> str:
        if isinstance(piece, Said):
            return self.form.format(text=_escaped(piece.text), value=_escaped(piece.value).replace('"', "&quot;"))
        return self.form.format(ms=piece.ms, s=f"{piece.ms / 1000:g}")

    def interpret_as(self) -> str | None:
        """The `interpret-as` value a `say-as` form names (None: not a say-as)."""
        found = re.search(r'interpret-as="([^"]+)"', self.form)
        return found.group(1) if found else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Markup:
    """The markup a synthesis' text takes: its syntax, its tags, the document the text goes in (`{text}`), and the
    request fields that say the text is markup (a TextType "ssml"); no such field: the text is always read so.

    `moves_to` names the field the markup goes at in place of the plain text's (an `input.ssml` beside
    `input.text`), as (the text's field, the markup's field). `fragment`: the text is the content of an element of
    a document the request renders around it (a `<voice>` in an SSML body made from the text), read inside a
    `<speak>` root."""

    syntax: Syntax
    tags: tuple[Tag, ...]
    document: str = "{text}"
    also_sets: tuple[tuple[str, Any], ...] = ()
    moves_to: tuple[str, str] | None = None
    fragment: bool = False

    def placed(self, request: dict[str, Any]) -> None:
        """`request` (its text written by `written`) asking for markup: each of `also_sets` set, and the text moved
        to the markup's own field where it has one."""
        for pointer, value in self.also_sets:
            put(request, pointer, value)
        if self.moves_to is not None:
            text_at, markup_at = self.moves_to
            present, text = resolve(request, text_at)
            if present:
                drop(request, text_at)
                put(request, markup_at, text)

    def tag(self, kind: TagKind, model: str = "") -> Tag | None:
        """The tag of `kind` that `model` takes (None: none declared, or documented as not taken by it)."""
        return next((t for t in self.tags if t.kind is kind and model not in t.unsupported_on), None)

    def asked(self, request: Any) -> bool:
        """Whether a request's text is read as markup: each of `also_sets` holds its value."""
        for pointer, value in self.also_sets:
            present, held = resolve(request, pointer)
            if not present or held != value:
                return False
        return True

    def written(self, pieces: Sequence[Asked], model: str = "") -> str:
        """The text to send for `pieces`: each pause in the form `model` takes (a pause no tag of it takes is sent in
        the first declared form: the model is documented to ignore it), each `Said` in its element (as its written
        text where none is declared: the plan asks no such item of it), in the document wrapper."""
        parts: list[str] = []
        for piece in pieces:
            if isinstance(piece, Pause):
                tag = self.tag(TagKind.BREAK, model) or next(t for t in self.tags if t.kind is TagKind.BREAK)
                parts.append(tag.write(piece))
            elif isinstance(piece, Said):
                said_tag = self.tag(piece.kind, model)
                # set off by spaces: an element's words are words of their own, not glued to their neighbours
                parts.append(f" {said_tag.write(piece) if said_tag is not None else _escaped(piece.text)} ")
            else:
                parts.append(_escaped(piece) if self.syntax is Syntax.SSML else piece)
        return self.document.format(text="".join(parts))

    def read(self, text: str, model: str = "", honour_said: bool = True) -> tuple[Piece, ...]:
        """What a voice honouring the documents says for `text`: its words and its pauses, in order; ValueError (one
        line) where SSML is not well-formed. `honour_said=False`: a `say-as` or `sub` read as its written text, as a
        voice ignoring them does."""
        if self.syntax is Syntax.SSML:
            said = _said_readers(self, model) if honour_said else {}
            raw = _ssml_pieces(f"<speak>{text}</speak>" if self.fragment else text, said)
        else:
            raw = _inline_pieces(text, self.tags)
        taken = self.tag(TagKind.BREAK, model)
        pieces: list[Piece] = []
        for piece in raw:
            if isinstance(piece, Pause):
                if taken is not None:  # a model documented not to take it: the tag is read as nothing
                    pieces.append(Pause(min(piece.ms, taken.max_ms)))
            elif piece.strip():
                pieces.append(piece)
        return _merged(pieces)


def spoken(pieces: Sequence[Asked]) -> str:
    """The words of `pieces` (a `Said`'s as an honouring voice says them), white space folded: what the recogniser
    should hear."""
    words = (p.said if isinstance(p, Said) else p for p in pieces if not isinstance(p, Pause))
    return " ".join(" ".join(words).split())


def written_words(pieces: Sequence[Asked]) -> str:
    """The words of `pieces` as written (a `Said`'s text, not what is said for it): the sentence a tag is set in."""
    words = (p.text if isinstance(p, Said) else p for p in pieces if not isinstance(p, Pause))
    return " ".join(" ".join(words).split())


def pauses(pieces: Sequence[Piece]) -> tuple[Pause, ...]:
    return tuple(p for p in pieces if isinstance(p, Pause))


_TAG = re.compile(r"<[^<>]*>")
_WORD = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?(?:ms|s)?")
_PAUSE_TIME = re.compile(r"""time\s*=\s*["']\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*["']""", re.IGNORECASE)
_BREAK = re.compile(r"<\s*break\b[^<>]*>", re.IGNORECASE)


def tag_words(text: str) -> tuple[str, ...]:
    """The words inside the tags of a sent text (tag and attribute names, attribute values): what a voice that speaks
    its tags aloud says, and a voice that honours them never does."""
    words: list[str] = []
    for tag in _TAG.findall(text):
        words += [w.lower() for w in _WORD.findall(tag)]
    return tuple(dict.fromkeys(words))


def _pause_of(tag_text: str) -> Pause | None:
    found = _PAUSE_TIME.search(tag_text)
    if found is None:
        return None
    value, unit = float(found.group(1)), found.group(2).lower()
    return Pause(round(value * (1 if unit == "ms" else 1000)))


def _tag_pause(tag_text: str, tags: Sequence[Tag]) -> Pause | None:
    for tag in tags:
        if tag.kind is not TagKind.BREAK:
            continue
        if not tag.pattern:
            if _BREAK.fullmatch(tag_text) and (pause := _pause_of(tag_text)) is not None:
                return pause
            continue
        found = re.fullmatch(tag.pattern, tag_text)
        if found is not None:
            named = found.groupdict()
            if named.get("ms") is not None:
                return Pause(round(float(named["ms"])))
            if named.get("s") is not None:
                return Pause(round(float(named["s"]) * 1000))
    return None


def _inline_pieces(text: str, tags: Sequence[Tag]) -> list[Piece]:
    pieces: list[Piece] = []
    at = 0
    for tag in _TAG.finditer(text):
        pieces.append(text[at : tag.start()])
        if (pause := _tag_pause(tag.group(), tags)) is not None:
            pieces.append(pause)
        at = tag.end()
    pieces.append(text[at:])
    return pieces


SaidReader = Callable[[ElementTree.Element], str | None]


def _said_readers(markup: Markup, model: str) -> dict[str, SaidReader]:
    """How each element of a `Said` tag `model` takes is said (by element name); None: read as its text."""
    spelled = {value for kind in SPELLED if (tag := markup.tag(kind, model)) and (value := tag.interpret_as())}

    def say_as(element: ElementTree.Element) -> str | None:
        if element.attrib.get("interpret-as") not in spelled:
            return None
        return Said(TagKind.CHARACTERS, "".join(element.itertext())).said

    readers: dict[str, SaidReader] = {}
    if spelled:
        readers["say-as"] = say_as
    if markup.tag(TagKind.SUB, model) is not None:
        readers["sub"] = lambda element: element.attrib.get("alias")
    return readers


def _ssml_pieces(document: str, said: Mapping[str, SaidReader] | None = None) -> list[Piece]:
    root = parse_ssml(document)  # the one safe reading of an SSML document
    pieces: list[Piece] = []
    said = said or {}

    def walk(element: ElementTree.Element) -> None:
        name = element.tag.rsplit("}", 1)[-1]
        if name == "break":
            pause = _pause_of(" ".join(f'{k}="{v}"' for k, v in element.attrib.items()))
            if pause is not None:
                pieces.append(pause)
        reading = said[name](element) if name in said else None
        if reading is not None:  # the element's words said as its tag asks, in place of its text
            pieces.append(f" {reading} ")
            return
        pieces.append(element.text or "")
        for child in element:
            walk(child)
            pieces.append(child.tail or "")

    walk(root)
    return pieces


def _merged(pieces: Sequence[Piece]) -> tuple[Piece, ...]:
    """Adjacent words joined, adjacent pauses summed, white space folded; no pause at either end is dropped."""
    out: list[Piece] = []
    for piece in pieces:
        if out and isinstance(piece, str) and isinstance(out[-1], str):
            out[-1] = f"{out[-1]} {piece}"
        elif out and isinstance(piece, Pause) and isinstance(out[-1], Pause):
            out[-1] = Pause(out[-1].ms + piece.ms)
        else:
            out.append(piece)
    return tuple(" ".join(p.split()) if isinstance(p, str) else p for p in out)


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# A corpus item's `Said` piece: its key names the tag and holds its value (say-as: "characters" or "digits").
_SAY_AS = {"characters": TagKind.CHARACTERS, "digits": TagKind.DIGITS}
_SAID_KEYS = {"say_as": TagKind.CHARACTERS, "sub": TagKind.SUB, "phoneme": TagKind.PHONEME}


def _said_item(piece: Mapping[str, Any]) -> Said:
    key = next((k for k in _SAID_KEYS if k in piece), None)
    text, value = piece.get("text"), piece.get(key or "")
    if key is None or not isinstance(text, str) or not text.strip() or not isinstance(value, str):
        raise ValueError(f'a tagged piece is {{"say_as"|"sub"|"phoneme": ..., "text": ...}}, not {piece!r}')
    readings = (str(piece.get("honoured", "")), str(piece.get("ignored", "")))
    if key == "say_as":
        if value not in _SAY_AS:
            raise ValueError(f"say_as is one of {', '.join(_SAY_AS)}, not {value!r}")
        return Said(_SAY_AS[value], text, "", *readings)
    return Said(_SAID_KEYS[key], text, value, *readings)


def markup_item(data: Any) -> tuple[Asked, ...]:
    """A corpus item's `pieces` (strings, `{"pause_ms": N}` and tagged words: `{"say_as": "characters", "text":
    "DOG", "honoured": "d o g", "ignored": "dog"}`, `{"sub": alias, ...}`, `{"phoneme": phones, "text": word}`)
    as pieces; ValueError (one line) otherwise."""
    if not isinstance(data, Sequence) or isinstance(data, str) or not data:
        raise ValueError('pieces must be a non-empty list of strings and {"pause_ms": N} objects')
    pieces: list[Asked] = []
    for piece in data:
        if isinstance(piece, str) and piece.strip():
            pieces.append(piece)
        elif isinstance(piece, Mapping) and "pause_ms" not in piece:
            pieces.append(_said_item(piece))
        elif (
            isinstance(piece, Mapping)
            and isinstance(piece.get("pause_ms"), int)
            and 0 < piece["pause_ms"] <= MAX_PAUSE_MS
        ):
            pieces.append(Pause(piece["pause_ms"]))
        else:
            raise ValueError(f'a piece is a non-empty string or {{"pause_ms": 1..{MAX_PAUSE_MS}}}, not {piece!r}')
    return tuple(pieces)
