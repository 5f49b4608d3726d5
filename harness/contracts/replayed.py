"""What a fixture folder's recorded streams do when replayed, as a client measures them: the input of
the regression gate's stream comparison (`tts-harness compare OLD_FIXTURES NEW_FIXTURES`).

Every streamed answer of `scenarios/` (a Server-Sent Events body) is replayed through `ReplayTransport`
and read through `TimingTransport`; every session of `realtime/<provider>/<check>.json` is replayed from
the loopback replay server to the check's own client (`replay_socket.judge_replayed`). Each gives a
`ReplayedStream`: the replayed time to first audio, the order of what came (runs of one kind
collapsed, alignment counted as audio: `metadata, audio, flushed`) and, for sessions, what the frame rules found.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import httpx

from harness.contracts.realtime_checks import RealtimeTarget, plans
from harness.contracts.recording import replay_answer
from harness.contracts.replay import ReplayTransport, TimingTransport, first_audio_ms
from harness.contracts.replay_socket import first_audio_ms as session_first_audio_ms
from harness.contracts.replay_socket import judge_replayed
from harness.contracts.scenario import MediaStore, load_scenarios
from harness.core.spec import Provider
from harness.core.sse import events, kind_of
from harness.core.validate import media_type_of

_URL = "https://replay.invalid/stream"  # never reached: the replay transport answers


@dataclass(frozen=True, slots=True)
class ReplayedStream:
    name: str  # "ttsai/tts.stream/200-success#0" (scenario and exchange) or "realtime/eleven/synthesis"
    first_audio_ms: float | None  # None: no audio, or a recording without offsets
    order: tuple[str, ...]
    violations: tuple[str, ...] = ()
    timed: bool = True


def _collapsed(kinds: Iterable[str]) -> tuple[str, ...]:
    """The order of what came, runs of one kind as one: a stream cut into more chunks keeps its order,
    a final message moved before the audio does not. Alignment travels with the audio (one kind)."""
    return tuple(kind for kind, _ in groupby("audio" if kind == "marks" else kind for kind in kinds))


def _sse_streams(root: Path) -> Iterator[ReplayedStream]:
    if not (root / "scenarios").is_dir():
        return
    media = MediaStore(root / "media")
    for scenario in load_scenarios(root):
        for index, exchange in enumerate(scenario.exchanges):
            response = exchange.response
            if media_type_of(response.headers.get("content-type")) != "text/event-stream" or not response.body:
                continue
            answer = replay_answer(response, media, None, scenario.name)
            with httpx.Client(transport=TimingTransport(ReplayTransport({("GET", _URL): [answer]}))) as client:
                got = client.get(_URL)
            order = _collapsed(kind_of(event) for _, event in events(got.content))
            timed = answer.timing is not None
            yield ReplayedStream(f"{scenario.name}#{index}", first_audio_ms(got) if timed else None, order, timed=timed)


def _sessions(root: Path, providers: Mapping[str, Provider], notes: list[str]) -> Iterator[ReplayedStream]:
    for path in sorted((root / "realtime").glob("*/*.json")):
        name = f"realtime/{path.parent.name}/{path.stem}"
        provider = providers.get(path.parent.name)
        if provider is None or not provider.channels:
            notes.append(f"{name}: {path.parent.name} is not a declared realtime provider here; not replayed")
            continue
        if path.stem not in plans(RealtimeTarget(provider, "", "")):
            notes.append(f"{name}: {path.stem} is not a check of {provider.name}'s protocol; not replayed")
            continue
        session, found = judge_replayed(provider, path.stem, json.loads(path.read_text(encoding="utf-8")))
        order = _collapsed(event.kind.value for event in found.events)
        yield ReplayedStream(
            name,
            session_first_audio_ms(session, RealtimeTarget(provider, "", "").grammar),
            order,
            tuple(found.text().splitlines()),
        )


def replayed_streams(root: Path, providers: Mapping[str, Provider]) -> tuple[dict[str, ReplayedStream], list[str]]:
    """Every recorded stream under `root` replayed, by name; and notes on what could not be replayed."""
    notes: list[str] = []
    found = {stream.name: stream for stream in (*_sse_streams(root), *_sessions(root, providers, notes))}
    return found, notes


def is_fixture_folder(path: Path) -> bool:
    """A folder of recordings (scenarios/ or realtime/ inside), as `pytest contracts/` writes them."""
    return path.is_dir() and ((path / "scenarios").is_dir() or (path / "realtime").is_dir())
