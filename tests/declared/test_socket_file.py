"""A WebSocket speech provider declared entirely in a providers file (`[providers.x.sockets.<key>]`, in
`Socket`'s terms): a mistake is one line naming file and key; it is listed by `tts-harness providers`; the sandbox
imitates it from the declaration alone and the benchmark speaks it there; the contract suite records it from the
sandbox and replays it green; and the benchmark speaks to a loopback server written here that behaves unlike the
sandbox (its key in the opening, a ready answer first, hex audio at a nested pointer in several pieces, a message
the declaration does not name between them). A `like = "rime"` table (a built-in with a socket, on another server)
goes through the contract suite beside it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from harness.core.errors import UsageError
from harness.core.protocols.websocket_speech import KeyIn, socket_of
from tests.helpers.child_pytest import pytest_command
from tests.helpers.providers_file import declared_providers, providers_file_in_effect
from tests.helpers.realtime import LoopbackSocketServer

REPO = Path(__file__).resolve().parents[2]
KEY = "sockbox-key-0123456789"
SOCKET = """
[providers.sockbox.sockets.live]
path = "/live"
key = "message"
opening = {{ message = {{ type = "start", key = "{{key}}", voice = "{{voice}}", format = "{{format}}" }} }}
text = {{ message = {{ type = "text", text = "{{text}}" }} }}
end = {{ message = {{ type = "end" }} }}
ready = {{ message = {{ type = "ready" }} }}
audio = {{ message = {{ type = "audio", chunk = {{ hex = "{{audio}}" }} }} }}
audio_encoding = "hex"
final = {{ message = {{ type = "done" }} }}
error = {{ message = {{ type = "error", problem = {{ code = "{{code}}", says = "{{message}}" }} }} }}
formats = {{ raw = "pcm_s16le/16000/raw" }}
{extra}"""


def _file(base_url: str, extra: str = "", socket_extra: str = "") -> str:
    return f"""
[providers.sockbox]
protocol = "http-speech"
base_url = "{base_url}"
key_env = "SOCKBOX_API_KEY"
auth = "header"
auth_name = "X-Box-Key"
path = "/speak"
text = "/text"
voice = "/voice"
format = "/format"
formats = {{ wav = "pcm_s16le/16000/wav", raw = "pcm_s16le/16000/raw" }}
models = ["box-1"]
voices = ["ember", "slate"]
price_per_million_chars = 10
{extra}""" + SOCKET.format(extra=socket_extra)


def test_the_socket_table_becomes_a_family_socket() -> None:
    (provider,) = declared_providers(_file("https://box.example"))
    (channel,) = provider.channels
    socket = socket_of(channel)
    assert channel.signature == "WS /live" and socket.auth.where is KeyIn.MESSAGE
    audio_at, error = socket.audio_answer.at, socket.failures.error
    assert audio_at is not None and (audio_at.pointer, audio_at.encoding) == ("/chunk/hex", "hex")
    assert socket.final.match({"type": "done"}) and not socket.final.match({"type": "audio"})
    assert (error.code_at, error.message_at) == ("/problem/code", "/problem/says")
    assert socket.text.match is not None and socket.text.match({"type": "text", "text": "x"})
    assert socket.start.waits_for_ready and [f.name for f in socket.formats] == ["raw"]
    assert channel.url("https://box.example", {}, {}) == "wss://box.example/live"
    assert [o.name for o in provider.offerings] == ["box-1", "box-1-ws"]


@pytest.mark.parametrize(
    ("socket_extra", "words"),
    [
        ("speed = 2", "providers.sockbox.sockets.live.speed: unknown key"),
        ('sumary = "x"', "providers.sockbox.sockets.live.sumary: unknown key (did you mean summary?)"),  # nested
        (
            'flush = { message = { type = "flush" }, match = "type" }',
            "providers.sockbox.sockets.live.flush: match: a JSON",
        ),
        ("summary = 3", "providers.sockbox.sockets.live.summary: Input should be a valid string"),
    ],
)
def test_a_mistake_in_a_socket_table_is_one_line(socket_extra: str, words: str) -> None:
    with pytest.raises(UsageError) as raised:
        declared_providers(_file("https://box.example", socket_extra=socket_extra))
    assert words in str(raised.value) and "\n" not in str(raised.value), str(raised.value)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            'text = {{ message = {{ type = "text", text = "{{text}}" }} }}',
            'text = {{ message = {{ type = "text" }} }}',
            'providers.sockbox.sockets.live: text.message: must hold "{text}"',
        ),
        ('key = "{{key}}", ', "", 'providers.sockbox.sockets.live: opening.message: key = "message" puts the key'),
        (
            'final = {{ message = {{ type = "done" }} }}',
            'final = {{ message = {{ id = "{{context}}" }} }}',
            "providers.sockbox.sockets.live: final.match: required",
        ),
    ],
)
def test_a_socket_without_what_the_family_needs_is_one_line(
    old: str, new: str, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "SOCKET", SOCKET.replace(old, new))
    with pytest.raises(UsageError) as raised:
        declared_providers(_file("https://box.example"))
    assert words in str(raised.value) and "\n" not in str(raised.value), str(raised.value)


# --- the sandbox: listed, imitated, benchmarked, checked by the contract suite -----------------------------


def _jobs(config: Any) -> list[dict[str, Any]]:
    from harness.results.store import Store
    from harness.runner.session import run_bench_session

    result = run_bench_session(config)
    store = Store(result.db_path)
    try:
        return [asdict(row) for row in store.jobs(result.run_id)]
    finally:
        store.close()


def test_the_sandbox_imitates_it_and_the_benchmark_speaks_it(tmp_path: Path) -> None:
    from harness.runner.plan.config import BenchConfig

    path = tmp_path / "tts-harness.toml"
    path.write_text(_file("https://box.example"), encoding="utf-8")
    with providers_file_in_effect(path):
        config = BenchConfig(
            out=tmp_path,
            score=False,
            report=False,
            providers=("sockbox",),
            corpus=("en_read:2",),
            sandbox_profile="fast",
        )
        jobs = _jobs(config)
    assert sorted((j["model"], j["outcome"]) for j in jobs) == [
        ("box-1", "ok"),
        ("box-1", "ok"),
        ("box-1-ws", "ok"),
        ("box-1-ws", "ok"),
    ], [j["error_message"] for j in jobs]


LIKE_RIME = """
[providers.myrime]
like = "rime"
base_url = "http://rime.lan:9000"
key_env = "MYRIME_TTS_KEY"
"""

LIKE_ELEVENLABS = """
[providers.myeleven]
like = "elevenlabs"
base_url = "http://eleven.lan:8080"
key_env = "MYELEVEN_KEY"
models = ["eleven_flash_v2_5"]
"""


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=900, check=False)


@pytest.mark.slow
def test_providers_lists_it_and_the_contract_suite_records_and_replays_it(tmp_path: Path) -> None:
    from harness.core import declared

    path = tmp_path / "tts-harness.toml"
    path.write_text(_file("https://box.example") + LIKE_RIME + LIKE_ELEVENLABS, encoding="utf-8")
    env = {**os.environ, declared.FILE_ENV: str(path), "PYTHONPATH": str(REPO), "COLUMNS": "160"}
    listed = _run([sys.executable, "-c", "from harness.cli import main; main()", "providers", "--json"], env)
    assert listed.returncode == 0, listed.stderr
    found = {item["name"]: item for item in json.loads(listed.stdout)}
    assert [m["name"] for m in found["sockbox"]["models"]] == ["box-1", "box-1-ws"]
    assert set(found["myrime"]["hosts"].values()) == {"http://rime.lan:9000"}
    assert set(found["myeleven"]["hosts"].values()) == {"http://eleven.lan:8080"}
    select = ["-k", "sockbox or myrime or myeleven", "-q", "-rA"]
    recorded = _run(
        pytest_command("contracts/", "--tts-target", "sandbox", "--tts-record-mode=new_episodes", *select), env
    )
    assert recorded.returncode == 0, recorded.stdout[-3000:]
    for name in ("sockbox", "myrime", "myeleven"):  # the socket's own checks and the HTTP scenarios ran, for each
        assert f"PASSED contracts/test_realtime.py::test_realtime[{name}/synthesis]" in recorded.stdout
        assert f"PASSED contracts/test_scenarios.py::test_contract[{name}/" in recorded.stdout
    folder = tmp_path / "tts-harness-fixtures"
    assert {p.stem for p in (folder / "realtime" / "sockbox").glob("*.json")} >= {"synthesis", "error-bad-key"}
    replayed = _run(pytest_command("contracts/", *select), env)
    failed = re.search(r"\b[1-9]\d* (failed|errors?)\b", replayed.stdout)
    assert replayed.returncode == 0 and not failed, replayed.stdout[-3000:]


# --- a loopback server written here, unlike the sandbox ------------------------------------------------------


class _Box(LoopbackSocketServer):
    """The declared socket as another server writes it: the key checked in the opening, a ready answer, the audio
    in three hex pieces with a progress message between them (undeclared: read past), then done, then it closes."""

    seen: list[dict[str, Any]]

    async def handle(self, socket: Any) -> None:
        self.seen = []
        if socket.request.path != "/live":
            await socket.close(1008, "unknown path")
            return
        opening = json.loads(await socket.recv())
        self.seen.append(opening)
        if opening.get("key") != KEY:
            await socket.send(json.dumps({"type": "error", "problem": {"code": "auth", "says": "bad key"}}))
            await socket.close(1008, "bad key")
            return
        await socket.send(json.dumps({"type": "ready"}))
        text = ""
        while True:
            message = json.loads(await socket.recv())
            self.seen.append(message)
            if message.get("type") == "end":
                break
            text += message.get("text", "")
        samples = b"\x00\x10\x00\xf0" * (1600 * max(1, len(text) // 10))
        third = len(samples) // 3 // 2 * 2
        for index, piece in enumerate((samples[:third], samples[third : 2 * third], samples[2 * third :])):
            await socket.send(json.dumps({"type": "audio", "chunk": {"hex": piece.hex()}}))
            if index == 0:
                await socket.send(json.dumps({"type": "progress", "spoken": len(text) // 3}))
        await socket.send(json.dumps({"type": "done"}))
        await socket.close(1000)


@pytest.fixture
def box() -> Iterator[_Box]:
    server = _Box()
    try:
        yield server
    finally:
        server.close()


def test_the_benchmark_speaks_to_a_server_unlike_the_sandbox(
    box: _Box, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness.runner.plan.config import BenchConfig

    path = tmp_path / "tts-harness.toml"
    path.write_text(_file(box.url), encoding="utf-8")
    monkeypatch.setenv("SOCKBOX_API_KEY", KEY)
    with providers_file_in_effect(path):
        config = BenchConfig(
            out=tmp_path,
            score=False,
            report=False,
            providers=("sockbox",),
            models=("sockbox/box-1-ws",),
            corpus=("en_read:1",),
            target=box.url,
            budget=1.0,
            concurrency=1,
        )
        jobs = _jobs(config)
    assert [(j["model"], j["outcome"]) for j in jobs] == [("box-1-ws", "ok")], [j["error_message"] for j in jobs]
    opening, *texts = box.seen
    assert opening == {"type": "start", "key": KEY, "voice": "ember", "format": "raw"}
    assert texts[-1] == {"type": "end"} and all(t["type"] == "text" for t in texts[:-1])


def test_a_socket_says_an_unknown_model_falls_back_as_a_builtin_does() -> None:
    from harness.core.protocols.http_speech import UnknownModel

    with pytest.raises(
        UsageError,
        match=r'sockets\.live\.unknown_model: "default" speaks an unknown model as the '
        r"table's default_model: declare it",
    ):
        declared_providers(_file("https://box.example", socket_extra='unknown_model = "default"\n'))
    (provider,) = declared_providers(
        _file(
            "https://box.example",
            extra='model = "/model"\ndefault_model = "box-1"\n',
            socket_extra='unknown_model = "default"\n',
        )
    )
    assert socket_of(provider.channels[0]).unknown_model is UnknownModel.DEFAULT
    (plain,) = declared_providers(_file("https://box.example"))
    assert socket_of(plain.channels[0]).unknown_model is UnknownModel.REFUSED
