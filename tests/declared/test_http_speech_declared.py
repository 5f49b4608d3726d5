"""A user's own server of the HTTP speech family, declared in a providers file (`protocol = "http-speech"`):
the declaration is checked in one line per mistake; a loopback server written here (hex audio at a nested
pointer, its key in a header of its own) is benchmarked; and the sandbox imitates the same declaration —
speech in each declared format, its errors in the declared shape — with no code of its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from harness.core.errors import UsageError
from harness.speech import decode
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import declared_providers, providers_file_in_effect
from tests.helpers.wav import pcm_wav

KEY = "mybox-key-0123456789"


def _table(base_url: str, **changes: str) -> str:
    keys = {
        "protocol": '"http-speech"',
        "base_url": f'"{base_url}"',
        "key_env": '"MYBOX_API_KEY"',
        "auth": '"header"',
        "auth_name": '"X-Box-Key"',
        "path": '"/speak"',
        "text": '"/input/text"',
        "voice": '"/voice/id"',
        "format": '"/output"',
        "audio": '"/result/audio"',
        "audio_encoding": '"hex"',
        "formats": '{ wav = "pcm_s16le/16000/wav", raw = "pcm_s16le/16000/raw" }',
        "models": '["box-1"]',
        "voices": '["ember", "slate"]',
        "price_per_million_chars": "10",
        "max_input_chars": "300",
        "error_body": '{ problem = { says = "{message}", kind = "{code}" } }',
        **changes,
    }
    return "\n[providers.mybox]\n" + "".join(f"{key} = {value}\n" for key, value in keys.items() if value)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"formats": '{ wav = "wav" }'}, "providers.mybox.formats: wav = 'wav': write codec/rate/container"),
        ({"auth_name": ""}, 'providers.mybox.auth_name: required with auth = "header"'),
        ({"text": '"text"'}, "providers.mybox.text: String should match pattern"),
        ({"format": ""}, "providers.mybox.format: several formats are declared"),
    ],
)
def test_a_mistake_in_the_table_is_one_line_naming_its_key(change: dict[str, str], words: str) -> None:
    with pytest.raises(UsageError) as error:
        declared_providers(_table("https://box.example", **change))
    assert words in str(error.value) and "\n" not in str(error.value)


class _Box(QuietHandler):
    """A server written here, not the sandbox: hex audio at /result/audio, its key in X-Box-Key."""

    seen: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        _Box.seen.append({"key": self.headers.get("X-Box-Key"), "body": body})
        if self.headers.get("X-Box-Key") != KEY:
            self.answer(
                401,
                json.dumps({"problem": {"says": "no", "kind": "auth"}}).encode(),
                {"Content-Type": "application/json"},
            )
            return
        audio = pcm_wav(8000, 16000, sample=b"\x00\x10")
        self.answer(200, json.dumps({"result": {"audio": audio.hex()}}).encode(), {"Content-Type": "application/json"})


@pytest.fixture
def box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[LoopbackServer, Path]]:
    server = LoopbackServer(_Box)
    path = tmp_path / "tts-harness.toml"
    path.write_text(_table(server.url), encoding="utf-8")
    monkeypatch.setenv("MYBOX_API_KEY", KEY)
    _Box.seen = []
    with providers_file_in_effect(path):
        yield server, path
    server.close()


def test_a_declared_server_of_the_family_is_benchmarked_at_its_own_url(
    box: tuple[LoopbackServer, Path], tmp_path: Path
) -> None:
    from harness.results.store import Store
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session

    server, _ = box
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        providers=("mybox",),
        corpus=("en_read:2",),
        target=server.url,
        budget=1.0,
        concurrency=1,
    )
    result = run_bench_session(config)
    store = Store(result.db_path)
    try:
        outcomes = [(row.outcome, row.error_class) for row in store.jobs(result.run_id)]
    finally:
        store.close()
    assert outcomes == [("ok", None), ("ok", None)]
    sent = _Box.seen[0]
    assert sent["key"] == KEY and sent["body"]["voice"] == {"id": "ember"} and sent["body"]["output"] == "wav"
    assert sent["body"]["input"]["text"]


def test_the_sandbox_imitates_the_declaration(box: tuple[LoopbackServer, Path]) -> None:
    from harness.sandbox import running

    with running(profile="fast", providers=("mybox",)) as sandbox:
        url = sandbox.base_url("mybox", "api") + "/speak"
        key = {"X-Box-Key": sandbox.default_key("mybox")}
        spoken = httpx.post(
            url,
            json={"input": {"text": "Declared, and imitated."}, "voice": {"id": "slate"}, "output": "wav"},
            headers=key,
            timeout=60,
        )
        assert spoken.status_code == 200
        clip = decode(bytes.fromhex(spoken.json()["result"]["audio"]))
        assert clip.sample_rate == 16000 and clip.duration_s > 0.5
        unknown = httpx.post(url, json={"input": {"text": "x"}, "voice": {"id": "nobody"}}, headers=key, timeout=60)
        assert unknown.status_code == 400 and unknown.json()["problem"]["kind"] == "invalid_request"
        missing = httpx.post(url, json={"input": {"text": "x"}, "voice": {"id": "ember"}}, timeout=60)
        assert missing.status_code == 401 and missing.json() == {
            "problem": {"says": "No key was given.", "kind": "unauthorized"}
        }


@pytest.mark.parametrize("stream", ["sse", "ndjson", "chunked"])
def test_a_declared_stream_is_imitated_and_its_first_audio_timed(stream: str, tmp_path: Path) -> None:
    from harness.results.store import Store
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session

    audio = '"/chunk"' if stream != "chunked" else ""
    path = tmp_path / "tts-harness.toml"
    path.write_text(
        _table(
            "https://box.example",
            stream=f'"{stream}"',
            audio=audio,
            audio_encoding='"base64"',
            formats='{ raw = "pcm_s16le/16000/raw" }',
            format="",
        ),
        encoding="utf-8",
    )
    with providers_file_in_effect(path):
        config = BenchConfig(
            out=tmp_path, score=False, report=False, providers=("mybox",), corpus=("en_read:1",), sandbox_profile="fast"
        )
        result = run_bench_session(config)
        store = Store(result.db_path)
        try:
            (job,) = [asdict(row) for row in store.jobs(result.run_id)]
            marks = store.marks(str(job["job_key"]))
        finally:
            store.close()
    assert (job["outcome"], job["delivery"]) == ("ok", "stream"), job["error_message"]
    assert "first_audio" in marks


FALLBACK = {
    "model": '"/model"',
    "models": '["box-1", "box-2"]',
    "default_model": '"box-2"',
    "unknown_model": '"default"',
}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            {"model": '"/model"', "unknown_model": '"default"'},
            'providers.mybox.unknown_model: "default" speaks an unknown '
            "model as default_model: declare model (where the request names it) and default_model",
        ),
        ({**FALLBACK, "model": ""}, 'providers.mybox.unknown_model: "default"'),
        ({**FALLBACK, "default_model": '"box-9"'}, "providers.mybox.default_model: 'box-9' is not among the models"),
        (
            {**FALLBACK, "unknown_model": '"maybe"'},
            "providers.mybox.unknown_model: Input should be 'refused' or 'default'",
        ),
    ],
)
def test_a_mistaken_model_fallback_is_one_line_naming_its_key(change: dict[str, str], words: str) -> None:
    with pytest.raises(UsageError) as error:
        declared_providers(_table("https://box.example", **change))
    assert words in str(error.value) and "\n" not in str(error.value)


def test_a_declared_model_fallback_is_the_familys_part_and_imitated(tmp_path: Path) -> None:
    """`unknown_model = "default"` in a file says what a built-in's `Synthesis.unknown_model` says: the sandbox speaks
    an unknown model as `default_model` with a finding naming it, and the family checks it as `model-fallback`; a
    table without it still refuses one."""
    from harness.contracts.speech_checks import checks_for
    from harness.core.protocols.http_speech import UnknownModel, service_of
    from harness.sandbox import running

    (provider,) = declared_providers(_table("https://box.example", **FALLBACK))
    (synthesis,) = service_of(provider).syntheses
    assert (synthesis.unknown_model, synthesis.default_model) == (UnknownModel.DEFAULT, "box-2")
    assert "model-fallback" in checks_for(provider) and "error-bad-model" not in checks_for(provider)
    (plain,) = declared_providers(_table("https://box.example", model='"/model"'))
    (refusing,) = service_of(plain).syntheses
    assert (refusing.unknown_model, refusing.default_model) == (UnknownModel.REFUSED, "")
    assert "error-bad-model" in checks_for(plain) and "model-fallback" not in checks_for(plain)

    path = tmp_path / "tts-harness.toml"
    path.write_text(_table("https://box.example", **FALLBACK), encoding="utf-8")
    with providers_file_in_effect(path), running(profile="fast", providers=("mybox",)) as sandbox:
        url = sandbox.base_url("mybox", "api") + "/speak"
        key = {"X-Box-Key": sandbox.default_key("mybox")}
        spoken = httpx.post(
            url,
            json={
                "input": {"text": "Spoken as the default model."},
                "voice": {"id": "slate"},
                "output": "wav",
                "model": "box-7",
            },
            headers=key,
            timeout=60,
        )
        assert spoken.status_code == 200, spoken.text
        assert decode(bytes.fromhex(spoken.json()["result"]["audio"])).duration_s > 0.5
        (finding,) = httpx.get(sandbox.url + "/_sandbox/findings").json()
        assert (finding["provider"], finding["field"]) == ("mybox", "model")
        assert "'box-7'" in finding["finding"] and "box-2" in finding["finding"]
