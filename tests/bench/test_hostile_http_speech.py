"""The HTTP speech families under a hostile provider: a loopback server written here (not the sandbox) answers
the providers a user declares in a providers file — an audio body, base64 and hex in JSON, SSE, NDJSON, a chunked
stream, and the OpenAI speech protocol (audio and SSE) — and breaks its answers on purpose, one breakage per
request, beside good controls.

Each breakage is an answer a real server can give: an error inside a 200 (with audio beside it), events that
are not JSON, bad base64 or hex, a stream cut mid-line, an error event mid-stream, a declared last event that
never comes, audio after it, a container whose header promises more than it holds, bytes that are text, an
echo of the key in every encoding. Asserted for every job: no broken answer stored as ok, every control ok, a
described format mismatch recorded and the clip read at its true rate, no traceback, and no piece of the key in
any file the run writes (`tests.helpers.planted`: the forms written from their definitions)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.planted import KEY, echo, leaks
from tests.helpers.providers_file import providers_file_in_effect
from tests.helpers.wav import pcm_wav

RATE = 24000
WAV = pcm_wav(4800, RATE, sample=b"\x00\x10")  # 0.2 s of a quiet tone: valid, decodable
PCM = b"\x00\x10\x30\x08" * 2400  # 0.2 s of headerless 16-bit samples at 24 kHz
ECHO = echo(KEY)


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: the status, headers and body pieces (each written as its own chunk when `chunked`)."""

    status: int
    headers: dict[str, str]
    pieces: tuple[bytes, ...]
    chunked: bool = False


@dataclass(frozen=True, slots=True)
class Breakage:
    name: str
    answer: Callable[[], Answer]
    broken: bool = True  # False: a control, or an answer whose audio provably stays whole
    finding: str = ""  # a control that must carry a drift row of this kind


def _json(document: object, status: int = 200) -> Answer:
    return Answer(status, {"Content-Type": "application/json"}, (json.dumps(document).encode(),))


def _audio(body: bytes, media_type: str = "audio/wav", status: int = 200) -> Answer:
    return Answer(status, {"Content-Type": media_type}, (body,))


def _events(*events: bytes, media_type: str = "text/event-stream") -> Answer:
    return Answer(200, {"Content-Type": media_type}, events, chunked=True)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _sse(document: object) -> bytes:
    return b"data: " + json.dumps(document).encode() + b"\n\n"


def _line(document: object) -> bytes:
    return json.dumps(document).encode() + b"\n"


OK_STATUS = {"status": {"code": 0, "message": "success"}}
AUTH_FAILED = {"status": {"code": "unauthorized", "message": f"invalid api key {ECHO}"}}
KEY_ECHO_401 = ("key echoed in a 401", lambda: _json({"error": {"message": ECHO, "code": "unauthorized"}}, 401))
HTML_200 = ("an HTML page in a 200", lambda: _audio(b"<html><body>Service maintenance</body></html>", "text/html"))

COMMON_AUDIO_BODY = (
    Breakage("good", lambda: _audio(WAV), broken=False),
    Breakage(
        "wav at 8 kHz when 24 kHz was asked", lambda: _audio(pcm_wav(1600, 8000)), broken=False, finding="answer-format"
    ),
    Breakage(
        "content-type says mp3, the bytes are wav",
        lambda: _audio(WAV, "audio/mpeg"),
        broken=False,
        finding="answer-format",
    ),
    Breakage("wav header promising more than it holds", lambda: _audio(WAV[: len(WAV) // 2])),
    Breakage("empty body", lambda: _audio(b"")),
    Breakage(*HTML_200),
    Breakage("a JSON error in a 200", lambda: _json({"error": {"message": "quota exceeded", "code": 429}})),
    Breakage(*KEY_ECHO_401),
    Breakage("garbage bytes", lambda: _audio(b"\x13\x37" * 500, "audio/wav")),
)


def _json_breakages(encode: Callable[[bytes], str], other: Callable[[bytes], str]) -> tuple[Breakage, ...]:
    return (
        Breakage("good", lambda: _json({**OK_STATUS, "result": {"audio": encode(WAV)}}), broken=False),
        Breakage(
            "an error code in a 200 with audio beside it",
            lambda: _json({**AUTH_FAILED, "result": {"audio": encode(WAV)}}),
        ),
        Breakage("a rate-limit code in a 200", lambda: _json({"status": {"code": 429, "message": "slow down"}})),
        Breakage("not JSON", lambda: _audio(b'{"result": {"audio": "', "application/json")),
        Breakage("audio not in its encoding", lambda: _json({**OK_STATUS, "result": {"audio": other(WAV) + "*!"}})),
        Breakage("no audio at its pointer", lambda: _json({**OK_STATUS, "result": {}})),
        Breakage(
            "the audio's header promises more than it holds",
            lambda: _json({**OK_STATUS, "result": {"audio": encode(WAV[:300])}}),
        ),
        Breakage("the audio is text", lambda: _json({**OK_STATUS, "result": {"audio": encode(b"x" * 64)}})),
        Breakage(*KEY_ECHO_401),
        Breakage(*HTML_200),
    )


def _stream_breakages(frame: Callable[[object], bytes], media_type: str, lines: bool) -> tuple[Breakage, ...]:
    half = len(PCM) // 2
    delta = lambda piece: frame({"type": "delta", "audio": _b64(piece), **OK_STATUS})  # noqa: E731
    done = frame({"type": "done", **OK_STATUS})
    cut = (b"data: " if not lines else b"") + b'{"type": "delta", "audio": "AAAA'
    return (
        Breakage(
            "good", lambda: _events(delta(PCM[:half]), delta(PCM[half:]), done, media_type=media_type), broken=False
        ),
        Breakage(
            "an event that is not JSON",
            lambda: _events(
                delta(PCM[:half]),
                (b"data: " if not lines else b"") + b"{not json\n\n",
                delta(PCM[half:]),
                done,
                media_type=media_type,
            ),
        ),
        Breakage(
            "an event's audio is not base64",
            lambda: _events(
                delta(PCM[:half]),
                frame({"type": "delta", "audio": "!!not base64!!"}),
                delta(PCM[half:]),
                done,
                media_type=media_type,
            ),
        ),
        Breakage(
            "the stream cut mid-line", lambda: _events(delta(PCM[:half]), delta(PCM[half:]), cut, media_type=media_type)
        ),
        Breakage(
            "an error event mid-stream",
            lambda: _events(
                delta(PCM[:half]),
                frame({"type": "error", "error": {"code": 429, "message": ECHO}}),
                media_type=media_type,
            ),
        ),
        Breakage(
            "an error code in an event",
            lambda: _events(
                delta(PCM[:half]),
                frame({"type": "delta", "audio": _b64(PCM[half:]), **AUTH_FAILED}),
                done,
                media_type=media_type,
            ),
        ),
        Breakage("no last event", lambda: _events(delta(PCM[:half]), delta(PCM[half:]), media_type=media_type)),
        Breakage(
            "audio after the last event",
            lambda: _events(delta(PCM[:half]), done, delta(PCM[half:]), media_type=media_type),
        ),
        Breakage(
            "a message after the last event",
            lambda: _events(delta(PCM), done, frame({"type": "usage"}), media_type=media_type),
            broken=False,
            finding="stream",
        ),
        Breakage("no audio at all", lambda: _events(frame({"type": "ping"}), done, media_type=media_type)),
        Breakage(
            "every event garbage",
            lambda: _events(
                b"data: garbage\n\n" if not lines else b"garbage\n",
                b"data: more\n\n" if not lines else b"more\n",
                media_type=media_type,
            ),
        ),
        Breakage(*KEY_ECHO_401),
    )


def _openai_sse_breakages() -> tuple[Breakage, ...]:
    delta = lambda piece: _sse({"type": "speech.audio.delta", "audio": _b64(piece)})  # noqa: E731
    done = _sse({"type": "speech.audio.done", "usage": {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}})
    return (
        Breakage("good", lambda: _events(delta(WAV[:200]), delta(WAV[200:]), done), broken=False),
        Breakage(
            "an error event mid-stream",
            lambda: _events(
                delta(WAV[:200]), _sse({"type": "error", "error": {"message": ECHO, "code": "rate_limit_exceeded"}})
            ),
        ),
        Breakage("no speech.audio.done", lambda: _events(delta(WAV[:200]), delta(WAV[200:]))),
        Breakage(
            "an event's audio is not base64",
            lambda: _events(delta(WAV[:200]), _sse({"type": "speech.audio.delta", "audio": "%%%"}), done),
        ),
        Breakage("the stream cut mid-line", lambda: _events(delta(WAV[:200]), b'data: {"type": "speech.audio.de')),
        Breakage("every event garbage", lambda: _events(b"data: garbage\n\n", b"data: {\n\n")),
        Breakage(*KEY_ECHO_401),
    )


CHUNKED = (
    Breakage(
        "good", lambda: Answer(200, {"Content-Type": "audio/wav"}, (WAV[:1000], WAV[1000:]), chunked=True), broken=False
    ),
    Breakage(
        "a wav header promising more than the stream gave",
        lambda: Answer(200, {"Content-Type": "audio/wav"}, (WAV[:1000], WAV[1000:3000]), chunked=True),
    ),
    Breakage(
        "an event stream where audio was declared",
        lambda: Answer(200, {"Content-Type": "audio/wav"}, (b"data: {}\n\n",), chunked=True),
    ),
    Breakage(*KEY_ECHO_401),
)

FORMS: dict[str, tuple[str, tuple[Breakage, ...]]] = {
    # provider: (its table's keys beyond the common ones, its breakages)
    "box-audio": ('path = "/audio"\nformats = { wav = "pcm_s16le/24000/wav" }\n', COMMON_AUDIO_BODY),
    "box-json": (
        'path = "/json"\nformats = { wav = "pcm_s16le/24000/wav" }\naudio = "/result/audio"\n'
        'answer_error_code = "/status/code"\nanswer_error_success = [0]\n'
        'answer_error_message = "/status/message"\n',
        _json_breakages(_b64, bytes.hex),
    ),
    "box-hex": (
        'path = "/hex"\nformats = { wav = "pcm_s16le/24000/wav" }\naudio = "/result/audio"\n'
        'audio_encoding = "hex"\nanswer_error_code = "/status/code"\nanswer_error_success = [0]\n',
        _json_breakages(bytes.hex, _b64),
    ),
    "box-sse": (
        'path = "/sse"\nformats = { raw = "pcm_s16le/24000/raw" }\naudio = "/audio"\nstream = "sse"\n'
        'last_event = { "/type" = "done" }\nanswer_error_code = "/status/code"\nanswer_error_success = [0]\n',
        _stream_breakages(_sse, "text/event-stream", lines=False),
    ),
    "box-ndjson": (
        'path = "/ndjson"\nformats = { raw = "pcm_s16le/24000/raw" }\naudio = "/audio"\n'
        'stream = "ndjson"\nlast_event = { "/type" = "done" }\nanswer_error_code = "/status/code"\n'
        "answer_error_success = [0]\n",
        _stream_breakages(_line, "application/x-ndjson", lines=True),
    ),
    "box-chunked": ('path = "/chunked"\nformats = { wav = "pcm_s16le/24000/wav" }\nstream = "chunked"\n', CHUNKED),
}
# The OpenAI speech protocol asks no rate of a container format: an 8 kHz WAV contradicts nothing it asked.
OPENAI_AUDIO_BODY = tuple(
    Breakage(b.name, b.answer, b.broken, "" if "8 kHz" in b.name else b.finding) for b in COMMON_AUDIO_BODY
)
OPENAI_FORMS = {"oai-audio": (False, OPENAI_AUDIO_BODY), "oai-sse": (True, _openai_sse_breakages())}
BREAKAGES = {
    **{name: breakages for name, (_, breakages) in FORMS.items()},
    **{name: breakages for name, (_, breakages) in OPENAI_FORMS.items()},
}
TEXTS = tuple(
    f"Hostile answer number {n} is read as the provider sent it."
    for n in range(1, 1 + max(len(b) for b in BREAKAGES.values()))
)


class Hostile(QuietHandler):
    """Answers the i-th distinct text a provider's path sees with that provider's i-th breakage."""

    protocol_version = "HTTP/1.1"
    lock = threading.Lock()
    served: ClassVar[dict[tuple[str, str], str]] = {}

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        provider = self.path.split("/")[1]  # laid out as the sandbox is: URL/<provider>/<host>/<path>
        text = str(body.get("input", {}).get("text") if isinstance(body.get("input"), dict) else body.get("input"))
        if provider not in BREAKAGES or text not in TEXTS:
            self.answer(404, b"{}", {"Content-Type": "application/json"})
            return
        breakages = BREAKAGES[provider]
        index = TEXTS.index(text)
        breakage = breakages[index] if index < len(breakages) else breakages[0]
        with Hostile.lock:
            Hostile.served[(provider, text)] = breakage.name
        answer = breakage.answer()
        headers = {**answer.headers, "Connection": "close"}  # one answer a connection: none is reused half-closed
        if answer.chunked:
            self.answer_chunked(
                answer.status,
                b"".join(answer.pieces),
                headers,
                chunk=max(1, min(len(p) for p in answer.pieces)) if answer.pieces else 8192,
            )
        else:
            self.answer(answer.status, b"".join(answer.pieces), headers)
        self.close_connection = True


def _providers_file() -> str:
    common = 'models = ["m1"]\nvoices = ["v1"]\nprice_per_million_chars = 10\n'
    tables = []
    for name, (keys, _) in FORMS.items():
        tables.append(
            f'[providers.{name}]\nprotocol = "http-speech"\nbase_url = "https://{name}.example"\n'
            f'key_env = "{_env(name)}"\ntext = "/input/text"\nvoice = "/voice"\n{common}{keys}'
        )
    for name, (streams, _) in OPENAI_FORMS.items():
        tables.append(
            f'[providers.{name}]\nprotocol = "openai-speech"\nbase_url = "https://{name}.example/v1"\n'
            f'key_env = "{_env(name)}"\nformats = ["wav"]\n{common}stream = {str(streams).lower()}\n'
        )
    return "\n".join(tables)


def _env(name: str) -> str:
    return name.upper().replace("-", "_") + "_KEY"


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    server = LoopbackServer(Hostile)
    Hostile.served = {}
    path = tmp_path / "tts-harness.toml"
    path.write_text(_providers_file(), encoding="utf-8")
    for name in BREAKAGES:
        monkeypatch.setenv(_env(name), KEY)
    with providers_file_in_effect(path):
        yield server
    server.close()


def test_no_broken_answer_is_a_result(
    hostile: LoopbackServer, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from harness.results.store import Store
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session

    corpus = tmp_path / "hostile.json"
    corpus.write_text(
        json.dumps(
            {
                "name": "hostile",
                "version": "1",
                "language": "en",
                "items": [{"id": f"h{n:02d}", "text": text} for n, text in enumerate(TEXTS)],
            }
        )
    )
    out = tmp_path / "run"
    config = BenchConfig(
        out=out,
        score=False,
        report=False,
        providers=tuple(BREAKAGES),
        corpus=(str(corpus),),
        target=hostile.url,
        budget=5.0,
        concurrency=4,
    )
    result = run_bench_session(config)
    store = Store(result.db_path)
    try:
        jobs = [asdict(row) for row in store.jobs(result.run_id)]
        drift = [dict(row) for row in store.query("SELECT job_key, kind FROM drift WHERE run_id = ?", (result.run_id,))]
    finally:
        store.close()
    found_kinds: dict[str, set[str]] = {}
    for row in drift:
        found_kinds.setdefault(str(row["job_key"]), set()).add(str(row["kind"]))
    tried: dict[str, set[str]] = {}
    ok_when_broken, failed_controls, missing_findings = [], [], []
    for job in jobs:
        name = Hostile.served.get((str(job["provider"]), str(job["text"])))
        if name is None:
            continue
        breakage = next(b for b in BREAKAGES[str(job["provider"])] if b.name == name)
        tried.setdefault(str(job["provider"]), set()).add(name)
        where = f"{job['provider']}: {name}"
        if breakage.broken and job["outcome"] == "ok":
            ok_when_broken.append(where)
        if not breakage.broken and job["outcome"] != "ok":
            failed_controls.append(f"{where}: {job['error_class']} {job['error_message']}")
        if breakage.finding and breakage.finding not in found_kinds.get(str(job["job_key"]), set()):
            missing_findings.append(where)
    assert tried == {name: {b.name for b in breakages} for name, breakages in BREAKAGES.items()}
    assert ok_when_broken == []
    assert failed_controls == []
    assert missing_findings == []
    assert "Traceback" not in capfd.readouterr().err
    assert leaks(out, KEY) == []


def test_a_wav_at_another_rate_is_kept_at_its_true_rate(hostile: LoopbackServer, tmp_path: Path) -> None:
    """The answer's own header is believed: the 8 kHz clip is stored (and scored) at 8 kHz, with the mismatch
    against the 24 kHz asked for recorded."""
    from harness.results.store import Store
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session

    index = [b.name for b in COMMON_AUDIO_BODY].index("wav at 8 kHz when 24 kHz was asked")
    corpus = tmp_path / "one.json"
    corpus.write_text(
        json.dumps({"name": "one", "version": "1", "language": "en", "items": [{"id": "h", "text": TEXTS[index]}]})
    )
    config = BenchConfig(
        out=tmp_path / "run",
        score=False,
        report=False,
        providers=("box-audio",),
        corpus=(str(corpus),),
        target=hostile.url,
        budget=1.0,
        concurrency=1,
    )
    result = run_bench_session(config)
    store = Store(result.db_path)
    try:
        (job,) = [asdict(row) for row in store.jobs(result.run_id)]
        notes = [
            str(row[0])
            for row in store.query(
                "SELECT note FROM drift WHERE run_id = ? AND kind = 'answer-format'", (result.run_id,)
            )
        ]
        clips = [dict(row) for row in store.query("SELECT * FROM clips WHERE run_id = ?", (result.run_id,))]
    finally:
        store.close()
    assert job["outcome"] == "ok"
    assert any("24000 Hz" in note and "8000 Hz" in note for note in notes), notes
    assert [clip["declared_sample_rate"] for clip in clips] == [8000]  # the rate its decoding uses
