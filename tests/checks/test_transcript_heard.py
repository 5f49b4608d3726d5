"""The transcript a speech-to-speech socket sends, against what the ear hears in its audio (issue 80, a check declared
once: `harness/checks/transcript_heard.py`). A loopback server written here speaks OpenAI's GA Realtime events with
real speech (Piper) and a transcript beside it, as `bench run` meets it, scored by the recogniser:

* it says the asked text and its transcript says so too: no finding;
* it says something else than asked and its transcript says what it said: no finding here (the transcript is what
  the ear hears), while the run's drift names the transcript as not the text asked and the WER is high;
* it says the asked text but its transcript says something else: a `transcript-disagrees` finding, the figure far
  past the recogniser's error (the faces list every check's findings: tests/checks/test_checks.py).

Per clip: a transcript that is what the recogniser heard reads 0, one word of five off reads 20%."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from harness.checks import offering_checks
from harness.checks.transcript_heard import MAX_DISAGREEMENT, measure
from harness.speech import Engine, Rendition, default_engine, encode_raw
from tests.helpers.realtime import LoopbackSocketServer
from tests.helpers.request_rows import request_row

OTHER = "Good evening to all of you, and welcome back."
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("transcript-heard")]


def _event(kind: str, **fields: Any) -> str:
    return json.dumps({"type": kind, "event_id": f"evt_{kind}", **fields})


class SpeaksAndTranscribes(LoopbackSocketServer):
    """OpenAI's GA events: the audio `speaks(asked)` in Piper's voice at 24 kHz (two deltas), the transcript deltas
    `writes(asked)`, then done with its usage."""

    def __init__(self, speaks: Callable[[str], str], writes: Callable[[str], str]) -> None:
        self.speaks, self.writes = speaks, writes
        super().__init__()

    async def handle(self, socket: Any) -> None:
        asked = ""
        ids = {"response_id": "resp_1", "item_id": "item_1", "output_index": 0, "content_index": 0}
        await socket.send(_event("session.created", session={"type": "realtime"}))
        async for raw in socket:
            kind = json.loads(raw)["type"]
            if kind == "session.update":
                await socket.send(_event("session.updated", session={"type": "realtime"}))
            elif kind == "conversation.item.create":
                asked += json.loads(raw)["item"]["content"][0]["text"]
            elif kind == "response.create":
                clip = default_engine().render(self.speaks(asked), Rendition(engine=Engine.PIPER, sample_rate=24000))
                audio = encode_raw(np.asarray(clip.samples, dtype=np.float32), "pcm_s16le")
                await socket.send(_event("response.created", response={"id": "resp_1"}))
                half = len(audio) // 4 * 2
                for piece in (audio[:half], audio[half:]):
                    await socket.send(
                        _event("response.output_audio.delta", **ids, delta=base64.b64encode(piece).decode())
                    )
                await socket.send(_event("response.output_audio_transcript.delta", **ids, delta=self.writes(asked)))
                await socket.send(_event("response.output_audio.done", **ids))
                await socket.send(
                    _event(
                        "response.done",
                        response={
                            "id": "resp_1",
                            "status": "completed",
                            "usage": {
                                "input_token_details": {"text_tokens": 6},
                                "output_token_details": {"audio_tokens": 23},
                            },
                        },
                    )
                )


def _run(tmp_path: Path) -> tuple[dict[str, Any], list[str]]:
    """One `bench run` of gpt-realtime-1.5 against the server, scored, on three texts, each answered its way (by its
    text: `WAYS`, in the corpus's order): each clip's reading of the check (by way) and the run's drift notes."""
    from harness import benchmark
    from harness.checks.registry import registered
    from harness.core.corpora import load_corpus
    from harness.results.reading import read_run
    from harness.runner.plan.config import BenchConfig

    texts = [item.text for item in load_corpus("en_read:3").items]
    ways = dict(zip(texts, WAYS, strict=True))
    server = SpeaksAndTranscribes(
        lambda asked: WAYS_SAY[ways[asked]][0](asked), lambda asked: WAYS_SAY[ways[asked]][1](asked)
    )
    try:
        result = benchmark.run(
            BenchConfig(
                out=tmp_path,
                target=server.url + "/v1",
                models=("openai/gpt-realtime-1.5",),
                corpus=("en_read:3",),
                score=True,
                dnsmos=False,
                report=False,
                budget=1.0,
            )
        )
    finally:
        server.close()
    requests = read_run(tmp_path / "runs.db", result.run_id).requests
    assert [r.outcome for r in requests] == ["ok"] * 3, [r.error_message for r in requests]
    (check,) = [c for c in registered() if c.name == "transcript_heard"]
    by_text = {r.text: check.measure(r) for r in requests}
    with sqlite3.connect(tmp_path / "runs.db") as conn:
        notes = [row[0] for row in conn.execute("SELECT note FROM drift WHERE run_id = ?", (result.run_id,))]
    pooled = next(one for one in offering_checks(requests) if one.check.name == "transcript_heard")
    return {"pooled": pooled, **{ways[text]: found for text, found in by_text.items()}}, notes


WAYS = ("faithful", "elsewhere", "unfaithful")
WAYS_SAY: dict[str, tuple[Callable[[str], str], Callable[[str], str]]] = {
    "faithful": (lambda asked: asked, lambda asked: asked),  # says the text, writes it
    "elsewhere": (lambda asked: OTHER, lambda asked: OTHER),  # says something else, writes what it said
    "unfaithful": (lambda asked: asked, lambda asked: OTHER),  # says the text, writes something else
}


def test_a_transcript_not_what_the_audio_says_is_a_finding_and_a_faithful_one_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "loopback-key-1234")
    found, notes = _run(tmp_path)
    faithful, elsewhere, unfaithful = (found[way] for way in WAYS)
    assert not faithful.findings and faithful.values["disagreement_pct"] <= 100 * MAX_DISAGREEMENT, faithful
    assert not elsewhere.findings and elsewhere.values["disagreement_pct"] <= 100 * MAX_DISAGREEMENT, elsewhere
    assert len([n for n in notes if "is not the text asked" in n]) == 2, notes  # elsewhere's and unfaithful's
    assert [kind for kind, _ in unfaithful.findings] == ["transcript-disagrees"], unfaithful
    assert unfaithful.values["disagreement_pct"] > 100 * MAX_DISAGREEMENT
    assert "good evening to all of you" in unfaithful.findings[0][1]
    assert found["pooled"].findings == {"transcript-disagrees": 1}, found["pooled"]


@pytest.mark.parametrize(
    ("said", "heard", "expected"),
    [
        ("The quick brown fox.", "the quick brown fox", 0.0),
        ("The quick brown fox jumps.", "the quick brown cat jumps", 20.0),
    ],
)
def test_a_clips_disagreement_is_word_edits_over_the_words_heard(said: str, heard: str, expected: float) -> None:
    row = request_row(said_transcript=said, transcript=heard, scored=1)
    assert measure(row).values["disagreement_pct"] == pytest.approx(expected)
    assert not measure(row).findings


def test_no_transcript_or_no_hearing_gives_no_figure() -> None:
    assert measure(request_row(said_transcript=None, transcript="heard", scored=1)).values["disagreement_pct"] is None
    assert measure(request_row(said_transcript="said", transcript="", scored=1)).values["disagreement_pct"] is None
    assert measure(request_row(said_transcript="said", transcript="said", scored=0)).values["disagreement_pct"] is None
