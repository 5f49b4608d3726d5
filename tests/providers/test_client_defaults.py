"""What clients send by default, from the providers' own stored references (issue 46, item 4), against the sandbox's
imitations of the built-in `fish`, `mistral` and `elevenlabs`: Fish Audio's current models (s2.1-pro, the API's and
Pipecat's default; s2-pro, the official client's), Mistral's `voxtral-mini-tts-latest` alias, ElevenLabs' default
("premade") voices. Each addition is checked against the passage the documentation catalogue quotes for it, and
then spoken by the sandbox, which serves the declared catalogue (a name it does not declare is refused: the control).
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import numpy as np
import pytest

from harness.contracts.suite.catalogue import passages
from harness.core.prices import Counting, Unit, builtin_sheets
from harness.core.registry import providers
from harness.core.spec import SynthesisInput
from harness.speech import decode, decode_raw

TEXT = "Hello from the sandbox."
FISH_VOICE = "7f92f8afb8ec43bf81429cc1c9199cb1"
FISH_CURRENT = ("s2.1-pro", "s2.1-pro-free", "s2-pro")
MISTRAL_ALIAS, MISTRAL_MODEL = "voxtral-mini-tts-latest", "voxtral-mini-tts-2603"
# The official clients are extras a newcomer's `pip install -e .[bench]` does not bring: their tests skip naming them.
TEST_EXTRA = "the official client is in the test extra: pip install -e .[test]"
CLIENTS_EXTRA = "the official client is in the realtime-clients extra: pip install -e .[realtime-clients]"


def _quoted(provider: str) -> list[str]:
    return [passage["text"] for passage in passages(provider)]


def _speech_seconds(audio: bytes) -> float:
    clip = decode(audio)
    return float(np.sum(np.abs(np.asarray(clip.samples)) > 0.02)) / clip.sample_rate


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("fish", "mistral", "elevenlabs")) as running_sandbox:
        yield running_sandbox


# --- the declarations against the catalogue's quotes -----------------------------------------------------------


def test_fish_declares_each_model_of_its_pricing_table_at_the_quoted_price() -> None:
    family = providers()["fish"].family
    table = {
        m.group(1): Decimal(m.group(2))
        for text in _quoted("fish")
        if (m := re.fullmatch(r"\| `([^`]+)`\s*\| \$([\d.]+) / M UTF-8 bytes\s*\|", text))
    }
    assert set(FISH_CURRENT) <= set(table)
    sheet = builtin_sheets().sheet("fish")  # the prices' owner (harness/data/prices/fish.toml): bytes, per million
    assert sheet is not None and sheet.counting is Counting.UTF8_BYTES
    declared = {
        name: rate.amount * Decimal(1_000_000) / rate.per
        for name in table
        for rate in sheet.rates_for(name)
        if rate.unit is Unit.BYTES
    }
    assert {name: declared.get(name) for name in table} == table
    assert {m.name for m in family.models} >= set(table)
    assert family.syntheses[0].default_model == "s2.1-pro"  # "falls back to `s2.1-pro`"
    assert any("falls back to `s2.1-pro`" in text for text in _quoted("fish"))


def test_mistral_alias_is_the_model_cards_api_name_and_costs_what_its_model_costs() -> None:
    (names,) = [text for text in _quoted("mistral") if text.startswith("identifiers:")]
    assert f"'{MISTRAL_MODEL}'" in names and f"'{MISTRAL_ALIAS}'" in names
    assert any("price: 16.0" in text and "/M Chars" in text for text in _quoted("mistral"))
    provider = providers()["mistral"]
    text = SynthesisInput("A sentence of a known length, priced per character.")
    for suffix in ("", "-sync", "-ws"):
        alias, model = provider.offering(MISTRAL_ALIAS + suffix), provider.offering(MISTRAL_MODEL + suffix)
        alias_cost = provider.endpoint(alias.endpoint).price(alias.build(text))  # type: ignore[misc]
        model_cost = provider.endpoint(model.endpoint).price(model.build(text))  # type: ignore[misc]
        assert alias_cost is not None and alias_cost == model_cost, suffix
    sheet = builtin_sheets().sheet("mistral")
    assert sheet is not None
    assert {
        rate.amount * Decimal(1_000_000) / rate.per
        for m in provider.family.models
        if m.name.startswith((MISTRAL_ALIAS, MISTRAL_MODEL))
        for rate in sheet.rates_for(m.name)
    } == {Decimal("16")}


def _elevenlabs_quoted_voices() -> dict[str, str]:
    """voice_id → name, from the rows of the default voices page the catalogue quotes."""
    return {
        m.group(2): m.group(1)
        for text in _quoted("elevenlabs")
        if (m := re.match(r"\| (\w+)\s*\| ([A-Za-z0-9]{20}) \|", text))
    }


def test_elevenlabs_declares_the_quoted_default_voices() -> None:
    quoted = _elevenlabs_quoted_voices()
    declared = {v.name: v.extra.get("label") for v in providers()["elevenlabs"].family.voices}
    assert declared == quoted
    assert len(quoted) == 21 and quoted["21m00Tcm4TlvDq8ikWAM"] == "Rachel"


def test_the_providers_command_lists_the_additions() -> None:
    from typer.testing import CliRunner

    from harness.cli import app

    result = CliRunner().invoke(app, ["providers", "--json"])
    assert result.exit_code == 0, result.output
    listed = {item["name"]: item for item in json.loads(result.output)}
    models = {name: {m["name"] for m in listed[name]["models"]} for name in ("fish", "mistral")}
    assert {*FISH_CURRENT, *(f"{name}-live" for name in FISH_CURRENT)} <= models["fish"]
    assert {MISTRAL_ALIAS, f"{MISTRAL_ALIAS}-sync", f"{MISTRAL_ALIAS}-ws"} <= models["mistral"]
    voices = {v["name"]: v.get("label") for v in listed["elevenlabs"]["voices"]}
    assert voices == _elevenlabs_quoted_voices()
    text = CliRunner().invoke(app, ["providers"], env={"COLUMNS": "400"}).output
    assert "Xb7hH8MSUJpSbSDYk0k2 (Alice)" in text and MISTRAL_ALIAS in text


# --- the sandbox speaks them ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [*FISH_CURRENT, None])
def test_fish_speaks_the_current_models_and_a_request_without_one(sandbox: Any, model: str | None) -> None:
    headers = {"Authorization": f"Bearer {sandbox.default_key('fish')}"} | ({"model": model} if model else {})
    answer = httpx.post(
        sandbox.base_url("fish", "api") + "/v1/tts",
        headers=headers,
        timeout=30,
        json={"text": TEXT, "reference_id": FISH_VOICE, "format": "wav"},
    )
    assert answer.status_code == 200, answer.text
    assert _speech_seconds(answer.content) > 0.5


def test_fish_official_clients_default_model_and_pipecats_are_served_on_the_live_socket(sandbox: Any) -> None:
    """The official client's `stream_websocket` without a model sends its default, s2-pro; Pipecat's
    FishAudioTTSService sends s2.1-pro (it cannot be pointed at the sandbox, so its header is sent here)."""
    pytest.importorskip("fishaudio", reason=TEST_EXTRA)
    from fishaudio import FishAudio

    client = FishAudio(api_key=sandbox.default_key("fish"), base_url=sandbox.base_url("fish", "api"))
    for extra in ({}, {"model": "s2.1-pro"}):
        pcm = b"".join(client.tts.stream_websocket(iter([TEXT]), reference_id=FISH_VOICE, format="pcm", **extra))
        assert float(np.sum(np.abs(decode_raw(pcm, "pcm_s16le")) > 0.02)) / 44100 > 0.5, extra


def test_mistral_speaks_the_latest_alias_in_both_answer_forms(sandbox: Any) -> None:
    pytest.importorskip("mistralai", reason=TEST_EXTRA)
    from mistralai.client import Mistral

    client = Mistral(api_key=sandbox.default_key("mistral"), server_url=sandbox.base_url("mistral", "api"))
    answer = client.audio.speech.complete(
        input=TEXT, model=MISTRAL_ALIAS, voice_id="en_paul_neutral", response_format="wav"
    )
    assert _speech_seconds(base64.b64decode(answer.audio_data)) > 0.5
    audio = bytearray()
    with client.audio.speech.complete(
        input=TEXT, model=MISTRAL_ALIAS, voice_id="en_paul_neutral", response_format="wav", stream=True
    ) as events:
        for event in events:
            if event.event == "speech.audio.delta":
                audio += base64.b64decode(event.data.audio_data)
    assert _speech_seconds(bytes(audio)) > 0.5
    refused = httpx.post(
        sandbox.base_url("mistral", "api") + "/v1/audio/speech",
        timeout=30,
        headers={"Authorization": f"Bearer {sandbox.default_key('mistral')}"},
        json={"input": TEXT, "model": "voxtral-mini-tts-not-a-model"},
    )
    assert refused.status_code == 422  # the control: a name the card does not give is refused


async def _realtime_alias(base: str, key: str) -> tuple[bytes, str]:
    from mistralai.client import Mistral

    connection = await Mistral(api_key=key, server_url=base).audio.realtime_speech.connect(
        MISTRAL_ALIAS, voice_id="en_paul_neutral", response_format="mp3", server_url=base
    )
    audio, model = bytearray(), ""
    await connection.send_text(TEXT)
    await connection.flush()
    async for event in connection:
        if event.type == "session.updated":
            model = event.session.model
        if event.type == "speech.audio.delta":
            audio += base64.b64decode(event.audio_data)
        if event.type == "speech.audio.done":
            break
    await connection.end()
    await connection.close()
    return bytes(audio), model


def test_mistral_realtime_session_takes_the_latest_alias(sandbox: Any) -> None:
    pytest.importorskip("mistralai", reason=TEST_EXTRA)
    audio, model = asyncio.run(_realtime_alias(sandbox.base_url("mistral", "api"), sandbox.default_key("mistral")))
    assert model == MISTRAL_ALIAS  # the session names the model as asked: no stored answer says it resolves
    assert _speech_seconds(audio) > 0.5


def test_elevenlabs_speaks_every_quoted_default_voice_and_refuses_an_undeclared_one(sandbox: Any) -> None:
    base, key = sandbox.base_url("elevenlabs", "api"), sandbox.default_key("elevenlabs")
    with httpx.Client(base_url=base, headers={"xi-api-key": key}, timeout=30) as http:
        for voice_id, name in _elevenlabs_quoted_voices().items():
            answer = http.post(
                f"/v1/text-to-speech/{voice_id}",
                params={"output_format": "pcm_16000"},
                json={"text": "Hi.", "model_id": "eleven_flash_v2_5"},
            )
            assert answer.status_code == 200, (name, answer.text)
        # The control: an id not of the voice library's form (20 letters and digits; an open catalogue speaks any id
        # of the form, tests/sandbox/test_open_catalogues.py) gets the documented not-found answer.
        refused = http.post(
            "/v1/text-to-speech/Not-A-Declared-Voice", json={"text": TEXT, "model_id": "eleven_flash_v2_5"}
        )
        assert refused.status_code == 404 and refused.json()["detail"]["status"] == "voice_not_found"


def test_elevenlabs_official_client_speaks_a_default_voice_without_naming_a_model(sandbox: Any) -> None:
    """The official client sends no `model_id` unless given one: "Defaults to eleven_multilingual_v2"."""
    pytest.importorskip("elevenlabs", reason=CLIENTS_EXTRA)
    from elevenlabs.client import ElevenLabs

    client = ElevenLabs(api_key=sandbox.default_key("elevenlabs"), base_url=sandbox.base_url("elevenlabs", "api"))
    audio = b"".join(client.text_to_speech.convert("Xb7hH8MSUJpSbSDYk0k2", text=TEXT))  # Alice, a default voice
    assert _speech_seconds(audio) > 0.5
