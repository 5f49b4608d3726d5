"""The contract suite's cancel check (`harness.contracts.realtime_checks`, plan "cancel") against two servers: the
sandbox, which does what each socket's documents say of a cancel and, with its `after_cancel` drift, sends the speech
on anyway; and a loopback server written here, not the sandbox, speaking Deepgram's socket in its own way — one that
acknowledges the Clear and stops, one that acknowledges it and keeps talking. The well-behaved ones pass, the others
are named as breaking what the documents promise."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from harness.contracts.frame_checks import FrameFindings
from harness.contracts.realtime_checks import RealtimeTarget, judge, plans, run_check, sandbox_paced
from harness.core.registry import providers
from tests.helpers.realtime import LoopbackSocketServer

PCM = bytes(4800)  # 0.1 s of 16-bit samples at 24 kHz
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cancel-servers")]  # a sandbox of its own: Piper warms up


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running("fast", 5, providers=("deepgram", "cartesia")) as sb:
        yield sb


def _drift(sandbox: Any, streams: dict[str, str]) -> None:
    token = {"X-Sandbox-Token": sandbox.control_token} if sandbox.control_token else {}
    answer = httpx.post(sandbox.url + "/_sandbox/drift", json={"streams": streams}, headers=token)
    assert answer.status_code == 200, answer.text


def _cancel_check(target: RealtimeTarget, *, paced: bool) -> FrameFindings:
    plan = plans(target)["cancel"]()
    session = asyncio.run(run_check(target, sandbox_paced(plan) if paced else plan))
    return judge(target, plan, session)


def _sandboxed(sandbox: Any, provider: str, channel: str) -> RealtimeTarget:
    found = providers()[provider]
    host = found.channel(channel).host
    return RealtimeTarget(found, sandbox.base_url(provider, host), sandbox.default_key(provider), channel_key=channel)


@pytest.mark.parametrize(("provider", "channel"), [("deepgram", "speak.streaming"), ("cartesia", "tts.websocket")])
def test_the_sandbox_cancels_as_documented_and_its_drift_is_caught(sandbox: Any, provider: str, channel: str) -> None:
    target = _sandboxed(sandbox, provider, channel)
    _drift(sandbox, {provider: ""})
    kept = _cancel_check(target, paced=True)
    assert not kept.violations, kept.text()
    _drift(sandbox, {provider: "after_cancel"})
    try:
        broken = _cancel_check(target, paced=True)
    finally:
        _drift(sandbox, {provider: ""})
    assert [v.rule for v in broken.violations] == ["cancel"], broken.text()
    assert "where the documents promise none" in broken.violations[0].got


class DeepgramLike(LoopbackSocketServer):
    """Deepgram's `/v1/speak` as this test writes it: audio for a Flush, every 40 ms, ended by Flushed; a Clear
    answered by Cleared, the rest of the audio dropped (`obeys`) or sent on anyway."""

    def __init__(self, *, obeys: bool) -> None:
        self.obeys = obeys
        super().__init__()

    async def handle(self, socket: Any) -> None:
        speaking: asyncio.Task[None] | None = None

        async def speak() -> None:
            for _ in range(15):
                await socket.send(PCM)
                await asyncio.sleep(0.04)  # the server's own pace (0.1 s of audio every 40 ms)
            await socket.send(json.dumps({"type": "Flushed", "sequence_id": 0}))

        async for message in socket:
            kind = json.loads(message).get("type")
            if kind == "Flush":
                speaking = asyncio.create_task(speak())
            elif kind == "Clear":
                if self.obeys and speaking is not None:
                    speaking.cancel()
                await socket.send(json.dumps({"type": "Cleared", "sequence_id": 0}))
        if speaking is not None:
            speaking.cancel()


@pytest.mark.parametrize("obeys", [True, False], ids=["stops", "keeps-sending"])
def test_a_loopback_server_is_judged_by_what_it_does_after_the_ack(obeys: bool) -> None:
    server = DeepgramLike(obeys=obeys)
    try:
        found = _cancel_check(
            RealtimeTarget(providers()["deepgram"], server.url, "loopback-key", channel_key="speak.streaming"),
            paced=False,
        )
    finally:
        server.close()
    if obeys:
        assert not found.violations, found.text()
    else:
        assert [v.rule for v in found.violations] == ["cancel"], found.text()
        assert "after the acknowledgement" in found.violations[0].got


def test_bench_run_names_the_after_cancel_drift_and_history_flags_it(sandbox: Any, tmp_path: Any) -> None:
    """`bench run --cancel-after` on Cartesia's socket, as documented and then with the `after_cancel` drift (its
    first chunks paced at playback speed, as the contract suite's check asks, so the cancel meets speech still to
    come): the second run's cancel is a violation in the summary's cancels, and the history of the two fails its gate
    naming the offering (the cancel check's own rule, `harness.checks.cancel`; the CLI's exit 1 is
    `analysis.fails`)."""
    from harness.checks.cancel import VIEWS
    from harness.contracts.realtime_checks import CANCEL_STALLS
    from harness.core.target import FAULT_HEADER
    from harness.history import analyse, read_history
    from harness.results import Store
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session
    from harness.runner.summary.checks_view import own_sections
    from harness.runner.summary.format import Lines

    said = []
    for drift in ("", "after_cancel"):
        _drift(sandbox, {"cartesia": drift})
        try:
            result = run_bench_session(
                BenchConfig(
                    out=tmp_path,
                    models=("cartesia/sonic-3",),
                    corpus=("en_read:1",),
                    report=False,
                    score=False,
                    target=sandbox.url,
                    budget=5.0,
                    concurrency=1,
                    cancel_after=100.0,
                ),
                headers=lambda *_: {FAULT_HEADER: f"stall-{CANCEL_STALLS}"},
            )
        finally:
            _drift(sandbox, {"cartesia": ""})
        store = Store(result.db_path)
        try:
            rows = store.jobs(result.run_id)  # a job's row holds the cancel_* columns the figures read
        finally:
            store.close()
        view = VIEWS.section(VIEWS.figures(rows))
        said.append(
            " ".join(line for s in own_sections([view] if view else []) if isinstance(s, Lines) for line in s.lines)
        )
    assert "0 broke what the documents promise" in said[0] and "1 broke what the documents promise" in said[1], said
    analysis = analyse(read_history(tmp_path / "runs.db", None, None))
    flagged = dict(analysis.own_worse)["cancel"]
    assert analysis.fails and [(w.provider, w.model) for w in flagged] == [("cartesia", "sonic-3")]
