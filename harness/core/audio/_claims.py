"""What an answer says its audio is, held against what its bytes are: believe the bytes, check the words.

A container's own header (a WAV's fmt chunk, an MP3 or ADTS frame, FLAC's STREAMINFO, an Ogg Vorbis head) is the
truth the audio is read and timed by. What the request asked for and what the answer says in words (a
Content-Type, a JSON field such as `inlineData.mimeType`) are compared with it, and each disagreement is a
`Mismatch`: recorded, never believed over the bytes. Headerless samples have no header to believe: what the answer
says of their rate (or channels) beats what was asked — the server knows what it sent — and a disagreement is still
a mismatch. Opus is not compared by rate: it always decodes at 48 kHz, whatever rate was asked of the encoder.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ._read import inspect, sniff
from ._types import AudioInfo, AudioKind, canonical_media_type, contradicts, names_a_format, pcm_layout

REQUEST = "request"  # the place of what the request asked for


@dataclass(frozen=True, slots=True)
class Claim:
    """What one place says the audio is: `place` names it (`request`, `headers/content-type`, a JSON pointer);
    a media type (its `rate=` and `channels=` parameters count), and a rate or channel count said beside it."""

    place: str
    media_type: str | None = None
    sample_rate: int | None = None
    channels: int | None = None

    @property
    def rate(self) -> int | None:
        return self.sample_rate or _param(self.media_type, "rate")

    @property
    def channel_count(self) -> int | None:
        return self.channels or _param(self.media_type, "channels")

    @property
    def names_format(self) -> bool:
        return names_a_format(self.media_type)

    @property
    def headerless(self) -> bool:
        return pcm_layout(self.media_type) is not None


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One place whose words disagree with the bytes (or with what was asked, or with another place)."""

    place: str
    note: str


@dataclass(frozen=True, slots=True)
class Reading:
    """How the bytes are read: `media_type` the declaration they are read with (headerless samples: with the rate
    believed; a container: what the answer's words named, kept for the record), `info` what they are, and the
    places that said otherwise."""

    media_type: str | None
    info: AudioInfo
    mismatches: tuple[Mismatch, ...] = ()


def read_as_claimed(data: bytes, asked: Claim | None = None, words: Sequence[Claim] = ()) -> Reading:
    """Read `data` by its own header where it has one, else as headerless samples at the rate the answer's
    `words` say (else the rate `asked`); every claim that disagrees is a `Mismatch` (see the module docstring).
    `words` are in order of trust: the first that says a rate is the one believed for headerless samples."""
    kind = sniff(data)
    if kind is not None:
        info = inspect(data)
        claims = [claim for claim in (asked, *words) if claim is not None]
        return Reading(_named(words), info, tuple(m for claim in claims for m in _against_header(claim, info)))
    return _headerless(data, asked, words)


def _against_header(claim: Claim, info: AudioInfo) -> Iterator[Mismatch]:
    kind = info.kind
    assert kind is not None
    header = f"the {kind.value.upper()} header"
    if claim.names_format and contradicts(claim.media_type, kind):
        yield Mismatch(
            claim.place,
            f"{_says(claim)} {canonical_media_type(claim.media_type)}, the bytes are "
            f"{info.media_type}: read as the bytes are",
        )
    rate = claim.rate
    if rate is not None and info.sample_rate is not None and kind is not AudioKind.OPUS and rate != info.sample_rate:
        yield Mismatch(
            claim.place, f"{_says(claim)} {rate} Hz, {header} {info.sample_rate} Hz: read at {info.sample_rate} Hz"
        )
    channels = claim.channel_count
    if channels is not None and info.channels is not None and channels != info.channels:
        yield Mismatch(
            claim.place, f"{_says(claim)} {channels} channel(s), {header} {info.channels}: read as {info.channels}"
        )


def _headerless(data: bytes, asked: Claim | None, words: Sequence[Claim]) -> Reading:
    claims = [claim for claim in (asked, *words) if claim is not None]
    base = next((claim for claim in claims if claim.headerless), None)
    if base is None:  # nothing says these are samples: not audio (inspect says why)
        declared = _named(words)
        return Reading(declared, inspect(data, declared))
    rated = next((word for word in words if word.rate is not None), None)
    rate = rated.rate if rated is not None else base.rate
    counted = next((word for word in words if word.channel_count is not None), None)
    channels = counted.channel_count if counted is not None else base.channel_count
    assert base.media_type is not None
    believed = _with_params(base.media_type, rate=rate, channels=channels)
    found: list[Mismatch] = []
    for claim in claims:
        if claim.names_format and not claim.headerless:
            found.append(
                Mismatch(
                    claim.place,
                    f"{_says(claim)} {canonical_media_type(claim.media_type)}, the "
                    f"bytes carry no header of their own: read as {believed}",
                )
            )
    asked_rate = asked.rate if asked is not None else None
    asked_channels = asked.channel_count if asked is not None else None
    for word in words:
        found += _disagreement(word, word.rate, "Hz", asked_rate, rated, rate, believed)
        found += _disagreement(word, word.channel_count, "channel(s)", asked_channels, counted, channels, believed)
    return Reading(believed, inspect(data, believed), tuple(found))


def _disagreement(
    word: Claim,
    said: int | None,
    unit: str,
    asked: int | None,
    believed_from: Claim | None,
    believed: int | None,
    media_type: str,
) -> list[Mismatch]:
    if said is None:
        return []
    if asked is not None and said != asked:
        return [
            Mismatch(
                word.place, f"the request asked {asked} {unit}, {word.place} says {said} {unit}: read as {media_type}"
            )
        ]
    if believed_from is not None and said != believed:
        return [
            Mismatch(
                word.place,
                f"{word.place} says {said} {unit}, {believed_from.place} says {believed} {unit}: read as {media_type}",
            )
        ]
    return []


def _says(claim: Claim) -> str:
    return "the request asked" if claim.place == REQUEST else f"{claim.place} says"


def _named(words: Sequence[Claim]) -> str | None:
    """The first media type the answer's words name a format with (kept as what the answer declared)."""
    return next((word.media_type for word in words if word.names_format), None)


def _param(media_type: str | None, name: str) -> int | None:
    for part in (media_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        value = value.strip().strip('"')
        if key.strip().lower() == name and value.isdigit() and int(value) > 0:
            return int(value)
    return None


def _with_params(media_type: str, **values: int | None) -> str:
    """`media_type` with these parameters set (others kept as they were)."""
    base, *params = (part.strip() for part in media_type.split(";"))
    kept = [part for part in params if part and part.partition("=")[0].strip().lower() not in values]
    return ";".join([base, *kept, *(f"{name}={value}" for name, value in values.items() if value is not None)])
