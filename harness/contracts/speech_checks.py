"""The HTTP speech family's own checks, run against any provider of the family at any target but replay: what the
generic plans (`plans.py`: each documented status and schema, each format's codec and rate) leave unlooked-at and a
client meets at once. Each runs for every provider that declares the part it needs:

    format-<fmt>       (a format slot) each declared format comes back as that format: its bytes (the plans' own
                       rule, `execute.check_format`), and, where the answer is the audio itself, a Content-Type
                       naming it (another name of the same bytes, `audio/ogg` for Ogg Opus, is a finding: the bytes
                       decide); headerless 16-bit samples are judged by their bytes: no header before them,
                       little-endian (they read as a smooth waveform that way round, not the other), at the declared
                       rate (their length matches the same text in a format with a header), and `audio/L16` is
                       flagged: big-endian by RFC 2586
    error-bad-voice    (a voice slot) an undeclared voice, sent as a client would (unvalidated), is refused with the
                       declared status in the declared error shape (`ErrorShape`: every key of its template there)
    error-bad-model    (a model slot and an `unknown_model` refusal) an unknown model, likewise
    model-fallback     (a model slot whose documents say an unknown model falls back: `UnknownModel.DEFAULT`) an
                       unknown model is spoken, not refused: the success status and audio in the format asked for
                       (in place of error-bad-model)
    error-long-input   (a text field with a documented maximum length) one character over it: the `invalid` refusal
    stream-audio       (a streamed answer that is the audio itself) no Content-Length (chunked transfer, or HTTP/2
                       frames), more than one read, and the body read to its end is whole audio
    seams              (a streamed answer that is the audio itself, in 16-bit samples) the stream joins as one
                       sound: no container header after its start (a whole file per chunk), no inserted silence
                       between sounding audio (`harness.core.seams`, judged over the whole body: its chunks are
                       the network's cuts, not the server's pieces)
    seams-<endpoint>   (an SSE or NDJSON stream of 16-bit samples) each event's piece joins the one before as one
                       sound (`harness.contracts.seam_checks.piece_seams`: headers, clicks, gaps at the pieces)
    stream-sse         (an answer of Server-Sent Events) read whole by the one stream reader (`core.stream_events`):
                       audio events, the declared last event, nothing but findings after it, the stream closed; each
                       event held against the declared event model (`core.validate.check_events`: a field the
                       documents do not have is a finding); the audio joins into the format asked for
    speed              (a speed slot) speed 2.0 lasts half as long as 1.0 (ratio within `SPEED_TOLERANCE`), inside
                       the request model's documented range
    markup             (declared markup with a break a model takes: docs/markup.md) a break sent in the provider's own
                       tag is heard as silence within the judge's tolerance (`harness.core.pauses_heard`), and no tag
                       is spoken: the words take no longer than the same words sent without markup (by more than
                       `SPOKEN_TAG_SHARE`: a tag read aloud adds its words, "break time 800 milliseconds")
    rate-<endpoint>    (a streamed answer: audio bytes as made, SSE, NDJSON) the rate heard is the rate declared: the
                       stream's 16-bit samples last as long at their declared rate as the same text, same voice, in
                       a headed file from the provider's endpoint that does not stream (`headed_answer_s`); a length
                       off by a standard mislabel (1.5, 2, 2/3, 1/2: `harness.core.heard_rate`, the benchmark's rule)
                       is "samples at about X Hz, declared Y Hz"; with no such headed answer, not judged (skipped)
    timing-marks-<endpoint>  (marks declared in the answer) they keep the invariants: in order, each message going
                       on from the one before, spelling the text (`harness.contracts.marks_checks`)

A check raises `Skip` (with the reason) where it cannot judge. `checks_for` names the checks that apply to a provider;
the suite (`contracts/test_speech_family.py`) runs them on
the session's target. A failing check shows a binary body as its size, sniffed format and first bytes, never raw.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import httpx
from pydantic import ValidationError

from harness.contracts.execute import carried_audio, check_format
from harness.contracts.finding import body_summary
from harness.contracts.marks_checks import NAME as MARKS_CHECK
from harness.contracts.marks_checks import answer_form, answer_seconds, asked, marks_violations
from harness.contracts.plans import slug
from harness.contracts.seam_checks import piece_seams, samples_of
from harness.contracts.session import Skip
from harness.contracts.targets import ContractTarget
from harness.core.audio import (
    AudioDecodeError,
    LabelVerdict,
    canonical_media_type,
    headers_inside,
    inspect,
    judge_label,
    sniff_media_type,
    walk_riff,
    wave_format,
    writable,
)
from harness.core.audio_fields import AudioFieldError, carrier
from harness.core.heard_rate import RULE as RATE_RULE
from harness.core.heard_rate import HeardRate, rate_by_length, sounding_s
from harness.core.params import params_of
from harness.core.pauses_heard import heard_pauses, speaking_s, tolerance_ms
from harness.core.protocols.http_speech import (
    Format,
    SpeechRefusal,
    SpeechService,
    Synthesis,
    UnknownModel,
    in_format,
    put,
    request_for,
    wanted_format,
)
from harness.core.protocols.markup import RULE as MARKUP_RULE
from harness.core.protocols.markup import Pause, Piece, TagKind, spoken
from harness.core.seams import FINDINGS as SEAM_FINDINGS
from harness.core.seams import RULE as SEAMS_RULE
from harness.core.spec import Endpoint, EventStreamBody, JsonBody, NdjsonBody, Provider, Role, SynthesisInput
from harness.core.stream_events import read_stream
from harness.core.transport import build_request
from harness.core.validate import check_events, media_type_of
from harness.core.verdict import Violation

SAMPLE_TEXT = "The quick brown fox jumps over the lazy dog, and then it runs back home."
UNKNOWN_VOICE = "no-such-voice-7f3a"
UNKNOWN_MODEL = "no-such-model-7f3a"
SPEED_FAST = 2.0
SPEED_TOLERANCE = (0.35, 0.70)  # duration(speed 2) / duration(speed 1): 0.5 expected; pauses scale less
TIMEOUT_S = 120.0
# The markup check's item: a break between two sentences, long enough that a voice's own sentence gap (under 200 ms)
# is far outside its tolerance.
MARKUP_PIECES: tuple[Piece, ...] = ("Please hold on.", Pause(800), "I will check your order now.")
SPOKEN_TAG_SHARE = 0.2  # the words' sounding time may exceed the plain text's by this share (each stretch alone)
# A check's note that is no broken contract (a Content-Type naming the right bytes by another name): reported by the
# suite as a finding, never failed (`contracts/test_speech_family.py`).
FINDING = "finding"

Check = Callable[["SpeechTarget", httpx.Client], list[Violation]]


@dataclass(frozen=True, slots=True)
class SpeechTarget:
    """One provider of the family as reached in this run: a base URL per host, and its key (None: none sent)."""

    provider: Provider
    base_urls: Mapping[str, str]
    key: str | None

    @property
    def service(self) -> SpeechService:
        service = self.provider.family
        assert isinstance(service, SpeechService)
        return service

    def request(
        self, synthesis: Synthesis, fmt: Format | None = None, at: Mapping[str, Any] | None = None
    ) -> httpx.Request:
        """The benchmark's request for the synthesis' first model (in `fmt`), with each `at` pointer set, sent
        unvalidated (a check's request may be deliberately wrong)."""
        model = next(m for m in self.service.models if m.synthesis == synthesis.endpoint.key)
        body = request_for(self.service, model, SynthesisInput(SAMPLE_TEXT))
        if fmt is not None:
            body = in_format(synthesis, body, fmt)
        for pointer, value in (at or {}).items():
            put(body, pointer, value)
        endpoint = synthesis.endpoint
        return build_request(self.provider, endpoint, self.base_urls[endpoint.host], body, key=self.key, validate=False)

    def send(self, client: httpx.Client, request: httpx.Request) -> httpx.Response:
        response = client.send(request)
        response.read()
        return response


def speech_target(target: ContractTarget, provider: Provider) -> SpeechTarget:
    """`provider` as reached on the contract `target`; `Skip` with the reason where it cannot be checked."""
    reason = target.unreachable(provider)
    if reason is not None:
        raise Skip(reason)
    return SpeechTarget(
        provider, {host: target.base_url(provider.name, host) for host in provider.hosts}, target.key_for(provider.name)
    )


def family_providers(providers: Mapping[str, Provider]) -> list[Provider]:
    return [provider for provider in providers.values() if isinstance(provider.family, SpeechService)]


# --- what the checks read of a declaration ---------------------------------------------------------------------


def _spoken(service: SpeechService) -> list[Synthesis]:
    """The syntheses a check can ask (one with a model the benchmark speaks), the audio-as-body answers first."""
    keys = {model.synthesis for model in service.models}
    found = [s for s in service.syntheses if s.endpoint.key in keys]
    return sorted(found, key=lambda s: _carried(s) is not None)


def _carried(synthesis: Synthesis) -> Any:
    return carrier(synthesis.endpoint.response_for(synthesis.endpoint.success_status))


def _is_raw_pcm(fmt: Format) -> bool:
    return fmt.spec.container == "raw" and fmt.spec.codec == "pcm_s16le"


def _text_limit(synthesis: Synthesis) -> int | None:
    request = synthesis.endpoint.request
    field = synthesis.slots.text.lstrip("/")
    if request is None or "/" in field:
        return None
    return next((spec.max_length for spec in params_of(request) if spec.name == field and spec.max_length), None)


def _speed_range(synthesis: Synthesis) -> tuple[float | None, float | None]:
    request = synthesis.endpoint.request
    field = (synthesis.slots.speed or "").lstrip("/")
    spec = next((s for s in params_of(request) if s.name == field), None) if request is not None else None
    if spec is None:
        return None, None
    low = spec.ge if spec.ge is not None else spec.gt
    high = spec.le if spec.le is not None else spec.lt
    return low, high


# --- answers -------------------------------------------------------------------------------------------------


def _shown(response: httpx.Response) -> str:
    return body_summary(response.content, response.headers.get("content-type"))


def _status(response: httpx.Response, synthesis: Synthesis, where: str) -> list[Violation]:
    expected = synthesis.endpoint.success_status
    if response.status_code == expected:
        return []
    return [Violation(where, f"{expected} with audio", f"{response.status_code} {_shown(response)}", "status")]


def _missing_keys(template: Any, body: Any, at: str = "") -> list[str]:
    """The places of the error template's keys that the body lacks (a list's first item stands for each)."""
    if isinstance(template, Mapping):
        if not isinstance(body, Mapping):
            return [at or "/"]
        return [
            gap
            for key, inner in template.items()
            for gap in ([f"{at}/{key}"] if key not in body else _missing_keys(inner, body[key], f"{at}/{key}"))
        ]
    if isinstance(template, list) and template:
        if not isinstance(body, list) or not body:
            return [at]
        return _missing_keys(template[0], body[0], f"{at}/0")
    return []


def _refused(
    target: SpeechTarget,
    synthesis: Synthesis,
    response: httpx.Response,
    refusals: tuple[SpeechRefusal, ...],
    where: str,
) -> list[Violation]:
    """A refusal with one of the declared statuses, its body in the declared error shape (and the model the
    endpoint documents for that status, else the provider's error model)."""
    found: list[Violation] = []
    statuses = sorted({refusal.status for refusal in refusals})
    if response.status_code not in statuses:
        found.append(Violation(where, " or ".join(map(str, statuses)), str(response.status_code), "status"))
    shape = target.service.errors
    template = shape.by_status.get(response.status_code, shape.body)
    if template is None:
        return found
    documented = synthesis.endpoint.response_for(response.status_code)
    model = next((b.model for b in documented.bodies if isinstance(b, JsonBody)), None) if documented else None
    expected = f"the declared error body ({_keys(template)})"
    try:
        body = response.json()
    except ValueError:
        return [*found, Violation(f"{where}/body", expected, _shown(response), "schema")]
    missing = _missing_keys(template, body)
    if missing:
        return [*found, Violation(f"{where}/body", expected, "no " + ", ".join(missing), "schema")]
    try:
        (model or target.provider.error_model).model_validate(body)
    except ValidationError:
        found.append(Violation(f"{where}/body", expected, _shown(response), "schema"))
    return found


def _keys(template: Any) -> str:
    return ", ".join(_leaf_places(template)) or "a body"


def _leaf_places(template: Any, at: str = "") -> list[str]:
    if isinstance(template, Mapping):
        return [place for key, inner in template.items() for place in _leaf_places(inner, f"{at}/{key}")]
    if isinstance(template, list) and template:
        return _leaf_places(template[0], f"{at}/0")
    return [at]


def _duration_s(data: bytes, fmt: Format) -> float:
    """How long the audio lasts, by its headers; `AudioDecodeError` where they cannot tell."""
    if _is_raw_pcm(fmt):
        return inspect(data, f"audio/pcm;rate={fmt.spec.sample_rate}").duration_s or 0.0
    info = inspect(data)
    if info.problem is not None:
        raise AudioDecodeError(f"{fmt.name} audio that is not whole: {info.problem}")
    if info.duration_s is None:
        raise AudioDecodeError(f"{fmt.name} audio whose headers do not say how long it lasts")
    return info.duration_s


# --- the checks ----------------------------------------------------------------------------------------------


def _audio_wrong(endpoint: Endpoint, response: httpx.Response, fmt: Format, where: str) -> list[Violation]:
    """The answer's audio is not `fmt` (the plans' rule, `execute.check_format`): its kind, or whole samples where
    it has no header. A container's sample rate is left to the plans' format scenarios: a server of the family may
    answer a container at its own rate where its documents name none (a wav, mp3 or flac of no stated rate)."""
    rate = f"{fmt.spec.sample_rate} Hz"
    return [
        Violation(where + v.pointer, v.expected, v.got, v.rule)
        for v in check_format(endpoint, response, fmt.spec)
        if fmt.spec.container == "raw" or v.expected != rate
    ]


def format_check(synthesis: Synthesis, fmt: Format) -> Check:
    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        where = f"format-{slug(fmt.name)}"
        response = target.send(client, target.request(synthesis, fmt))
        found = _status(response, synthesis, where)
        if found:
            return found
        bytes_wrong = _audio_wrong(synthesis.endpoint, response, fmt, where)
        if _carried(synthesis) is None:  # the answer is the audio itself: its Content-Type names it
            found += _labelled(response, fmt, where, not bytes_wrong)
        found += bytes_wrong
        if _is_raw_pcm(fmt) and not bytes_wrong and _carried(synthesis) is None:
            found += _pcm_samples(response.content, target, synthesis, fmt, client, where)
        return found

    return check


def _labelled(response: httpx.Response, fmt: Format, where: str, bytes_right: bool) -> list[Violation]:
    """The answer's Content-Type against the format's, by the one rule every check asks (`core.audio.judge_label`,
    which the generic suite's `core.validate.check_response` asks too): another name of the same bytes (Ogg Opus as
    `audio/ogg` where `audio/opus` is declared) is a finding once the bytes are right, unless the provider documents
    the exact value (`Format.media_type_documented`)."""
    got = canonical_media_type(media_type_of(response.headers.get("content-type")))
    verdict = judge_label(fmt.media_type, got, bytes_right=bytes_right, exact=fmt.media_type_documented)
    if verdict is LabelVerdict.BIG_ENDIAN:  # names big-endian samples: other bytes than asked for
        return [
            Violation(
                f"{where}/headers/content-type",
                f"{fmt.media_type}: 16-bit little-endian samples",
                "audio/L16, big-endian by RFC 2586",
                "content-type",
            )
        ]
    if verdict is LabelVerdict.RIGHT:
        return []
    if verdict is LabelVerdict.ANOTHER_NAME:
        return [
            Violation(
                f"{where}/headers/content-type",
                fmt.media_type,
                f"{got}, another name of the same bytes (the bytes are {fmt.name})",
                FINDING,
            )
        ]
    return [Violation(f"{where}/headers/content-type", fmt.media_type, got or "none", "content-type")]


def _pcm_samples(
    data: bytes, target: SpeechTarget, synthesis: Synthesis, fmt: Format, client: httpx.Client, where: str
) -> list[Violation]:
    """Headerless samples judged by their bytes: no container header before them, little-endian, and at the declared
    rate (the same text in a format with a header tells how long it lasts)."""
    header = sniff_media_type(data)  # a container's header at the start: a file, not the samples asked for
    if header is not None:
        return [
            Violation(
                where,
                "headerless 16-bit samples",
                f"a file with a header ({header}) in place of the samples",
                "protocol",
            )
        ]
    little, big = _roughness(data, "<"), _roughness(data, ">")
    if big < little:
        return [
            Violation(
                where,
                "16-bit little-endian samples",
                f"samples that read as big-endian (roughness {big:.2f} that way, {little:.2f} little-endian)",
                "protocol",
            )
        ]
    reference = next((f for f in synthesis.formats if f.spec.container in ("wav", "flac", "mp3")), None)
    if reference is None:
        return []
    answer = target.send(client, target.request(synthesis, reference))
    if answer.status_code != synthesis.endpoint.success_status or _audio_wrong(
        synthesis.endpoint, answer, reference, "format"
    ):
        return []  # its own format check reports that
    try:
        expected = _duration_s(answer.content, reference)
    except AudioDecodeError:  # its headers do not tell its length: the rate cannot be judged
        return []
    rate = fmt.spec.sample_rate
    heard = rate_by_length(len(data) / 2 / rate, rate, expected, reference.name)  # the one rule (core.heard_rate)
    if heard is not None:
        return [
            Violation(
                where,
                f"samples at {rate} Hz (the declared rate)",
                f"about {heard.heard:,.0f} Hz ({heard.how})",
                RATE_RULE,
            )
        ]
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


def bad_voice_check(synthesis: Synthesis) -> Check:
    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        assert synthesis.slots.voice is not None
        response = target.send(client, target.request(synthesis, at={synthesis.slots.voice: UNKNOWN_VOICE}))
        refusals = target.service.refusals
        return _refused(target, synthesis, response, (refusals.unknown_voice, refusals.invalid), "error-bad-voice")

    return check


def bad_model_check(synthesis: Synthesis) -> Check:
    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        refusals = target.service.refusals
        assert synthesis.slots.model is not None and refusals.unknown_model is not None
        response = target.send(client, target.request(synthesis, at={synthesis.slots.model: UNKNOWN_MODEL}))
        return _refused(target, synthesis, response, (refusals.unknown_model, refusals.invalid), "error-bad-model")

    return check


def model_fallback_check(synthesis: Synthesis) -> Check:
    assert synthesis.slots.model is not None
    return accepted_check(synthesis, {synthesis.slots.model: UNKNOWN_MODEL}, "model-fallback")


def accepted_check(synthesis: Synthesis, at: Mapping[str, Any], where: str) -> Check:
    """The request with each `at` pointer set is spoken, not refused: the success status and audio in the format asked
    for (an unknown model where the documents say it falls back; a documented optional field, `instructions`)."""

    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        fmt = wanted_format(synthesis, "wav")
        response = target.send(client, target.request(synthesis, fmt, at=at))
        found = _status(response, synthesis, where)
        if found:
            return found
        bytes_wrong = _audio_wrong(synthesis.endpoint, response, fmt, where)
        if _carried(synthesis) is None:  # the answer is the audio itself: its Content-Type names it
            found += _labelled(response, fmt, where, not bytes_wrong)
        return found + bytes_wrong

    return check


VOICE_TEXT = "Hello."  # short: one answer a voice


def voices_check(synthesis: Synthesis) -> Check:
    """Every voice the declaration lists is spoken (the success status and audio in the format asked for), each asked
    with a short text; the refused ones named with their status."""

    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        assert synthesis.slots.voice is not None
        fmt = wanted_format(synthesis, "wav")
        refused = []
        for voice in target.service.voices:
            at = {synthesis.slots.voice: voice.name, synthesis.slots.text: VOICE_TEXT}
            response = target.send(client, target.request(synthesis, fmt, at=at))
            wrong = _status(response, synthesis, "voices") or _audio_wrong(synthesis.endpoint, response, fmt, "voices")
            if wrong:
                refused.append(f"{voice.name} ({wrong[0].got[:60]})")
        if not refused:
            return []
        return [
            Violation(
                "voices",
                f"each of the {len(target.service.voices)} listed voices spoken",
                f"{len(refused)} not: " + "; ".join(refused),
                "protocol",
            )
        ]

    return check


def body_seams_check(synthesis: Synthesis) -> Check:
    """The streamed file's chunks join as one sound (docs/seams.md, the one rule `harness.core.seams`): no container
    header after the stream's start (a whole file per chunk), no inserted silence between sounding audio. Asked as
    WAV (16-bit samples: what a seam can be heard in); the chunks as they came are not the server's pieces, so the
    stream is judged whole, as the benchmark judges an HTTP stream whose chunks it did not record."""

    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        import numpy as np

        from harness.core.seams import header_findings, seam_findings  # numpy's, imported where it is

        fmt = wanted_format(synthesis, "wav")
        if fmt.spec.codec != "pcm_s16le" or fmt.spec.container not in ("wav", "raw"):
            raise Skip(
                f"{synthesis.endpoint.key} streams no 16-bit samples: a compressed stream's seams are its frames'"
            )
        response = target.send(client, target.request(synthesis, fmt))
        found = _status(response, synthesis, "seams")
        if found:
            return found
        data = carried_audio(response.content, _carried(synthesis))
        riff = walk_riff(data)
        start = riff.first(b"data") if riff is not None else None
        samples_at = start.body.start if start is not None else 0
        body = data[samples_at:]
        header = wave_format(data, riff) if riff is not None else None
        rate = header.sample_rate if header is not None else fmt.spec.sample_rate
        samples = np.frombuffer(body[: len(body) // 2 * 2], dtype="<i2").astype(np.float64) / 32768.0
        seconds = len(samples) / rate if rate else 0.0
        headers = header_findings(
            [(seconds * at / max(len(body), 1), kind.value) for at, kind in headers_inside(body, 1)]
        )
        findings = [*headers, *(f for f in seam_findings(samples, rate, None) if f.kind == "gap")]
        return [
            Violation(f"seams/{finding.at_s:.3f}s", SEAM_FINDINGS[finding.kind].expected, finding.detail, SEAMS_RULE)
            for finding in findings
        ]

    return check


def long_input_check(synthesis: Synthesis, limit: int) -> Check:
    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        text = ("word " * (limit // 5 + 2))[: limit + 1]
        response = target.send(client, target.request(synthesis, at={synthesis.slots.text: text}))
        return _refused(target, synthesis, response, (target.service.refusals.invalid,), "error-long-input")

    return check


def stream_audio_check(synthesis: Synthesis) -> Check:
    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        fmt = wanted_format(synthesis, "wav")
        reads = 0
        body = bytearray()
        request = target.request(synthesis, fmt)
        response = client.send(request, stream=True)
        try:
            for chunk in response.iter_raw():  # as the bytes arrive, before any decoding
                reads += 1
                body += chunk
        finally:
            response.close()
        status, headers, version = response.status_code, response.headers, response.http_version
        answer = httpx.Response(status, headers=headers, content=bytes(body))
        found = _status(answer, synthesis, "stream-audio")
        found = found or _audio_wrong(synthesis.endpoint, answer, fmt, "stream-audio")
        if found:
            return found
        if "content-length" in headers and version != "HTTP/2":
            found.append(
                Violation(
                    "stream-audio/headers/content-length",
                    "no Content-Length: the audio sent as it is made (chunked transfer or HTTP/2 frames)",
                    f"Content-Length: {headers['content-length']} (a buffered whole)",
                    "protocol",
                )
            )
        if reads < 2:
            found.append(Violation("stream-audio", "the body in more than one read", f"{reads} read", "protocol"))
        problem = None if _is_raw_pcm(fmt) else inspect(bytes(body)).problem
        if problem is not None:
            found.append(
                Violation("stream-audio", f"a whole {fmt.name} file at the end of the stream", problem, "protocol")
            )
        return found

    return check


def stream_sse_check(synthesis: Synthesis) -> Check:
    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        fmt = wanted_format(synthesis, "wav")
        response = target.send(client, target.request(synthesis, fmt))
        found = _status(response, synthesis, "stream-sse")
        if found:
            return found
        media_type = media_type_of(response.headers.get("content-type"))
        if media_type != "text/event-stream":
            found.append(
                Violation("stream-sse/headers/content-type", "text/event-stream", media_type or "none", "content-type")
            )
        endpoint = target.provider.endpoint(synthesis.endpoint.key)  # as built: its last event's mark
        carried = carrier(endpoint.response_for(endpoint.success_status))
        assert isinstance(carried, EventStreamBody)
        reading = read_stream(response.content, carried)
        found += [
            Violation(
                "stream-sse",
                "a whole stream of audio events and its declared last event",
                f"{problem.kind.value}: {problem.note}",
                "protocol",
            )
            for problem in reading.problems
        ]
        shapes = check_events(carried, response.content)  # each event as the documents shape it
        found += [
            Violation(f"stream-sse{v.pointer}", f"an event as documented: {v.expected}", v.got, v.rule)
            for v in shapes.violations
        ]
        found += [Violation(f"stream-sse{d.pointer}", "the documented fields", d.note, FINDING) for d in shapes.drift]
        if not reading.pieces:
            found.append(Violation("stream-sse", "at least one event with audio", "none", "protocol"))
        elif not reading.problems:
            found += _audio_wrong(endpoint, response, fmt, "stream-sse")
        return found

    return check


HEADED = ("wav", "flac", "mp3")  # containers whose header (or frames) state their rate and length


def headed_synthesis(service: SpeechService, endpoint_key: str = "") -> tuple[Synthesis, Format] | None:
    """The synthesis that answers a text in one whole file with a header, and that format (WAV first):
    `endpoint_key`'s where it is one, else the provider's first. Never a stream's: the sandbox's drift and the bugs
    it imitates mislabel a stream's samples, its own header included."""
    whole = sorted(
        (s for s in _spoken(service) if s.endpoint.role is not Role.STREAM),
        key=lambda s: s.endpoint.key != endpoint_key,
    )
    for synthesis in whole:
        fmt = next(
            (f for container in HEADED for f in synthesis.formats if f.spec.container == container and not f.assumed),
            None,
        )
        if fmt is not None:
            return synthesis, fmt
    return None


def headed_answer_s(
    target: SpeechTarget, client: httpx.Client, text: str, *, endpoint_key: str = "", voice: str | None = None
) -> tuple[float, str] | str:
    """How long `text` sounds in the provider's headed answer (`headed_synthesis`; `sounding_s`: its silence around
    the voice left out), in `voice` where the provider lists it (another voice's pace differs), and what answered;
    else why it cannot be told."""
    found = headed_synthesis(target.service, endpoint_key)
    if found is None:
        return f"{target.provider.name} declares no answer in a headed format outside a stream: the rate is not judged"
    synthesis, fmt = found
    at: dict[str, Any] = {synthesis.slots.text: text}
    if voice and synthesis.slots.voice is not None and voice in {v.name for v in target.service.voices}:
        at[synthesis.slots.voice] = voice
    answer = target.send(client, target.request(synthesis, fmt, at))
    name = f"{synthesis.endpoint.key} as {fmt.name}"
    heard = _heard(answer, synthesis, fmt, name)
    if answer.status_code != synthesis.endpoint.success_status or isinstance(heard, Violation):
        return f"the headed answer ({name}) is not whole audio (HTTP {answer.status_code}): the rate is not judged"
    return sounding_s(*heard), name


def misrated(seconds: float, declared: int, reference: tuple[float, str]) -> HeardRate | None:
    """The rate heard where a stream's `seconds` at its `declared` rate and the headed answer's disagree by a ratio a
    standard mislabel explains (24 kHz samples labelled 16 kHz: 1.5); a length off by another ratio is a pace, not a
    rate, and is not named (the benchmark's rule, `harness.core.heard_rate.rate_by_length`)."""
    heard = rate_by_length(seconds, declared, reference[0], reference[1])
    return heard if heard is not None and heard.standard else None


ASKED_RATE = 16000  # the rate issue 66's reports find mislabelled (a `pcm_16000` asked), asked where offered


def _sixteen_bit(synthesis: Synthesis) -> Format | None:
    """The stream's format of headerless 16-bit samples (at `ASKED_RATE` where declared), else of WAV-wrapped ones:
    what a mislabel changes the length of (a compressed stream's frames state their own rate)."""
    sixteen = sorted(
        (f for f in synthesis.formats if f.spec.codec == "pcm_s16le" and not f.assumed),
        key=lambda f: (f.spec.container != "raw", f.spec.sample_rate != ASKED_RATE),
    )
    return next((f for f in sixteen if f.spec.container in ("raw", "wav")), None)


def stream_rate_check(synthesis: Synthesis) -> Check:
    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        where = f"rate-{slug(synthesis.endpoint.key)}"
        fmt = _sixteen_bit(synthesis)
        if fmt is None:
            raise Skip(
                f"{synthesis.endpoint.key} streams no 16-bit samples: a compressed stream's frames state their own rate"
            )
        response = target.send(client, target.request(synthesis, fmt))
        found = _status(response, synthesis, where)
        if found:
            return found
        heard = _heard(response, synthesis, fmt, where)
        if isinstance(heard, Violation):  # the stream's own checks name what is wrong with it
            raise Skip(f"the stream's audio cannot be measured: {heard.got}")
        seconds = sounding_s(*heard)  # at the rate its label (raw: the format; WAV: its header) declares
        model = next(m for m in target.service.models if m.synthesis == synthesis.endpoint.key)
        reference = headed_answer_s(target, client, SAMPLE_TEXT, voice=model.voice)
        if isinstance(reference, str):
            raise Skip(reference)
        rate = misrated(seconds, heard[1], reference)
        return (
            []
            if rate is None
            else [
                Violation(f"{where}/{slug(fmt.name)}", f"samples at the declared {heard[1]:,} Hz", str(rate), RATE_RULE)
            ]
        )

    return check


def speed_check(synthesis: Synthesis) -> Check:
    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        assert synthesis.slots.speed is not None
        fmt = wanted_format(synthesis, "wav")
        low, high = _speed_range(synthesis)
        fast = min(SPEED_FAST, high) if high is not None else SPEED_FAST
        if low is not None and low > 1.0:
            return [Violation("speed", "a documented range that holds 1.0", f"from {low}", "protocol")]
        durations = []
        for speed in (1.0, fast):
            response = target.send(client, target.request(synthesis, fmt, {synthesis.slots.speed: speed}))
            problems = _status(response, synthesis, f"speed-{speed}")
            problems = problems or _audio_wrong(synthesis.endpoint, response, fmt, f"speed-{speed}")
            if problems:
                return problems
            try:
                durations.append(_duration_s(response.content, fmt))
            except AudioDecodeError as error:
                return [Violation(f"speed-{speed}", "audio whose length can be told", str(error), "protocol")]
        ratio = durations[1] / durations[0]
        expected = 1.0 / fast
        lowest, highest = (bound * expected / 0.5 for bound in SPEED_TOLERANCE)
        if not lowest <= ratio <= highest:
            return [
                Violation(
                    "speed",
                    f"duration ratio (speed {fast} / 1.0) within [{lowest:.2f}, {highest:.2f}]",
                    f"{ratio:.2f} ({durations[1]:.2f} s / {durations[0]:.2f} s)",
                    "protocol",
                )
            ]
        return []

    return check


def stream_seams_check(synthesis: Synthesis) -> Check:
    """An SSE or NDJSON stream of 16-bit samples (`_sixteen_bit`) joins as one sound: each of its events' pieces
    judged by the one rule (`harness.contracts.seam_checks.piece_seams`), a violation of rule `seams` at the piece."""

    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        where = f"seams-{slug(synthesis.endpoint.key)}"
        fmt = _sixteen_bit(synthesis)
        if fmt is None:
            raise Skip(
                f"{synthesis.endpoint.key} streams no 16-bit samples: a compressed stream's frames are not joined here"
            )
        response = target.send(client, target.request(synthesis, fmt))
        found = _status(response, synthesis, where)
        if found:
            return found
        carried = _carried(synthesis)
        assert isinstance(carried, EventStreamBody | NdjsonBody)
        held = read_stream(response.content, carried, lines=isinstance(carried, NdjsonBody)).audio
        headerless = fmt.spec.container == "raw"
        seams = piece_seams(held, [samples_of(piece) for piece in held], fmt.spec.sample_rate, headerless=headerless)
        return [
            Violation(
                f"{where}/{slug(fmt.name)}/{seq}", SEAM_FINDINGS[finding.kind].expected, finding.detail, SEAMS_RULE
            )
            for seq, finding in seams
        ]

    return check


def _heard(response: httpx.Response, synthesis: Synthesis, fmt: Format, where: str) -> tuple[Any, int] | Violation:
    """The answer's audio as mono samples and their rate, or what is wrong with it."""
    from harness.speech import AudioCodecError, decode_audio  # the one decoder

    try:
        audio = carried_audio(response.content, _carried(synthesis))
        raw = fmt.spec.container == "raw"
        decoded = decode_audio(audio, "audio/pcm" if raw else None, fmt.spec.sample_rate if raw else None)
    except (AudioFieldError, AudioCodecError) as error:
        return Violation(where, "audio that decodes", str(error), "protocol")
    return decoded.mono(), decoded.sample_rate


def markup_check(synthesis: Synthesis) -> Check:
    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        markup = synthesis.markup
        assert markup is not None
        service = target.service
        model = next(
            m
            for m in service.models
            if m.synthesis == synthesis.endpoint.key and markup.tag(TagKind.BREAK, m.name) is not None
        )
        tag = markup.tag(TagKind.BREAK, model.name)
        assert tag is not None
        fmt = wanted_format(synthesis, "wav")
        said: dict[str, tuple[Any, int]] = {}
        for where, text in (
            ("markup", markup.written(MARKUP_PIECES, model.name)),
            ("markup-plain", spoken(MARKUP_PIECES)),
        ):
            body = in_format(synthesis, request_for(service, model, SynthesisInput(text)), fmt)
            if where == "markup":
                markup.placed(body)
            response = target.send(
                client,
                build_request(
                    target.provider,
                    synthesis.endpoint,
                    target.base_urls[synthesis.endpoint.host],
                    body,
                    key=target.key,
                    validate=False,
                ),
            )
            problems = _status(response, synthesis, where)
            if problems:
                return problems
            heard = _heard(response, synthesis, fmt, where)
            if isinstance(heard, Violation):
                return [heard]
            said[where] = heard
        written = tag.write(Pause(800))
        samples, rate = said["markup"]
        found = [
            Violation(
                f"markup/{model.name}",
                f"{written} heard as {pause.asked_ms} ms of silence (within {tolerance_ms(pause.asked_ms):.0f} ms)",
                pause.finding(),
                MARKUP_RULE,
            )
            for pause in heard_pauses(samples, rate, MARKUP_PIECES)
            if not pause.honoured
        ]
        marked, plain = speaking_s(samples, rate), speaking_s(*said["markup-plain"])
        if plain > 0 and marked > plain * (1 + SPOKEN_TAG_SHARE):
            found.append(
                Violation(
                    f"markup/{model.name}",
                    f"{written} not spoken: the words sound no longer than "
                    f"without markup ({plain:.2f} s, +{SPOKEN_TAG_SHARE:.0%})",
                    f"{marked:.2f} s: the tag read aloud?",
                    MARKUP_RULE,
                )
            )
        return found

    return check


def timing_marks_check(synthesis: Synthesis) -> Check:
    def check(target: SpeechTarget, client: httpx.Client) -> list[Violation]:
        assert synthesis.marks is not None
        # In a format whose bytes tell their seconds where one is declared: the marks' ends are bounded by them.
        fmt = wanted_format(synthesis, "wav")
        response = target.send(client, target.request(synthesis, fmt, asked(synthesis.marks)))
        try:
            audio: bytes | None = carried_audio(response.content, _carried(synthesis))
        except AudioFieldError:
            audio = None  # no audio where declared: the format checks say so
        seconds = None if audio is None else answer_seconds(synthesis, audio, fmt)
        return _status(response, synthesis, MARKS_CHECK) or marks_violations(
            synthesis, response.content, SAMPLE_TEXT, seconds, audio, fmt
        )

    return check


@dataclass(frozen=True, slots=True)
class FamilyCheck:
    """One check as the suite runs it: its name, its function, and why the sandbox cannot stand in for the
    provider here ("" where it can)."""

    name: str
    run: Check
    imitation_gap: str = ""


def checks_for(provider: Provider) -> dict[str, FamilyCheck]:
    """The checks that apply to a provider of the family, by name (each on the first synthesis that declares the
    part it needs, the audio-as-body answers first)."""
    service = provider.family
    if not isinstance(service, SpeechService):
        return {}
    checks: dict[str, FamilyCheck] = {}

    def add(name: str, run: Check, gap: str = "") -> None:
        checks.setdefault(name, FamilyCheck(name, run, gap))

    spoken = _spoken(service)
    for synthesis in spoken:
        if synthesis.slots.format is None:
            continue
        for fmt in synthesis.formats:
            gap = (
                ""
                if writable(fmt.spec.codec, fmt.spec.container)
                else (f"the sandbox cannot write {fmt.spec}: {fmt.name} is checked against {provider.name} itself only")
            )
            add(f"format-{slug(fmt.name)}", format_check(synthesis, fmt), gap)
    for synthesis in spoken:
        if synthesis.slots.voice is not None and service.voices:
            add("error-bad-voice", bad_voice_check(synthesis))
        if synthesis.slots.model is not None and synthesis.unknown_model is UnknownModel.DEFAULT:
            add("model-fallback", model_fallback_check(synthesis))
        elif synthesis.slots.model is not None and service.refusals.unknown_model is not None:
            add("error-bad-model", bad_model_check(synthesis))
        limit = _text_limit(synthesis)
        if limit is not None:
            add("error-long-input", long_input_check(synthesis, limit))
        carried = _carried(synthesis)
        if carried is None and synthesis.endpoint.role is Role.STREAM:
            add("stream-audio", stream_audio_check(synthesis))
            add("seams", body_seams_check(synthesis))
        if isinstance(carried, EventStreamBody):
            add("stream-sse", stream_sse_check(synthesis))
        if isinstance(carried, EventStreamBody | NdjsonBody) or (
            carried is None and synthesis.endpoint.role is Role.STREAM
        ):
            add(f"rate-{slug(synthesis.endpoint.key)}", stream_rate_check(synthesis))
        if isinstance(carried, EventStreamBody | NdjsonBody):
            add(f"seams-{slug(synthesis.endpoint.key)}", stream_seams_check(synthesis))
        if synthesis.slots.speed is not None:
            add("speed", speed_check(synthesis))
        markup = synthesis.markup
        if markup is not None and any(
            m.synthesis == synthesis.endpoint.key and markup.tag(TagKind.BREAK, m.name) for m in service.models
        ):
            add("markup", markup_check(synthesis))
        if answer_form(synthesis):
            add(f"{MARKS_CHECK}-{slug(synthesis.endpoint.key)}", timing_marks_check(synthesis))
    return checks
