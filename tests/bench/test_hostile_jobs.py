"""The asynchronous jobs family under a hostile provider: a loopback job server written here (not the sandbox)
answers Pixazo's job API — submit → request id, status polls → QUEUED/PROCESSING/COMPLETED/FAILED with a media
URL, the media download — laid out as the sandbox is (`URL/pixazo/gateway/<path>`), and breaks its answers on
purpose, one breakage per job, beside good controls.

Each breakage is an answer a real job API can give: a submit that is not JSON or has no id, an error inside a
2xx, a status with no state, a state nobody documented or a list where the state goes, a failure whose message
echoes the key (plain, every character percent-encoded, base64, every form at once), a completed job without its
media URL or with an error beside it, a body that claims gzip and is not, media that is not audio or is cut short
(a WAV header promising more than it holds, a Content-Length longer than the body, a connection cut mid-body), a
media URL that is no URL, relative, or of another scheme, a status that drips a byte a second, a job that never
completes, a Retry-After far past the deadline. The controls: good jobs, media on (or redirected to) another
origin, a status redirected there, stamps that are no times, words about the audio that contradict its bytes.
Asserted for every job: no broken answer stored as ok, every control ok (a contradiction recorded, the clip read
at its true rate), no job past its deadline, no traceback, no piece of the key in any file the run writes
(`tests.helpers.planted`) nor sent to another origin."""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

import pytest

from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.planted import KEY, echo, leaks, pieces
from tests.helpers.wav import pcm_wav

JOB_TIMEOUT = 3.0
SLACK = 5.0  # the acceptance: a job ends within --job-timeout + 5 s
RATE = 24000
WAV = pcm_wav(4800, RATE, sample=b"\x00\x10")  # 0.2 s of a quiet tone: valid, decodable
ECHO = echo(KEY)
SUBMIT_PATH = "/pixazo/gateway/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request"
STATUS_PATH = "/pixazo/gateway/v2/requests/status/"


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer. `declared`: a Content-Length other than the body's (the connection then closes short);
    `cut`: chunked, the connection closed before the last chunk; `drip`: headers, then a byte a second."""

    status: int
    headers: dict[str, str]
    body: bytes = b""
    declared: int | None = None
    cut: bool = False
    drip: bool = False


@dataclass(frozen=True, slots=True)
class Where:
    """What an answer may point at: the job server, the other origin (a media host), the job's number."""

    url: str
    other: str
    n: int

    @property
    def job_id(self) -> str:
        return f"job-{self.n}"

    @property
    def media(self) -> str:
        return f"{self.url}/media/{self.n}.wav"


def _json(document: object, status: int = 200) -> Answer:
    return Answer(status, {"Content-Type": "application/json"}, json.dumps(document).encode())


def _audio(body: bytes, media_type: str = "audio/wav", status: int = 200) -> Answer:
    return Answer(status, {"Content-Type": media_type}, body)


def accepted(where: Where) -> Answer:
    return _json(
        {"request_id": where.job_id, "status": "QUEUED", "polling_url": f"{where.url}{STATUS_PATH}{where.job_id}"}, 202
    )


def _status(where: Where, state: object, **fields: Any) -> Answer:
    return _json(
        {"request_id": where.job_id, "status": state, "model_id": "chatterbox-text-to-speech", "error": None, **fields}
    )


def completed(where: Where, url: str | None = None, media_type: str = "audio/wav", **fields: Any) -> Answer:
    return _status(where, "COMPLETED", output={"media_url": [url or where.media], "media_type": media_type}, **fields)


def then(final: Callable[[Where], Answer]) -> Callable[[Where, int], Answer]:
    """The first poll finds the job PROCESSING, every later one `final`: the waiting path is walked."""
    return lambda where, poll: _status(where, "PROCESSING") if poll == 1 else final(where)


def always(answer: Callable[[Where], Answer]) -> Callable[[Where, int], Answer]:
    return lambda where, _: answer(where)


def failed(message: str) -> Callable[[Where, int], Answer]:
    return then(lambda where: _status(where, "FAILED", error=message))


def media(answer: Answer) -> Callable[[Where], Answer]:
    return lambda _: answer


PROCESSING_THEN_COMPLETED = then(completed)
GOOD_MEDIA = media(_audio(WAV))


@dataclass(frozen=True, slots=True)
class Case:
    """One job: how its submit, status polls (numbered from 1) and media are answered."""

    name: str
    submit: Callable[[Where], Answer] = accepted
    status: Callable[[Where, int], Answer] = PROCESSING_THEN_COMPLETED
    media: Callable[[Where], Answer] = GOOD_MEDIA
    broken: bool = True  # False: a control, whose audio is whole and must be stored
    finding: str = ""  # a control that must carry a drift row of this kind
    timeout: bool = False  # a breakage that only the deadline ends: its error class must be `timeout`


DRIP = Answer(200, {"Content-Type": "application/json"}, drip=True)
EIGHT_KHZ = pcm_wav(1600, 8000, sample=b"\x00\x10")

CASES = (
    # controls
    Case("good", broken=False),
    Case("good, straight to COMPLETED on the first poll", status=always(completed), broken=False),
    Case(
        "media on another origin (the key never sent there)",
        status=then(lambda where: completed(where, f"{where.other}/cdn/{where.n}.wav")),
        broken=False,
    ),
    Case(
        "media redirected to another origin (the key never follows)",
        media=lambda where: Answer(302, {"Location": f"{where.other}/cdn/{where.n}.wav"}),
        broken=False,
    ),
    Case(
        "status redirected to another origin (the key never follows)",
        status=then(lambda where: Answer(307, {"Location": f"{where.other}/moved/status/{where.job_id}"})),
        broken=False,
    ),
    Case(
        "media Content-Type says 24 kHz, the WAV header 8 kHz",
        media=media(_audio(EIGHT_KHZ, f"audio/wav; rate={RATE}")),
        broken=False,
        finding="answer-format",
    ),
    Case(
        "status says audio/mpeg, the bytes are WAV",
        status=then(lambda where: completed(where, media_type="audio/mpeg")),
        broken=False,
        finding="answer-format",
    ),
    # the submit
    Case(
        "submit answer not JSON",
        submit=lambda _: _audio(b"<html>queued " + KEY.encode() + b"</html>", "text/html", 202),
    ),
    Case(
        "submit without a request id", submit=lambda where: _json({"status": "QUEUED", "polling_url": where.url}, 202)
    ),
    Case("submit with a numeric request id", submit=lambda _: _json({"request_id": 12345, "status": "QUEUED"}, 202)),
    Case(
        "an error body inside a 200 submit",
        submit=lambda _: _json({"error": "Unauthorized", "message": f"invalid subscription key {ECHO}"}),
    ),
    Case("submit refused 401 echoing the key", submit=lambda _: _json({"error": "Unauthorized", "message": ECHO}, 401)),
    Case("submit answer a JSON list", submit=lambda _: _json([{"request_id": "job-x"}], 202)),
    # the status
    Case("status of a state nobody documented", status=always(lambda where: _status(where, "DONE-ISH")), timeout=True),
    Case("status FAILED, the key in its message", status=failed(f"bad key {KEY}")),
    Case(
        "status FAILED, the key percent-encoded every char (upper hex)",
        status=failed("bad key " + "".join(f"%{byte:02X}" for byte in KEY.encode())),
    ),
    Case(
        "status FAILED, the key percent-encoded every char (lower hex)",
        status=failed("bad key " + "".join(f"%{byte:02x}" for byte in KEY.encode())),
    ),
    Case("status FAILED, the key in base64", status=failed("bad key " + base64.b64encode(KEY.encode()).decode())),
    Case("status FAILED, the key in every form", status=failed(ECHO)),
    Case(
        "status ERROR (uncharged), the key in its message",
        status=then(lambda where: _status(where, "ERROR", error=quote(KEY, safe=""))),
    ),
    Case("COMPLETED without a media URL", status=then(lambda where: _status(where, "COMPLETED"))),
    Case(
        "COMPLETED with an empty media list",
        status=then(lambda where: _status(where, "COMPLETED", output={"media_url": [], "media_type": "audio/wav"})),
    ),
    Case(
        "COMPLETED with an error beside good media",
        status=then(lambda where: completed(where, error=f"synthesis failed: {ECHO}")),
    ),
    Case("status without a state", status=always(lambda where: _json({"request_id": where.job_id})), timeout=True),
    Case("status whose state is a list", status=then(lambda where: _status(where, ["COMPLETED"]))),
    Case("status whose state is an object", status=then(lambda where: _status(where, {"state": "COMPLETED"}))),
    Case(
        "status stamps that are not times, the audio good",
        status=then(lambda where: completed(where, created_at="yesterday-ish", completed_at="9" * 40)),
        broken=False,
    ),
    Case(
        "status stamps as numbers, completed before created",
        status=then(lambda where: completed(where, created_at=1e300, completed_at=-5)),
        broken=False,
    ),
    Case(
        "status body claims gzip and is not",
        status=always(
            lambda where: Answer(
                200,
                {"Content-Type": "application/json", "Content-Encoding": "gzip"},
                b"\x1f\x8b\x08\x00not gzip at all",
            )
        ),
    ),
    Case("status answer not JSON", status=always(lambda _: _audio(b"<html>" + KEY.encode() + b"</html>", "text/html"))),
    Case("status answer a JSON string", status=always(lambda _: _json("COMPLETED"))),
    Case(
        "status refused 401 echoing the key",
        status=always(lambda _: _json({"error": "Unauthorized", "message": ECHO}, 401)),
    ),
    Case("status that drips a byte a second", status=always(lambda _: DRIP), timeout=True),
    Case("a job that never completes", status=always(lambda where: _status(where, "PROCESSING")), timeout=True),
    # the media
    Case(
        "media claims gzip and is not",
        media=media(Answer(200, {"Content-Type": "audio/wav", "Content-Encoding": "gzip"}, b"\x1f\x8b" + WAV)),
    ),
    Case("media that is not audio", media=media(_audio(b"<html>Service maintenance</html>"))),
    Case("media is the key as text", media=media(_audio(ECHO.encode(), "application/octet-stream"))),
    Case("media empty", media=media(_audio(b""))),
    Case("media WAV header promising more than it holds", media=media(_audio(WAV[: len(WAV) // 2]))),
    Case(
        "media Content-Length longer than its body",
        media=media(Answer(200, {"Content-Type": "audio/wav"}, WAV, declared=len(WAV) * 2)),
    ),
    Case(
        "media connection cut mid-body", media=media(Answer(200, {"Content-Type": "audio/wav"}, WAV[:2000], cut=True))
    ),
    Case("media refused 401 echoing the key", media=media(_json({"error": "denied", "message": ECHO}, 401))),
    Case(
        "media URL carrying the key, refused 404",
        status=then(lambda where: completed(where, f"{where.url}/media/{quote(KEY, safe='')}/{where.n}.wav")),
        media=media(_json({"error": "not found"}, 404)),
    ),
    Case("media URL that is no URL", status=then(lambda where: completed(where, "http://[::1:80/a.wav"))),
    Case("a relative media URL", status=then(lambda where: completed(where, f"/media/{where.n}.wav"))),
    Case("media URL of another scheme", status=then(lambda where: completed(where, "file:///etc/passwd"))),
)
SLOW_DOWN = b'{"error": "Too Many Requests", "message": "slow down"}'
# A Retry-After closes the provider's gate for all its jobs (the rate limit is the account's, not the job's):
# these run apart, where every job is expected to end by its deadline, none of them with audio.
RETRY_AFTER_CASES = (
    Case(
        "submit 429 with a Retry-After far past the deadline",
        submit=lambda _: Answer(429, {"Content-Type": "application/json", "Retry-After": "86400"}, SLOW_DOWN),
    ),
    Case(
        "status 429 with a Retry-After far past the deadline",
        status=always(lambda _: Answer(429, {"Content-Type": "application/json", "Retry-After": "86400"}, SLOW_DOWN)),
    ),
    Case(
        "status 429 with a Retry-After that is no time, the key in it",
        status=always(
            lambda _: Answer(429, {"Content-Type": "application/json", "Retry-After": f"soon, {KEY}"}, SLOW_DOWN)
        ),
    ),
)
TEXTS = tuple(f"Hostile job number {n} is read as the provider sent it." for n in range(1, 1 + len(CASES)))


class JobServer(QuietHandler):
    """Answers the job of the n-th text with the n-th case: its submit, its status polls, its media."""

    protocol_version = "HTTP/1.1"
    lock = threading.Lock()
    closing = threading.Event()
    url = ""
    other = ""
    cases: ClassVar[tuple[Case, ...]] = CASES  # the cases in play: the n-th text's job is the n-th case's
    served: ClassVar[set[int]] = set()
    keyed: ClassVar[int] = 0  # requests that carried the key: what the leak checks look for was in play
    polls: ClassVar[dict[int, int]] = {}

    def do_POST(self) -> None:
        JobServer.keyed += self.headers.get("Ocp-Apim-Subscription-Key") == KEY
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            text = json.loads(body).get("text")
        except (ValueError, AttributeError):
            text = None
        if self.path != SUBMIT_PATH or text not in TEXTS[: len(JobServer.cases)]:
            return self._send(_json({"error": "Not Found", "message": "no such route"}, 404))
        n = TEXTS.index(text)
        with JobServer.lock:
            JobServer.served.add(n)
        return self._send(JobServer.cases[n].submit(self._where(n)))

    def do_GET(self) -> None:
        n = self._number()
        if n is None:
            return self._send(_json({"error": "Not Found", "message": "no such job"}, 404))
        if self.path.startswith(STATUS_PATH):
            with JobServer.lock:
                poll = JobServer.polls[n] = JobServer.polls.get(n, 0) + 1
            return self._send(JobServer.cases[n].status(self._where(n), poll))
        return self._send(JobServer.cases[n].media(self._where(n)))

    def _number(self) -> int | None:
        last = self.path.rsplit("/", 1)[-1].removeprefix("job-").removesuffix(".wav")
        return int(last) if last.isdigit() and int(last) < len(JobServer.cases) else None

    def _where(self, n: int) -> Where:
        return Where(JobServer.url, JobServer.other, n)

    def _send(self, answer: Answer) -> None:
        self.close_connection = True  # one answer a connection: none is reused half-read
        # The client may leave at its deadline: its leaving is what the case is about, not the server's error.
        with contextlib.suppress(OSError):
            self._write(answer, {**answer.headers, "Connection": "close"})

    def _write(self, answer: Answer, headers: dict[str, str]) -> None:
        if answer.drip:
            self.drip(answer.status, headers, JobServer.closing)  # the server's behaviour: a byte a second
        elif answer.cut:
            self.send_response(answer.status)
            for name, value in {**headers, "Transfer-Encoding": "chunked"}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(f"{len(answer.body):x}\r\n".encode() + answer.body + b"\r\n")  # and no last chunk
        elif answer.declared is not None:
            self.send_response(answer.status)
            for name, value in {**headers, "Content-Length": str(answer.declared)}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        else:
            self.answer(answer.status, answer.body, headers)


class MediaHost(QuietHandler):
    """Another origin serving the audio, noting every header it is sent (a key must never be one of them)."""

    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        MediaHost.seen.append(f"{self.path}\n{self.headers}")
        self.close_connection = True
        answer = _audio(WAV)
        if self.path.startswith("/moved/status/"):  # a status request redirected here: the job, done
            n = int(self.path.rsplit("-", 1)[-1])
            answer = completed(Where(JobServer.url, JobServer.other, n), f"{JobServer.other}/cdn/{n}.wav")
        with contextlib.suppress(OSError):  # a client that left at its deadline
            self.answer(answer.status, answer.body, {**answer.headers, "Connection": "close"})


@dataclass
class Servers:
    jobs: LoopbackServer
    media: LoopbackServer


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch) -> Iterator[Servers]:
    JobServer.closing = threading.Event()
    JobServer.served, JobServer.polls, JobServer.keyed, MediaHost.seen = set(), {}, 0, []
    jobs, host = LoopbackServer(JobServer), LoopbackServer(MediaHost)
    # Every job submits at once: socketserver's backlog of 5 would reset the connects past it (a transport
    # error of the test's own making), so the listening socket is given room for them all.
    jobs.httpd.socket.listen(4 * len(CASES))
    JobServer.url, JobServer.other = jobs.url, host.url
    monkeypatch.setenv("PIXAZO_API_KEY", KEY)
    yield Servers(jobs, host)
    JobServer.closing.set()
    jobs.close()
    host.close()


@dataclass
class Ran:
    """What a run of some cases left: each job with its case, and what is counted of it."""

    jobs: list[tuple[Case, dict[str, Any]]]
    took: float  # the run's wall time, seconds
    ok_when_broken: list[str] = field(default_factory=list)
    failed_controls: list[str] = field(default_factory=list)
    missing_findings: list[str] = field(default_factory=list)
    hung: list[str] = field(default_factory=list)  # jobs that ended past their deadline + SLACK
    not_timeouts: list[str] = field(default_factory=list)  # cases only the deadline ends, ended otherwise
    tracebacks: int = 0
    key_hits: list[str] = field(default_factory=list)  # in the files the run wrote, or sent to the media host
    clip_rates: dict[str, Any] = field(default_factory=dict)  # text -> the rate its clip is read at

    def counts(self) -> dict[str, float]:
        return {
            "breakages tried": sum(case.broken for case, _ in self.jobs),
            "controls": sum(not case.broken for case, _ in self.jobs),
            "ok-when-broken": len(self.ok_when_broken),
            "hung": len(self.hung),
            "tracebacks": self.tracebacks,
            "key hits": len(self.key_hits),
            "run s": round(self.took, 1),
        }


def _run(cases: tuple[Case, ...], servers: Servers, folder: Path, capfd: pytest.CaptureFixture[str]) -> Ran:
    """`bench run` of Pixazo's Chatterbox against the job server, one job a case, all at once."""
    from harness.providers.pixazo import PROVIDER as PIXAZO
    from harness.results.store import Store
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session

    JobServer.cases = cases
    corpus = folder / "hostile.json"
    corpus.write_text(
        json.dumps(
            {
                "name": "hostile-jobs",
                "version": "1",
                "language": "en",
                "items": [{"id": f"j{n:02d}", "text": text} for n, text in enumerate(TEXTS[: len(cases)])],
            }
        )
    )
    out = folder / "run"
    config = BenchConfig(
        out=out,
        score=False,
        report=False,
        providers=("pixazo",),
        models=("chatterbox",),
        corpus=(str(corpus),),
        target=servers.jobs.url,
        budget=5.0,
        concurrency=len(cases),
        ramp_up=0,
        job_timeout=JOB_TIMEOUT,
        polling="fixed",
        poll_interval=0.1,
    )
    began = time.monotonic()
    result = run_bench_session(config, providers={"pixazo": PIXAZO})
    ran = Ran([], time.monotonic() - began)
    store = Store(result.db_path)
    try:
        rows = [asdict(row) for row in store.jobs(result.run_id)]
        finished = {
            str(row["job_key"]): store.marks(str(row["job_key"])).get("finished", float("inf")) / 1000 for row in rows
        }
        drift = {
            (str(row["job_key"]), str(row["kind"]))
            for row in store.query("SELECT job_key, kind FROM drift WHERE run_id = ?", (result.run_id,))
        }
        last_error = {
            str(row["job_key"]): str(row["error_class"])
            for row in store.query(
                "SELECT job_key, error_class FROM errors WHERE run_id = ? ORDER BY rowid", (result.run_id,)
            )
        }
        ran.clip_rates = {
            str(row["text"]): row["declared_sample_rate"]
            for row in store.query("SELECT text, declared_sample_rate FROM clips WHERE run_id = ?", (result.run_id,))
        }
    finally:
        store.close()
    for row in rows:
        case, key = cases[TEXTS.index(str(row["text"]))], str(row["job_key"])
        ran.jobs.append((case, row))
        if case.broken and row["outcome"] == "ok":
            ran.ok_when_broken.append(case.name)
        if not case.broken and row["outcome"] != "ok":
            ran.failed_controls.append(f"{case.name}: {row['error_class']} {row['error_message']}")
        if case.finding and (key, case.finding) not in drift:
            ran.missing_findings.append(case.name)
        if finished[key] >= JOB_TIMEOUT + SLACK:
            ran.hung.append(f"{case.name}: {finished[key]:.1f} s")
        # Ended by the deadline: a time-out, its class the job's (or, for a job kept `unfetched` because its
        # status could not be read by then, the class of its last error).
        if case.timeout and (row["error_class"] or last_error.get(key)) != "timeout":
            ran.not_timeouts.append(f"{case.name}: {row['outcome']} {row['error_class']} {row['error_message']}")
    output = capfd.readouterr()
    ran.tracebacks = sum(text.count("Traceback") for text in (output.out, output.err)) + sum(
        path.read_bytes().count(b"Traceback") for path in out.rglob("*") if path.is_file()
    )
    ran.key_hits = leaks(out, KEY) + [seen for seen in MediaHost.seen if any(piece in seen for piece in pieces(KEY))]
    print(
        "\n".join(
            [
                f"{row['outcome']:>9} {row['error_class'] or '':>9} {finished[str(row['job_key'])]:4.1f} s  {case.name}"
                for case, row in ran.jobs
            ]
            + [json.dumps(ran.counts())]
        )
    )
    return ran


def test_no_broken_job_is_a_result_and_none_outlives_its_deadline(
    servers: Servers, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    ran = _run(CASES, servers, tmp_path, capfd)
    assert JobServer.served == set(range(len(CASES))) and len(ran.jobs) == len(CASES)
    assert ran.ok_when_broken == []
    assert ran.failed_controls == []
    assert ran.missing_findings == []
    assert ran.hung == [] and ran.took < JOB_TIMEOUT + SLACK, (ran.took, ran.hung)
    assert ran.not_timeouts == []
    assert ran.tracebacks == 0
    assert ran.key_hits == []
    assert JobServer.keyed and len(MediaHost.seen) >= 4  # the key was in play, and the other origin was reached
    rate_case = next(n for n, case in enumerate(CASES) if "24 kHz" in case.name)
    assert ran.clip_rates[TEXTS[rate_case]] == 8000  # read at the rate of its own header


@pytest.mark.clock
def test_a_retry_after_past_the_deadline_holds_no_job_past_it(
    servers: Servers, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    ran = _run(RETRY_AFTER_CASES, servers, tmp_path, capfd)
    assert JobServer.served == set(range(len(RETRY_AFTER_CASES)))
    assert ran.ok_when_broken == []
    assert ran.hung == [] and ran.took < JOB_TIMEOUT + SLACK, (ran.took, ran.hung)
    assert ran.tracebacks == 0
    assert ran.key_hits == []
