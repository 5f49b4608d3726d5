"""The socket families broken on purpose (issue 44, item 7): loopback WebSocket servers written here answer like
MiniMax's T2A socket (the WebSocket speech family, JSON messages with hex audio and a `base_resp` in each), LMNT's
speech session (the family, binary audio frames, the key in the opening message) and ElevenLabs' stream-input (a
hand-written grammar, base64 audio) — each connection with one breakage, or a good answer as the control — and
`bench run` (the library's session) runs against them.

Asserted for every run: no broken answer is stored as ok (each ends in the error class its breakage means: the
provider's code for an error frame, `protocol` where audio may be lost or the end is not the utterance's, `timeout`
for a server that never answers); the controls and the breakages that leave the audio whole (recorded as findings)
are ok; no job outlives its deadline; no traceback is printed; and no piece of the key, which the servers echo in
every form `tests.helpers.planted` knows, is in any file the run writes (rows, report, audio, what it printed).
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from harness.core.registry import providers
from harness.results.store import Store
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from tests.helpers.planted import KEY, echo, leaks
from tests.helpers.providers_file import providers_file_in_effect
from tests.helpers.realtime import ELEVEN_MODEL, LoopbackSocketServer, realtime_toml

pytestmark = pytest.mark.clock  # the sockets stall and drip on the real clock

ECHO = echo(KEY)
JOB_TIMEOUT_S = 3.0
SLACK_S = 2.5  # a job cut at its deadline ends within the deadline's grace for the cut work (deadline.CANCEL_GRACE_S)
COUNTS: dict[str, dict[str, int]] = {}  # family -> the closing note's counts (printed at the end of each test)


# --- what a server does, step by step -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Close:
    code: int = 1000
    reason: str = ""


@dataclass(frozen=True)
class Abort:
    """Drop the connection without a close frame."""


@dataclass(frozen=True)
class Stay:
    """Keep the socket open until the client closes it."""


Step = str | bytes | Close | Abort | Stay


@dataclass(frozen=True)
class Case:
    """One connection's answer: what the server does once the client ended its text (`steps`), or before (`early`:
    `refuse` the upgrade, `hang` the handshake, stay `silent` once open), and what the job must end as (`expect`:
    "ok", or the error class). `finding`: a breakage that leaves the audio whole (ok, recorded)."""

    name: str
    expect: str
    steps: tuple[Step, ...] = ()
    early: str = ""
    finding: bool = False

    @property
    def broken(self) -> bool:
        return self.expect != "ok" or self.finding


def _tone(seconds: float, rate: int) -> bytes:
    t = np.arange(round(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2").tobytes()


class Protocol:
    """How one provider's client talks: what the server answers each client message, and when the text is done."""

    greeting: tuple[str, ...] = ()
    closes_on: str = ""  # the client message after which the server closes ("" : right after the steps)

    def answer(self, message: Any) -> tuple[tuple[str, ...], bool]:
        """The frames that answer one client message, and whether the utterance's text is now complete."""
        raise NotImplementedError

    def text_of(self, message: Any) -> str:
        return ""

    def kind_of(self, message: Any) -> str:
        return ""


class HostileServer(LoopbackSocketServer):
    """Connection n gets case n: its early breakage, the protocol's answers, then its steps. Keeps what each
    connection was sent as text (to tie the jobs' rows to the cases)."""

    def __init__(self, protocol: Protocol, cases: Sequence[Case]) -> None:
        self.protocol, self.cases = protocol, list(cases)
        self.texts: list[str] = ["" for _ in cases]
        self.opened = 0
        self.lock = threading.Lock()
        self.released: asyncio.Event | None = None
        super().__init__()

    async def _start(self) -> int:
        from websockets.asyncio.server import serve

        self.released = asyncio.Event()
        quiet = logging.getLogger(f"{__name__}.server")  # a client cut off mid-handshake is this server's plan
        quiet.disabled = True
        self.server = await serve(
            self.handle, "127.0.0.1", 0, process_request=self._upgrade, max_size=None, logger=quiet
        )
        return int(self.server.sockets[0].getsockname()[1])

    def close(self) -> None:
        if self.released is not None:
            self.loop.call_soon_threadsafe(self.released.set)
        super().close()

    async def _upgrade(self, connection: Any, request: Any) -> Any:
        with self.lock:
            index, self.opened = self.opened, self.opened + 1
        connection.case = index
        case = self._case(index)
        if case.early == "refuse":
            body = json.dumps({"base_resp": {"status_code": 1004, "status_msg": f"invalid key {ECHO}"}})
            return connection.respond(HTTPStatus.UNAUTHORIZED, body)
        if case.early == "hang":
            assert self.released is not None
            await self.released.wait()  # the handshake is never answered
        return None

    def _case(self, index: int) -> Case:
        return self.cases[index] if index < len(self.cases) else Case("extra", "ok")

    async def handle(self, socket: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        index = socket.case
        case = self._case(index)
        try:
            if case.early == "silent":
                await socket.wait_closed()
                return
            for frame in self.protocol.greeting:
                await socket.send(frame)
            async for raw in socket:
                message = json.loads(raw)
                if index < len(self.texts):
                    self.texts[index] += self.protocol.text_of(message)
                answers, done = self.protocol.answer(message)
                for frame in answers:
                    await socket.send(frame)
                if done:
                    await self._steps(socket, case)
                    return
        except ConnectionClosed:
            return

    async def _steps(self, socket: Any, case: Case) -> None:
        for step in case.steps:
            if isinstance(step, Close):
                await socket.close(step.code, step.reason)
                return
            if isinstance(step, Abort):
                socket.transport.abort()
                return
            if isinstance(step, Stay):
                await socket.wait_closed()
                return
            await socket.send(step)
        if self.protocol.closes_on:
            async for raw in socket:  # the client's last word, then the server closes
                if self.protocol.kind_of(json.loads(raw)) == self.protocol.closes_on:
                    break
        await socket.close(1000)


# --- the three providers --------------------------------------------------------------------------------------------

MINIMAX_RATE = 32000
OK_RESP = {"status_code": 0, "status_msg": "success"}


def _mm(event: str, **extra: Any) -> str:
    return json.dumps({"event": event, "session_id": "s-1", "trace_id": "t-1", "base_resp": OK_RESP, **extra})


def _mm_audio(audio: bytes | str, *, last: bool = False, resp: dict[str, Any] | None = None) -> str:
    text = audio if isinstance(audio, str) else audio.hex()
    return json.dumps(
        {
            "data": {"audio": text},
            "is_final": last,
            "session_id": "s-1",
            "trace_id": "t-1",
            "base_resp": resp or OK_RESP,
        }
    )


def _mm_failed(code: int, message: str) -> str:
    return json.dumps(
        {
            "event": "task_failed",
            "session_id": "s-1",
            "trace_id": "t-1",
            "base_resp": {"status_code": code, "status_msg": message},
        }
    )


class MiniMax(Protocol):
    greeting = (_mm("connected_success"),)

    def answer(self, message: Any) -> tuple[tuple[str, ...], bool]:
        event = message.get("event")
        if event == "task_start":
            return (_mm("task_started"),), False
        return (), event == "task_finish"

    def text_of(self, message: Any) -> str:
        return str(message.get("text", "")) if message.get("event") == "task_continue" else ""


TONE = _tone(0.1, MINIMAX_RATE)
SPOKEN = (_mm_audio(TONE), _mm_audio(TONE), _mm_audio(TONE, last=True))
FINISHED = _mm("task_finished")

MINIMAX_CASES = (
    Case("good", "ok", (*SPOKEN, FINISHED)),
    Case("good-again", "ok", (*SPOKEN, FINISHED)),
    Case("not-json", "protocol", (SPOKEN[0], "this is not JSON", *SPOKEN[1:], FINISHED)),
    Case("cut-mid-message", "protocol", (SPOKEN[0], SPOKEN[1][: len(SPOKEN[1]) // 2], SPOKEN[2], FINISHED)),
    Case("bad-hex", "protocol", (SPOKEN[0], _mm_audio("zz" + TONE.hex()[2:]), SPOKEN[2], FINISHED)),
    Case("odd-hex", "protocol", (SPOKEN[0], _mm_audio(TONE.hex()[:-1]), SPOKEN[2], FINISHED)),
    Case(
        "audio-not-a-string",
        "protocol",
        (SPOKEN[0], json.dumps({"data": {"audio": 12345}, "is_final": False, "base_resp": OK_RESP}), FINISHED),
    ),
    Case("error-frame-auth-echoing-key", "auth", (SPOKEN[0], _mm_failed(1004, f"not authorized: {ECHO}"))),
    Case("error-frame-rate-limit", "rate_limit", (SPOKEN[0], SPOKEN[1], _mm_failed(1002, "rate limit"))),
    Case("error-frame-invalid-input", "validation", (SPOKEN[0], _mm_failed(2013, "invalid params"))),
    Case("error-frame-balance", "balance", (SPOKEN[0], _mm_failed(1008, "insufficient balance"))),
    Case("error-frame-server", "server", (*SPOKEN, _mm_failed(1000, "unknown error"))),
    Case("error-frame-then-silence", "auth", (SPOKEN[0], _mm_failed(1004, "not authorized"), Stay())),
    Case(
        "audio-carrying-an-error-code",
        "validation",
        (SPOKEN[0], _mm_audio(TONE, resp={"status_code": 2013, "status_msg": "invalid params"}), FINISHED),
    ),
    Case(
        "final-carrying-an-error-code",
        "server",
        (
            *SPOKEN,
            json.dumps({"event": "task_finished", "base_resp": {"status_code": 1024, "status_msg": "internal error"}}),
        ),
    ),
    Case(
        "undeclared-error-shape",
        "rate_limit",
        (SPOKEN[0], json.dumps({"type": "error", "error": {"code": 429, "message": "slow down"}}), Close(1000)),
    ),
    Case("closed-before-final", "protocol", (*SPOKEN, Close(1000))),
    Case("error-close-before-final", "server", (SPOKEN[0], Close(1011, "internal error"))),
    Case("dropped-before-final", "transport", (SPOKEN[0], Abort())),
    Case("audio-after-final", "protocol", (*SPOKEN, FINISHED, _mm_audio(TONE))),
    Case("binary-frame-for-json-audio", "protocol", (SPOKEN[0], TONE, SPOKEN[2], FINISHED)),
    Case(
        "audio-message-breaking-its-schema",
        "protocol",
        (SPOKEN[0], json.dumps({"data": {"audio": TONE.hex()}}), SPOKEN[2], FINISHED),
    ),
    Case(
        "unknown-message-carrying-audio",
        "protocol",
        (SPOKEN[0], json.dumps({"event": "audio_chunk", "chunk": TONE.hex()}), SPOKEN[2], FINISHED),
    ),
    Case("no-audio", "protocol", (FINISHED,)),
    Case("empty-audio", "protocol", (_mm_audio(""), _mm_audio("", last=True), FINISHED)),
    Case("audio-not-the-declared-format", "protocol", (_mm_audio(TONE[:-1]), FINISHED)),
    Case("refused-upgrade-echoing-key", "auth", early="refuse"),
    Case("silent-after-accept", "timeout", early="silent"),
    Case("handshake-never-answered", "timeout", early="hang"),
    Case("unknown-message-after-final", "ok", (*SPOKEN, FINISHED, json.dumps({"event": "heartbeat"})), finding=True),
    Case("error-close-after-final", "ok", (*SPOKEN, FINISHED, Close(1011, "bye")), finding=True),
    Case("never-closes-after-final", "ok", (*SPOKEN, FINISHED, Stay()), finding=True),
)

LMNT_RATE = 24000
LMNT_TONE = _tone(0.1, LMNT_RATE)


class Lmnt(Protocol):
    closes_on = "finish"

    def answer(self, message: Any) -> tuple[tuple[str, ...], bool]:
        kind = message.get("type")
        if kind == "init":
            return (json.dumps({"type": "ready", "request_id": "r-1"}),), False
        return (), kind == "flush"

    def text_of(self, message: Any) -> str:
        return str(message.get("text", "")) if message.get("type") == "text" else ""

    def kind_of(self, message: Any) -> str:
        return str(message.get("type", ""))


FLUSHED = json.dumps({"type": "flush_complete", "nonce": 1})


def _lmnt_error(kind: str, message: str) -> str:
    return json.dumps({"type": "error", "error": {"type": kind, "message": message}, "request_id": "r-1"})


LMNT_CASES = (
    Case("good", "ok", (LMNT_TONE, LMNT_TONE, FLUSHED)),
    Case("good-again", "ok", (LMNT_TONE, LMNT_TONE, FLUSHED)),
    Case("not-json", "protocol", (LMNT_TONE, "{'type': 'audio'", LMNT_TONE, FLUSHED)),
    Case(
        "json-audio-for-binary-audio",
        "protocol",
        (LMNT_TONE, json.dumps({"type": "audio", "audio": base64.b64encode(LMNT_TONE).decode()}), FLUSHED),
    ),
    Case("error-frame-auth-echoing-key", "auth", (LMNT_TONE, _lmnt_error("authentication_error", f"bad key {ECHO}"))),
    Case("error-frame-rate-limit", "rate_limit", (LMNT_TONE, _lmnt_error("rate_limit_error", "Too many requests"))),
    Case("error-frame-payment", "balance", (_lmnt_error("payment_required_error", "Character quota exhausted"),)),
    Case("closed-before-final", "protocol", (LMNT_TONE, Close(1000))),
    Case("audio-after-final", "protocol", (LMNT_TONE, FLUSHED, LMNT_TONE)),
    Case("no-audio", "protocol", (FLUSHED,)),
    Case("audio-not-the-declared-format", "protocol", (LMNT_TONE[:-1], FLUSHED)),
    Case(
        "unknown-message-between-audio",
        "ok",
        (LMNT_TONE, json.dumps({"type": "metrics", "ms": 12}), LMNT_TONE, FLUSHED),
        finding=True,
    ),
)

ELEVEN_RATE = 24000
ELEVEN_TONE = base64.b64encode(_tone(0.1, ELEVEN_RATE)).decode()


class ElevenLabs(Protocol):
    def answer(self, message: Any) -> tuple[tuple[str, ...], bool]:
        return (), message.get("text") == ""

    def text_of(self, message: Any) -> str:
        text = str(message.get("text", ""))
        return text if text.strip() else ""


def _el_audio(audio: str) -> str:
    return json.dumps({"audio": audio, "isFinal": None})


EL_FINAL = json.dumps({"isFinal": True})

ELEVEN_CASES = (
    Case("good", "ok", (_el_audio(ELEVEN_TONE), _el_audio(ELEVEN_TONE), EL_FINAL)),
    Case("good-again", "ok", (_el_audio(ELEVEN_TONE), EL_FINAL)),
    Case("base64-with-stray-characters", "protocol", (_el_audio(ELEVEN_TONE[:40] + "!*" + ELEVEN_TONE[42:]), EL_FINAL)),
    Case("base64-cut-padding", "protocol", (_el_audio(ELEVEN_TONE), _el_audio(ELEVEN_TONE[:-1]), EL_FINAL)),
    Case("not-json", "protocol", (_el_audio(ELEVEN_TONE), "<html>502 Bad Gateway</html>", EL_FINAL)),
    Case(
        "error-frame-auth-echoing-key",
        "auth",
        (
            _el_audio(ELEVEN_TONE),
            json.dumps({"message": f"Invalid API key {ECHO}", "error": "invalid_api_key", "code": 1008}),
        ),
    ),
    Case(
        "error-frame-quota",
        "balance",
        (
            _el_audio(ELEVEN_TONE),
            json.dumps({"message": "This request exceeds your quota.", "error": "quota_exceeded"}),
            Close(1008, "quota"),
        ),
    ),
    Case("policy-close-before-final", "auth", (_el_audio(ELEVEN_TONE), Close(1008, "Invalid API key"))),
    Case("audio-after-final", "protocol", (_el_audio(ELEVEN_TONE), EL_FINAL, _el_audio(ELEVEN_TONE))),
    Case("no-audio", "protocol", (EL_FINAL,)),
    Case("binary-frame-for-json-audio", "protocol", (_el_audio(ELEVEN_TONE), base64.b64decode(ELEVEN_TONE), EL_FINAL)),
)


# --- the runs -------------------------------------------------------------------------------------------------------


def _run(tmp_path: Path, server: HostileServer, name: str, model: str, *, report: bool = False) -> list[dict[str, Any]]:
    config = BenchConfig(
        out=tmp_path / "out",
        score=False,
        report=report,
        providers=(name,),
        models=(model,),  # type: ignore[call-arg]
        corpus=(f"en_read:{len(server.cases)}",),
        target=server.url,
        concurrency=1,
        budget=5.0,
        job_timeout=JOB_TIMEOUT_S,
    )
    result = run_bench_session(config, providers={name: providers()[name]})
    store = Store(result.db_path)
    try:
        rows = [asdict(row) for row in store.jobs(result.run_id)]
        errors = [dict(row) for row in store.query("SELECT message FROM errors")]
    finally:
        store.close()
    assert not any("Traceback" in str(e["message"]) for e in errors)
    return sorted(rows, key=lambda row: row["seq"])


def _judge(
    family: str, cases: Sequence[Case], server: HostileServer, rows: list[dict[str, Any]], out: Path, printed: str
) -> None:
    assert len(rows) == len(cases) and server.opened == len(cases)
    # Jobs run one at a time in plan order: connection n is row n (checked wherever the server was sent the text).
    for case, row, text in zip(cases, rows, server.texts, strict=True):
        if text:
            assert " ".join(text.split()) == " ".join(str(row["text"]).split()), case.name
    outcomes = {
        case.name: (row["outcome"], row["error_class"], row["error_message"])
        for case, row in zip(cases, rows, strict=True)
    }
    ok_when_broken = [c.name for c, r in zip(cases, rows, strict=True) if c.expect != "ok" and r["outcome"] == "ok"]
    wrong = {
        c.name: outcomes[c.name] for c, r in zip(cases, rows, strict=True) if (r["error_class"] or "ok") != c.expect
    }
    hung = [
        c.name
        for c, r in zip(cases, rows, strict=True)
        if r["total_ms"] is None or r["total_ms"] > (JOB_TIMEOUT_S + SLACK_S) * 1000
    ]
    (out / "terminal.txt").write_text(printed, encoding="utf-8")
    key_hits = leaks(out, KEY)
    COUNTS[family] = {
        "breakages": sum(c.broken for c in cases),
        "controls": sum(not c.broken for c in cases),
        "ok_when_broken": len(ok_when_broken),
        "hung": len(hung),
        "tracebacks": printed.count("Traceback"),
        "key_hits": len(key_hits),
    }
    print(f"\n{family}: {COUNTS[family]}")
    assert ok_when_broken == [], outcomes
    assert wrong == {}, wrong
    assert hung == [], {name: rows[i]["total_ms"] for i, name in enumerate(c.name for c in cases) if name in hung}
    assert "Traceback" not in printed
    assert key_hits == [], key_hits[:5]
    # What is ok was kept, as audio; what is not left no audio behind.
    kept = {c.name: r["audio_path"] for c, r in zip(cases, rows, strict=True)}
    assert all(kept[c.name] and (out / kept[c.name]).is_file() for c in cases if c.expect == "ok"), kept
    assert not any(kept[c.name] for c in cases if c.expect != "ok"), kept


@pytest.fixture
def serve() -> Iterator[Callable[[Protocol, Sequence[Case]], HostileServer]]:
    running: list[HostileServer] = []

    def start(protocol: Protocol, cases: Sequence[Case]) -> HostileServer:
        running.append(HostileServer(protocol, cases))
        return running[-1]

    yield start
    for server in running:
        server.close()


def test_the_family_json_socket_broken_every_way(
    tmp_path: Path, serve: Any, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    server = serve(MiniMax(), MINIMAX_CASES)
    monkeypatch.setenv(providers()["minimax"].key_env, KEY)
    rows = _run(tmp_path, server, "minimax", "speech-2.8-hd-ws", report=True)
    captured = capfd.readouterr()
    _judge(
        "websocket-speech (MiniMax, JSON hex audio)",
        MINIMAX_CASES,
        server,
        rows,
        tmp_path / "out",
        captured.out + captured.err,
    )


def test_the_family_binary_socket_broken_every_way(
    tmp_path: Path, serve: Any, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    server = serve(Lmnt(), LMNT_CASES)
    monkeypatch.setenv(providers()["lmnt"].key_env, KEY)
    rows = _run(tmp_path, server, "lmnt", "blizzard-ws")
    captured = capfd.readouterr()
    _judge(
        "websocket-speech (LMNT, binary audio, key in the opening)",
        LMNT_CASES,
        server,
        rows,
        tmp_path / "out",
        captured.out + captured.err,
    )


def test_a_hand_written_grammar_broken_every_way(
    tmp_path: Path, serve: Any, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    server = serve(ElevenLabs(), ELEVEN_CASES)
    path = tmp_path / "tts-harness.toml"
    path.write_text(realtime_toml(eleven_url=server.url), encoding="utf-8")
    monkeypatch.setenv("ELEVEN_TEST_KEY", KEY)
    with providers_file_in_effect(path):
        rows = _run(tmp_path, server, "eleven", ELEVEN_MODEL)
    captured = capfd.readouterr()
    _judge(
        "realtime grammar (ElevenLabs stream-input)",
        ELEVEN_CASES,
        server,
        rows,
        tmp_path / "out",
        captured.out + captured.err,
    )
