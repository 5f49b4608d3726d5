"""A user's own socket declares its cancel in a providers file as the built-ins do (`clear`, `cleared`, `cancel = {
message, after, quote, doc }`: `realtime_grammar.Cancel`), and `bench run --cancel-after` judges it by the one rule
(`harness.core.protocols.cancel`) against a loopback server written here, not the sandbox: the server acknowledges
the clear and sends two more audio frames, counted as frames after the acknowledgement — a violation where the
declaration quotes a promise of none. A mistake in the table is one line naming it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.core.errors import UsageError
from harness.core.protocols.realtime_grammar import AfterCancel, Kind
from harness.core.protocols.websocket_speech import socket_of
from tests.declared.test_socket_file import KEY, _file, _jobs
from tests.helpers.providers_file import declared_providers, providers_file_in_effect
from tests.helpers.realtime import LoopbackSocketServer

PIECE = b"\x00\x10\x00\xf0" * 1600  # 0.2 s of 16-bit samples at 16 kHz


def _cancel(after: str = "dropped", cleared: bool = True) -> str:
    return (
        'clear = { message = { type = "clear" } }\n'
        + ('cleared = { message = { type = "cleared" } }\n' if cleared else "")
        + f'cancel = {{ message = "clear", after = "{after}", quote = "no audio after cleared", '
        'doc = "https://box.example/docs/clear" }\n'
    )


def test_the_table_declares_a_cancel_as_a_built_in_does() -> None:
    (provider,) = declared_providers(_file("https://box.example", socket_extra=_cancel()))
    socket = socket_of(provider.channels[0])
    assert socket.cancel is not None and socket.cancel_send is socket.clear
    assert (socket.cancel.after, socket.cancel.ack, socket.cancel.doc) == (
        AfterCancel.DROPPED,
        Kind.CLEARED,
        "https://box.example/docs/clear",
    )
    assert socket.clears is not None and socket.clears.drops_speech and socket.clears.answer is not None
    (finishing,) = declared_providers(_file("https://box.example", socket_extra=_cancel("finished", cleared=False)))
    kept = socket_of(finishing.channels[0])
    assert kept.cancel is not None and kept.cancel.ack is None and kept.clears is not None
    assert not kept.clears.drops_speech


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (
            'cancel = { message = "clear", after = "dropped", quote = "q" }\n',
            'cancel.message: "clear", a message the socket does not declare',
        ),
        (
            'cleared = { message = { type = "cleared" } }\n',
            "cleared: the answer to a clear, and the socket declares no clear",
        ),
        (
            'clear = { message = { type = "clear" } }\ncancel = { message = "clear", after = "soon", quote = "q" }\n',
            "cancel.after",
        ),
    ],
)
def test_a_mistake_in_the_cancel_is_one_line(extra: str, words: str) -> None:
    with pytest.raises(UsageError, match=r"providers\.sockbox\.sockets\.live") as caught:
        declared_providers(_file("https://box.example", socket_extra=extra))
    assert words in str(caught.value) and "\n" not in str(caught.value)


class _Box(LoopbackSocketServer):
    """The declared socket as another server writes it: after its first audio it waits for the clear, answers
    cleared, and sends two more frames of the utterance anyway (then done)."""

    seen: list[dict[str, Any]]

    async def handle(self, socket: Any) -> None:
        self.seen = [json.loads(await socket.recv())]
        await socket.send(json.dumps({"type": "ready"}))
        while self.seen[-1].get("type") != "end":
            self.seen.append(json.loads(await socket.recv()))
        await socket.send(json.dumps({"type": "audio", "chunk": {"hex": PIECE.hex()}}))
        self.seen.append(json.loads(await socket.recv()))  # the clear
        await socket.send(json.dumps({"type": "cleared"}))
        for _ in range(2):
            await socket.send(json.dumps({"type": "audio", "chunk": {"hex": PIECE.hex()}}))
        await socket.send(json.dumps({"type": "done"}))
        await socket.wait_closed()


@pytest.fixture
def box() -> Iterator[_Box]:
    server = _Box()
    try:
        yield server
    finally:
        server.close()


def test_bench_run_cancel_after_judges_a_declared_cancel_on_a_server_of_its_own(
    box: _Box, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness.runner.plan.config import BenchConfig

    path = tmp_path / "tts-harness.toml"
    path.write_text(_file(box.url, socket_extra=_cancel()), encoding="utf-8")
    monkeypatch.setenv("SOCKBOX_API_KEY", KEY)
    with providers_file_in_effect(path):
        config = BenchConfig(
            out=tmp_path,
            score=False,
            report=False,
            providers=("sockbox",),  # type: ignore[call-arg]
            models=("sockbox/box-1-ws",),
            corpus=("en_read:1",),
            target=box.url,
            budget=1.0,
            concurrency=1,
            cancel_after=10.0,
        )
        (job,) = _jobs(config)
    assert box.seen[-1] == {"type": "clear"}, box.seen
    assert job["cancel_after_ms"] == 10.0 and job["cancel_after_ack_frames"] == 2, job
    assert job["cancel_after_ack_s"] == pytest.approx(0.4) and job["cancel_to_silence_ms"] >= 0
    assert job["cancel_verdict"] == "violation" and "where the documents promise none" in job["cancel_detail"]


MARKS = (
    'marks = { text = "/words", start = "/starts", end = "/ends", evidence = "our reference: a timestamps '
    'message" }\nmarks_message = { message = { type = "timestamps" } }\n'
)


class _CleanBox(LoopbackSocketServer):
    """A server that cancels as documented (issue 79): its first audio (0.2 s) with the marks of the words it holds —
    the second cut by the cancel mid-word, so its mark ends after the audio kept — then, at the clear, cleared and no
    more of the utterance."""

    seen: list[dict[str, Any]]

    async def handle(self, socket: Any) -> None:
        self.seen = [json.loads(await socket.recv())]
        await socket.send(json.dumps({"type": "ready"}))
        while self.seen[-1].get("type") != "end":
            self.seen.append(json.loads(await socket.recv()))
        words = " ".join(m["text"] for m in self.seen if m.get("type") == "text").split()[:2]
        await socket.send(
            json.dumps({"type": "timestamps", "words": words, "starts": [0.0, 0.12], "ends": [0.1, 0.35]})
        )
        await socket.send(json.dumps({"type": "audio", "chunk": {"hex": PIECE.hex()}}))
        self.seen.append(json.loads(await socket.recv()))  # the clear
        await socket.send(json.dumps({"type": "cleared"}))
        await socket.wait_closed()


def test_a_clean_cancel_leaves_no_marks_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cancelled utterance's marks are judged up to the cancel: the words after it are not missing from the
    marks, and the word the cancel cut is not beyond the audio."""
    from harness.runner.plan.config import BenchConfig

    server = _CleanBox()
    try:
        path = tmp_path / "tts-harness.toml"
        path.write_text(_file(server.url, socket_extra=_cancel() + MARKS), encoding="utf-8")
        monkeypatch.setenv("SOCKBOX_API_KEY", KEY)
        with providers_file_in_effect(path):
            config = BenchConfig(
                out=tmp_path,
                score=False,
                report=False,
                providers=("sockbox",),  # type: ignore[call-arg]
                models=("sockbox/box-1-ws",),
                corpus=("en_read:1",),
                target=server.url,
                budget=1.0,
                concurrency=1,
                cancel_after=10.0,
            )
            (job,) = _jobs(config)
    finally:
        server.close()
    assert server.seen[-1] == {"type": "clear"}, server.seen
    assert job["cancel_verdict"] == "kept" and job["cancel_after_ack_frames"] == 0, job
    assert len(job["text"].split()) > 2 and json.loads(job["timing_marks"])["marks"], job["timing_marks"]
    assert (job["marks_findings"], json.loads(job["marks_json"])["findings"]) == (0, []), job["marks_json"]
    assert job["marks_coverage"] == 1.0  # every word spoken before the cancel is marked
