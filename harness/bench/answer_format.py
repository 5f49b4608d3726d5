"""What a speech request asked its audio to be, and what the answer says it is, as claims for the one audio rule
(`harness.core.audio.read_as_claimed`: the bytes' own header is believed, the words are checked against it).

The request's claim comes from the HTTP speech family's declaration: the format the payload names (its media type),
and the rate the payload asks where a rate slot is set, or the format's own rate where the synthesis has no rate
slot (the name fixes it: `riff-24khz-16bit-mono-pcm`, a providers file's `pcm_s16le/24000/wav`). A rate slot left
empty asks for nothing: the server answers at the voice's own rate. The answer's words are its Content-Type where
the body is the audio (a chunked stream of audio bytes included), and the JSON fields its synthesis declares
(`Synthesis.format_words`) where the audio travels in JSON: the answer's, or the first event's that says anything,
in a stream of events — whose own Content-Type names the transport, never the audio.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any

from harness.core.audio import REQUEST, Claim
from harness.core.drift import resolve
from harness.core.protocols.http_speech import FormatWords, SpeechService, Synthesis, asked_media_type, read
from harness.core.spec import Endpoint, Provider
from harness.core.sse import events, is_sse

CONTENT_TYPE = "headers/content-type"


def synthesis_of(provider: Provider, endpoint: Endpoint) -> Synthesis | None:
    """The HTTP speech synthesis `endpoint` is, or None (another family, or not a synthesis)."""
    service = provider.family
    if not isinstance(service, SpeechService):
        return None
    try:
        return service.synthesis(endpoint.key)
    except KeyError:
        return None


def asked_claim(provider: Provider, endpoint: Endpoint, payload: Mapping[str, Any]) -> Claim | None:
    """What the request asked the audio to be (see the module docstring); None outside the family."""
    synthesis = synthesis_of(provider, endpoint)
    if synthesis is None:
        return None
    headerless = asked_media_type(provider, endpoint, payload)
    if headerless is not None:
        return Claim(REQUEST, headerless)
    try:
        fmt = synthesis.format_of(payload)
    except KeyError:
        return None
    rate = None
    if synthesis.slots.rate is None:
        rate = fmt.spec.sample_rate
    elif str(read(payload, synthesis.slots.rate) or "").isdigit():
        rate = int(read(payload, synthesis.slots.rate))
    return Claim(REQUEST, fmt.media_type, rate)


def header_words(content_type: str | None) -> list[Claim]:
    """An answer whose body is the audio: its Content-Type."""
    return [Claim(CONTENT_TYPE, content_type)] if content_type else []


def json_words(synthesis: Synthesis | None, body: bytes, *, lines: bool = False) -> list[Claim]:
    """What a JSON answer, or the first event of a stream (SSE, or NDJSON `lines`) that says anything, says of
    its audio at the places its synthesis declares; nothing where it declares none."""
    if synthesis is None or synthesis.format_words is None:
        return []
    for document in _documents(body, lines=lines):
        found = _said(synthesis, synthesis.format_words, document)
        if found:
            return found
    return []


def _documents(body: bytes, *, lines: bool) -> list[Any]:
    if lines:
        texts = body.splitlines()
    elif is_sse(body):
        texts = [line[5:] for _, event in events(body) for line in event.splitlines() if line.startswith(b"data:")]
    else:
        texts = [body]
    found = []
    for text in texts:
        try:
            found.append(json.loads(text))
        except ValueError:
            continue  # a stream's other lines ([DONE], comments)
    return found


def _said(synthesis: Synthesis, words: FormatWords, document: Any) -> list[Claim]:
    found = []
    media_type = _at(document, words.media_type)
    if isinstance(media_type, str) and media_type:
        found.append(Claim(words.media_type, media_type))
    name = _at(document, words.format)
    if isinstance(name, str) and name:
        with contextlib.suppress(KeyError):  # a name the declaration does not list says nothing to hold up
            found.append(Claim(words.format, synthesis.format(name).media_type))
    rate = _at(document, words.rate)
    if isinstance(rate, int | str) and not isinstance(rate, bool) and str(rate).isdigit() and int(rate) > 0:
        found.append(Claim(words.rate, sample_rate=int(rate)))
    return found


def _at(document: Any, pointer: str) -> Any:
    if not pointer:
        return None
    _, value = resolve(document, pointer)
    return value
