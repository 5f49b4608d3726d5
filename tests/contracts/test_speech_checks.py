"""The HTTP speech family's own checks (`harness.contracts.speech_checks`) judge what matters, each shown on an answer
built here (respx, no server): pcm by its bytes and rate with Content-Type aliases accepted and `audio/L16` flagged; a
streamed body; an unknown model refused in the declared error shape; a stream of events read whole; speed; and a
failure shows a binary body as size, format and hex, never raw."""

from __future__ import annotations

import io
import math
import struct
import wave
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from harness.contracts.finding import body_summary
from harness.contracts.speech_checks import Check, SpeechTarget, checks_for
from harness.core.protocols.http_speech import (
    ErrorShape,
    Format,
    Model,
    Selector,
    Slots,
    SpeechRefusal,
    SpeechRefusals,
    SpeechService,
    Synthesis,
    UnknownModel,
    Voice,
    build_provider,
)
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.spec import AudioAt, AudioBody, Auth, BodyKind, Endpoint, EventStreamBody, JsonBody, Response, Role
from harness.providers.openai.models import ErrorBody, SpeechEvent, SpeechRequest

BASE = "http://speech.invalid/v1"
RATE = 22_050
FORMATS = {
    "wav": Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav"),
    "pcm": Format(name="pcm", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type="audio/pcm"),
}
ERRORS = (Response(status=400, bodies=(JsonBody(ErrorBody),)), Response(status=404, bodies=(JsonBody(ErrorBody),)))


def _service(formats: tuple[str, ...] = ("wav", "pcm"), *, sse: bool = False, fallback: bool = False) -> SpeechService:
    """A box of the family laid out like OpenAI's speech endpoint (the audio itself, and SSE where `sse`; an unknown
    model spoken as `m` where `fallback`)."""
    plain = Endpoint(
        key="audio.speech",
        method="POST",
        path="/audio/speech",
        host="v1",
        role=Role.STREAM,
        summary="speech",
        request=SpeechRequest,
        body_kind=BodyKind.JSON,
        responses=(Response(status=200, bodies=(AudioBody(("audio/wav", "audio/pcm")),)), *ERRORS),
    )
    events = Endpoint(
        key="audio.speech.sse",
        method="POST",
        path="/audio/speech",
        host="v1",
        role=Role.STREAM,
        summary="speech",
        request=SpeechRequest,
        body_kind=BodyKind.JSON,
        responses=(Response(status=200, bodies=(EventStreamBody(SpeechEvent, audio=AudioAt("/audio")),)), *ERRORS),
    )
    slots = Slots(text="/input", voice="/voice", model="/model", format="/response_format", speed="/speed")
    chosen = [FORMATS[name] for name in formats]
    syntheses = [
        Synthesis(
            endpoint=plain,
            slots=slots,
            formats=tuple(chosen),
            default_format=formats[0],
            chosen_by=Selector("/stream_format", ("audio",), by_default=True) if sse else None,
            default_model="m" if fallback else "",
            unknown_model=UnknownModel.DEFAULT if fallback else UnknownModel.REFUSED,
        )
    ]
    models = [Model(name="m", synthesis=plain.key, voice="v")]
    if sse:
        syntheses.append(
            Synthesis(
                endpoint=events,
                slots=slots,
                formats=tuple(chosen),
                default_format=formats[0],
                chosen_by=Selector("/stream_format", ("sse",)),
                answer={"type": "speech.audio.delta"},
                last_event={"type": "speech.audio.done"},
            )
        )
        models.append(Model(name="m-sse", synthesis=events.key, voice="v", sets={"/model": "m"}))
    refused = SpeechRefusal(400, "invalid_value", "{detail}")
    return SpeechService(
        name="box",
        title="a box",
        hosts={"v1": BASE},
        auth=Auth(header="Authorization", scheme="Bearer"),
        key_env="",
        docs=(),
        error_model=ErrorBody,
        errors=ErrorShape(
            {"error": {"message": "{message}", "type": "invalid_request_error", "param": None, "code": "{code}"}}
        ),
        refusals=SpeechRefusals(
            invalid=refused,
            missing_key=refused,
            bad_key=refused,
            unknown_voice=refused,
            rate_limited=refused,
            quota=refused,
            unknown_model=SpeechRefusal(404, "model_not_found", "no model {detail}"),
        ),
        syntheses=tuple(syntheses),
        models=tuple(models),
        voices=(Voice("v"),),
    )


def _target(formats: tuple[str, ...] = ("wav", "pcm"), *, sse: bool = False, fallback: bool = False) -> SpeechTarget:
    return SpeechTarget(build_provider(_service(formats, sse=sse, fallback=fallback)), {"v1": BASE}, None)


def _check(name: str, target: SpeechTarget) -> Check:
    return checks_for(target.provider)[name].run


def check_format(fmt: str) -> Check:
    return _check(f"format-{fmt}", _target())


def check_stream_audio(target: SpeechTarget, client: httpx.Client) -> list[Any]:
    return _check("stream-audio", target)(target, client)


def check_bad_model(target: SpeechTarget, client: httpx.Client) -> list[Any]:
    return _check("error-bad-model", target)(target, client)


def _tone(seconds: float, rate: int) -> list[int]:
    """A voiced-sounding signal: a 180 Hz tone with a slow swell (smooth sample to sample)."""
    count = int(seconds * rate)
    return [int(9000 * math.sin(2 * math.pi * 180 * i / rate) * (0.6 + 0.4 * math.sin(i / rate))) for i in range(count)]


def _pcm(samples: list[int], order: str = "<") -> bytes:
    return struct.pack(f"{order}{len(samples)}h", *samples)


def _wav(samples: list[int], rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(_pcm(samples))
    return buffer.getvalue()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mocked:
        yield mocked


def _answer_by_format(router: respx.MockRouter, pcm: bytes, pcm_type: str, wav_seconds: float = 2.0) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        import json

        if json.loads(request.content)["response_format"] == "pcm":
            return httpx.Response(200, headers={"content-type": pcm_type}, content=pcm)
        return httpx.Response(200, headers={"content-type": "audio/wav"}, content=_wav(_tone(wav_seconds, RATE), RATE))

    router.post(f"{BASE}/audio/speech").mock(side_effect=answer)


@pytest.mark.parametrize(
    "content_type", ["audio/pcm", "audio/pcm_s16le", "application/octet-stream", "audio/pcm;rate=22050"]
)
def test_pcm_under_any_little_endian_name_at_the_declared_rate_passes(
    router: respx.MockRouter, content_type: str
) -> None:
    _answer_by_format(router, _pcm(_tone(2.0, RATE)), content_type)
    with httpx.Client() as client:
        assert check_format("pcm")(_target(), client) == []


def test_audio_l16_is_flagged_as_big_endian(router: respx.MockRouter) -> None:
    _answer_by_format(router, _pcm(_tone(2.0, RATE)), "audio/L16")
    with httpx.Client() as client:
        (found,) = check_format("pcm")(_target(), client)
    assert found.rule == "content-type" and "big-endian by RFC 2586" in found.got


def test_big_endian_samples_are_caught_by_their_bytes(router: respx.MockRouter) -> None:
    _answer_by_format(router, _pcm(_tone(2.0, RATE), ">"), "audio/pcm")
    with httpx.Client() as client:
        (found,) = check_format("pcm")(_target(), client)
    assert "little-endian" in found.expected and "big-endian" in found.got


def test_a_wav_file_answered_for_headerless_pcm_is_caught(router: respx.MockRouter) -> None:
    """OpenAI's pcm is "without the header": a server answering its WAV under pcm's name plays its header as samples."""
    _answer_by_format(router, _wav(_tone(2.0, RATE), RATE), "audio/pcm")
    with httpx.Client() as client:
        (found,) = check_format("pcm")(_target(), client)
    assert found.expected == "headerless 16-bit samples" and "audio/wav" in found.got


def test_pcm_at_another_rate_than_declared_is_caught(router: respx.MockRouter) -> None:
    _answer_by_format(router, _pcm(_tone(2.0, 24_000)), "audio/pcm")  # 24 kHz samples, 22,050 declared
    with httpx.Client() as client:
        (found,) = check_format("pcm")(_target(), client)
    assert "22050 Hz" in found.expected and "24,000 Hz" in found.got
    assert found.rule == "rate"  # the one name of a mislabelled rate, as a stream's and a socket's check say it


def test_a_buffered_whole_is_not_a_stream(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/audio/speech").respond(
        200, headers={"content-type": "audio/wav"}, content=_wav(_tone(1.0, RATE), RATE)
    )
    with httpx.Client() as client:
        found = check_stream_audio(_target(("wav",)), client)
    assert any(v.pointer.endswith("content-length") and "a buffered whole" in v.got for v in found)


def test_a_chunked_body_in_several_reads_is_a_stream(router: respx.MockRouter) -> None:
    audio = _wav(_tone(1.0, RATE), RATE)

    def pieces() -> Iterator[bytes]:
        for start in range(0, len(audio), 4096):
            yield audio[start : start + 4096]

    router.post(f"{BASE}/audio/speech").respond(200, headers={"content-type": "audio/wav"}, stream=pieces())
    with httpx.Client() as client:
        assert check_stream_audio(_target(("wav",)), client) == []


def test_a_stream_of_whole_files_has_a_header_at_each_seam(router: respx.MockRouter) -> None:
    """Blaizzy/mlx-audio #898: each chunk a complete WAV file. The one seams rule hears each header after the start;
    the same audio as one file joins as one sound."""
    tone = _tone(1.0, RATE)
    quarter = len(tone) // 4
    files = b"".join(_wav(tone[at : at + quarter], RATE) for at in range(0, quarter * 4, quarter))
    router.post(f"{BASE}/audio/speech").respond(200, headers={"content-type": "audio/wav"}, content=files)
    target = _target(("wav",))
    with httpx.Client() as client:
        found = _check("seams", target)(target, client)
    assert len(found) == 3 and all(v.rule == "seams" and "wav header inside the stream" in v.got for v in found)
    router.post(f"{BASE}/audio/speech").respond(200, headers={"content-type": "audio/wav"}, content=_wav(tone, RATE))
    with httpx.Client() as client:
        assert _check("seams", target)(target, client) == []


def test_an_unknown_model_must_be_refused(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/audio/speech").respond(
        200, headers={"content-type": "audio/wav"}, content=_wav(_tone(1.0, RATE), RATE)
    )
    with httpx.Client() as client:
        found = check_bad_model(_target(("wav",)), client)
    assert found and found[0].pointer == "error-bad-model" and found[0].got == "200"
    assert all("RIFF" not in v.got for v in found)  # the audio body is summarised, never shown raw


def test_where_an_unknown_model_falls_back_it_must_be_spoken_not_refused(router: respx.MockRouter) -> None:
    """A synthesis whose documents say an unknown model falls back (`UnknownModel.DEFAULT`) is checked for the
    fallback in place of error-bad-model: the success status and audio in the format asked for."""
    import json

    target = _target(("wav",), fallback=True)
    assert "model-fallback" in checks_for(target.provider) and "error-bad-model" not in checks_for(target.provider)
    route = router.post(f"{BASE}/audio/speech")
    route.respond(
        404,
        json={"error": {"message": "no", "type": "invalid_request_error", "param": "model", "code": "model_not_found"}},
    )
    with httpx.Client() as client:
        (refused,) = _check("model-fallback", target)(target, client)
    assert refused.pointer == "model-fallback" and refused.got.startswith("404")
    assert json.loads(route.calls.last.request.content)["model"] == "no-such-model-7f3a"
    route.respond(200, headers={"content-type": "audio/mpeg"}, content=b"ID3\x04\x00\x00\x00\x00\x00\x00")
    with httpx.Client() as client:
        wrong = _check("model-fallback", target)(target, client)
    assert wrong and all(v.pointer.startswith("model-fallback") for v in wrong)
    route.respond(200, headers={"content-type": "audio/wav"}, content=_wav(_tone(1.0, RATE), RATE))
    with httpx.Client() as client:
        assert _check("model-fallback", target)(target, client) == []


def test_a_binary_body_is_shown_as_size_format_and_hex() -> None:
    wav = _wav(_tone(0.1, RATE), RATE)
    shown = body_summary(wav, "audio/wav")
    assert shown.startswith(f"{len(wav):,} bytes (audio/wav), starting 52 49 46 46") and "RIFF" not in shown
    assert body_summary(b'{"error": "no"}', "application/json") == '{"error": "no"}'
    assert body_summary(b"\x00\x01\xfe", None).startswith("3 bytes (no known audio format), starting 00 01 fe")
    assert body_summary(b"") == "an empty body"


def test_a_refusal_in_another_shape_than_declared_names_the_missing_keys(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/audio/speech").respond(404, json={"error": {"message": "no", "type": "x", "code": None}})
    with httpx.Client() as client:
        found = check_bad_model(_target(("wav",)), client)
    (shape,) = found
    assert shape.rule == "schema" and "/error/param" in shape.got


def test_the_declared_refusal_in_the_declared_shape_passes(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/audio/speech").respond(
        404,
        json={"error": {"message": "no", "type": "invalid_request_error", "param": "model", "code": "model_not_found"}},
    )
    with httpx.Client() as client:
        assert check_bad_model(_target(("wav",)), client) == []


def _sse(*events: str) -> bytes:
    return "".join(f"data: {event}\n\n" for event in events).encode()


def test_a_stream_without_its_declared_last_event_is_caught(router: respx.MockRouter) -> None:
    import base64
    import json

    audio = base64.b64encode(_wav(_tone(1.0, RATE), RATE)).decode()
    delta = json.dumps({"type": "speech.audio.delta", "audio": audio})
    router.post(f"{BASE}/audio/speech").respond(200, headers={"content-type": "text/event-stream"}, content=_sse(delta))
    target = _target(("wav",), sse=True)
    with httpx.Client() as client:
        found = _check("stream-sse", target)(target, client)
    assert any("no-end" in v.got for v in found), found
    router.post(f"{BASE}/audio/speech").respond(
        200,
        headers={"content-type": "text/event-stream"},
        content=_sse(
            delta,
            json.dumps(
                {"type": "speech.audio.done", "usage": {"input_tokens": 3, "output_tokens": 40, "total_tokens": 43}}
            ),
        ),
    )
    with httpx.Client() as client:
        assert _check("stream-sse", target)(target, client) == []


def test_speed_must_shorten_the_audio(router: respx.MockRouter) -> None:
    import json

    def answer(request: httpx.Request) -> httpx.Response:
        speed = json.loads(request.content).get("speed", 1.0)
        seconds = 2.0 if speed == 1.0 else 1.9  # barely faster: the speed was ignored
        return httpx.Response(200, headers={"content-type": "audio/wav"}, content=_wav(_tone(seconds, RATE), RATE))

    router.post(f"{BASE}/audio/speech").mock(side_effect=answer)
    target = _target(("wav",))
    with httpx.Client() as client:
        (found,) = _check("speed", target)(target, client)
    assert found.pointer == "speed" and "0.95" in found.got


def test_each_check_runs_where_the_declaration_has_its_part() -> None:
    assert set(checks_for(_target(("wav", "pcm")).provider)) == {
        "format-wav",
        "format-pcm",
        "error-bad-voice",
        "error-bad-model",
        "error-long-input",
        "stream-audio",
        "seams",
        "speed",
        "rate-audio.speech",
    }
    assert "stream-sse" in checks_for(_target(("wav",), sse=True).provider)


OPUS = Format(name="opus", spec=AudioSpec("opus", 48000, "ogg"), media_type="audio/opus")


def _opus_target(documented: bool = False) -> SpeechTarget:
    from dataclasses import replace

    service = _service(("wav",))
    fmt = replace(OPUS, media_type_documented=documented)
    synthesis = replace(service.syntheses[0], formats=(*service.syntheses[0].formats, fmt))
    return SpeechTarget(build_provider(replace(service, syntheses=(synthesis,))), {"v1": BASE}, None)


def _ogg_opus() -> bytes:
    from harness.speech import encode_as

    return encode_as([s / 32768 for s in _tone(1.5, 48_000)], 48_000, "opus", "ogg")


@pytest.mark.parametrize(("documented", "rule"), [(False, "finding"), (True, "content-type")])
def test_ogg_opus_named_audio_ogg_is_a_finding_unless_the_exact_value_is_documented(
    router: respx.MockRouter, documented: bool, rule: str
) -> None:
    # An OpenAI-compatible server answers Ogg Opus as audio/ogg where audio/opus is declared: the bytes are what was
    # asked, only the name differs (RFC 7845 registers both for Ogg Opus).
    router.post(f"{BASE}/audio/speech").respond(200, headers={"content-type": "audio/ogg"}, content=_ogg_opus())
    target = _opus_target(documented)
    with httpx.Client() as client:
        (found,) = _check("format-opus", target)(target, client)
    assert found.rule == rule and "audio/ogg" in found.got


def test_a_name_of_other_bytes_stays_a_violation(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/audio/speech").respond(200, headers={"content-type": "audio/mpeg"}, content=_ogg_opus())
    target = _opus_target()
    with httpx.Client() as client:
        (found,) = _check("format-opus", target)(target, client)
    assert found.rule == "content-type" and found.got == "audio/mpeg"
