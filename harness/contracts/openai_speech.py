"""Checks only the OpenAI speech protocol needs, run against any declared provider at any base URL.

The generic plans (`plans.py`) check each documented status and schema; a speech server can pass them
all and still be unusable by an OpenAI client. These checks look where such servers differ:

    format-<fmt>       each declared `response_format` comes back as that format (the bytes), under a
                       Content-Type that names it (`CONTENT_TYPES`, aliases included); pcm, which has no
                       header, is judged by its bytes: whole 16-bit samples, little-endian (they read as
                       a smooth waveform that way round, not the other), at the declared `sample_rate` (its
                       length matches the duration of the same text in a format with a header), and
                       `audio/L16` is flagged: big-endian by RFC 2586, the opposite of the protocol's pcm
    error-bad-voice    an undeclared voice, sent as a client would (unvalidated), gets a 4xx whose body is
                       `{"error": {"message", "type", "param", "code"}}`
    error-bad-model    an unknown model, likewise: refused (the reference: 404 `model_not_found`), that body
    error-long-input   input one character over the declared limit: 400 with that body
    stream-audio       the plain answer is streamed: no Content-Length (chunked transfer, or HTTP/2 frames),
                       more than one read, and the body read to its end is whole audio (by its headers)
    stream-sse         (declared `stream`) `speech.audio.delta` events, then one `speech.audio.done`,
                       nothing after it, and the stream closes; the deltas join into decodable audio
    speed              speed 2.0 lasts half as long as speed 1.0 (ratio within `SPEED_TOLERANCE`)

Each check returns `Violation`s (empty: it passed); the suite in `contracts/test_openai_speech.py`
runs them per declared provider on the session's target (`speech_target`: the same reading of
`--tts-target` as every other contract check). A failing check shows a binary body as its size, sniffed
format and first bytes (`finding.body_summary`), never raw.
"""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import httpx
from pydantic import ValidationError

from harness.contracts.finding import body_summary
from harness.contracts.session import Skip
from harness.contracts.targets import ContractTarget
from harness.core.audio import AudioDecodeError, AudioKind, inspect
from harness.core.protocols.openai_speech import (
    BIG_ENDIAN_PCM,
    CONTENT_TYPES,
    DELTA_EVENT,
    DONE_EVENT,
    ENDPOINT_KEY,
    HOST,
    PATH,
    PCM_SAMPLE_RATE,
    ErrorBody,
    SpeechEvent,
)
from harness.core.spec import AudioBody, Provider
from harness.core.validate import media_type_of
from harness.core.verdict import Violation

SAMPLE_TEXT = "The quick brown fox jumps over the lazy dog, and then it runs back home."
UNKNOWN_VOICE = "no-such-voice-7f3a"
UNKNOWN_MODEL = "no-such-model-7f3a"
PCM_RATE_TOLERANCE = 0.08  # pcm length vs the same text with a header: resampling, padding, encoder delay
SPEED_FAST = 2.0
SPEED_TOLERANCE = (0.35, 0.70)  # duration(speed 2) / duration(speed 1): 0.5 expected; pauses scale less
TIMEOUT_S = 120.0


@dataclass(frozen=True, slots=True)
class SpeechTarget:
    """One declared provider as reached in this run."""

    provider: Provider
    base_url: str  # up to and including /v1
    key: str  # "" for a keyless provider: no credential header is sent

    @property
    def url(self) -> str:
        return self.base_url.rstrip("/") + PATH

    @property
    def headers(self) -> dict[str, str]:
        return {self.provider.auth.header: self.provider.auth.header_value(self.key)} if self.key else {}

    @property
    def model(self) -> str:
        return self.provider.offerings[0].name

    @property
    def voice(self) -> str:
        example = self.provider.endpoint(ENDPOINT_KEY).example or {}
        return str(example.get("voice", ""))

    @property
    def formats(self) -> tuple[str, ...]:
        request = self.provider.endpoint(ENDPOINT_KEY).request
        assert request is not None
        annotation = request.model_fields["response_format"].annotation
        return tuple(str(value) for value in getattr(annotation, "__args__", ()))

    @property
    def max_input(self) -> int:
        request = self.provider.endpoint(ENDPOINT_KEY).request
        assert request is not None
        for rule in request.model_fields["input"].metadata:
            if getattr(rule, "max_length", None) is not None:
                return int(rule.max_length)
        return 4096

    @property
    def pcm_rate(self) -> int:
        """The declared sample rate of pcm answers (the protocol's 24 kHz when none is declared)."""
        bodies = self.provider.endpoint(ENDPOINT_KEY).responses[0].bodies
        return next((b.pcm_rate for b in bodies if isinstance(b, AudioBody) and b.pcm_rate), PCM_SAMPLE_RATE)

    @property
    def streams_sse(self) -> bool:
        return any(body.content_types == ("text/event-stream",)
                   for body in self.provider.endpoint(ENDPOINT_KEY).responses[0].bodies)

    @property
    def streaming_model(self) -> str:
        """The model the SSE check asks: one the declaration streams (a model declared `stream = false`,
        such as OpenAI's tts-1, is not asked for what its reference says it does not do)."""
        return next((o.name for o in self.provider.offerings if o.streams is not False), self.model)

    def body(self, **overrides: Any) -> dict[str, Any]:
        return {"model": self.model, "input": SAMPLE_TEXT, "voice": self.voice, **overrides}


def speech_target(target: ContractTarget, provider: Provider) -> SpeechTarget:
    """`provider` as reached on the contract `target`; `Skip` with the reason where it cannot be checked."""
    reason = target.unreachable(provider)
    if reason is not None:
        raise Skip(reason)
    return SpeechTarget(provider, target.base_url(provider.name, HOST), target.key_for(provider.name) or "")


# The protocol's response_format names for what the one audio rule finds (AAC may come as ADTS or in MP4).
_FORMAT_OF_KIND = {AudioKind.WAV: "wav", AudioKind.FLAC: "flac", AudioKind.OPUS: "opus", AudioKind.VORBIS: "ogg-vorbis",
                   AudioKind.OGG: "ogg", AudioKind.AAC: "aac", AudioKind.MP4: "aac", AudioKind.MP3: "mp3",
                   AudioKind.PCM: "pcm"}


PCM_MEDIA_TYPE = f"audio/pcm;rate={PCM_SAMPLE_RATE}"  # the protocol's pcm: 16-bit little-endian, 24 kHz, mono


def audio_kind(data: bytes, fmt: str | None = None) -> str | None:
    """Which protocol format the bytes are (`harness.core.audio` reads them); headerless bytes are pcm only
    when pcm was asked for (the protocol's pcm has no header at all) and hold whole 16-bit samples."""
    info = inspect(data, PCM_MEDIA_TYPE if fmt == "pcm" else None)
    if info.kind is None or (info.kind is AudioKind.PCM and info.truncated):
        return None
    return _FORMAT_OF_KIND[info.kind]


def duration_s(data: bytes, fmt: str, pcm_rate: int = PCM_SAMPLE_RATE) -> float:
    """How long the audio lasts, by its headers (`harness.core.audio`: no decoder, so a base install runs
    these checks); `AudioDecodeError` where they cannot tell: bytes that are not whole audio, or a stream
    whose headers leave its length unsaid."""
    if fmt == "pcm":
        return inspect(data, f"audio/pcm;rate={pcm_rate}").duration_s or 0.0
    info = inspect(data)
    if info.problem is not None:
        raise AudioDecodeError(f"{fmt} audio that is not whole: {info.problem}")
    if info.duration_s is None:
        raise AudioDecodeError(f"{fmt} audio whose headers do not say how long it lasts")
    return info.duration_s


def _post(client: httpx.Client, target: SpeechTarget, body: Mapping[str, Any]) -> httpx.Response:
    return client.post(target.url, json=dict(body), headers=target.headers, timeout=TIMEOUT_S)


def _audio_answer(response: httpx.Response, fmt: str, where: str, *, labelled: bool = True) -> list[Violation]:
    """A 200 with `fmt` bytes; `labelled`: under a Content-Type naming `fmt` too (only the format checks
    look at the label, so one mislabelled format is one failure, not one per check that uses it)."""
    if response.status_code != 200:
        return [Violation(where, f"200 with {fmt} audio", f"{response.status_code} {_shown(response)}", "status")]
    found: list[Violation] = []
    media_type = media_type_of(response.headers.get("content-type"))
    if labelled and fmt == "pcm" and media_type == BIG_ENDIAN_PCM:
        found.append(Violation(f"{where}/headers/content-type", "a little-endian pcm type (" +
                               " or ".join(CONTENT_TYPES[fmt][:2]) + "): the protocol's pcm is 16-bit little-endian",
                               "audio/L16, big-endian by RFC 2586", "content-type"))
    elif labelled and media_type not in CONTENT_TYPES[fmt]:
        found.append(Violation(f"{where}/headers/content-type", " or ".join(CONTENT_TYPES[fmt]),
                               media_type or "none", "content-type"))
    kind = audio_kind(response.content, fmt)
    if kind != fmt:
        found.append(Violation(where, f"{fmt} audio bytes (the declared response_format)",
                               f"{kind or 'unrecognised'} bytes: {body_summary(response.content)}", "protocol"))
    return found


def _shown(response: httpx.Response) -> str:
    return body_summary(response.content, response.headers.get("content-type"))


def _error_answer(response: httpx.Response, statuses: tuple[int, ...], where: str) -> list[Violation]:
    found: list[Violation] = []
    if response.status_code not in statuses:
        found.append(Violation(where, " or ".join(map(str, statuses)), str(response.status_code), "status"))
    try:
        ErrorBody.model_validate(response.json())
        detail = response.json()["error"]
    except (ValueError, ValidationError, KeyError, TypeError):
        return [*found, Violation(f"{where}/body", '{"error": {"message", "type", "param", "code"}}',
                                  _shown(response), "schema")]
    missing = [key for key in ("message", "type", "param", "code") if key not in detail]
    if missing:
        found.append(Violation(f"{where}/body/error", "the keys message, type, param, code",
                               "no " + ", ".join(missing), "schema"))
    return found


def check_format(fmt: str) -> Callable[[SpeechTarget, httpx.Client], list[Violation]]:
    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        response = _post(client, target, target.body(response_format=fmt))
        found = _audio_answer(response, fmt, f"format-{fmt}")
        if fmt == "pcm" and response.status_code == 200 and not any(v.rule == "protocol" for v in found):
            found += _pcm_samples(response.content, target, client)
        return found

    return check


def _pcm_samples(data: bytes, target: SpeechTarget, client: httpx.Client) -> list[Violation]:
    """Headerless samples judged by their bytes: little-endian, and at the declared rate (the same text in
    a format with a header tells how long it lasts)."""
    if len(data) % 2:
        return [Violation("format-pcm", "whole 16-bit samples", f"{len(data):,} bytes (an odd count)", "protocol")]
    little, big = _roughness(data, "<"), _roughness(data, ">")
    if big < little:
        return [Violation("format-pcm", "16-bit little-endian samples (the protocol's pcm)",
                          f"samples that read as big-endian (roughness {big:.2f} that way, {little:.2f} little-endian)",
                          "protocol")]
    reference = next((f for f in ("wav", "flac", "mp3") if f in target.formats), None)
    if reference is None:
        return []
    answer = _post(client, target, target.body(response_format=reference))
    if answer.status_code != 200 or audio_kind(answer.content) != reference:
        return []  # its own format check reports that
    try:
        expected = duration_s(answer.content, reference)
    except AudioDecodeError:  # its headers do not tell its length: the rate cannot be judged
        return []
    measured = len(data) / 2 / target.pcm_rate
    if abs(measured - expected) > PCM_RATE_TOLERANCE * expected:
        implied = len(data) / 2 / expected
        return [Violation("format-pcm", f"samples at {target.pcm_rate} Hz (the declared sample_rate)",
                          f"about {implied:,.0f} Hz ({measured:.2f} s at the declared rate; the same text as "
                          f"{reference} lasts {expected:.2f} s)", "protocol")]
    return []


def _roughness(data: bytes, order: str) -> float:
    """Mean step between neighbouring samples over mean level, reading the bytes in one byte order: speech
    read the right way round is smooth (small steps), the wrong way round it is noise (steps ~ level)."""
    count = min(len(data) // 2, 48_000)
    samples = struct.unpack(f"{order}{count}h", data[: count * 2])
    level = sum(abs(v) for v in samples) / max(count, 1)
    if level < 1:
        return 0.0  # silence reads the same both ways
    steps = sum(abs(b - a) for a, b in pairwise(samples)) / max(count - 1, 1)
    return steps / level


def check_bad_voice(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
    response = _post(client, target, target.body(voice=UNKNOWN_VOICE))
    return _error_answer(response, (400, 404, 422), "error-bad-voice")


def check_bad_model(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
    response = _post(client, target, target.body(model=UNKNOWN_MODEL))
    return _error_answer(response, (400, 404, 422), "error-bad-model")


def check_long_input(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
    text = ("word " * (target.max_input // 5 + 2))[: target.max_input + 1]
    return _error_answer(_post(client, target, target.body(input=text)), (400,), "error-long-input")


def _plain_format(target: SpeechTarget) -> str:
    return next((f for f in ("wav", "flac", "mp3", "pcm", "opus") if f in target.formats), target.formats[0])


def check_stream_audio(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
    fmt = _plain_format(target)
    reads = 0
    body = bytearray()
    with client.stream("POST", target.url, json=target.body(response_format=fmt, stream_format="audio"),
                       headers=target.headers, timeout=TIMEOUT_S) as response:
        for chunk in response.iter_raw():  # as the bytes arrive, before any decoding
            reads += 1
            body += chunk
        status, headers, version = response.status_code, response.headers, response.http_version
    answer = httpx.Response(status, headers=headers, content=bytes(body))
    found = _audio_answer(answer, fmt, "stream-audio", labelled=False)
    if found:
        return found
    if "content-length" in headers and version != "HTTP/2":
        found.append(Violation("stream-audio/headers/content-length",
                               "no Content-Length: the audio sent as it is made (chunked transfer or HTTP/2 frames)",
                               f"Content-Length: {headers['content-length']} (a buffered whole)", "protocol"))
    if reads < 2:
        found.append(Violation("stream-audio", "the body in more than one read", f"{reads} read", "protocol"))
    problem = inspect(bytes(body)).problem if fmt != "pcm" else None
    if problem is not None:
        found.append(Violation("stream-audio", f"a whole {fmt} file at the end of the stream", problem, "protocol"))
    return found


def check_stream_sse(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
    fmt = _plain_format(target)
    events: list[dict[str, Any]] = []
    found: list[Violation] = []
    asked = target.body(response_format=fmt, stream_format="sse", model=target.streaming_model)
    with client.stream("POST", target.url, json=asked, headers=target.headers, timeout=TIMEOUT_S) as response:
        media_type = media_type_of(response.headers.get("content-type"))
        if response.status_code != 200:
            response.read()
            return [Violation("stream-sse", "200", f"{response.status_code} {_shown(response)}", "status")]
        if media_type != "text/event-stream":
            found.append(Violation("stream-sse/headers/content-type", "text/event-stream", media_type or "none",
                                   "content-type"))
        for line in response.iter_lines():  # ends only when the server closes the stream
            if not line.startswith("data:"):
                continue
            payload = line[5:].strip()
            try:
                event = json.loads(payload)
                SpeechEvent.model_validate(event)
            except (ValueError, ValidationError):
                found.append(Violation(f"stream-sse/events/{len(events)}", "a speech.audio.* JSON event",
                                       payload[:100], "schema"))
                continue
            events.append(event)
    kinds = [event["type"] for event in events]
    if DELTA_EVENT not in kinds:
        found.append(Violation("stream-sse", f"at least one {DELTA_EVENT}", ", ".join(kinds) or "no event", "protocol"))
    if kinds.count(DONE_EVENT) != 1 or kinds[-1:] != [DONE_EVENT]:
        found.append(Violation("stream-sse", f"exactly one {DONE_EVENT}, last", ", ".join(kinds[-3:]) or "none",
                               "protocol"))
    audio = b"".join(base64.b64decode(e.get("audio") or "") for e in events if e["type"] == DELTA_EVENT)
    if audio and (kind := audio_kind(audio, fmt)) != fmt:
        found.append(Violation("stream-sse", f"deltas joining into {fmt}", f"{kind or 'unrecognised'} bytes",
                               "protocol"))
    return found


def check_speed(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
    fmt = _plain_format(target)
    durations = []
    for speed in (1.0, SPEED_FAST):
        response = _post(client, target, target.body(response_format=fmt, speed=speed))
        problems = _audio_answer(response, fmt, f"speed-{speed}", labelled=False)
        if problems:
            return problems
        durations.append(duration_s(response.content, fmt, target.pcm_rate))
    ratio = durations[1] / durations[0]
    low, high = SPEED_TOLERANCE
    if not low <= ratio <= high:
        return [Violation("speed", f"duration ratio (speed {SPEED_FAST} / 1.0) within [{low}, {high}]",
                          f"{ratio:.2f} ({durations[1]:.2f} s / {durations[0]:.2f} s)", "protocol")]
    return []


def checks_for(target: SpeechTarget) -> dict[str, Callable[[SpeechTarget, httpx.Client], list[Violation]]]:
    """The checks that apply to a declared provider, by name."""
    checks: dict[str, Callable[[SpeechTarget, httpx.Client], list[Violation]]] = {
        f"format-{fmt}": check_format(fmt) for fmt in target.formats
    }
    checks |= {"error-bad-voice": check_bad_voice, "error-bad-model": check_bad_model,
               "error-long-input": check_long_input,
               "stream-audio": check_stream_audio, "speed": check_speed}
    if target.streams_sse:
        checks["stream-sse"] = check_stream_sse
    return checks
