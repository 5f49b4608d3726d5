"""SSML, as far as the harness writes and reads it: the one-voice `<speak>` document an SSML REST
endpoint takes as its body (`ssml_body`, an `Endpoint.text_body`), and the words a document speaks
(`spoken_text`: what the sandbox says for an SSML request, markup aside), and where its `<mark>`s fall among
them (`mark_places`: the times a provider's timepoints name).

Documents are read by `harness.core.ssml_document` (bounded, a DTD refused, expat).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from harness.core.spec import TextBody
from harness.core.ssml_document import local_name, parse_ssml

SSML_TYPE = "application/ssml+xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The request field (the harness's, not the wire's: the wire is the document) that says the text is the voice
# element's SSML content, put in unescaped; a markup declaration's `also_sets` names it.
MARKUP_TEXT = ("/text_type", "ssml")


def spoken_text(document: str) -> str:
    """The words an SSML document speaks, white space folded; ValueError naming what is wrong."""
    return " ".join("".join(parse_ssml(document).itertext()).split())


def mark_places(document: str) -> list[tuple[str, int]]:
    """Each `<mark name>` of a document, in order, with how many spoken words come before it; ValueError as above."""
    said: list[str] = []
    places: list[tuple[str, int]] = []

    def walk(element: ElementTree.Element) -> None:
        if local_name(element.tag) == "mark":
            places.append((element.get("name", ""), len(" ".join(said).split())))
        said.append(element.text or "")
        for child in element:
            walk(child)
            said.append(child.tail or "")

    walk(parse_ssml(document))
    return places


def speak_document(text: str, voice: str, language: str, markup: bool = False) -> str:
    """A `<speak>` document saying `text` in one `voice`, as the documents' examples write it; `markup`: `text` is
    the voice element's SSML content (its `<break>`s as elements, not escaped as words)."""
    lang = quoteattr(language)
    return (
        f"<speak version='1.0' xml:lang={lang}><voice xml:lang={lang} name={quoteattr(voice)}>"
        f"{text if markup else escape(text)}</voice></speak>"
    )


def read_speak_document(document: str) -> dict[str, Any]:
    """The fields a one-voice `<speak>` document carries: text, voice and language (the first voice's); a voice
    element holding elements (a `<break>`) carries its content as markup (`text_type` "ssml", `MARKUP_TEXT`)."""
    root = parse_ssml(document)
    voice = next((element for element in root.iter() if local_name(element.tag) == "voice"), None)
    fields: dict[str, Any] = {"text": " ".join("".join(root.itertext()).split())}
    if voice is not None and len(voice):
        inner = escape(voice.text or "") + "".join(ElementTree.tostring(child, encoding="unicode") for child in voice)
        fields.update({"text": inner.strip(), MARKUP_TEXT[0].lstrip("/"): MARKUP_TEXT[1]})
    language = (voice.get(XML_LANG) if voice is not None else None) or root.get(XML_LANG)
    if language:
        fields["language"] = language
    if voice is not None and voice.get("name"):
        fields["voice"] = voice.get("name")
    return fields


def _render(fields: Mapping[str, Any]) -> str:
    return speak_document(
        str(fields.get("text", "")),
        str(fields.get("voice", "")),
        str(fields.get("language", "")),
        markup=fields.get(MARKUP_TEXT[0].lstrip("/")) == MARKUP_TEXT[1],
    )


#: The body of an endpoint that takes one-voice SSML made from the request's `text`, `voice` and `language`.
SSML_BODY = TextBody(SSML_TYPE, _render, read_speak_document)
