"""The providers file: parsed once into frozen declarations; every mistake is one line naming file and key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from harness.core import declared, registry
from harness.core.errors import RequestValidationError, UsageError
from harness.core.params import params_of
from harness.core.spec import Provider, Role, SynthesisInput
from harness.core.validate import check_request

GOOD = """
[providers.mybox]
protocol = "openai-speech"
base_url = "http://gpu-box.internal:8000/v1/"
key_env = "MYBOX_KEY"
models = ["kokoro", "kokoro-hd"]
voices = ["af_bella", "am_adam"]
price_per_million_chars = 12.5
max_input_chars = 1000
formats = ["mp3", "flac"]
stream = true
"""


def _error(write: Any, text: str) -> str:
    path = write(text)
    with pytest.raises(UsageError) as raised:
        declared.load(environ={declared.FILE_ENV: str(path)})
    message = str(raised.value)
    assert "\n" not in message and str(path) in message
    return message


def test_a_declaration_becomes_a_provider_with_one_offering_per_model(write_providers_file: Any) -> None:
    found = declared.load(environ={declared.FILE_ENV: str(write_providers_file(GOOD))})
    assert found is not None
    (provider,) = found.providers()
    assert provider.name == "mybox" and set(provider.hosts.values()) == {"http://gpu-box.internal:8000/v1"}
    assert [o.name for o in provider.offerings] == ["kokoro", "kokoro-hd"]
    endpoint = provider.endpoint(provider.offerings[0].endpoint)
    assert endpoint.role is Role.STREAM and endpoint.path == "/audio/speech"
    body = provider.offerings[0].build(SynthesisInput("Hello there."))
    # WAV is not served: the lossless format that is (flac) is asked for instead; SSE because stream = true.
    assert body == {
        "model": "kokoro",
        "input": "Hello there.",
        "voice": "af_bella",
        "response_format": "flac",
        "stream_format": "sse",
    }
    assert endpoint.price is not None and endpoint.price({**body, "input": "x" * 1000}).amount == Decimal("0.0125")
    with pytest.raises(RequestValidationError, match="input"):
        check_request(endpoint, {**body, "input": "x" * 1001})
    with pytest.raises(RequestValidationError, match="voice"):
        check_request(endpoint, {**body, "voice": "alloy"})
    with pytest.raises(RequestValidationError, match="response_format"):
        check_request(endpoint, {**body, "response_format": "wav"})
    with pytest.raises(ValidationError):  # frozen
        found.declarations[0].models = ("other",)  # type: ignore[misc]


def test_an_unknown_key_is_named(write_providers_file: Any) -> None:
    message = _error(write_providers_file, GOOD.replace("stream = true", "streaming = true"))
    assert message.endswith("providers.mybox.streaming: unknown key (did you mean stream?)")


def test_a_bad_value_is_named_with_its_range(write_providers_file: Any) -> None:
    message = _error(write_providers_file, GOOD.replace("max_input_chars = 1000", "max_input_chars = 0"))
    assert "providers.mybox.max_input_chars:" in message and "greater than or equal to 1" in message
    message = _error(write_providers_file, GOOD.replace("stream = true", "stream = true\nsample_rate = 22050"))
    assert message.endswith("providers.mybox.sample_rate: the rate of pcm answers, and pcm is not among the formats")
    message = _error(write_providers_file, GOOD.replace('formats = ["mp3", "flac"]', 'formats = ["mp3", "ogg"]'))
    assert "providers.mybox.formats.1:" in message
    message = _error(write_providers_file, GOOD.replace('key_env = "MYBOX_KEY"\n', ""))
    assert "providers.mybox.key_env: required key is missing" in message


def test_an_unknown_protocol_or_top_level_table_is_refused(write_providers_file: Any) -> None:
    message = _error(write_providers_file, GOOD.replace('"openai-speech"', '"grpc-speech"'))
    assert "providers.mybox.protocol: must be one of " in message
    assert all(f"'{name}'" in message for name in ("openai-speech", "elevenlabs", "http-speech"))
    typo = GOOD.replace("[providers.mybox]", "[provider.mybox]")
    assert "provider: unknown key (did you mean providers?)" in _error(write_providers_file, typo)
    assert "not valid TOML" in _error(write_providers_file, "[providers.mybox\n")


def test_pyproject_tool_table_is_read(tmp_path: Path) -> None:
    table = GOOD.replace("[providers.mybox]", "[tool.tts-harness.providers.mybox]")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n' + table, encoding="utf-8")
    found = declared.load(cwd=tmp_path, environ={})
    assert found is not None and found.declarations[0].name == "mybox"
    broken = table.replace("stream = true", "stream = 3")
    (tmp_path / "pyproject.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(UsageError, match=r"pyproject.toml: tool.tts-harness.providers.mybox.stream:"):
        declared.load(cwd=tmp_path, environ={})


def test_no_file_declares_nothing(tmp_path: Path) -> None:
    assert declared.load(cwd=tmp_path, environ={}) is None
    with pytest.raises(UsageError, match="no such file"):
        declared.load(cwd=tmp_path, environ={declared.FILE_ENV: str(tmp_path / "missing.toml")})


def test_the_registry_lists_declared_providers_after_installed_ones(
    write_providers_file: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(declared.FILE_ENV, str(write_providers_file(GOOD)))
    registry.providers.cache_clear()
    registry.declared_providers.cache_clear()
    try:
        names = list(registry.providers())
        assert names[-1] == "mybox" and len(names) > 1
        clash = GOOD.replace("[providers.mybox]", f"[providers.{names[0]}]")
        monkeypatch.setenv(declared.FILE_ENV, str(write_providers_file(clash, "clash.toml")))
        registry.providers.cache_clear()
        registry.declared_providers.cache_clear()
        with pytest.raises(UsageError, match="is taken by an installed provider"):
            registry.providers()
    finally:
        monkeypatch.delenv(declared.FILE_ENV)
        registry.providers.cache_clear()
        registry.declared_providers.cache_clear()


def test_declaration_values_have_the_protocol_limits() -> None:
    base = (
        'protocol = "openai-speech"\nbase_url = "https://a.example/v1"\nkey_env = "X_KEY"\nmodels = ["m"]\n'
        'voices = ["v"]\n'
    )
    (provider,) = declared.parse(f"[providers.x]\n{base}", Path("tts-harness.toml")).providers()
    assert provider.offerings[0].max_chars == 4096
    for name, bad in (
        ("x", "voices = []"),
        ("x", 'models = ["m", "m"]'),
        ("x", 'base_url = "ftp://x"'),
        ("x", "price_per_million_chars = -1"),
        ('"Bad Name"', ""),
    ):
        table = "\n".join(line for line in base.splitlines() if line.split(" = ")[0] != bad.split(" = ")[0])
        with pytest.raises(UsageError, match=r"^tts-harness.toml: providers\."):
            declared.parse(f"[providers.{name}]\n{table}\n{bad}\n", Path("tts-harness.toml"))


def test_the_providers_command_reports_a_bad_file_in_one_line(
    write_providers_file: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from harness.cli import app

    path = write_providers_file(GOOD.replace("stream = true", "speed = 2"))
    monkeypatch.setenv(declared.FILE_ENV, str(path))
    monkeypatch.setenv("COLUMNS", "400")
    registry.providers.cache_clear()
    registry.declared_providers.cache_clear()
    try:
        result = CliRunner().invoke(app, ["providers"])
    finally:
        registry.providers.cache_clear()
        registry.declared_providers.cache_clear()
    assert result.exit_code == 2
    assert f"usage error: {path}: providers.mybox.speed: unknown key" in " ".join(result.output.split())


def test_a_server_may_accept_more_than_openai_and_its_limit_cites_the_file(write_providers_file: Any) -> None:
    """8,000 characters is a server's own limit, not OpenAI's 4096: declared, sent, cited to the file."""
    path = write_providers_file(
        GOOD.replace("max_input_chars = 1000", "max_input_chars = 8000").replace(
            'formats = ["mp3", "flac"]', 'formats = ["mp3", "pcm"]\nsample_rate = 22050'
        )
    )
    found = declared.load(environ={declared.FILE_ENV: str(path)})
    assert found is not None
    (provider,) = found.providers()
    endpoint = provider.endpoint(provider.offerings[0].endpoint)
    body = {"model": "kokoro", "voice": "af_bella", "response_format": "mp3"}
    check_request(endpoint, {**body, "input": "x" * 8000})
    with pytest.raises(RequestValidationError, match="max_input_chars"):
        check_request(endpoint, {**body, "input": "x" * 8001})
    assert endpoint.request is not None
    (input_spec,) = [s for s in params_of(endpoint.request) if s.name == "input"]
    assert f"{path}: providers.mybox.max_input_chars" in input_spec.words and "8000" in input_spec.words
    assert _pcm_rate(provider) == 22050


def _pcm_rate(provider: Provider) -> int:
    """The rate the provider's pcm is read at: its family declaration's pcm format, else its answer body's."""
    if provider.family is not None:
        (rate,) = {
            fmt.spec.sample_rate
            for synthesis in provider.family.syntheses
            for fmt in synthesis.formats
            if fmt.name == "pcm"
        }
        return int(rate)
    return int(provider.endpoints[0].responses[0].bodies[0].pcm_rate)  # type: ignore[union-attr]


def test_streaming_is_each_models_own(write_providers_file: Any) -> None:
    """A model written as a table says whether it streams; the declaration's `stream` is the others' default.
    OpenAI's reference: `stream_format: "sse"` is not supported for tts-1 and tts-1-hd."""
    text = GOOD.replace(
        'models = ["kokoro", "kokoro-hd"]', 'models = ["kokoro", { name = "kokoro-hd", stream = false }]'
    )
    found = declared.load(environ={declared.FILE_ENV: str(write_providers_file(text))})
    assert found is not None
    (provider,) = found.providers()
    kokoro, hd = provider.offerings
    assert (kokoro.name, kokoro.streams, hd.name, hd.streams) == ("kokoro", True, "kokoro-hd", False)
    assert kokoro.build(SynthesisInput("Hi."))["stream_format"] == "sse"
    assert hd.build(SynthesisInput("Hi.")).get("stream_format") != "sse"
    assert provider.endpoint(kokoro.endpoint).role is Role.STREAM  # it streams for the models that do

    # The other way round: no stream by default, one model that streams.
    text = GOOD.replace("stream = true", "").replace(
        'models = ["kokoro", "kokoro-hd"]', 'models = ["kokoro", { name = "kokoro-live", stream = true }]'
    )
    (provider,) = declared.parse(text, Path("tts-harness.toml")).providers()
    assert [bool(o.streams) for o in provider.offerings] == [False, True]
    assert provider.endpoint(provider.offerings[1].endpoint).role is Role.STREAM


@pytest.mark.parametrize(
    ("entry", "ending"),
    [
        ('{ name = "kokoro-hd", speed = 2 }', "providers.mybox.models.1.speed: unknown key"),
        ("{ stream = false }", "providers.mybox.models.1.name: required key is missing"),
        (
            '{ name = "kokoro-hd", stream = 3 }',
            "providers.mybox.models.1.stream: Input should be a valid boolean, unable to interpret input (got 3)",
        ),
    ],
)
def test_a_bad_model_table_is_one_line(write_providers_file: Any, entry: str, ending: str) -> None:
    message = _error(write_providers_file, GOOD.replace('"kokoro-hd"]', f"{entry}]"))
    assert message.endswith(ending), message
