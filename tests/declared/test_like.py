"""`like = "<built-in>"`: a providers-file table that starts from a built-in family provider and names what differs
(base_url, key, models, voices, formats, prices, limits). The built-in's declaration is copied, so the sandbox
imitates the new provider, the contract plans check it and the benchmark drives it with no code of its own; a
mistake is one line naming the file and the key."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import pytest

from harness.core import declared, installed
from harness.core.errors import RequestValidationError, UsageError
from harness.core.params import params_of
from harness.core.protocols.http_speech import SpeechService, service_of
from harness.core.protocols.websocket_speech import socket_of
from harness.core.spec import SynthesisInput
from harness.core.validate import check_request
from tests.helpers.providers_file import one_line_refusal as _one_line
from tests.helpers.providers_file import parse_tables as _parse
from tests.helpers.providers_file import providers_file_in_effect

FILE = Path("tts-harness.toml")


GROQ_LIKE = """
[providers.gateway]
like = "groq"
base_url = "https://speech-gateway.example/x"
key_env = "GATEWAY_SPEECH_KEY"
models = ["house-tts", "playai-tts"]
voices = ["ada", "Fritz-PlayAI"]
formats = ["wav", "mp3"]
price_per_million_chars = 3
model_prices = { house-tts = 2 }
max_input_chars = 8000
"""


def test_like_copies_the_builtin_and_applies_each_override() -> None:
    (provider,) = _parse(GROQ_LIKE)
    groq = installed.builtin("groq")
    service = service_of(provider)
    assert provider.name == "gateway" and provider.key_env == "GATEWAY_SPEECH_KEY"
    assert provider.hosts == {"api": "https://speech-gateway.example/x"}
    assert [e.signature for e in provider.endpoints] == [e.signature for e in groq.endpoints]
    assert [o.name for o in provider.offerings] == ["house-tts", "playai-tts"]
    # house-tts is a copy of groq's first model under its own name; playai-tts of groq's playai-tts, in its voice.
    house, playai = (o.build(SynthesisInput("Hello there.")) for o in provider.offerings)
    assert (house["model"], house["voice"], playai["model"], playai["voice"]) == (
        "house-tts",
        "ada",
        "playai-tts",
        "Fritz-PlayAI",
    )
    assert [f.name for f in service.syntheses[0].formats] == ["wav", "mp3"]
    assert [m.usd_per_million_chars for m in service.models] == [Decimal(2), Decimal(3)]
    endpoint = provider.endpoints[0]
    assert endpoint.price is not None and endpoint.price({**house, "input": "x" * 1000}).amount == Decimal("0.002")
    check_request(endpoint, {**house, "input": "x" * 8000})  # groq's own request model, the server's limit
    with pytest.raises(RequestValidationError, match="max_input_chars"):
        check_request(endpoint, {**house, "input": "x" * 8001})
    with pytest.raises(RequestValidationError, match="voice"):
        check_request(endpoint, {**house, "voice": "autumn"})  # a voice of groq's, not of this server's
    with pytest.raises(RequestValidationError, match="response_format"):
        check_request(endpoint, {**house, "response_format": "flac"})  # narrowed away
    assert endpoint.request is not None
    (text,) = [s for s in params_of(endpoint.request) if s.name == "input"]
    assert "tts-harness.toml: providers.gateway.max_input_chars" in text.words
    assert provider.title == "gateway (like groq, declared in tts-harness.toml)"
    assert groq.hosts == {"api": "https://api.groq.com"}  # the built-in is untouched


def test_without_another_server_the_builtins_prices_stand_and_with_one_they_are_the_files() -> None:
    same = _parse('\n[providers.mine]\nlike = "inworld"\nkey_env = "MINE_TTS_KEY"\n')[0]
    inworld = installed.builtin("inworld")
    assert [m.usd_per_million_chars for m in service_of(same).models] == [
        m.usd_per_million_chars for m in service_of(inworld).models
    ]
    elsewhere = _parse(
        '\n[providers.mine]\nlike = "inworld"\nkey_env = "MINE_TTS_KEY"\nbase_url = "http://gpu.lan:9000"\n'
    )[0]
    assert {m.usd_per_million_chars for m in service_of(elsewhere).models} == {None}


def test_every_host_and_socket_of_a_multi_host_builtin_reaches_base_url_unless_set_apart() -> None:
    """Rime's HTTP host and its sockets' host (ws3, the legacy ws2 and the plain-text ws) are apart; base_url serves
    both, `hosts` sets one apart."""
    rime = installed.builtin("rime")
    assert len(set(rime.hosts.values())) == 2
    (provider,) = _parse('\n[providers.myrime]\nlike = "rime"\nbase_url = "http://gpu.lan:9000"\nauth = "none"\n')
    assert set(provider.hosts.values()) == {"http://gpu.lan:9000"}
    assert len(provider.channels) == len(rime.channels) == 3
    for channel, builtin in zip(provider.channels, rime.channels, strict=True):
        assert channel.url(provider.hosts[channel.host], {}, {}).startswith("ws://gpu.lan:9000/")
        assert socket_of(channel).path == socket_of(builtin).path
    channel = provider.channels[0]
    assert provider.keyless and not any(e.auth_required for e in provider.endpoints)
    apart = _parse(
        f'\n[providers.myrime]\nlike = "rime"\nbase_url = "http://gpu.lan:9000"\nauth = "none"\n'
        f'hosts = {{ {channel.host} = "https://socket.lan" }}\n'
    )[0]
    assert apart.hosts[channel.host] == "https://socket.lan" and len(set(apart.hosts.values())) == 2


def test_narrowed_formats_and_the_pcm_rate_reach_the_sockets() -> None:
    rime = installed.builtin("rime")
    socket = socket_of(rime.channels[0])
    raw = [f.name for f in socket.formats if f.spec.container == "raw"]
    assert raw, "rime's socket serves headerless pcm"
    text = (
        f'\n[providers.rim]\nlike = "rime"\nbase_url = "http://gpu.lan:9000"\nkey_env = "RIM_TTS_KEY"\n'
        f'formats = ["{raw[0]}"]\nsample_rate = 16000\n'
    )
    (provider,) = _parse(text)
    # The HTTP endpoint names its formats otherwise (audio/pcm): it keeps its own, its pcm at the server's rate.
    http = service_of(provider).syntheses[0].formats
    assert [f.name for f in http] == [f.name for f in service_of(rime).syntheses[0].formats]
    assert {f.spec.sample_rate for f in http if f.name == "audio/pcm"} == {16000}
    (narrowed,) = socket_of(provider.channels[0]).formats
    assert (narrowed.name, narrowed.spec.sample_rate) == (raw[0], 16000)


@pytest.mark.parametrize(
    ("text", "ending"),
    [
        ('like = "groq"\nkey_env = "GW_KEY"\nspeed = 2', "providers.gw.speed: unknown key"),
        ('like = "nobody"\nkey_env = "GW_KEY"', "providers.gw.like: no installed provider is called 'nobody'"),
        ('like = "ttsai"\nkey_env = "GW_KEY"', "providers.gw.like: ttsai is not declared in a wire family"),
        (
            'like = "groq"\nkey_env = "GW_KEY"\nformats = ["aac"]',
            "providers.gw.formats.0: aac is not a format of groq (its formats: wav, mp3, flac, mulaw, ogg)",
        ),
        (
            'like = "groq"\nkey_env = "GW_KEY"\nsample_rate = 16000',
            "providers.gw.sample_rate: the rate of pcm answers, and pcm is not among the formats",
        ),
        (
            'like = "groq"\nkey_env = "GW_KEY"\nstream = true',
            "providers.gw.models.0.stream: groq answers no stream of events",
        ),
        (
            'like = "groq"\nkey_env = "GW_KEY"\nhosts = { ws = "https://x.example" }',
            "providers.gw.hosts.ws: not a host of groq (its hosts: api)",
        ),
        (
            'like = "groq"\nkey_env = "GW_KEY"\nmodels = ["a", { name = "b", speed = 2 }]',
            "providers.gw.models.1.speed: unknown key",
        ),
        ('like = "groq"\nkey_env = "GW_KEY"\nmodel_prices = { c = 1 }', "providers.gw.model_prices: c is not among"),
        ('like = "groq"', "providers.gw.key_env: required key is missing"),
        ('like = "groq"\nprotocol = "openai-speech"\nkey_env = "GW_KEY"', "providers.gw.protocol: give `like`"),
        (
            'like = "groq"\nkey_env = "GW_KEY"\ndeviations = { Speed = "x" }',
            "providers.gw.deviations: Speed: a check's",
        ),
    ],
)
def test_a_mistake_is_one_line_naming_the_file_and_key(text: str, ending: str) -> None:
    message = _one_line(f"\n[providers.gw]\n{text}\n")
    assert ending in message, message


def test_a_like_tables_key_follows_the_files_secret_rules(tmp_path: Path) -> None:
    """`like` is no way round the key rules: the built-in's own variable is refused unless the user confirms it."""
    path = tmp_path / "tts-harness.toml"
    path.write_text(
        '\n[providers.gw]\nlike = "groq"\nbase_url = "https://evil.example"\nkey_env = "GROQ_API_KEY"\n',
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match=r"GROQ_API_KEY is the key of the installed provider groq.*evil.example"):
        declared.load(environ={declared.FILE_ENV: str(path)}, claimed={"GROQ_API_KEY": "the installed provider groq"})


def test_deviations_become_known_deviations_citing_the_file() -> None:
    (provider,) = _parse(
        '\n[providers.gw]\nlike = "groq"\nkey_env = "GW_KEY"\ndeviations = { speed = "reads speed and ignores it" }\n'
    )
    assert provider.known_deviations == {
        "speed": "reads speed and ignores it (tts-harness.toml: providers.gw.deviations)"
    }


# --- against the sandbox: listed, imitated, benchmarked -----------------------------------------------------

SANDBOX_FILE = """
[providers.gateway]
like = "groq"
base_url = "https://speech-gateway.example/x"
key_env = "GATEWAY_SPEECH_KEY"
models = ["house-tts"]
voices = ["ada", "bo"]
formats = ["wav"]
price_per_million_chars = 3

[providers.sockbox]
like = "inworld"
base_url = "http://gpu.lan:9000"
auth = "none"
voices = ["Ashley", "Zed"]
"""


def test_like_providers_are_benchmarked_against_the_sandbox_over_http_and_sockets(tmp_path: Path) -> None:
    from harness.core import registry
    from harness.results.store import Store
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session

    path = tmp_path / "tts-harness.toml"
    path.write_text(SANDBOX_FILE, encoding="utf-8")
    with providers_file_in_effect(path):
        sockets = [o.name for o in registry.get_provider("sockbox").offerings if o.channel]
        assert sockets
        config = BenchConfig(
            out=tmp_path,
            score=False,
            report=False,
            providers=("gateway", "sockbox"),
            models=("gateway/house-tts", f"sockbox/{sockets[0]}"),
            corpus=("en_read:1",),
            sandbox_profile="fast",
        )
        result = run_bench_session(config)
        store = Store(result.db_path)
        try:
            jobs = [asdict(row) for row in store.jobs(result.run_id)]
        finally:
            store.close()
    assert {(j["provider"], j["model"], j["outcome"]) for j in jobs} == {
        ("gateway", "house-tts", "ok"),
        ("sockbox", sockets[0], "ok"),
    }, [j["error_message"] for j in jobs]


# --- the converted built-ins, openai and elevenlabs, started from ---------------------------------------------------

OPENAI_LIKE = """
[providers.gateway]
like = "openai"
base_url = "https://speech-gateway.example.com/v1"
key_env = "GATEWAY_SPEECH_KEY"
models = ["kokoro", { name = "kokoro-hd", stream = false }]
voices = ["af_bella", "am_adam"]
price_per_million_chars = 15
stream = true
"""

ELEVEN_LIKE = """
[providers.selfhosted]
like = "elevenlabs"
base_url = "http://tts.lan:8080"
auth = "none"
models = ["eleven_flash_v2_5"]
voices = ["house-voice"]
price_per_million_chars = 0
"""


def test_an_openai_compatible_gateway_is_like_openai() -> None:
    (provider,) = _parse(OPENAI_LIKE)
    assert set(provider.hosts.values()) == {"https://speech-gateway.example.com/v1"}
    kokoro, hd = (o for o in provider.offerings if not o.channel)
    assert (kokoro.name, kokoro.streams, hd.name, hd.streams) == ("kokoro", True, "kokoro-hd", False)
    assert kokoro.build(SynthesisInput("Hi.")).get("stream_format") == "sse"
    assert hd.build(SynthesisInput("Hi.")).get("stream_format") != "sse"
    assert {kokoro.build(SynthesisInput("Hi."))["voice"], hd.build(SynthesisInput("Hi."))["voice"]} == {"af_bella"}


def test_an_old_openai_speech_table_means_like_openai() -> None:
    old = OPENAI_LIKE.replace('like = "openai"', 'protocol = "openai-speech"')
    (provider,) = _parse(old)
    (again,) = _parse(OPENAI_LIKE)
    assert [o.name for o in provider.offerings] == [o.name for o in again.offerings]
    assert provider.hosts == again.hosts


def test_a_self_hosted_elevenlabs_is_like_elevenlabs_with_its_socket() -> None:
    (provider,) = _parse(ELEVEN_LIKE)
    assert provider.keyless and provider.channels
    for channel in provider.channels:
        assert channel.url(provider.hosts[channel.host], {"voice_id": "house-voice"}, {}).startswith(
            "ws://tts.lan:8080/"
        )
    assert {o.build(SynthesisInput("Hi."))["model_id"] for o in provider.offerings} == {"eleven_flash_v2_5"}
    assert any(o.channel for o in provider.offerings)


def test_a_self_hosted_elevenlabs_is_benchmarked_against_the_sandbox(tmp_path: Path) -> None:
    from harness.results.store import Store
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session

    path = tmp_path / "tts-harness.toml"
    path.write_text(ELEVEN_LIKE, encoding="utf-8")
    with providers_file_in_effect(path):
        config = BenchConfig(
            out=tmp_path,
            score=False,
            report=False,
            providers=("selfhosted",),
            corpus=("en_read:1",),
            sandbox_profile="fast",
        )
        result = run_bench_session(config)
        store = Store(result.db_path)
        try:
            jobs = [asdict(row) for row in store.jobs(result.run_id)]
        finally:
            store.close()
    assert jobs and {j["outcome"] for j in jobs} == {"ok"}, [j["error_message"] for j in jobs]


def test_an_old_elevenlabs_table_means_like_elevenlabs() -> None:
    from tests.helpers.realtime import realtime_toml

    eleven = next(p for p in _parse(realtime_toml()) if p.name == "eleven")
    assert isinstance(eleven.family, SpeechService) and eleven.channels


# --- an old `protocol = "X"` table: the built-in claiming X wins; none claiming it, its module serves it --------

OLD_TABLE = """
[providers.mybox]
protocol = "openai-speech"
base_url = "http://gpu-box.internal:8000/v1"
key_env = "MYBOX_KEY"
models = ["kokoro", { name = "kokoro-hd", stream = false }]
voices = ["af_bella"]
formats = ["wav"]
max_input_chars = 1000
"""


def test_a_protocol_a_family_builtin_claims_means_like_that_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Here groq stands in for a converted built-in listing "openai-speech" in `SpeechService.file_protocols`: the
    table's keys mean what they mean under `like` (the protocol module is not asked)."""
    monkeypatch.setattr(installed, "file_protocols", lambda: {"openai-speech": "groq"})
    (declaration,) = declared.parse(OLD_TABLE, FILE).declarations
    assert (getattr(declaration, "like", None), getattr(declaration, "protocol", None)) == ("groq", "openai-speech")
    (provider,) = declared.parse(OLD_TABLE, FILE).providers()
    assert isinstance(provider.family, SpeechService) and provider.hosts == {"api": "http://gpu-box.internal:8000/v1"}
    assert [(o.name, o.streams) for o in provider.offerings] == [("kokoro", None), ("kokoro-hd", False)]
    assert [f.name for f in service_of(provider).syntheses[0].formats] == ["wav"]
    assert {m.max_chars for m in service_of(provider).models} == {1000}
    message = _one_line(OLD_TABLE.replace('formats = ["wav"]', 'formats = ["opus"]'))
    assert "providers.mybox.formats.0: opus is not a format of groq" in message
    message = _one_line(OLD_TABLE.replace('key_env = "MYBOX_KEY"', 'key_env = "MYBOX_KEY"\nspeed = 2'))
    assert message.endswith("providers.mybox.speed: unknown key")


def test_a_format_named_with_its_rate_is_that_format_at_that_rate() -> None:
    """Earlier providers files wrote Deepgram's encodings with their rate (`linear16_16000`)."""
    text = (
        '\n[providers.dg]\nlike = "deepgram"\nbase_url = "http://gpu.lan:9000"\nkey_env = "DG_TTS_KEY"\n'
        'formats = ["linear16_16000"]\n'
    )
    (provider,) = _parse(text)
    formats = [f for s in service_of(provider).syntheses for f in s.formats]
    assert {(f.name, f.spec.sample_rate) for f in formats} == {("linear16", 16000)}
    two = _one_line(text.replace('"linear16_16000"', '"linear16_16000", "mulaw_8000"'))
    assert two.endswith("providers.dg.formats: a server speaks at one rate; the names give [8000, 16000]")


def test_a_protocol_nothing_speaks_names_the_known_ones_and_like() -> None:
    unknown = _one_line(OLD_TABLE.replace('"openai-speech"', '"grpc-speech"'))
    assert "providers.mybox.protocol: must be one of " in unknown
    assert all(
        f"'{name}'" in unknown for name in ("http-speech", "openai-speech", "elevenlabs", "cartesia", "deepgram-speak")
    )
    assert 'like = "<built-in provider>"' in unknown


def test_a_table_like_a_builtin_whose_unknown_models_fall_back_serves_its_own_names() -> None:
    """A built-in whose documents say an unknown model falls back (`UnknownModel.DEFAULT`) takes any model name, so a
    server like it with models of its own is sent them (the built-in's request model named only its own), and the
    table loads though its socket does not serve the built-in's default model."""
    from harness.core.protocols.http_speech import UnknownModel
    from harness.core.validate import check_wire_request

    (provider,) = _parse(
        '[providers.myfish]\nlike = "fish"\nbase_url = "https://fish.example"\n'
        'key_env = "MYFISH_KEY"\nmodels = ["my-tts"]\n'
    )
    # its model's route, and the route with timing marks only a named model of the built-in goes to (every server
    # like it has that route)
    syntheses = {s.endpoint.key: s for s in service_of(provider).syntheses}
    assert set(syntheses) == {"tts", "tts.stream-with-timestamp"}
    assert syntheses["tts"].unknown_model is UnknownModel.DEFAULT
    params, _ = check_wire_request(provider.endpoint("tts"), {"text": "Hi", "model": "my-tts"})
    assert params.model_dump()["model"] == "my-tts"
    assert [o.name for o in provider.offerings] == ["my-tts", "my-tts-live"]
