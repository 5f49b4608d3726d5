"""Recorded WebSocket sessions replay with their timing: every committed recording (fixtures/realtime/,
one provider per protocol) replays from the loopback replay server and passes its check and its
first-audio promise; a replayed session reproduces its recorded offsets; a slower first frame or a
frame-order change is caught offline. Only the replay server waits (to its recorded offsets)."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pytest

import harness.speech  # noqa: F401  (loaded here once: pytester's in-process runs would load numpy again)
from harness.contracts.realtime_checks import WRONG_KEY, RealtimeTarget, plans, run_check
from harness.contracts.recording import recorded_secrets_free
from harness.contracts.replay_socket import judge_replayed, replay_check
from harness.core import declared
from harness.core.protocols.realtime_grammar import Direction, Frame, Session
from harness.core.spec import Provider
from harness.core.target import sandbox_key
from tests.helpers.loop_timing import FLOOR_MS, tolerance_ms, watched
from tests.helpers.realtime import realtime_toml

SESSIONS = Path(__file__).resolve().parents[2] / "fixtures" / "realtime"  # the repository's test data
RECORDINGS = sorted(SESSIONS.glob("*/*.json"))


def _provider(name: str) -> Provider:
    file = declared.parse(realtime_toml(), Path("tts-harness.toml"))
    return next(p for p in file.providers() if p.name == name)


def _recording(provider: str, check: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SESSIONS / provider / f"{check}.json").read_text("utf-8"))
    return data


def test_every_protocol_has_recordings() -> None:
    assert {path.parent.name for path in RECORDINGS} == {"eleven", "carte", "dgram"}


def test_no_recording_holds_a_key() -> None:
    keys = {name: sandbox_key(name) for name in ("eleven", "carte", "dgram")} | {"wrong": WRONG_KEY}
    assert recorded_secrets_free(RECORDINGS, keys) == []


@pytest.mark.parametrize("path", RECORDINGS, ids=[f"{p.parent.name}/{p.stem}" for p in RECORDINGS])
def test_a_committed_recording_replays_and_passes(path: Path) -> None:
    _, found = judge_replayed(_provider(path.parent.name), path.stem, json.loads(path.read_text("utf-8")))
    assert not found.violations, found.text()


def _expected(recorded: Session, replayed: Session) -> list[tuple[str, float]]:
    """Each received frame and when the replay promises it, in ms from the client's first message: its
    recorded offset, or when the replayed client sent the message it followed, whichever is later (a frame
    before any client message is timed from the open: its offset, give or take the handshake)."""
    first, replayed_first = recorded.sent()[0].t_s, replayed.sent()[0].t_s
    sent = [(f.t_s - replayed_first) * 1000 for f in replayed.sent()]
    expected, seen = [], 0
    for frame in recorded.frames:
        if frame.direction is Direction.SEND:
            seen += 1
            continue
        offset = (frame.t_s - first) * 1000
        expected.append((_what(frame), max(offset, sent[seen - 1]) if seen else offset))
    return expected


def _what(frame: Frame) -> str:
    return (frame.text or "")[:40] if frame.data is None else f"{len(frame.data)} bytes"


async def _replayed_with_tolerance(provider: str, check: str, recorded: Session) -> tuple[Session, float]:
    """The replayed session, and the lateness it may show: measured on this loop before the replay and
    while it runs (a frame may be as late as the loop's own timers were, and no later)."""
    before = await tolerance_ms()
    async with watched() as watch:
        replayed = await replay_check(_provider(provider), check, recorded)
    return replayed, max(before, FLOOR_MS + 3.0 * watch.worst_ms)


@pytest.mark.parametrize(
    ("provider", "check"), [("eleven", "streamed-input"), ("carte", "synthesis"), ("dgram", "streamed-input")]
)
def test_a_replayed_session_reproduces_its_offsets(provider: str, check: str) -> None:
    recorded = Session.from_json(_recording(provider, check))
    replayed, tolerance = asyncio.run(_replayed_with_tolerance(provider, check, recorded))
    first = replayed.sent()[0].t_s
    got = [(_what(f), (f.t_s - first) * 1000) for f in replayed.received()]
    want = _expected(recorded, replayed)
    assert [what for what, _ in got] == [what for what, _ in want]  # the same frames, in the same order
    previous = float("-inf")
    for (what, at), (_, expected) in zip(got, want, strict=True):
        # Never early (a replay that ignored the offsets would be); late by at most the loop's tolerance
        # after it was due or after the frame before it reached the client (a burst waits on the client).
        assert expected - 1.0 <= at <= max(expected, previous) + tolerance, (
            f"{what}: {at:.1f} ms, due {expected:.1f} ms, the frame before at {previous:.1f} ms"
        )
        previous = at


def _delayed(data: dict[str, Any], ms: float) -> dict[str, Any]:
    """The recording with every server frame from the first one on (and the close) `ms` later."""
    later = copy.deepcopy(data)
    first = next(i for i, f in enumerate(later["frames"]) if f["dir"] == Direction.RECV.value)
    for frame in later["frames"][first:]:
        frame["t_ms"] += ms if frame["dir"] == Direction.RECV.value else 0
    later["closing"]["t_ms"] += ms
    return later


def test_a_slower_first_frame_is_caught_offline() -> None:
    data = _recording("carte", "synthesis")
    _, found = judge_replayed(_provider("carte"), "synthesis", _delayed(data, 300.0))
    late = [v for v in found.violations if v.rule == "timing"]
    assert len(late) == 1, found.text()
    assert late[0].expected == f"first audio within {data['first_audio_within_ms']} ms (first_audio_within_ms)"


def test_a_frame_order_change_is_caught_offline() -> None:
    data = copy.deepcopy(_recording("eleven", "streamed-input"))
    frames = data["frames"]
    final = next(
        i
        for i, f in enumerate(frames)
        if '"isFinal": true' in (f.get("text") or "").replace('"isFinal":true', '"isFinal": true')
    )
    audio = next(i for i, f in enumerate(frames) if f["dir"] == "recv" and '"audio"' in (f.get("text") or ""))
    frames[audio]["text"], frames[final]["text"] = frames[final]["text"], frames[audio]["text"]  # final first
    _, found = judge_replayed(_provider("eleven"), "streamed-input", data)
    assert any(v.rule == "order" for v in found.violations), found.text()


@pytest.mark.parametrize("delay_ms", [0.0, 300.0], ids=["as-recorded", "first-frame-later"])
def test_the_suite_replays_a_kept_session_with_its_promise(
    pytester: pytest.Pytester, tmp_path: Path, delay_ms: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pytest contracts/test_realtime.py` (replay, the default) over a providers file's fixtures folder:
    the session as recorded passes; its first frame later than its promise fails, saying so."""
    from tests.helpers.providers_file import providers_file_in_effect

    # The packaged module reads the declared providers when imported: import it afresh under this file.
    monkeypatch.delitem(sys.modules, "harness.contracts.suite.test_realtime", raising=False)

    fixtures = tmp_path / "fixtures"
    kept = fixtures / "realtime" / "carte" / "synthesis.json"
    kept.parent.mkdir(parents=True)
    data = _recording("carte", "synthesis")
    kept.write_text(json.dumps(_delayed(data, delay_ms) if delay_ms else data), encoding="utf-8")
    providers = tmp_path / "tts-harness.toml"
    providers.write_text(realtime_toml(), encoding="utf-8")
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    suite = SESSIONS.parents[1] / "contracts" / "test_realtime.py"
    (pytester.path / "test_realtime.py").write_text(suite.read_text(encoding="utf-8"), encoding="utf-8")
    with providers_file_in_effect(providers):
        result = pytester.runpytest("-p", "no:cacheprovider", f"--tts-fixtures-dir={fixtures}", "-k", "carte/synthesis")
    if not delay_ms:
        result.assert_outcomes(passed=1)
        return
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            f"*/timing/first_audio: expected first audio within "
            f"{data['first_audio_within_ms']} ms (first_audio_within_ms), got * ms*"
        ]
    )


PAUSES_S = (0.09, 0.04, 0.06)  # the loopback server's own pace: before its first audio, then between frames


async def _paced_speaker(socket: Any) -> None:
    """A Deepgram-style server written here, paced unlike the sandbox: Metadata at once; after the Flush,
    audio frames PAUSES_S apart, then Flushed; it closes after the client's Close."""
    metadata = {
        "type": "Metadata",
        "request_id": "r-1",
        "model_name": "aura",
        "model_version": "1",
        "model_uuid": "u-1",
    }
    await socket.send(json.dumps(metadata))
    async for message in socket:
        kind = json.loads(message)["type"]
        if kind == "Flush":
            for pause in PAUSES_S:
                await asyncio.sleep(pause)  # the server's pace, recorded and then replayed
                await socket.send(b"\x01\x00" * 2400)
            await socket.send(json.dumps({"type": "Flushed", "sequence_id": 0}))
        elif kind == "Close":
            await socket.close(1000)
            return


async def _record_then_replay() -> tuple[Session, Session, float]:
    from websockets.asyncio.server import serve

    async with serve(_paced_speaker, "127.0.0.1", 0) as server:
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        provider = next(
            p for p in declared.parse(realtime_toml(deepgram_url=url), Path("t.toml")).providers() if p.name == "dgram"
        )
        recorded = await run_check(
            RealtimeTarget(provider, url, "loopback-key"), plans(RealtimeTarget(provider, url, ""))["streamed-input"]()
        )
    kept = Session.from_json(json.loads(json.dumps(recorded.to_json())))  # as a fixture keeps it
    before = await tolerance_ms()
    async with watched() as watch:
        replayed = await replay_check(provider, "streamed-input", kept)
    return kept, replayed, max(before, FLOOR_MS + 3.0 * watch.worst_ms)


def test_a_session_recorded_from_a_loopback_server_replays_at_its_pace() -> None:
    recorded, replayed, tolerance = asyncio.run(_record_then_replay())
    first = replayed.sent()[0].t_s
    got = [(f.t_s - first) * 1000 for f in replayed.received()]
    want = [at for _, at in _expected(recorded, replayed)]
    assert len(got) == len(want) == 5  # Metadata, three audio frames, Flushed
    for at, due in zip(got, want, strict=True):
        assert due - tolerance <= at <= due + tolerance, f"{at:.1f} ms, due {due:.1f} ms"
    gaps = [b - a for a, b in itertools.pairwise(got[1:4])]
    assert all(gap >= pause * 1000 - tolerance for gap, pause in zip(gaps, PAUSES_S[1:], strict=True))
    assert replayed.closing is not None and replayed.closing.code == 1000
