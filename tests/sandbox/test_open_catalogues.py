"""Open and closed voice catalogues (`harness.core.protocols.catalogues`, `SpeechService.voice_catalogue`): a reference
that shows a sample of a voice library (ElevenLabs, MiniMax, Smallest, Fish Audio, Cartesia) makes an open catalogue —
a voice id of the documented form it does not list is spoken, with a finding naming it, as the provider would speak
the account's voice (issue 53: a framework's default voice id got "voice not found"); an id not of the form, or one a
team marked missing (`POST /_sandbox/catalogue`), still gets the provider's documented not-found refusal. A closed
catalogue (OpenAI's listed voices) refuses any id it does not list. The HTTP, socket and gRPC imitations ask the same
rule."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from harness.contracts.speech_checks import SpeechTarget
from harness.core.protocols.catalogues import AccountCatalogue, Catalogue, SlotVerdict, judge
from harness.core.registry import providers
from harness.sandbox import Sandbox, running
from harness.speech import decode_raw

# Ids of each provider's documented form that its declaration does not list (a library voice, a clone).
UNLISTED = {
    "elevenlabs": "pNInz6obpgDQGcFmaJgB",
    "minimax": "moss_audio_7c1e2f",
    "smallest": "voice_dLP5T67Qw7",
    "fish": "e58b0d7efca34eb38d5c4985e378abcb",
    "cartesia": "694f9389-aac1-45b6-b726-9d9369183238",
}
NOT_OF_FORM = {
    "elevenlabs": "no-such-voice-7f3a",
    "minimax": "7 starts with a digit",
    "smallest": "no-such-voice-7f3a",
    "fish": "no-such-voice-7f3a",
    "cartesia": "no-such-voice-7f3a",
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with running(profile="fast", providers=(*UNLISTED, "openai")) as running_sandbox:
        yield running_sandbox


def _target(sandbox: Sandbox, name: str) -> SpeechTarget:
    provider = providers()[name]
    return SpeechTarget(
        provider, {host: sandbox.base_url(name, host) for host in provider.hosts}, sandbox.default_key(name)
    )


def _speak(client: httpx.Client, sandbox: Sandbox, name: str, voice: str) -> httpx.Response:
    target = _target(sandbox, name)
    synthesis = next(
        s
        for s in target.service.syntheses
        if s.slots.voice is not None and any(m.synthesis == s.endpoint.key for m in target.service.models)
    )
    assert synthesis.slots.voice is not None
    return target.send(client, target.request(synthesis, at={synthesis.slots.voice: voice}))


def _findings(client: httpx.Client, sandbox: Sandbox, provider: str) -> list[dict[str, Any]]:
    return [f for f in client.get(sandbox.url + "/_sandbox/findings").json() if f["provider"] == provider]


@pytest.mark.parametrize("name", sorted(UNLISTED))
def test_an_unlisted_voice_of_the_documented_form_is_spoken_with_a_finding(
    sandbox: Sandbox, client: httpx.Client, name: str
) -> None:
    voice = UNLISTED[name]
    assert _target(sandbox, name).service.voice(voice) is None  # truly not in the declaration's sample
    answer = _speak(client, sandbox, name, voice)
    assert answer.status_code == 200, answer.text
    assert len(answer.content) > 1000
    found = [f for f in _findings(client, sandbox, name) if repr(voice) in f["finding"]]
    assert found and "voice" in found[0]["finding"]


@pytest.mark.parametrize("name", sorted(NOT_OF_FORM))
def test_an_id_not_of_the_documented_form_gets_the_documented_refusal(
    sandbox: Sandbox, client: httpx.Client, name: str
) -> None:
    refusal = _target(sandbox, name).service.refusals.unknown_voice
    answer = _speak(client, sandbox, name, NOT_OF_FORM[name])
    assert answer.status_code == refusal.status, answer.text
    assert refusal.code in answer.text


def test_an_id_marked_missing_gets_the_refusal_even_of_the_form(sandbox: Sandbox, client: httpx.Client) -> None:
    voice = "English_not_in_this_account"
    assert _speak(client, sandbox, "minimax", voice).status_code == 200
    marked = client.post(sandbox.url + "/_sandbox/catalogue", json={"provider": "minimax", "missing": [voice]})
    assert marked.status_code == 200 and voice in marked.json()["minimax"]["missing"]
    answer = _speak(client, sandbox, "minimax", voice)
    refusal = _target(sandbox, "minimax").service.refusals.unknown_voice
    assert refusal.code in answer.text and voice in answer.text  # MiniMax's 2013 in base_resp
    listed = _target(sandbox, "minimax").service.voices[0].name  # a declared voice marked missing: refused too
    client.post(sandbox.url + "/_sandbox/catalogue", json={"provider": "minimax", "missing": [listed]})
    assert refusal.code in _speak(client, sandbox, "minimax", listed).text


def test_the_control_refuses_what_it_cannot_read_in_one_line(sandbox: Sandbox, client: httpx.Client) -> None:
    bodies: list[Any] = [{"provider": "nobody"}, {"missing": "one"}, {"voices": [""]}, {"extra": []}, []]
    for body in bodies:
        answer = client.post(sandbox.url + "/_sandbox/catalogue", json=body)
        assert answer.status_code == 400 and "\n" not in answer.json()["error"]


def test_a_closed_catalogue_refuses_an_unlisted_voice_of_any_form(sandbox: Sandbox, client: httpx.Client) -> None:
    openai = _target(sandbox, "openai").service
    assert not openai.voice_catalogue.open
    answer = _speak(client, sandbox, "openai", "pNInz6obpgDQGcFmaJgB")
    assert answer.status_code == openai.refusals.unknown_voice.status, answer.text


def test_the_elevenlabs_socket_speaks_an_unlisted_voice_of_the_form(sandbox: Sandbox, client: httpx.Client) -> None:
    from websockets.asyncio.client import connect

    voice = "Zlb1dXrM653N07WRdFW3"
    url = (
        sandbox.base_url("elevenlabs", "api").replace("http://", "ws://")
        + f"/v1/text-to-speech/{voice}/stream-input?output_format=pcm_16000"
    )

    async def session() -> bytes:
        audio = b""
        async with connect(url, additional_headers={"xi-api-key": sandbox.default_key("elevenlabs")}) as socket:
            await socket.send(json.dumps({"text": " "}))
            await socket.send(json.dumps({"text": "Hello from a library voice. "}))
            await socket.send(json.dumps({"text": ""}))
            async for frame in socket:
                message = json.loads(frame)
                if message.get("audio"):
                    audio += base64.b64decode(message["audio"])
                if message.get("isFinal"):
                    break
        return audio

    audio = asyncio.run(session())
    assert len(decode_raw(audio, "pcm_s16le")) / 16000 > 0.5
    assert any(repr(voice) in f["finding"] for f in _findings(client, sandbox, "elevenlabs"))


def test_the_rule_one_place() -> None:
    library = Catalogue(open=True, form=r"[A-Za-z0-9]{20}")
    account = AccountCatalogue(voices=frozenset({"my-clone"}), missing=frozenset({"A" * 20}))
    assert judge(library, "x", listed=True) is SlotVerdict.LISTED
    assert judge(library, "B" * 20, listed=False) is SlotVerdict.UNLISTED
    assert judge(library, "A" * 20, listed=False, account=account) is SlotVerdict.MISSING
    assert judge(library, "my-clone", listed=False, account=account) is SlotVerdict.ACCOUNT
    assert judge(Catalogue(), "B" * 20, listed=False) is SlotVerdict.MISSING
    assert judge(Catalogue(), "my-clone", listed=False, account=account) is SlotVerdict.ACCOUNT
    with pytest.raises(ValueError, match="form"):
        Catalogue(open=True)
