"""What a speech request asked its audio to be, and what the answer says it is, as claims for the one audio rule
(`harness.core.audio.read_as_claimed`: the bytes' own header is believed, the words are checked against it).

The request's claim comes from the HTTP speech family's declaration: the format the payload names (its media type),
and the rate the payload asks where a rate slot is set, or the format's own rate where the synthesis has no rate
slot (the name fixes it: `riff-24khz-16bit-mono-pcm`, a providers file's `pcm_s16le/24000/wav`). A rate slot left
empty asks for nothing: the server answers at the voice's own rate. The answer's words are its Content-Type where
the body is the audio (a chunked stream of audio bytes included), and the JSON fields its synthesis declares
(`Synthesis.format_words`) where the audio travels in JSON: the answer's, or the first event's that says anything,
in a stream of events — whose own Content-Type names the transport, never the audio. A later event that says its
audio is in another form than the first one did (another rate, channel count or format: `stream_disagreement`)
makes the stream no one clip.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any

from harness.core.audio import REQUEST, Claim, canonical_media_type
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
    said = _every_saying(synthesis, body, lines=lines)
    return said[0][1] if said else []


def stream_disagreement(synthesis: Synthesis | None, body: bytes, *, lines: bool = False) -> str | None:
    """Where a later event of a stream says its audio is in another form than the first event that said anything
    (another rate, channel count or format at the same place): each event's audio is a piece of one clip, and
    pieces of two forms joined are no clip of either. None where they agree, or say nothing."""
    said = _every_saying(synthesis, body, lines=lines)
    if len(said) < 2:
        return None
    number, first = said[0]
    before = {claim.place: claim for claim in first}
    for later, claims in said[1:]:
        for claim in claims:
            earlier = before.get(claim.place)
            if earlier is not None and _form(claim) != _form(earlier):
                return (
                    f"event {later} says {_described(claim)} at {claim.place}, event {number} said "
                    f"{_described(earlier)}"
                )
    return None


def _every_saying(synthesis: Synthesis | None, body: bytes, *, lines: bool) -> list[tuple[int, list[Claim]]]:
    """Each document (an event, counted from 1) that says anything of its audio, with what it says."""
    if synthesis is None or synthesis.format_words is None:
        return []
    found = []
    for number, document in enumerate(_documents(body, lines=lines), 1):
        claims = _said(synthesis, synthesis.format_words, document)
        if claims:
            found.append((number, claims))
    return found


def _form(claim: Claim) -> tuple[str | None, int | None, int | None]:
    return canonical_media_type(claim.media_type), claim.rate, claim.channel_count


def _described(claim: Claim) -> str:
    return claim.media_type if claim.media_type else f"{claim.rate} Hz"


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
