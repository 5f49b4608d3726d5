"""A providers file names only its own secret: `key_env` may not be another provider's variable nor a
variable that does not look like a key, unless the user (not the file) confirms it; `auth = "none"`
declares a server that takes no key. The live plan says which host receives each key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.core import declared, registry
from harness.core.errors import UsageError
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.wav import pcm_wav

SECRET_VALUE = "Zq8-secret-value-Wx5"


def _file(key_line: str, name: str = "mybox", url: str = "http://gpu-box.internal:8000/v1") -> str:
    return f"""
[providers.{name}]
protocol = "openai-speech"
base_url = "{url}"
{key_line}
models = ["kokoro"]
voices = ["af_bella"]
"""


def _load(
    write: Any, text: str, environ: dict[str, str] | None = None, claimed: dict[str, str] | None = None
) -> declared.Declared | None:
    path = write(text)
    return declared.load(environ={declared.FILE_ENV: str(path), **(environ or {})}, claimed=claimed or {})


def _refusal(write: Any, text: str, **kwargs: Any) -> str:
    with pytest.raises(UsageError) as raised:
        _load(write, text, **kwargs)
    message = str(raised.value)
    assert "\n" not in message and "tts-harness.toml" in message and SECRET_VALUE not in message
    return message


@pytest.mark.parametrize("variable", ["HOME", "PATH", "MYBOX_SECRET", "GPU_KEYS"])
def test_a_variable_that_does_not_look_like_a_key_is_refused_unless_the_user_confirms(
    write_providers_file: Any, variable: str
) -> None:
    text = _file(f'key_env = "{variable}"')
    message = _refusal(write_providers_file, text, environ={variable: SECRET_VALUE})
    assert f"providers.mybox.key_env: {variable} does not look like an API key variable" in message
    assert f"{declared.CONFIRM_ENV}={variable}" in message and "http://gpu-box.internal:8000/v1" in message
    confirmed = _load(write_providers_file, text, environ={declared.CONFIRM_ENV: f"OTHER, {variable}"})
    assert confirmed is not None and confirmed.declarations[0].key_env == variable


@pytest.mark.parametrize("variable", ["MYBOX_KEY", "MYBOX_API_KEY", "MYBOX_TOKEN", "mybox_api_key"])
def test_a_variable_of_its_own_that_looks_like_a_key_is_accepted(write_providers_file: Any, variable: str) -> None:
    found = _load(write_providers_file, _file(f'key_env = "{variable}"'))
    assert found is not None and found.providers()[0].key_env == variable


def test_another_providers_variable_is_refused(write_providers_file: Any) -> None:
    installed = {"PIXAZO_API_KEY": "the installed provider pixazo"}
    message = _refusal(write_providers_file, _file('key_env = "PIXAZO_API_KEY"'), claimed=installed)
    assert "PIXAZO_API_KEY is the key of the installed provider pixazo" in message
    two = _file('key_env = "SHARED_KEY"') + _file('key_env = "SHARED_KEY"', "other", "https://evil.example/v1")
    message = _refusal(write_providers_file, two)
    assert "providers.other.key_env: SHARED_KEY is the key of the declared provider mybox" in message
    assert "https://evil.example/v1" in message
    allowed = _load(write_providers_file, two, environ={declared.CONFIRM_ENV: "SHARED_KEY"})
    assert allowed is not None and len(allowed.declarations) == 2


def test_the_registry_counts_every_installed_providers_variable(
    write_providers_file: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even with only the declared provider loaded (TTS_HARNESS_PROVIDERS), Pixazo's key stays Pixazo's."""
    monkeypatch.setenv(declared.FILE_ENV, str(write_providers_file(_file('key_env = "PIXAZO_API_KEY"'))))
    monkeypatch.setenv(registry.ONLY_ENV, "mybox")
    registry.providers.cache_clear()
    registry.declared_providers.cache_clear()
    try:
        with pytest.raises(UsageError, match="PIXAZO_API_KEY is the key of the installed provider pixazo"):
            registry.providers()
        monkeypatch.setenv(declared.CONFIRM_ENV, "PIXAZO_API_KEY")
        registry.providers.cache_clear()
        registry.declared_providers.cache_clear()
        assert list(registry.providers()) == ["mybox"]
    finally:
        registry.providers.cache_clear()
        registry.declared_providers.cache_clear()


def test_auth_none_declares_a_keyless_server(write_providers_file: Any) -> None:
    found = _load(write_providers_file, _file('auth = "none"'))
    assert found is not None
    (provider,) = found.providers()
    assert provider.keyless and not any(endpoint.auth_required for endpoint in provider.endpoints)
    assert 'key_env: auth = "none" sends no key: remove it' in _refusal(
        write_providers_file, _file('auth = "none"\nkey_env = "MYBOX_KEY"')
    )
    assert 'key_env: required key is missing (auth = "none"' in _refusal(write_providers_file, _file(""))
    assert "providers.mybox.auth:" in _refusal(write_providers_file, _file('auth = "basic"\nkey_env = "MYBOX_KEY"'))


# --- live, against loopback servers: the keyless one gets no key; the plan says where each key goes ----


class _Speech(QuietHandler):
    """An OpenAI-compatible speech server; `keyless` servers refuse any request that carries a key."""

    protocol_version = "HTTP/1.1"
    keyless = True
    seen: list[str | None]

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        authorization = self.headers.get("Authorization")
        self.seen.append(authorization)
        if (authorization is not None) == self.keyless:
            body = json.dumps(
                {
                    "error": {
                        "message": "wrong credentials",
                        "type": "invalid_request_error",
                        "param": None,
                        "code": "invalid_api_key",
                    }
                }
            ).encode()
            return self.answer(401, body, {"Content-Type": "application/json"})
        return self.answer(200, pcm_wav(frames=16000), {"Content-Type": "audio/wav"})


def _server(keyless: bool) -> LoopbackServer:
    handler = type("Handler", (_Speech,), {"keyless": keyless, "seen": []})
    return LoopbackServer(handler)


@pytest.fixture()
def speech_servers() -> Iterator[tuple[LoopbackServer, LoopbackServer]]:
    servers = (_server(keyless=True), _server(keyless=False))
    yield servers
    for server in servers:
        server.close()


def test_a_live_run_sends_no_key_to_a_keyless_server_and_says_where_each_key_goes(
    speech_servers: tuple[LoopbackServer, LoopbackServer],
    write_providers_file: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    keyless, keyed = speech_servers
    text = _file('auth = "none"', "open", f"{keyless.url}/v1") + _file(
        'key_env = "KEYED_TTS_KEY"', "keyed", f"{keyed.url}/v1"
    )
    monkeypatch.setenv(declared.FILE_ENV, str(write_providers_file(text)))
    monkeypatch.setenv("KEYED_TTS_KEY", SECRET_VALUE)
    registry.providers.cache_clear()
    registry.declared_providers.cache_clear()
    try:
        result = CliRunner().invoke(
            app,
            [
                "bench",
                "run",
                "--target",
                "live",
                "--providers",
                "open,keyed",
                "--corpus",
                "en_read:2",
                "--yes",
                "--out",
                str(tmp_path),
                "--no-score",
                "--no-report",
            ],
        )
    finally:
        registry.providers.cache_clear()
        registry.declared_providers.cache_clear()
    assert result.exit_code == 0, result.output[-3000:]
    assert f'open: no key sent (auth = "none") to {keyless.url}' in result.output
    assert f"keyed: the key in $KEYED_TTS_KEY goes to {keyed.url}" in result.output
    assert keyless.httpd.RequestHandlerClass.seen == [None, None]  # type: ignore[attr-defined]
    assert keyed.httpd.RequestHandlerClass.seen == [f"Bearer {SECRET_VALUE}"] * 2  # type: ignore[attr-defined]
    assert SECRET_VALUE not in result.output
