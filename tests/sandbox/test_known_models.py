"""Catalogues current (issue 53 item 3): the models, aliases and voices the stored references list, and the defaults the
official clients and the frameworks' integrations send, beyond what a declaration offers the benchmark
(`SpeechService.known_models`, `harness.core.protocols.catalogues.KnownModel`; new `Voice`s). Each name here was
refused by the sandbox before (a false verdict: the provider takes it); now it is spoken, by the HTTP synthesis and by
the socket alike, while a model no reference or client names still gets the provider's documented refusal. Every
known model quotes its source with the read date and names its evidence (`source: sdk`, `source: client` with the
package and version)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import httpx
import pytest

from harness.contracts.speech_checks import SpeechTarget
from harness.core.evidence import EvidenceSource
from harness.core.protocols.catalogues import known_finding
from harness.core.protocols.http_speech import Model, SpeechService, Synthesis, model_of, served_models
from harness.core.protocols.realtime_grammar import Kind, Session, Utterance
from harness.core.protocols.realtime_session import listener, reader, run_session
from harness.core.protocols.websocket_speech import socket_of
from harness.core.registry import providers
from harness.runner.deliver.socket_speech import Frames, read_frames
from harness.sandbox import Sandbox, running
from tests.helpers.minimax_socket import minimax_socket_events

TEXT = "Hello from the sandbox."
# The built-ins this pass covered (issue 53 item 3, catalogues-a).
COVERED = (
    "openai",
    "elevenlabs",
    "cartesia",
    "deepgram",
    "google",
    "azure",
    "polly",
    "gemini",
    "groq",
    "inworld",
    "lmnt",
    "minimax",
    "mistral",
)
# Names each a reference lists, or a client sends by default, that the sandbox refused before this pass.
NEW_MODELS = {
    "openai": ("gpt-4o-mini-tts-2025-12-15", "gpt-4o-mini-tts-2025-03-20"),
    "elevenlabs": ("eleven_v3", "eleven_flash_v2", "eleven_turbo_v2", "eleven_v3_conversational", "eleven_v4"),
    "cartesia": ("sonic-3.5", "sonic-3-2025-10-27", "sonic-latest", "sonic-3.6"),  # sonic-3.6: Pipecat's default
    "deepgram": ("aura-2-helena-en", "aura-2-celeste-es", "aura-2-titan-en"),  # helena: Pipecat's default
    "gemini": ("gemini-3.1-flash-tts-preview", "gemini-2.5-pro-preview-tts"),  # 3.1: Pipecat's default
    "groq": ("canopylabs/orpheus-arabic-saudi", "playai-tts-arabic"),
    "inworld": ("inworld-tts-2", "inworld-tts-1-max", "inworld-tts-1"),  # inworld-tts-2: Pipecat's default
    "lmnt": ("aurora",),
    "minimax": ("speech-2.5-hd-preview", "speech-01-hd"),
}
NEW_VOICES = {
    "azure": ("en-US-SaraNeural", "en-GB-SoniaNeural"),  # Sara: Pipecat's default
    "groq": ("diana", "troy"),
    "mistral": ("voice_592", "voice_3143"),  # voice_592: micdrop's default
    "gemini": ("Achernar", "Zubenelgenubi"),
    "google": ("en-US-Chirp3-HD-Puck", "en-US-Chirp3-HD-Aoede"),
}
NO_SUCH_MODEL = "no-such-model-2099"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    served = tuple(sorted({*NEW_MODELS, *NEW_VOICES, "polly", "google"}))
    with running(profile="fast", providers=served) as running_sandbox:
        yield running_sandbox


def _target(sandbox: Sandbox, name: str) -> SpeechTarget:
    provider = providers()[name]
    return SpeechTarget(
        provider, {host: sandbox.base_url(name, host) for host in provider.hosts}, sandbox.default_key(name)
    )


def _service(name: str) -> SpeechService:
    family = providers()[name].family
    assert isinstance(family, SpeechService)
    return family


def _synthesis_speaking(service: SpeechService, like: str) -> tuple[Synthesis, Model]:
    """A synthesis whose declared models include the one `like` names (by the name it sends), and that model."""
    for synthesis in service.syntheses:
        slot = synthesis.slots.model
        found = next(
            (m for m in served_models(service, synthesis) if slot is not None and m.sets.get(slot, m.name) == like),
            None,
        )
        if found is not None:
            return synthesis, found
    raise AssertionError(f"no synthesis of {service.name} speaks {like}")


def _audio_ok(answer: httpx.Response) -> None:
    assert answer.status_code == 200, answer.text[:300]
    assert len(answer.content) > 1000


@pytest.mark.parametrize(("name", "model"), [(n, m) for n, ms in NEW_MODELS.items() for m in ms])
def test_a_model_the_references_or_clients_name_is_spoken(
    sandbox: Sandbox, client: httpx.Client, name: str, model: str
) -> None:
    service = _service(name)
    known = next(k for k in service.known_models if k.name == model)
    assert all(m.name != model for m in service.models)  # no new offering: the market is unchanged
    synthesis, like = _synthesis_speaking(service, known.like)
    assert synthesis.slots.model is not None
    at = {synthesis.slots.model: model}
    if synthesis.slots.voice is not None:  # a voice of the model it is spoken like, as a client of that model sends
        at[synthesis.slots.voice] = like.voice
    target = _target(sandbox, name)
    _audio_ok(target.send(client, target.request(synthesis, at=at)))


@pytest.mark.parametrize("name", sorted(NEW_MODELS))
def test_a_model_nobody_names_is_still_refused(sandbox: Sandbox, client: httpx.Client, name: str) -> None:
    service = _service(name)
    synthesis, _ = _synthesis_speaking(service, service.known_models[0].like)
    assert synthesis.slots.model is not None
    target = _target(sandbox, name)
    answer = target.send(client, target.request(synthesis, at={synthesis.slots.model: NO_SUCH_MODEL}))
    refusal = service.refusals.unknown_model
    # the documented not-found answer where one is declared, else the request's own validation (an enumerated model)
    assert answer.status_code == (refusal.status if refusal is not None else service.refusals.invalid.status)
    assert answer.status_code >= 400


@pytest.mark.parametrize(("name", "voice"), [(n, v) for n, vs in NEW_VOICES.items() for v in vs])
def test_a_voice_the_references_or_clients_name_is_spoken(
    sandbox: Sandbox, client: httpx.Client, name: str, voice: str
) -> None:
    service = _service(name)
    declared = service.voice(voice)
    assert declared is not None
    model = next(m for m in service.models if not declared.models or m.name in declared.models)
    synthesis = service.synthesis(model.synthesis)
    assert synthesis.slots.voice is not None
    at = {synthesis.slots.voice: voice, **model.sets}
    if synthesis.slots.model is not None:
        at[synthesis.slots.model] = model.sets.get(synthesis.slots.model, model.name)
    target = _target(sandbox, name)
    _audio_ok(target.send(client, target.request(synthesis, at=at)))


def test_every_voice_of_polly_s_service_model_is_spoken_and_a_name_outside_it_refused(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    """Polly's VoiceId enum (the service model botocore ships) lists 116 voices; the declaration details seven and
    refused the rest ("Amy"), though its own request model took them."""
    service = _service("polly")
    model = service.models[0]
    synthesis = service.synthesis(model.synthesis)
    assert synthesis.slots.voice is not None
    target = _target(sandbox, "polly")
    assert service.voice("Amy") is None
    _audio_ok(target.send(client, target.request(synthesis, at={synthesis.slots.voice: "Amy", **model.sets})))
    findings = [f for f in client.get(sandbox.url + "/_sandbox/findings").json() if f["provider"] == "polly"]
    assert any("'Amy'" in f["finding"] for f in findings)
    refused = target.send(client, target.request(synthesis, at={synthesis.slots.voice: "Amyx", **model.sets}))
    assert refused.status_code >= 400


def test_a_known_model_speaks_the_voices_of_the_model_it_is_spoken_like(sandbox: Sandbox, client: httpx.Client) -> None:
    service = _service("groq")
    synthesis = service.syntheses[0]
    assert synthesis.slots.model is not None and synthesis.slots.voice is not None
    target = _target(sandbox, "groq")
    for model, voice in (("canopylabs/orpheus-arabic-saudi", "fahad"), ("playai-tts-arabic", "Arista-PlayAI")):
        _audio_ok(
            target.send(
                client, target.request(synthesis, at={synthesis.slots.model: model, synthesis.slots.voice: voice})
            )
        )
    # a voice of another model stays refused, as before
    refused = target.send(
        client, target.request(synthesis, at={synthesis.slots.model: "playai-tts", synthesis.slots.voice: "fahad"})
    )
    assert refused.status_code == service.refusals.unknown_voice.status


def test_an_alias_is_priced_as_its_model_and_another_model_is_unpriced() -> None:
    openai, cartesia = _service("openai"), _service("cartesia")
    sse = openai.synthesis("audio.speech.sse")
    alias = model_of(openai, sse, {"model": "gpt-4o-mini-tts-2025-12-15"})
    assert alias is not None and alias.name == "gpt-4o-mini-tts"
    assert alias.sets["/model"] == "gpt-4o-mini-tts-2025-12-15"
    newer = model_of(cartesia, cartesia.syntheses[0], {"model_id": "sonic-3.5"})
    assert newer is not None and newer.name == "sonic-3.5" and newer.usd_per_million_chars is None


def test_every_known_model_quotes_its_source_with_the_read_date_and_names_its_evidence() -> None:
    for name in COVERED:
        for known in _service(name).known_models:
            assert re.search(r"read 2026-\d\d-\d\d", known.words), (name, known.name)
            for evidence in known.evidence:
                if evidence.source is not EvidenceSource.DOCS:
                    assert "==" in evidence.library, (name, known.name, evidence)


def test_a_socket_speaks_a_known_model(client: httpx.Client) -> None:
    """MiniMax's socket served the offerings' names only: speech-01-hd, in the reference's enum, got task_failed."""
    with running(profile="fast", providers=("minimax",)) as sandbox:
        spoken = asyncio.run(minimax_socket_events(sandbox, "speech-01-hd"))
        refused = asyncio.run(minimax_socket_events(sandbox, NO_SUCH_MODEL))
    assert spoken[:2] == ["connected_success", "task_started"] and "audio" in spoken and spoken[-1] == "task_finished"
    assert refused[-1] == "task_failed"


def test_a_like_table_keeps_the_known_models_of_the_models_it_declares() -> None:
    """A providers file's `like = "elevenlabs"` of one model keeps the known names spoken like that model and drops
    the rest (they would be spoken like a model the server does not have)."""
    from pathlib import Path

    from harness.core import declared
    from harness.core.protocols.http_speech import service_of

    table = (
        '[providers.eleven]\nlike = "elevenlabs"\nbase_url = "https://api.elevenlabs.io"\n'
        'key_env = "ELEVEN_PROXY_KEY"\nmodels = ["eleven_flash_v2_5"]\n'
    )
    (provider,) = declared.parse(table, Path("tts-harness.toml")).providers()
    assert [k.name for k in service_of(provider).known_models] == ["eleven_flash_v2"]


def test_google_speaks_gemini_tts_voices_by_model_name(sandbox: Sandbox, client: httpx.Client) -> None:
    """Gemini-TTS on Cloud Text-to-Speech: `voice.modelName` and a speaker without a locale ("Kore"), over REST and
    over StreamingSynthesize, as Pipecat's GeminiTTSService sends it through the official client."""
    service = _service("google")
    synthesis = service.syntheses[0]
    target = _target(sandbox, "google")
    request = target.request(
        synthesis,
        at={"/voice/name": "Kore", "/voice/languageCode": "en-US", "/voice/modelName": "gemini-2.5-flash-tts"},
    )
    _audio_ok(target.send(client, request))
    texttospeech = pytest.importorskip("google.cloud.texttospeech", reason="the official client is a test extra")
    grpc = pytest.importorskip("grpc", reason="the official client is a test extra")
    from google.cloud.texttospeech_v1.services.text_to_speech.transports.grpc import TextToSpeechGrpcTransport

    with running(profile="fast", providers=("google",)) as plain:
        tts = texttospeech.TextToSpeechClient(
            transport=TextToSpeechGrpcTransport(channel=grpc.insecure_channel(plain.grpc_target))
        )
        voice = texttospeech.VoiceSelectionParams(
            language_code="en-US", name="Kore", model_name="gemini-3.1-flash-tts-preview"
        )
        config = texttospeech.StreamingSynthesizeConfig(
            voice=voice,
            streaming_audio_config=texttospeech.StreamingAudioConfig(
                audio_encoding=texttospeech.AudioEncoding.PCM, sample_rate_hertz=24000
            ),
        )

        def requests() -> Iterator[object]:
            yield texttospeech.StreamingSynthesizeRequest(streaming_config=config)
            yield texttospeech.StreamingSynthesizeRequest(input=texttospeech.StreamingSynthesisInput(text=TEXT))

        answers = list(tts.streaming_synthesize(requests(), metadata=[("x-goog-api-key", plain.default_key("google"))]))
    assert sum(len(answer.audio_content) for answer in answers) > 1000


# --- the sockets: a known model is spoken on every socket that serves the model it is spoken like -------------------

# (provider, socket key, model name, voice): the names a provider takes beyond its offerings, each refused on its socket
# before (the sockets served the offerings' names only, and a value variant of the HTTP body was no socket's).
SOCKET_NAMES = (
    ("sarvam", "text_to_speech_streaming.connect", "bulbul:v3-beta", "shubh"),  # LiveKit's, Pipecat's (client)
    ("smallest", "tts.live", "lightning_v3.1_pro_10_26", "meher"),  # jambonz's Pro preview checkpoint (client)
    ("dashscope", "qwen_tts.realtime", "qwen3-tts-flash-realtime-2025-11-27", "Cherry"),  # the realtime guide's
    ("dashscope", "qwen_tts.realtime", "qwen3-tts-flash-realtime-2025-09-18", "Cherry"),  # snapshots
    ("rime", "ws3", "arcanav3", "celeste"),  # the models page's five models in production
    ("rime", "ws3", "mistv3", "cove"),
    ("rime", "ws", "arcanav3", "astra"),
    ("rime", "ws", "mistv3", "cove"),
)


@pytest.fixture(scope="module")
def socket_sandbox() -> Iterator[Sandbox]:
    with running(profile="fast", providers=tuple(sorted({name for name, *_ in SOCKET_NAMES}))) as running_sandbox:
        yield running_sandbox


def _say(
    sandbox: Sandbox, name: str, socket: str, model: str, voice: str, key: str | None = None
) -> tuple[Frames, Session]:
    """One utterance over the provider's socket, as the harness's own client says it (the bench's way)."""
    provider = providers()[name]
    channel = provider.channel(socket)
    grammar = channel.grammar
    key = key or sandbox.default_key(name)
    utterance = Utterance(chunks=(TEXT,), voice=voice, model=model, audio_format=socket_of(channel).formats[0].name)
    opening = grammar.opening(utterance)
    url = channel.url(sandbox.base_url(name, channel.host), opening.path_params, opening.query)
    in_message = grammar.key_in_message
    headers = {**({} if in_message else {provider.auth.header: provider.auth.header_value(key)}), **opening.headers}
    complete = reader(grammar, lambda events: grammar.complete(events, opening))
    session = asyncio.run(
        run_session(
            url,
            headers,
            opening.messages,
            complete=complete,
            closing=opening.closing,
            client_closes=opening.client_closes,
            idle_timeout_s=10,
            heard=listener(grammar),
            key=key if in_message else "",
        )
    )
    return read_frames(channel, session), session


def _socket_spoke(frames: Frames) -> bool:
    return any(e.kind is Kind.AUDIO and e.audio for e in frames.events) and not any(
        e.kind is Kind.ERROR for e in frames.events
    )


def _socket_refused(frames: Frames, session: Session) -> bool:
    """No audio, and the socket's documented refusal: an error message, an error close, or the upgrade refused."""
    errored = any(e.kind is Kind.ERROR for e in frames.events)
    closed = session.closing is not None and (session.closing.code or 0) >= 1008
    return not any(e.audio for e in frames.events) and (errored or closed or (session.handshake_status or 0) >= 400)


@pytest.mark.parametrize(("name", "socket", "model", "voice"), SOCKET_NAMES)
def test_a_known_model_is_spoken_on_the_socket_and_a_model_nobody_names_refused(
    socket_sandbox: Sandbox, name: str, socket: str, model: str, voice: str
) -> None:
    assert any(k.name == model for k in _service(name).known_models)
    frames, _ = _say(socket_sandbox, name, socket, model, voice)
    assert _socket_spoke(frames), frames.events
    assert _socket_refused(*_say(socket_sandbox, name, socket, NO_SUCH_MODEL, voice))  # the control


def test_a_socket_s_own_names_stay_on_that_socket(socket_sandbox: Sandbox, client: httpx.Client) -> None:
    """DashScope's realtime snapshots are the realtime socket's names, its HTTP snapshots the SSE synthesis': neither
    is taken where the other is (each answer the provider's 'Model not exist')."""
    frames, session = _say(socket_sandbox, "dashscope", "qwen_tts.realtime", "qwen3-tts-flash-2025-11-27", "Cherry")
    assert _socket_refused(frames, session)
    service = _service("dashscope")
    target = _target(socket_sandbox, "dashscope")
    synthesis = service.syntheses[0]
    refused = target.send(client, target.request(synthesis, at={"/model": "qwen3-tts-flash-realtime-2025-11-27"}))
    assert refused.status_code == 400 and "Model not exist" in refused.text
    _audio_ok(target.send(client, target.request(synthesis, at={"/model": "qwen3-tts-flash-2025-11-27"})))


def test_an_alias_on_a_socket_is_priced_as_its_model(socket_sandbox: Sandbox, client: httpx.Client) -> None:
    """A realtime snapshot costs what qwen3-tts-flash-realtime costs: a wallet that cannot pay for the text is refused
    for it as for the stable name (an unpriced name would be spoken free)."""
    poor, rich = "sk-known-models-nearly-empty", "sk-known-models-funded"
    for key, balance in ((poor, "0.000001"), (rich, "1")):
        added = client.post(
            socket_sandbox.url + "/_sandbox/keys", json={"provider": "dashscope", "key": key, "balance": balance}
        )
        assert added.status_code == 201, added.text
    quota = _service("dashscope").refusals.quota.code
    for model in ("qwen3-tts-flash-realtime", "qwen3-tts-flash-realtime-2025-11-27"):
        assert _socket_spoke(_say(socket_sandbox, "dashscope", "qwen_tts.realtime", model, "Cherry", key=rich)[0])
        frames, _ = _say(socket_sandbox, "dashscope", "qwen_tts.realtime", model, "Cherry", key=poor)
        assert [e.code for e in frames.events if e.kind is Kind.ERROR] == [quota], (model, frames.events)


def test_a_name_only_clients_send_is_spoken_with_a_finding_and_a_listed_one_without(
    socket_sandbox: Sandbox, client: httpx.Client
) -> None:
    """The finding names the clients where no document lists the name (Sarvam's bulbul:v3-beta, source: client), on
    the socket as over HTTP; a name the documents list (Rime's arcanav3) is spoken as listed, no finding."""
    assert known_finding(next(k for k in _service("rime").known_models if k.name == "arcanav3")) is None
    _say(socket_sandbox, "sarvam", "text_to_speech_streaming.connect", "bulbul:v3-beta", "shubh")
    _say(socket_sandbox, "rime", "ws3", "arcanav3", "celeste")
    findings = client.get(socket_sandbox.url + "/_sandbox/findings").json()
    sarvam = [f for f in findings if f["provider"] == "sarvam" and "'bulbul:v3-beta'" in f["finding"]]
    assert (
        sarvam
        and sarvam[0]["endpoint"].startswith("WS ")
        and "livekit-plugins-sarvam==1.8.9" in sarvam[0]["finding"]
        and "spoken like 'bulbul:v3', priced as it" in sarvam[0]["finding"]
    )
    assert not [f for f in findings if f["provider"] == "rime" and "arcanav3" in f["finding"]]


def test_a_socket_s_known_model_names_a_socket_and_a_name_it_serves() -> None:
    """A typo in a socket-only known model (its socket, or the socket's name of the model) stops the declaration at
    import, as a known model spoken like an undeclared model does."""
    from dataclasses import replace

    from harness.core.protocols.catalogues import KnownModel
    from harness.core.protocols.websocket_speech import with_sockets
    from harness.providers.dashscope.declaration import SERVICE
    from harness.providers.dashscope.sockets import REALTIME, SOCKETS

    for wrong in (
        KnownModel(name="x-2099", like="qwen3-tts-flash-realtime", words="words", socket="no-such-socket"),
        KnownModel(name="x-2099", like="qwen3-tts-flash", words="words", socket=REALTIME.key),
    ):  # the HTTP name, not its
        with pytest.raises(ValueError, match="x-2099"):
            with_sockets(replace(SERVICE, known_models=(*SERVICE.known_models, wrong)), SOCKETS)
    with pytest.raises(ValueError, match="x-2099"):  # an HTTP known model still names a model an HTTP request sends
        replace(SERVICE, known_models=(KnownModel(name="x-2099", like="qwen3-tts-flash-realtime", words="words"),))
