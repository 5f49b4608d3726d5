"""Two answer forms on one path, the HTTP speech family's own mechanism: a declared provider written here (`acme`,
`POST /v1/speak` answering a JSON document by default and Server-Sent Events with `stream: true`) has each form as
its own endpoint key; the benchmark's request carries the value that picks its form; the sandbox routes a request
by that value from the declaration alone, pricing it as its form's model; a declaration whose forms a request could
not tell apart is refused in one line. MiniMax's streamed form repeats the whole audio in its last event unless the
request's flag says not to, as its reference writes."""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any, Literal

import httpx
import pytest
from pydantic import Field

from harness.core.protocols.answer_forms import form_for
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
    Voice,
    build_provider,
)
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.spec import (
    AudioAt,
    Auth,
    BodyKind,
    Endpoint,
    EventStreamBody,
    JsonBody,
    Provider,
    RequestModel,
    Response,
    ResponseModel,
    Role,
    SynthesisInput,
)
from harness.sandbox import Sandbox, running
from harness.speech import decode

TEXT = "The quick brown fox jumps over the lazy dog."


class Speak(RequestModel):
    text: str = Field(min_length=1, max_length=500)
    voice: Literal["ada"]
    model: Literal["acme-1"]
    stream: bool | None = None  # false (the default): one JSON document; true: events


class Spoken(ResponseModel):
    audio: str


class Piece(ResponseModel):
    type: str
    audio: str | None = None


class Problem(ResponseModel):
    message: str


def _endpoint(key: str, role: Role, body: JsonBody | EventStreamBody, request: type[RequestModel] = Speak) -> Endpoint:
    return Endpoint(
        key=key,
        method="POST",
        path="/v1/speak",
        summary=key,
        host="api",
        role=role,
        request=request,
        body_kind=BodyKind.JSON,
        responses=(Response(status=200, bodies=(body,)), Response(status=401, bodies=(JsonBody(Problem),))),
    )


DOCUMENT = _endpoint("speak", Role.AUDIO, JsonBody(Spoken, audio=AudioAt("/audio")))
EVENTS = _endpoint("speak.stream", Role.STREAM, EventStreamBody(Piece, audio=AudioAt("/audio")))
WAV = Format(name="wav", spec=AudioSpec("pcm_s16le", 16000, "wav"), media_type="audio/wav")
SLOTS = Slots(text="/text", voice="/voice", model="/model")
AS_DOCUMENT = Synthesis(
    endpoint=DOCUMENT,
    slots=SLOTS,
    formats=(WAV,),
    default_format="wav",
    chosen_by=Selector("/stream", (False,), by_default=True),
)
AS_EVENTS = Synthesis(
    endpoint=EVENTS,
    slots=SLOTS,
    formats=(WAV,),
    default_format="wav",
    chosen_by=Selector("/stream", (True,)),
    answer={"type": "piece"},
    last_event={"type": "done"},
)
REFUSALS = SpeechRefusals(
    **{
        field: SpeechRefusal(status, code, "{detail}")
        for field, status, code in (
            ("invalid", 400, "invalid"),
            ("missing_key", 401, "no-key"),
            ("bad_key", 401, "bad-key"),
            ("unknown_voice", 400, "voice"),
            ("rate_limited", 429, "slow"),
            ("quota", 402, "quota"),
        )
    }
)
SERVICE = SpeechService(
    name="acme",
    title="Acme",
    hosts={"api": "https://api.acme.example"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="ACME_API_KEY",
    docs=(),
    error_model=Problem,
    errors=ErrorShape({"message": "{message}"}),
    refusals=REFUSALS,
    syntheses=(AS_DOCUMENT, AS_EVENTS),
    models=(
        Model(name="acme-1", synthesis=DOCUMENT.key, voice="ada", usd_per_million_chars=Decimal("1")),
        Model(
            name="acme-1-stream",
            synthesis=EVENTS.key,
            voice="ada",
            sets={"/model": "acme-1"},
            usd_per_million_chars=Decimal("2"),
        ),
    ),
    voices=(Voice("ada"),),
)
ACME = build_provider(SERVICE)


def test_each_form_is_its_own_endpoint_and_its_request_carries_the_value_that_picks_it() -> None:
    assert [(e.key, e.signature) for e in ACME.endpoints] == [
        ("speak", "POST /v1/speak"),
        ("speak.stream", "POST /v1/speak"),
    ]
    streamed = ACME.offering("acme-1-stream").build(SynthesisInput(TEXT))
    assert streamed["stream"] is True and streamed["model"] == "acme-1"
    assert ACME.offering("acme-1").build(SynthesisInput(TEXT))["stream"] is False
    assert form_for(SERVICE.syntheses, AS_DOCUMENT, {"stream": True}) is AS_EVENTS
    assert form_for(SERVICE.syntheses, AS_EVENTS, {}) is AS_DOCUMENT  # the documents' default
    assert form_for(SERVICE.syntheses, AS_EVENTS, {"stream": None}) is AS_DOCUMENT
    assert form_for(SERVICE.syntheses, AS_DOCUMENT, {"stream": 1}) is None  # a flag's value is compared with its type


class Other(Speak):
    pass


@pytest.mark.parametrize(
    ("forms", "words"),
    [
        ((replace(AS_DOCUMENT, chosen_by=None), AS_EVENTS), "each needs a chosen_by"),
        ((AS_DOCUMENT, replace(AS_EVENTS, chosen_by=Selector("/streaming", (True,)))), "must read one field"),
        ((AS_DOCUMENT, replace(AS_EVENTS, chosen_by=Selector("/stream", (False,)))), "picked by the same value"),
        ((AS_DOCUMENT, replace(AS_EVENTS, chosen_by=Selector("/stream", (True,), by_default=True))), "only one form"),
        ((AS_DOCUMENT, replace(AS_EVENTS, endpoint=replace(EVENTS, request=Other))), "share one request model"),
    ],
)
def test_forms_a_request_could_not_tell_apart_are_refused_in_one_line(forms: tuple[Synthesis, ...], words: str) -> None:
    with pytest.raises(ValueError, match=words) as refused:
        build_provider(replace(SERVICE, syntheses=forms))
    assert str(refused.value).startswith("acme: POST /v1/speak answers in 2 forms (speak, speak.stream)")
    assert "\n" not in str(refused.value)


@pytest.fixture(scope="module")
def acme() -> Iterator[Sandbox]:
    def served() -> dict[str, Provider]:
        return {"acme": ACME}

    with contextlib.ExitStack() as stack:
        with pytest.MonkeyPatch.context() as patch:  # only while the sandbox loads what it serves
            patch.setattr("harness.sandbox.loading.providers", served)
            sandbox = stack.enter_context(running(profile="fast", providers=("acme",)))
        yield sandbox


def _speak(sandbox: Sandbox, **fields: Any) -> httpx.Response:
    body = {"text": TEXT, "voice": "ada", "model": "acme-1", **fields}
    return httpx.post(
        sandbox.base_url("acme", "api") + "/v1/speak",
        json=body,
        timeout=30,
        headers={"Authorization": f"Bearer {sandbox.default_key('acme')}"},
    )


def _seconds(audio: bytes) -> float:
    clip = decode(audio)
    return len(clip.samples) / clip.sample_rate


def test_the_sandbox_answers_in_the_form_the_request_picks(acme: Sandbox) -> None:
    document = _speak(acme)
    assert document.status_code == 200 and document.headers["content-type"].startswith("application/json")
    assert _seconds(base64.b64decode(document.json()["audio"])) > 1.0
    events = _speak(acme, stream=True)
    assert events.status_code == 200 and events.headers["content-type"].startswith("text/event-stream")
    data = [json.loads(line[5:]) for line in events.text.splitlines() if line.startswith("data:")]
    assert data[-1] == {"type": "done"} and {item["type"] for item in data[:-1]} == {"piece"}
    assert _seconds(b"".join(base64.b64decode(item["audio"]) for item in data[:-1])) > 1.0
    assert _speak(acme, stream=False).headers["content-type"].startswith("application/json")


def test_each_form_is_priced_as_its_own_model(acme: Sandbox) -> None:
    before = acme.balance("acme", acme.default_key("acme"))
    _speak(acme)
    after_document = acme.balance("acme", acme.default_key("acme"))
    _speak(acme, stream=True)
    after_events = acme.balance("acme", acme.default_key("acme"))
    assert before is not None and after_document is not None and after_events is not None
    assert (before - after_document) * 1_000_000 == len(TEXT)  # $1 per million characters
    assert (after_document - after_events) * 1_000_000 == 2 * len(TEXT)  # the streamed model's $2


def test_minimax_repeats_the_whole_audio_last_unless_the_request_says_not_to(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    from harness.providers.minimax import PROVIDER as MINIMAX

    body = MINIMAX.offering("speech-2.8-hd-stream").build(SynthesisInput(TEXT))

    def events(**options: bool) -> list[dict[str, Any]]:
        answer = client.post(
            sandbox.base_url("minimax", "api") + "/v1/t2a_v2",
            json={**body, "stream_options": options},
            headers={"Authorization": f"Bearer {sandbox.default_key('minimax')}"},
        )
        assert answer.status_code == 200, answer.text
        return [json.loads(line[5:]) for line in answer.text.splitlines() if line.startswith("data:")]

    pieces = events(exclude_aggregated_audio=True)
    assert [item["data"]["status"] for item in pieces] == [1] * (len(pieces) - 1) + [2]
    assert "audio" not in pieces[-1]["data"] and pieces[-1]["extra_info"]["audio_format"] == "flac"
    whole = events()  # "Default is false, meaning the last chunk contains the complete concatenated audio"
    assert whole[-1]["data"]["audio"] == "".join(item["data"]["audio"] for item in whole[:-1])
