"""One verdict per answer (issue 79): a loopback server written here (not the sandbox), declared in a providers file
`like = "elevenlabs"` (character marks in milliseconds, durations, each chunk's times from its own audio) and
`like = "cartesia"` (word marks in seconds from the utterance's start, in Cartesia's documented word form: punctuation
stripped, `["Hello", "world"]`), serves true marks and then breaks them each of issue 65's ways (shift, scale,
repeat, restart, merge, none), with duplicate timestamps (elevenlabs-python #707), a NaN and a list far longer than
the text. The contract suite's timing-marks check (stream-input, Cartesia's socket, and the multi-stream-input
socket) and `bench run` (the library's `run_benchmark`) judge each answer by the one function
(`harness.core.timing_marks.judge_marks`): every break is named, the same kinds in both; true marks in Cartesia's
word form give none in either. The speech is the shipped Piper voice's, with its own word times (renders shared through
`TTS_HARNESS_SPEECH_CACHE`); the true marks' run is heard by the aligner (the onset error needs an ear, so it is
`bench run`'s alone), the broken ones unscored: each costs under a second."""

from __future__ import annotations

import asyncio
import base64
import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from harness.contracts.realtime_checks import SAMPLE_TEXT, RealtimeTarget, judge, plans, run_check
from harness.core.registry import providers
from harness.library import run_benchmark
from harness.measurement import recompute
from harness.results import JobRow, Store, connect_writer
from harness.runner.plan.config import BenchConfig
from harness.scoring import ONSET_LIMIT_MS
from harness.speech import Clip, default_engine, encode_raw
from tests.helpers.providers_file import providers_file_in_effect
from tests.helpers.realtime import LoopbackSocketServer

KEY = "loopback-marks-key"
RATE = 24_000  # the file's one format (pcm_24000; Cartesia's pcm_s16le at the rate its client asks, 24 kHz by default)
SHIFT_S, SCALE, REPEAT_AFTER_S = 0.150, 1.5, 1.0  # issue 65's breaks, as the sandbox makes them
OVERLONG = 2_000  # marks for one sentence: past the one verdict's cap for any sentence here
FILE = """
[providers.mine11]
like = "elevenlabs"
base_url = "{url}"
key_env = "MINE11_TTS_KEY"
models = ["eleven_flash_v2_5"]
formats = ["pcm_24000"]
price_per_million_chars = 0

[providers.minecart]
like = "cartesia"
base_url = "{url}"
key_env = "MINECART_TTS_KEY"
models = ["sonic-3"]
formats = ["pcm_s16le"]
price_per_million_chars = 0
"""
BREAKS = ("shift", "scale", "repeat", "restart", "merge", "none", "duplicates", "nan", "overlong")
# The kind each break is named by, in both faces (an alternative where the two wire forms differ: characters with
# durations read a repeated end as a negative duration; chunk-relative marks that run on pass the audio).
NAMED = {
    "shift": {"beyond-audio"},
    "scale": {"sample-rate-mismatch"},
    "repeat": {"non-monotonic", "bad-input"},
    "restart": {"restart", "overlap", "beyond-audio", "sample-rate-mismatch"},
    "merge": {"spelling"},
    "none": {"missing"},
    "duplicates": {"duplicate-timestamps"},
    "nan": {"bad-input"},
    "overlong": {"bad-input"},
}
_KIND = re.compile(r"\(kind ([a-z-]+)\)$")  # the kind after its declared promise (harness.checks.rule_judged_by)


# --- the server: true marks for the text it is sent, broken as told --------------------------------------------------


@functools.lru_cache(maxsize=8)
def _speech(text: str, rate: int = RATE) -> Clip:
    """The text said by the shipped Piper voice at `rate` (the file's 24 kHz, or the rate a Cartesia client asks),
    with where it says each written word (its own phoneme durations: true times); renders are shared through
    TTS_HARNESS_SPEECH_CACHE."""
    return default_engine().render(text).resampled(rate)


def _spans(text: str, chars: bool) -> list[tuple[str, float, float]]:
    """The text's true marks in the utterance's time: each written word where the voice says it; characters share
    their word's time and a space lasts from one word's end to the next's start. Words in Cartesia's documented
    form: punctuation stripped (the reference's example: "Hello, world!" marked ["Hello", "world"])."""
    spans: list[tuple[str, float, float]] = []
    words = _speech(text).words
    for i, word in enumerate(words):
        if not chars:
            spans.append((re.sub(r"[^\w']", "", word.text), word.start_s, word.end_s))
            continue
        if i:
            spans.append((" ", words[i - 1].end_s, word.start_s))
        step = (word.end_s - word.start_s) / len(word.text)
        spans += [(c, word.start_s + k * step, word.start_s + (k + 1) * step) for k, c in enumerate(word.text)]
    return spans


def _broken(
    spans: list[tuple[str, float, float]], kind: str, index: int, offset_s: float, chunk_relative: bool, stuck_s: float
) -> list[tuple[str, float, float]]:
    """Chunk `index`'s marks (starting `offset_s` into the utterance) broken as `kind` says."""
    if kind == "shift":
        return [(t, s + SHIFT_S, e + SHIFT_S) for t, s, e in spans]
    if kind == "scale":
        return [(t, s * SCALE, e * SCALE) for t, s, e in spans]
    if kind == "repeat":
        return [(t, s, REPEAT_AFTER_S) if s > REPEAT_AFTER_S else (t, s, e) for t, s, e in spans]
    if kind == "restart" and index:
        moved = offset_s if chunk_relative else -offset_s
        return [(t, max(0.0, s + moved), max(0.0, e + moved)) for t, s, e in spans]
    if kind == "merge":
        if spans and all(len(t) <= 1 for t, _, _ in spans):
            return [m for m in spans if not m[0].isspace()]
        return [
            (
                spans[i][0] + (spans[i + 1][0] if i + 1 < len(spans) else ""),
                spans[i][1],
                spans[min(i + 1, len(spans) - 1)][2],
            )
            for i in range(0, len(spans), 2)
        ]
    if kind == "duplicates":  # elevenlabs-python #707: from some point on, every mark the same start and end
        return [(t, stuck_s, stuck_s) if s > stuck_s else (t, s, e) for t, s, e in spans]
    if kind == "nan" and index:
        return [(spans[0][0], float("nan"), spans[0][2]), *spans[1:]]
    if kind == "overlong" and index:
        return spans + [(spans[-1][0], spans[-1][2], spans[-1][2])] * OVERLONG
    return spans


def _chunks(
    text: str, kind: str, chars: bool, chunk_relative: bool, rate: int = RATE
) -> list[tuple[bytes, list[tuple[str, float, float]]]]:
    """The speech at `rate` in two chunks, each with its marks (in its own time where `chunk_relative`). The first
    chunk holds a quarter of the words: a restart then spans three quarters of the audio, which no rate explains
    whatever the text's length (half would read as a 2:1 rate on some texts and not on others)."""
    clip = _speech(text, rate)
    words = clip.words
    cut = words[max(2, len(words) // 4)].start_s
    spans = _spans(text, chars)
    stuck = words[max(2, len(words) // 4) + 1].start_s  # inside the second chunk: each chunk's times stay numbers
    found = []
    for index, (begin, end) in enumerate(((0.0, cut), (cut, clip.duration_s + 1.0))):
        mine = [m for m in spans if begin <= m[1] < end]
        broken = _broken(mine, kind, index, begin, chunk_relative, stuck) if kind != "none" else []
        if chunk_relative:
            broken = [(t, s - begin, e - begin) for t, s, e in broken]
        samples = clip.samples[round(begin * rate) : round(end * rate)]
        found.append((encode_raw(samples, "pcm_s16le"), broken))
    return found


def _eleven(audio: bytes, marks: list[tuple[str, float, float]], context: str | None, kind: str) -> str:
    alignment = (
        None
        if kind == "none"
        else {
            "chars": [t for t, _, _ in marks],
            "charStartTimesMs": [round(s * 1000) if s == s else s for _, s, _ in marks],
            "charDurationsMs": [round((e - s) * 1000) if s == s else 0 for _, s, e in marks],
        }
    )
    message: dict[str, Any] = {
        "audio": base64.b64encode(audio).decode(),
        "isFinal": None,
        "normalizedAlignment": alignment,
        "alignment": alignment,
    }
    return json.dumps({**message, "contextId": context} if context is not None else message)


def _cartesia(context: str, kind: str, **extra: Any) -> str:
    return json.dumps({"type": kind, "done": kind == "done", "status_code": 206, "context_id": context, **extra})


class MarksServer(LoopbackSocketServer):
    """ElevenLabs' stream-input and multi-stream-input sockets and Cartesia's, at their documented paths, each
    answering the text it was sent with true marks, or marks broken as `kind` says."""

    def __init__(self) -> None:
        self.kind = ""
        super().__init__()

    async def handle(self, socket: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        path = socket.request.path
        try:
            if "multi-stream-input" in path:
                await self._eleven(socket, multi=True)
            elif "stream-input" in path:
                await self._eleven(socket, multi=False)
            else:
                await self._cartesia(socket)
        except ConnectionClosed:
            return

    async def _eleven(self, socket: Any, *, multi: bool) -> None:
        rate = int(parse_qs(urlsplit(socket.request.path).query).get("output_format", ["pcm_24000"])[0][4:] or 24000)
        assert rate == 24000, socket.request.path  # the file's one format
        text: dict[str | None, str] = {}
        async for raw in socket:
            message = json.loads(raw)
            if message.get("close_socket"):
                break
            context = message.get("context_id") if multi else None
            if "text" in message and message["text"].strip():
                text[context] = text.get(context, "") + message["text"]
            if (multi and message.get("close_context")) or (not multi and message.get("text") == ""):
                for audio, marks in _chunks(" ".join(text.get(context, "").split()), self.kind, True, True):
                    await socket.send(_eleven(audio, marks, context, self.kind))
                await socket.send(json.dumps({"isFinal": True, **({"contextId": context} if multi else {})}))
                if not multi:
                    break
        await socket.close(1000)

    async def _cartesia(self, socket: Any) -> None:
        text: dict[str, str] = {}
        async for raw in socket:
            message = json.loads(raw)
            context = str(message.get("context_id"))
            text[context] = text.get(context, "") + str(message.get("transcript", ""))
            if message.get("continue") is not False:
                continue
            assert message["output_format"]["encoding"] == "pcm_s16le"  # the file's one format
            # at the rate asked, as Cartesia does: the harness's sessions ask one other than 24 kHz (issue 82)
            rate = int(message["output_format"]["sample_rate"])
            for audio, marks in _chunks(" ".join(text[context].split()), self.kind, False, False, rate):
                await socket.send(_cartesia(context, "chunk", data=base64.b64encode(audio).decode(), step_time=1.0))
                if self.kind != "none":
                    await socket.send(
                        _cartesia(
                            context,
                            "timestamps",
                            word_timestamps={
                                "words": [t for t, _, _ in marks],
                                "start": [s for _, s, _ in marks],
                                "end": [e for _, _, e in marks],
                            },
                        )
                    )
            await socket.send(_cartesia(context, "done"))
        await socket.close(1000)


# --- the two faces ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loopback(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MarksServer, Path]]:
    server = MarksServer()
    folder = tmp_path_factory.mktemp("one-verdict")
    path = folder / "tts-harness.toml"
    path.write_text(FILE.format(url=server.url), encoding="utf-8")
    # bench run says the contract suite's sample text: one answer, judged by both faces
    (folder / "sample.json").write_text(
        json.dumps(
            {"name": "sample", "version": "1", "language": "en", "items": [{"id": "sample-1", "text": SAMPLE_TEXT}]}
        ),
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MINE11_TTS_KEY", KEY)
        patch.setenv("MINECART_TTS_KEY", KEY)
        with providers_file_in_effect(path):
            yield server, folder
    server.close()


def _contract_kinds(server: MarksServer, name: str, channel: str = "") -> set[str]:
    """The contract suite's timing-marks check on `name`'s socket: the kinds of marks finding its violations name."""
    target = RealtimeTarget(providers()[name], server.url, KEY, channel_key=channel)
    plan = plans(target)["timing-marks"]()
    session = asyncio.run(run_check(target, plan))
    found = judge(target, plan, session)
    assert session.handshake_status is None, found.text()
    return {m.group(1) for v in found.violations if (m := _KIND.search(v.expected))}


def _bench_run(server: MarksServer, folder: Path, kind: str) -> tuple[Path, str]:
    """`bench run` (the library) on both providers, one text, unscored: its store and run id."""
    result = run_benchmark(
        BenchConfig(
            out=folder / (kind or "true"),
            models=("mine11/eleven_flash_v2_5", "minecart/sonic-3"),
            corpus=(str(folder / "sample.json"),),
            target="live",
            score=False,
            report=False,
            budget=1.0,
            concurrency=2,
        )
    )
    return result.db_path, result.run_id


def _stored(db: Path, run_id: str) -> dict[str, JobRow]:
    store = Store(db)
    try:
        rows = list(store.jobs(run_id))
    finally:
        store.close()
    assert all(row.outcome == "ok" for row in rows), [(row.provider, row.error_message) for row in rows]
    return {row.provider: row for row in rows}


def _kinds(row: JobRow) -> set[str]:
    return {f["kind"] for f in json.loads(row.marks_json or "{}").get("findings", [])}


def _bench_kinds(server: MarksServer, folder: Path, kind: str) -> dict[str, set[str]]:
    """Each provider's stored kinds of marks finding, from one `bench run`."""
    return {name: _kinds(row) for name, row in _stored(*_bench_run(server, folder, kind)).items()}


def test_true_marks_in_each_documented_form_give_no_finding_in_either_face(
    loopback: tuple[MarksServer, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from harness.scoring.asr.faster import FasterWhisperBackend
    from harness.scoring.word_alignment import WordAligner, align_marked

    server, folder = loopback
    server.kind = ""
    db, run_id = _bench_run(server, folder, "")
    with pytest.MonkeyPatch.context() as patch:  # the model's converted files in this session's folder
        patch.setenv("TTS_HARNESS_CACHE", str(tmp_path_factory.getbasetemp() / "harness-cache"))
        assert align_marked(db, run_id, WordAligner(FasterWhisperBackend())) == 2  # the aligner hears both
    conn = connect_writer(db)
    try:
        recompute(conn, run_id)  # the onset error against where the words are heard
    finally:
        conn.close()
    for name, row in _stored(db, run_id).items():
        assert _kinds(row) == set() and row.marks_coverage == 1.0, (name, row.marks_json)
        assert row.marks_p50_ms is not None and row.marks_p50_ms <= ONSET_LIMIT_MS, (name, row.marks_json)
    assert _contract_kinds(server, "mine11") == set()
    assert _contract_kinds(server, "minecart") == set()  # ["The", "quick", ..., "dog"] for "... lazy dog."
    assert _contract_kinds(server, "mine11", "tts.multi-stream-input") == set()


@pytest.mark.parametrize("kind", BREAKS)
def test_every_break_is_named_the_same_kind_by_the_contract_suite_and_bench_run(
    loopback: tuple[MarksServer, Path], kind: str
) -> None:
    server, folder = loopback
    server.kind = kind
    benched = _bench_kinds(server, folder, kind)
    for name in ("mine11", "minecart"):
        checked = _contract_kinds(server, name)
        assert checked & NAMED[kind], (name, kind, checked, benched[name])
        assert checked == benched[name], (name, kind, checked, benched[name])


@pytest.mark.parametrize("kind", ["duplicates", "nan", "overlong", "shift"])
def test_the_multi_stream_input_sockets_marks_are_judged(loopback: tuple[MarksServer, Path], kind: str) -> None:
    server, _ = loopback
    server.kind = kind
    assert _contract_kinds(server, "mine11", "tts.multi-stream-input") & NAMED[kind]
