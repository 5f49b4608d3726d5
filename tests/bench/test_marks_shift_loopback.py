"""Marks 100 ms late or early are a finding (issue 81), from servers written here, not the sandbox, declared in a
user's providers file: an ElevenLabs-compatible server (`like = "elevenlabs"`: its with-timestamps route, one JSON
answer with each character's time, and its stream, one JSON object a line), and a Smallest-compatible one (`like =
"smallest"`: its Server-Sent Events, a `word_timestamp` event a word) with its socket (the same frames over a
WebSocket). Each speaks the sent text with Piper at its own pace (not the reference's), between a pause before and a
long pause after (so no shifted end passes the audio: only the onset rule can tell), with true times — or every time
shifted by +100 ms or -100 ms. `bench run`'s path (the run, then the aligner on the marked answers, then the figures
derived again, as `harness.benchmark._align_marks` does): true marks → no onset finding; shifted → an onset finding
on every form, and `history` names each offering's new onset finding."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from harness import benchmark
from harness.checks.timing_marks import VIEWS
from harness.history.checks import newest_own_worse
from harness.measurement import recompute
from harness.results import RequestRow, Store, connect_writer
from harness.runner.plan.config import BenchConfig
from harness.scoring import ONSET_LIMIT_MS
from harness.scoring.word_alignment import align_marked
from harness.speech import Engine, Rendition, default_engine, encode_raw
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import providers_file_in_effect
from tests.helpers.realtime import ScriptedServer
from tests.helpers.request_rows import request_row

KEY = "shifted-marks-test-key"
PACE = 1.1  # the server's own pace: not the reference render's
BEFORE_S, AFTER_S = 0.2, 0.6  # the pause before the speech, and after: a +100 ms shift keeps every end in the audio
FORMS = ("eleven_flash_v2_5-timestamps", "eleven_flash_v2_5-stream-timestamps")
OFFERINGS = (*(f"labvoice/{form}" for form in FORMS), "labsse/lightning_v3.1", "labsocket/lightning_v3.1-ws")
pytestmark = [pytest.mark.slow]


def _spoken(text: str, rate: int) -> tuple[np.ndarray[Any, Any], dict[str, list[Any]]]:
    """The text spoken between pauses at `rate`, and each character's time: a word's characters share its span
    evenly, the space after it the gap to the next word."""
    clip = default_engine().render(text, Rendition(engine=Engine.PIPER, sample_rate=rate, length_scale=PACE))
    samples = np.concatenate([np.zeros(round(BEFORE_S * rate)), clip.samples, np.zeros(round(AFTER_S * rate))])
    chars: list[str] = []
    starts: list[float] = []
    ends: list[float] = []
    for index, word in enumerate(clip.words):
        step = (word.end_s - word.start_s) / max(1, len(word.text))
        for k, char in enumerate(word.text):
            chars.append(char)
            starts.append(BEFORE_S + word.start_s + k * step)
            ends.append(BEFORE_S + word.start_s + (k + 1) * step)
        if index + 1 < len(clip.words):
            chars.append(" ")
            starts.append(BEFORE_S + word.end_s)
            ends.append(BEFORE_S + clip.words[index + 1].start_s)
    return samples.astype(np.float32), {
        "characters": chars,
        "character_start_times_seconds": starts,
        "character_end_times_seconds": ends,
    }


class SaysItsWords(QuietHandler):
    """POST /v1/text-to-speech/{voice}/with-timestamps and /stream/with-timestamps: raw PCM at the rate asked
    (`pcm_<rate>` only), the characters' times moved by `shift_s`."""

    shift_s: ClassVar[float] = 0.0

    def do_POST(self) -> None:
        if self.headers.get("xi-api-key") != KEY or not self.path.split("?")[0].endswith("/with-timestamps"):
            self.answer(401 if self.headers.get("xi-api-key") != KEY else 404)
            return
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        asked = self.path.partition("output_format=")[2].split("&")[0] or "pcm_24000"
        if not asked.startswith("pcm_"):
            self.answer(
                422,
                json.dumps(
                    {"detail": [{"loc": ["query", "output_format"], "msg": "pcm only", "type": "value_error"}]}
                ).encode(),
            )
            return
        samples, alignment = _spoken(str(body["text"]), int(asked[4:]))
        for key in ("character_start_times_seconds", "character_end_times_seconds"):
            alignment[key] = [round(t + self.shift_s, 4) for t in alignment[key]]
        audio = encode_raw(samples, "pcm_s16le")
        if "/stream/" not in self.path:
            answer = {"audio_base64": base64.b64encode(audio).decode(), "alignment": alignment}
            self.answer(200, json.dumps(answer).encode(), {"Content-Type": "application/json"})
            return
        half, cut = len(audio) // 4 * 2, len(alignment["characters"]) // 2
        lines = [
            {
                "audio_base64": base64.b64encode(part).decode(),
                "alignment": {key: values[lo:hi] for key, values in alignment.items()},
            }
            for part, (lo, hi) in ((audio[:half], (0, cut)), (audio[half:], (cut, None)))
        ]
        self.answer_chunked(
            200, b"".join(json.dumps(line).encode() + b"\n" for line in lines), {"Content-Type": "application/json"}
        )


def _events(text: str, rate: int, shift_s: float) -> list[dict[str, Any]]:
    """Smallest's frames: the audio in two chunks, a `word_timestamp` frame a word (shifted by `shift_s`), complete."""
    samples, alignment = _spoken(text, rate)
    audio = encode_raw(samples, "pcm_s16le")
    half = len(audio) // 4 * 2
    words, word, start = [], "", 0.0
    for char, at, end in zip(*alignment.values(), strict=True):
        if char == " ":
            continue
        if not word:
            start = at
        word += char
        if len(words) + 1 <= len(text.split()) and word == text.split()[len(words)]:
            words.append(
                {"id": len(words), "word": word, "start": round(start + shift_s, 4), "end": round(end + shift_s, 4)}
            )
            word = ""
    chunks = [
        {"status": "chunk", "data": {"audio": base64.b64encode(part).decode()}} for part in (audio[:half], audio[half:])
    ]
    marks = [{"status": "word_timestamp", "data": w} for w in words]
    return [chunks[0], *marks[: len(marks) // 2], chunks[1], *marks[len(marks) // 2 :], {"status": "complete"}]


class StreamsItsWords(QuietHandler):
    """POST /waves/v1/tts/live: Server-Sent Events of Smallest's frames."""

    def do_POST(self) -> None:
        if self.headers.get("Authorization") != f"Bearer {KEY}" or self.path != "/waves/v1/tts/live":
            self.answer(401 if self.path == "/waves/v1/tts/live" else 404)
            return
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        events = _events(str(body["text"]), int(body.get("sample_rate") or 24000), SaysItsWords.shift_s)
        self.answer_chunked(
            200,
            b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events),
            {"Content-Type": "text/event-stream"},
        )


def _socket_script(received: Sequence[str]) -> tuple[str, ...]:
    """Smallest's socket: the text messages gathered until the flush, then the frames (`received` holds every
    connection's messages: this one's follow the last flush before its own)."""
    sent = [json.loads(message) for message in received if message.startswith("{")]
    if not sent or not sent[-1].get("flush"):
        return ()
    ended = [index for index, message in enumerate(sent[:-1]) if message.get("flush")]
    sent = sent[ended[-1] + 1 :] if ended else sent
    text = "".join(str(message.get("text") or "") for message in sent)
    rate = int(sent[0].get("sample_rate") or 24000)
    return tuple(json.dumps(e) for e in _events(" ".join(text.split()), rate, SaysItsWords.shift_s))


def _run(tmp_path: Path, shift_s: float) -> dict[str, dict[str, Any]]:
    """One run of both forms against the server shifting its marks by `shift_s`, aligned and derived again: each
    form's row."""
    SaysItsWords.shift_s = shift_s
    out = tmp_path / f"shift{round(shift_s * 1000):+d}"
    result = benchmark.run(
        BenchConfig(
            out=out,
            models=OFFERINGS,
            corpus=("en_read:1",),
            report=False,
            score=False,
            dnsmos=False,
            target="live",
            budget=1.0,
            concurrency=1,
        )
    )
    assert align_marked(out / "runs.db", result.run_id) == len(OFFERINGS)  # every form's answer heard
    conn = connect_writer(out / "runs.db")
    try:
        recompute(conn, result.run_id)
    finally:
        conn.close()
    store = Store(out / "runs.db")
    try:
        return {f"{row.provider}/{row.model}": asdict(row) for row in store.jobs(result.run_id)}
    finally:
        store.close()


def _kinds(row: dict[str, Any]) -> list[str]:
    return [f["kind"] for f in json.loads(row["marks_json"] or "{}").get("findings", [])]


def _table(name: str, like: str, url: str, models: Sequence[str]) -> str:
    return (
        f'[providers.{name}]\nlike = "{like}"\nbase_url = "{url}"\nkey_env = "{name.upper()}_KEY"\n'
        f"models = {json.dumps(list(models))}\nprice_per_million_chars = 0\n"
    )


def test_marks_100_ms_late_or_early_are_an_onset_finding_on_every_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    servers = (LoopbackServer(SaysItsWords), LoopbackServer(StreamsItsWords), ScriptedServer(_socket_script))
    path = tmp_path / "tts-harness.toml"
    path.write_text(
        _table("labvoice", "elevenlabs", servers[0].url, FORMS)
        + _table("labsse", "smallest", servers[1].url, ["lightning_v3.1"])
        + _table("labsocket", "smallest", servers[2].url.replace("ws://", "http://"), ["lightning_v3.1"]),
        encoding="utf-8",
    )
    for name in ("LABVOICE", "LABSSE", "LABSOCKET"):
        monkeypatch.setenv(f"{name}_KEY", KEY)
    try:
        with providers_file_in_effect(path):
            runs = {shift: _run(tmp_path, shift) for shift in (0.0, 0.1, -0.1)}
    finally:
        for server in servers:
            server.close()
    for shift, rows in runs.items():
        assert set(rows) == set(OFFERINGS), rows
        for form, row in rows.items():
            assert row["outcome"] == "ok", (shift, form, row["error_message"])
            assert row["marks_coverage"] == 1.0 and row["marks_p50_ms"] is not None, (shift, form, row)
            kinds = _kinds(row)
            assert "beyond-audio" not in kinds, (shift, form, kinds)  # the pause after: no end passes the audio
            if shift == 0.0:
                assert "onset" not in kinds and row["marks_p50_ms"] <= ONSET_LIMIT_MS / 2, (form, row["marks_json"])
            else:
                assert "onset" in kinds and row["marks_p50_ms"] > ONSET_LIMIT_MS, (shift, form, row["marks_json"])
    # `history`: each shifted run, after the true one, names every offering and the onset kind
    for shift in (0.1, -0.1):
        worse = newest_own_worse([(str(s), _requests(runs[s])) for s in (0.0, shift)], VIEWS)
        assert {f"{w.provider}/{w.model}": w.kinds for w in worse} == dict.fromkeys(OFFERINGS, ("onset",)), worse


def _requests(rows: dict[str, dict[str, Any]]) -> list[RequestRow]:
    return [
        request_row(
            provider=row["provider"],
            model=row["model"],
            marks_json=row["marks_json"],
            marks_coverage=row["marks_coverage"],
        )
        for row in rows.values()
    ]


def test_the_contract_suites_timing_marks_check_names_marks_100_ms_off_by_the_onset_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same servers under the HTTP speech family's `timing-marks` checks (one per route that carries marks: the
    with-timestamps JSON, its stream of lines, Smallest's events): true marks pass; marks 100 ms late or early fail
    each, by rule `onset` — the one rule `bench run` gives (`harness.core.timing_marks.onset_finding`), the words
    heard by the same aligner."""
    import httpx

    from harness.contracts.speech_checks import SpeechTarget, checks_for
    from harness.core.registry import providers

    servers = (LoopbackServer(SaysItsWords), LoopbackServer(StreamsItsWords))
    path = tmp_path / "tts-harness.toml"
    path.write_text(
        _table("labvoice", "elevenlabs", servers[0].url, FORMS)
        + _table("labsse", "smallest", servers[1].url, ["lightning_v3.1"]),
        encoding="utf-8",
    )
    found: dict[float, dict[str, list[str]]] = {}
    try:
        with providers_file_in_effect(path), httpx.Client(timeout=30.0) as client:
            for shift in (0.0, 0.1, -0.1):
                SaysItsWords.shift_s = shift
                found[shift] = {}
                for name, server in (("labvoice", servers[0]), ("labsse", servers[1])):
                    provider = providers()[name]
                    target = SpeechTarget(provider, dict.fromkeys(provider.hosts, server.url), KEY)
                    for check in checks_for(provider).values():
                        if check.name.startswith("timing-marks"):
                            found[shift][f"{name}/{check.name}"] = [
                                f"{v.rule}: {v.got}" for v in check.run(target, client)
                            ]
    finally:
        for server in servers:
            server.close()
    assert len(found[0.0]) == 3, found  # the JSON answer, its stream of lines, the events
    assert all(not violations for violations in found[0.0].values()), found[0.0]
    for shift in (0.1, -0.1):
        assert set(found[shift]) == set(found[0.0]), found[shift]
        for check, violations in found[shift].items():
            assert violations and all("median onset error" in v for v in violations), (shift, check, violations)


def test_the_contract_suites_socket_marks_check_names_marks_100_ms_off_by_the_onset_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The socket form (Smallest's frames over a WebSocket) under the realtime checks' `timing-marks`: true marks
    pass; marks 100 ms late or early fail by the same onset rule, at the marks' frame."""
    import asyncio

    from harness.contracts.realtime_checks import RealtimeTarget, judge, plans, run_check
    from harness.core.registry import providers

    server = ScriptedServer(_socket_script)
    path = tmp_path / "tts-harness.toml"
    path.write_text(
        _table("labsocket", "smallest", server.url.replace("ws://", "http://"), ["lightning_v3.1"]), encoding="utf-8"
    )
    found: dict[float, list[str]] = {}
    try:
        with providers_file_in_effect(path):
            provider = providers()["labsocket"]
            target = RealtimeTarget(provider, server.url.replace("ws://", "http://"), KEY)
            for shift in (0.0, 0.1, -0.1):
                SaysItsWords.shift_s = shift
                plan = plans(target)["timing-marks"]()
                found[shift] = [v.got for v in judge(target, plan, asyncio.run(run_check(target, plan))).violations]
    finally:
        server.close()
    assert found[0.0] == [], found[0.0]
    for shift in (0.1, -0.1):
        assert found[shift] and all("median onset error" in got for got in found[shift]), (shift, found[shift])
