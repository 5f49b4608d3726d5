"""Timing marks from a server written here, not the sandbox (issue 65, steps 6 and 8): a user's own provider — a
socket of Cartesia's wire form declared with marks in a clock convention of its own (100-ns ticks, durations, each
chunk's times counting from the chunk's own audio) — is judged right by `bench run`: the marks stored in seconds from
the utterance's start and no finding. The same server sending bad marks (not numbers, negative, NaN, lists of other
lengths, millions long) gives one line each, no traceback, and no absurd figure stored."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel, ConfigDict

from harness.core.protocols.marks import Marks
from harness.core.protocols.websocket_speech import SocketGrammar
from harness.core.registry import providers
from harness.core.spec import Provider
from harness.results.store import Store
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from harness.speech import encode_raw
from tests.helpers.realtime import Script, ScriptedServer

TICK = 1e-7  # the convention of its own: 100-ns ticks
CHUNK_S = 1.0
WORDS = (("The", "old", "man"), ("walked", "slowly"))  # the words each second of audio says


class AnyTimestamps(BaseModel):
    """The user's own model of its timestamps message: whatever it holds (the harness reads the lists itself)."""

    model_config = ConfigDict(extra="allow")
    type: str


def _own_provider() -> Provider:
    """Cartesia's socket as a team declares its own provider: the same wire form, its marks in ticks."""
    cartesia = providers()["cartesia"]
    channel = cartesia.channel("tts.websocket")
    grammar = channel.grammar
    declared = grammar.socket.marks  # type: ignore[attr-defined]
    own = Marks(
        text_at=declared.text_at,
        start_at=declared.start_at,
        end_at=declared.end_at,
        answer=replace(declared.answer, model=AnyTimestamps),
        unit_s=TICK,
        durations=True,
        chunk_relative=True,
        asked_by=declared.asked_by,
    )
    socket = replace(grammar.socket, marks=own)  # type: ignore[attr-defined]
    mine = SocketGrammar(
        socket,
        grammar.declaration,
        grammar.speakers,  # type: ignore[arg-type,attr-defined]
        grammar.error_statuses,
    )  # type: ignore[attr-defined]
    return replace(cartesia, channels=tuple(replace(c, grammar=mine) if c is channel else c for c in cartesia.channels))


def _answer(context: str, kind: str, **extra: Any) -> str:
    return json.dumps({"type": kind, "done": kind == "done", "status_code": 206, "context_id": context, **extra})


def _chunk(context: str, rate: int) -> str:
    """A second of tone at the rate the client asked (Cartesia's `output_format.sample_rate`, honoured as Cartesia
    does: the harness asks a rate other than the format's own, issue 82)."""
    t = np.arange(round(CHUNK_S * rate)) / rate
    audio = encode_raw(0.3 * np.sin(2 * np.pi * 220 * t), "pcm_s16le")
    return _answer(context, "chunk", data=base64.b64encode(audio).decode(), step_time=1.0)


def _true(words: tuple[str, ...]) -> dict[str, list[Any]]:
    """Each word 0.3 s, from 0.05 s into its chunk: ticks from the chunk's start, durations."""
    return {
        "words": list(words),
        "start": [round((0.05 + 0.3 * i) / TICK) for i in range(len(words))],
        "end": [round(0.25 / TICK)] * len(words),
    }


BAD: dict[str, dict[str, list[Any]]] = {
    "strings": {"words": ["The", "old", "man"], "start": ["soon", "later", "then"], "end": [1, 2, 3]},
    "negative": {"words": ["The", "old", "man"], "start": [-5, 10, 20], "end": [1, 2, 3]},
    "nan": {"words": ["The", "old", "man"], "start": [float("nan"), 10, 20], "end": [1, 2, 3]},
    "length": {"words": ["The", "old", "man"], "start": [1, 2], "end": [1, 2, 3, 4]},
    "millions": {"words": ["x"] * 250_000, "start": [1] * 250_000, "end": [1] * 250_000},
}


def _script(marks: list[dict[str, list[Any]]]) -> Script:
    def answer(received: list[str]) -> tuple[str, ...]:
        sent = json.loads(received[-1])
        if sent.get("continue") is not False:
            return ()
        context = str(sent.get("context_id"))
        rate = int(sent["output_format"]["sample_rate"])
        frames = []
        for said in marks:
            frames += [_chunk(context, rate), _answer(context, "timestamps", word_timestamps=said)]
        return (*frames, _answer(context, "done"))

    return answer


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[ScriptedServer] = []

    def start(marks: list[dict[str, list[Any]]]) -> ScriptedServer:
        servers.append(ScriptedServer(_script(marks)))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _row(tmp_path: Path, url: str) -> dict[str, Any]:
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        providers=("cartesia",),
        models=("sonic-3",),
        corpus=("en_read:1",),
        target=url,
        concurrency=1,
        budget=1.0,
    )
    result = run_bench_session(config, providers={"cartesia": _own_provider()})
    store = Store(result.db_path)
    try:
        rows = [asdict(row) for row in store.jobs(result.run_id)]
    finally:
        store.close()
    assert len(rows) == 1, rows
    return rows[0]


def test_a_clock_of_its_own_is_judged_right(tmp_path: Path, serve: Any) -> None:
    row = _row(tmp_path, serve([_true(words) for words in WORDS]).url)
    assert row["outcome"] == "ok", row["error_message"]
    stored = json.loads(row["timing_marks"])["marks"]
    expected = [
        [w, round(k * CHUNK_S + 0.05 + 0.3 * i, 4), round(k * CHUNK_S + 0.3 + 0.3 * i, 4)]
        for k, words in enumerate(WORDS)
        for i, w in enumerate(words)
    ]
    assert [m[:3] for m in stored] == expected
    findings = json.loads(row["marks_json"])["findings"]
    assert [f["kind"] for f in findings] == ["spelling"], findings  # en_read's text is not the loopback's words
    assert row["marks_p50_ms"] is None  # not aligned (no scoring): no figure, never 0


@pytest.mark.parametrize("bad", sorted(BAD))
def test_bad_marks_are_one_line_each_and_nothing_absurd_is_stored(tmp_path: Path, serve: Any, bad: str) -> None:
    row = _row(tmp_path, serve([_true(WORDS[0]), BAD[bad]]).url)
    said = [f["line"] for f in json.loads(row["marks_json"] or "{}").get("findings", [])]
    lines = said + ([str(row["error_message"])] if row["error_message"] else [])
    assert lines and all("\n" not in line and "Traceback" not in line for line in lines), lines
    assert any(f["kind"] == "bad-input" for f in json.loads(row["marks_json"])["findings"]), said
    evidence = json.loads(row["timing_marks"])
    assert len(evidence["marks"]) <= 3 + 3, evidence["marks"][:10]  # the bad list's marks are never kept
    assert all(math.isfinite(m[1]) and math.isfinite(m[2]) and 0 <= m[1] <= m[2] for m in evidence["marks"])
