"""Catalogues current (issue 53 item 3), for neuphonic, rime, sarvam, smallest, together, xai, dashscope and fish: the
models, aliases and voices the stored references (read again 2026-11-25), the official clients and the frameworks'
integrations name beyond what the declarations held are spoken by the sandbox — names the documents list plainly
(a model beyond the offerings as a known model: `SpeechService.known_models`), names only clients send with a finding
naming them and their evidence, a voice id in another case as a value variant — while a name no evidence gives still
gets the provider's documented refusal (the control of each case). The sockets: tests/sandbox/test_known_models.py."""

from __future__ import annotations

import asyncio
import base64
import json
import typing
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from harness.contracts.speech_checks import SpeechTarget
from harness.core.evidence import EvidenceSource
from harness.core.protocols.http_speech import SpeechService, model_of
from harness.core.registry import providers
from harness.sandbox import Sandbox, running
from harness.speech import decode_raw

PROVIDERS = ("neuphonic", "rime", "sarvam", "smallest", "together", "xai", "dashscope", "fish")
TEST_EXTRA = "the official client is in the test extra: pip install -e .[test]"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with running(profile="fast", providers=PROVIDERS) as running_sandbox:
        yield running_sandbox


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30.0, trust_env=False) as client:
        yield client


def _target(sandbox: Sandbox, name: str) -> SpeechTarget:
    provider = providers()[name]
    return SpeechTarget(
        provider, {host: sandbox.base_url(name, host) for host in provider.hosts}, sandbox.default_key(name)
    )


def _speak(
    http: httpx.Client, sandbox: Sandbox, name: str, *, voice: str | None = None, model: str | None = None
) -> httpx.Response:
    """One request of the provider's first synthesis that names its models, the voice and model slots set as asked."""
    target = _target(sandbox, name)
    synthesis = next(
        s
        for s in target.service.syntheses
        if s.slots.voice is not None and any(m.synthesis == s.endpoint.key for m in target.service.models)
    )
    at: dict[str, Any] = {}
    if voice is not None:
        assert synthesis.slots.voice is not None
        at[synthesis.slots.voice] = voice
    if model is not None:
        assert synthesis.slots.model is not None
        at[synthesis.slots.model] = model
    return target.send(http, target.request(synthesis, at=at))


def _findings(http: httpx.Client, sandbox: Sandbox, provider: str) -> list[str]:
    return [f["finding"] for f in http.get(sandbox.url + "/_sandbox/findings").json() if f["provider"] == provider]


def _spoken(answer: httpx.Response) -> None:
    assert answer.status_code == 200, answer.text
    assert len(answer.content) > 1000


def _refused(answer: httpx.Response, name: str) -> None:
    refusals = providers()[name].family.refusals
    expected = {r.status for r in (refusals.unknown_voice, refusals.unknown_model, refusals.invalid) if r}
    assert answer.status_code in expected, answer.text


# --- Sarvam -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("speaker", "model"),
    [
        ("neha", "bulbul:v3"),
        ("rupali", "bulbul:v3"),
        ("amelia", "bulbul:v3"),
        ("shubh_en_narration_gentle", "bulbul:v4-flash"),
        ("ritu_hi_kids", "bulbul:v4-flash"),
    ],
)
def test_sarvam_speaks_the_listed_speakers_of_each_model(
    sandbox: Sandbox, http: httpx.Client, speaker: str, model: str
) -> None:
    _spoken(_speak(http, sandbox, "sarvam", voice=speaker, model=model))
    assert not any(repr(speaker) in f for f in _findings(http, sandbox, "sarvam"))  # listed: no finding


def test_sarvam_refuses_a_speaker_no_list_names_and_one_of_another_model(sandbox: Sandbox, http: httpx.Client) -> None:
    unknown = _speak(http, sandbox, "sarvam", voice="nosuchspeaker", model="bulbul:v3")
    assert unknown.status_code == 400 and "Speaker not compatible with the model" in unknown.text
    other_model = _speak(http, sandbox, "sarvam", voice="neha", model="bulbul:v2")  # a v3 speaker on v2
    assert other_model.status_code == 400 and "not a voice of bulbul:v2" in other_model.text


def test_sarvam_speaks_bulbul_v3_beta_like_v3_with_a_finding_naming_its_clients(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    _spoken(_speak(http, sandbox, "sarvam", voice="shubh", model="bulbul:v3-beta"))
    found = [f for f in _findings(http, sandbox, "sarvam") if "'bulbul:v3-beta'" in f]
    assert found and "spoken like 'bulbul:v3', priced as it" in found[0]
    assert "livekit-plugins-sarvam==1.8.9" in found[0] and "pipecat-ai==1.14.0" in found[0]
    beta = model_of(_service("sarvam"), _service("sarvam").syntheses[0], {"model": "bulbul:v3-beta"})
    assert beta is not None and beta.name == "bulbul:v3" and beta.sets["/model"] == "bulbul:v3-beta"  # an alias
    assert _speak(http, sandbox, "sarvam", voice="anushka", model="bulbul:v3-beta").status_code == 400  # v2's speaker
    refused = _speak(http, sandbox, "sarvam", voice="shubh", model="bulbul:v9")  # the control
    assert refused.status_code == 400 and "bulbul:v9" in refused.text


def test_sarvam_speakers_are_the_official_clients_list() -> None:
    """The declaration's speakers are exactly sarvamai's TextToSpeechSpeaker (generated from Sarvam's API definition)
    plus the two Pipecat names; the persona voices are v4-flash's, the plain names v2's and v3's."""
    speaker_type = pytest.importorskip("sarvamai.types.text_to_speech_speaker", reason=TEST_EXTRA).TextToSpeechSpeaker
    sdk = set(typing.get_args(typing.get_args(speaker_type)[0]))
    declared = {v.name: v.models for v in providers()["sarvam"].family.voices}
    assert set(declared) == sdk | {"amelia", "sophia"}
    assert all(declared[name] == ("bulbul:v4-flash",) for name in sdk if "_" in name)
    assert declared["shubh"] == ("bulbul:v3",) and declared["anushka"] == ("bulbul:v2",)


# --- Rime -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("speaker", "model"),
    [("astra", "arcana"), ("astra", "arcanav3"), ("celeste", "arcanav3"), ("orion", "coda"), ("cove", "mistv3")],
)
def test_rime_speaks_the_current_models_and_the_clients_default_speakers(
    sandbox: Sandbox, http: httpx.Client, speaker: str, model: str
) -> None:
    _spoken(_speak(http, sandbox, "rime", voice=speaker, model=model))


def test_rime_refuses_a_speaker_no_reference_names_and_a_mist_voice_on_coda(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    _refused(_speak(http, sandbox, "rime", voice="luna", model="arcana"), "rime")
    _refused(_speak(http, sandbox, "rime", voice="cove", model="coda"), "rime")
    _refused(_speak(http, sandbox, "rime", voice="cove", model="arcanav3"), "rime")  # spoken like arcana: its voices
    _refused(_speak(http, sandbox, "rime", voice="astra", model="arcanav9"), "rime")


# --- Together ---------------------------------------------------------------------------------------------------------


def test_together_speaks_kokoro_af_heart_and_af_bella_over_http(sandbox: Sandbox, http: httpx.Client) -> None:
    for voice in ("af_heart", "af_bella"):
        _spoken(_speak(http, sandbox, "together", voice=voice, model="hexgrad/Kokoro-82M"))
    _refused(_speak(http, sandbox, "together", voice="af_heart", model="canopylabs/orpheus-3b-0.1-ft"), "together")
    _refused(_speak(http, sandbox, "together", voice="af_nosuch", model="hexgrad/Kokoro-82M"), "together")


async def _together_socket(base: str, key: str, voice: str) -> tuple[bytes, list[dict[str, Any]]]:
    from websockets.asyncio.client import connect

    url = (
        base.replace("http://", "ws://") + "/v1/audio/speech/websocket?model=hexgrad/Kokoro-82M"
        f"&voice={voice}&response_format=pcm"
    )
    audio, messages = b"", []
    async with connect(url, additional_headers={"Authorization": f"Bearer {key}"}) as socket:
        async for frame in socket:
            message = json.loads(frame)
            messages.append(message)
            if message["type"] == "session.created":
                await socket.send(json.dumps({"type": "input_text_buffer.append", "text": "Hello from Kokoro."}))
                await socket.send(json.dumps({"type": "input_text_buffer.commit"}))
            elif message["type"] == "conversation.item.audio_output.delta":
                audio += base64.b64decode(message["delta"])
            elif message["type"] in ("conversation.item.audio_output.done", "conversation.item.tts.failed"):
                break
    return audio, messages


def test_together_socket_speaks_pipecats_default_model_and_voice(sandbox: Sandbox) -> None:
    """Pipecat's TogetherTTSService (1.14.0) opens the socket with `model=hexgrad/Kokoro-82M`, `voice=af_heart`."""
    base, key = sandbox.base_url("together", "api"), sandbox.default_key("together")
    audio, _ = asyncio.run(_together_socket(base, key, "af_heart"))
    assert len(decode_raw(audio, "pcm_s16le")) / 24000 > 0.5
    audio, messages = asyncio.run(_together_socket(base, key, "af_nosuch"))  # the control: the socket's refusal
    assert not audio and messages[-1]["type"] == "conversation.item.tts.failed"
    assert "Voice not supported by this model: af_nosuch" in messages[-1]["error"]["message"]


# --- xAI --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("voice", ["Eve", "ARA", "Sal"])
def test_xai_takes_a_voice_id_in_title_or_upper_case_with_a_finding(
    sandbox: Sandbox, http: httpx.Client, voice: str
) -> None:
    _spoken(_speak(http, sandbox, "xai", voice=voice))
    found = [f for f in _findings(http, sandbox, "xai") if repr(voice) in f]
    assert found and f"taken as {voice.lower()!r}" in found[0] and "as the reference says" in found[0]


def test_xai_speaks_the_voices_its_clients_offer_and_refuses_an_unknown_one(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    for voice in ("luna", "orion", "aurora"):
        _spoken(_speak(http, sandbox, "xai", voice=voice))
    refused = _speak(http, sandbox, "xai", voice="una")
    assert refused.status_code == 400 and "Unknown voice_id: una" in refused.text


# --- DashScope --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("snapshot", ["qwen3-tts-flash-2025-11-27", "qwen3-tts-flash-2025-09-18"])
def test_dashscope_speaks_qwen3_tts_flash_snapshots_as_the_model(
    sandbox: Sandbox, http: httpx.Client, snapshot: str
) -> None:
    """A dated snapshot the model page lists: spoken as listed (no finding), priced as qwen3-tts-flash."""
    _spoken(_speak(http, sandbox, "dashscope", model=snapshot))
    assert not [f for f in _findings(http, sandbox, "dashscope") if repr(snapshot) in f]
    service = _service("dashscope")
    alias = model_of(service, service.syntheses[0], {"model": snapshot})
    assert alias is not None and alias.name == "qwen3-tts-flash" and alias.sets["/model"] == snapshot


def test_dashscope_speaks_the_demo_voices_and_refuses_what_no_evidence_names(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    for voice in ("Vivian", "Nofish", "Sunny"):
        _spoken(_speak(http, sandbox, "dashscope", voice=voice))
    unknown_model = _speak(http, sandbox, "dashscope", model="qwen-tts")  # another model: not taken as this one
    assert unknown_model.status_code == 400 and "Model not exist: qwen-tts" in unknown_model.text
    assert "Invalid voice" in _speak(http, sandbox, "dashscope", voice="Nobody").text


# --- Smallest ---------------------------------------------------------------------------------------------------------


def test_smallest_speaks_the_clients_default_voices_as_listed(sandbox: Sandbox, http: httpx.Client) -> None:
    for voice in ("sophia", "meher"):
        _spoken(_speak(http, sandbox, "smallest", voice=voice))
        assert not any(repr(voice) in f for f in _findings(http, sandbox, "smallest"))


def test_smallest_speaks_the_pro_preview_checkpoint_like_pro_and_refuses_an_unknown_model(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    _spoken(_speak(http, sandbox, "smallest", model="lightning_v3.1_pro_10_26"))
    found = [f for f in _findings(http, sandbox, "smallest") if "'lightning_v3.1_pro_10_26'" in f]
    assert found and "spoken like 'lightning_v3.1_pro', priced as it" in found[0] and "jambonz" in found[0]
    refused = _speak(http, sandbox, "smallest", model="lightning_v9")
    assert refused.status_code == 400 and "lightning_v9" in refused.text


# --- Fish Audio -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["drama-3", "s1-mini", "agent-x0"])
def test_fish_speaks_the_clients_model_names_by_the_documented_fallback(
    sandbox: Sandbox, http: httpx.Client, model: str
) -> None:
    _spoken(_speak(http, sandbox, "fish", model=model))
    assert any(repr(model) in f and "spoken as s2.1-pro" in f for f in _findings(http, sandbox, "fish"))


# --- Neuphonic --------------------------------------------------------------------------------------------------------


def test_neuphonic_speaks_hannah_listed_and_any_uuid_with_a_finding(sandbox: Sandbox, http: httpx.Client) -> None:
    hannah, clone = "eeb488b8-d532-4235-aa57-f070cfc44750", "0c7a7f7e-1b2c-4d5e-8f90-123456789abc"
    _spoken(_speak(http, sandbox, "neuphonic", voice=hannah))
    _spoken(_speak(http, sandbox, "neuphonic", voice=clone))
    findings = _findings(http, sandbox, "neuphonic")
    assert not any(repr(hannah) in f for f in findings) and any(repr(clone) in f for f in findings)
    refused = _speak(http, sandbox, "neuphonic", voice="no-such-voice-7f3a")  # not a UUID: the documented refusal
    assert refused.status_code == 400 and "Voice not found" in refused.text


def test_every_known_model_quotes_its_source_and_client_evidence_names_its_client() -> None:
    """The known models of this pass quote their source with the read date; those resting on clients name each client
    (a version or a page), as `source: client` asks. A model name is no value variant (one owner per rule)."""
    for name in ("sarvam", "smallest", "dashscope", "rime"):
        service = _service(name)
        assert service.known_models and not [v for v in service.value_variants if v.at == "/model"]
        for known in service.known_models:
            assert "2026-11-25" in known.words, (name, known.name)
            for evidence in known.evidence:
                assert evidence.source is EvidenceSource.DOCS or evidence.library, (name, known.name)


def _service(name: str) -> SpeechService:
    family = providers()[name].family
    assert isinstance(family, SpeechService)
    return family
