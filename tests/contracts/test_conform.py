"""`tts-harness conform URL` (harness.contracts.conform) against servers written here, each an OpenAI-compatible speech
server that breaks one clause the way a reported server did, and against the sandbox's imitation of OpenAI: the card
fails exactly the clause each breaks and passes the others; JUnit and the badge are written and parse.

The servers speak real speech: one sentence rendered twice (normal and at twice the pace) when the module starts,
encoded once in each format; every answer is one of those files.
"""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from harness.contracts import ClauseOutcome, conform, declare
from harness.report import conform_card
from tests.helpers.cli_runs import in_process, in_subprocess
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.speech import render

KEY = "sk-loopback-7f3a-not-a-real-key"
RATE = 24_000
TEXT = "The quick brown fox jumps over the lazy dog."
MODELS = frozenset({"tts-1", "tts-1-hd", "gpt-4o-mini-tts", "kokoro"})  # what the servers here serve
VOICES = frozenset(
    {
        "alloy",
        "ash",
        "ballad",
        "coral",
        "echo",
        "fable",
        "onyx",
        "nova",
        "sage",
        "shimmer",
        "verse",
        "marin",
        "cedar",
        "af_bella",
        "am_adam",
    }
)  # OpenAI's thirteen and two of a server's own
FILES = {
    "mp3": ("mp3", "mp3", "audio/mpeg"),
    "opus": ("opus", "ogg", "audio/opus"),
    "flac": ("flac", "flac", "audio/flac"),
    "wav": ("pcm_s16le", "wav", "audio/wav"),
    "pcm": ("pcm_s16le", "raw", "audio/pcm"),
}
PIECES = 4  # the chunks every answer is cut into


class Quirk(StrEnum):
    NONE = "compatible"
    WAV_PER_CHUNK = "per-chunk WAV files"  # Blaizzy/mlx-audio #898: a header (and a gap) at every seam
    FORMAT_IGNORED = "response_format ignored"  # vllm-omni #4716, #4718: always WAV
    SSE_IGNORED = "stream_format sse ignored"  # sfortis/openai_tts #73: raw audio where events were asked
    OPUS_REFUSED = "opus refused"  # moltis-org/moltis #1030, maemreyo/omnivoice-server #16: 422
    EVENTS_MISSHAPED = "events misshaped"  # vllm-omni #4490: the audio under `delta`, usage in other words
    FLAC_FORBIDDEN = "flac forbidden"  # a gateway's plan without a format: 403 with the right key (not a key refused)


BROKEN = {
    Quirk.NONE: set(),
    Quirk.WAV_PER_CHUNK: {"seams"},
    Quirk.FORMAT_IGNORED: {"format-mp3", "format-opus", "format-aac", "format-flac", "format-pcm"},
    Quirk.SSE_IGNORED: {"stream-sse"},
    Quirk.OPUS_REFUSED: {"format-opus"},
    Quirk.EVENTS_MISSHAPED: {"stream-sse"},
    Quirk.FLAC_FORBIDDEN: {"format-flac"},
}


def _pieces(data: bytes) -> list[bytes]:
    size = -(-len(data) // PIECES)
    return [data[at : at + size] for at in range(0, len(data), size)]


@pytest.fixture(scope="module")
def spoken() -> dict[tuple[str, bool], bytes]:
    """Each format's file of the sentence, at normal pace and at twice it (`fast`); and, under ("wav-pieces", fast),
    the WAV cut into whole files, one a chunk."""
    from harness.speech import encode_as

    files: dict[tuple[str, bool], bytes] = {}
    for fast in (False, True):
        samples = render(TEXT, sample_rate=RATE, length_scale=0.5 if fast else 1.0)
        for name, (codec, container, _) in FILES.items():
            files[(name, fast)] = encode_as(samples, RATE, codec, container)
        cut = np.array_split(samples, PIECES)
        files[("wav-pieces", fast)] = b"".join(encode_as(piece, RATE, "pcm_s16le", "wav") for piece in cut)
    return files


def _error(status: int, message: str, param: str | None, code: str) -> tuple[int, bytes]:
    return status, json.dumps(
        {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}
    ).encode()


def _handler(files: dict[tuple[str, bool], bytes], quirk: Quirk) -> type[QuietHandler]:
    class Speech(QuietHandler):
        protocol_version = "HTTP/1.1"  # chunked answers

        def do_GET(self) -> None:
            self.answer(
                *_error(404, f"Invalid URL (GET {self.path})", None, "unknown_url"),
                {"Content-Type": "application/json"},
            )

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            refused = self._refusal(body)
            if refused is not None:
                self.answer(*refused, {"Content-Type": "application/json"})
                return
            fmt = "wav" if quirk is Quirk.FORMAT_IGNORED else str(body.get("response_format") or "mp3")
            fast = float(body.get("speed") or 1.0) >= 2.0
            if fmt == "flac" and quirk is Quirk.FLAC_FORBIDDEN:
                self.answer(
                    *_error(403, "Your plan does not include flac.", "response_format", "forbidden"),
                    {"Content-Type": "application/json"},
                )
                return
            if fmt == "opus" and quirk is Quirk.OPUS_REFUSED:
                detail = [{"loc": ["body", "response_format"], "msg": "Input should be 'mp3', 'wav' or 'pcm'"}]
                self.answer(422, json.dumps({"detail": detail}).encode(), {"Content-Type": "application/json"})
                return
            if fmt not in FILES:  # aac: no writer here, said as a server that does not implement it
                self.answer(
                    *_error(501, f"{fmt} is not implemented", "response_format", "not_implemented"),
                    {"Content-Type": "application/json"},
                )
                return
            data = files[(fmt, fast)]
            if body.get("stream_format") == "sse" and quirk is not Quirk.SSE_IGNORED:
                self.answer_chunked(200, self._events(data, fmt), {"Content-Type": "text/event-stream"})
            elif fmt == "wav" and quirk is Quirk.WAV_PER_CHUNK:
                self.answer_chunked(200, files[("wav-pieces", fast)], {"Content-Type": "audio/wav"})
            else:
                self.answer_chunked(200, data, {"Content-Type": FILES[fmt][2]}, chunk=-(-len(data) // PIECES))

        def _refusal(self, body: dict[str, Any]) -> tuple[int, bytes] | None:
            if self.headers.get("Authorization") != f"Bearer {KEY}":
                return _error(401, "Incorrect API key provided.", None, "invalid_api_key")
            if body.get("model") not in MODELS:
                return _error(404, f"The model '{body.get('model')}' does not exist", "model", "model_not_found")
            if len(str(body.get("input") or "")) > 4096:
                return _error(400, "input is longer than 4096 characters", "input", "string_above_max_length")
            if body.get("voice") not in VOICES:
                return _error(400, f"Invalid value for 'voice': {body.get('voice')}", "voice", "invalid_value")
            return None

        def _events(self, data: bytes, fmt: str) -> bytes:
            if quirk is Quirk.EVENTS_MISSHAPED:
                deltas = [
                    {"type": "speech.audio.delta", "delta": base64.b64encode(piece).decode(), "response_format": fmt}
                    for piece in _pieces(data)
                ]
                usage = {"prompt_tokens": 9, "completion_tokens": 120, "total_tokens": 129}
            else:
                deltas = [
                    {"type": "speech.audio.delta", "audio": base64.b64encode(piece).decode()} for piece in _pieces(data)
                ]
                usage = {"input_tokens": 9, "output_tokens": 120, "total_tokens": 129}
            events = [*deltas, {"type": "speech.audio.done", "usage": usage}]
            return b"".join(f"data: {json.dumps(event)}\n\n".encode() for event in events)

    return Speech


@pytest.fixture(scope="module")
def servers(spoken: dict[tuple[str, bool], bytes]) -> Iterator[dict[Quirk, str]]:
    running = {quirk: LoopbackServer(_handler(spoken, quirk)) for quirk in Quirk}
    try:
        yield {quirk: server.url + "/v1" for quirk, server in running.items()}
    finally:
        for server in running.values():
            server.close()


# The one line each broken clause says, in part.
WHY = {
    Quirk.WAV_PER_CHUNK: "wav header inside the stream",
    Quirk.FORMAT_IGNORED: "audio/wav",
    Quirk.OPUS_REFUSED: "got 422",
    Quirk.SSE_IGNORED: "text/event-stream",
    Quirk.EVENTS_MISSHAPED: "speech.audio.delta carries its audio at `audio`",
    Quirk.FLAC_FORBIDDEN: "got 403",
}


@pytest.fixture(scope="module")
def cards(servers: dict[Quirk, str]) -> dict[Quirk, Any]:
    return {quirk: conform(declare(url, "openai", environ={"OPENAI_API_KEY": KEY})) for quirk, url in servers.items()}


@pytest.mark.parametrize("quirk", list(Quirk), ids=str)
def test_the_card_fails_exactly_the_clause_a_server_breaks(cards: dict[Quirk, Any], quirk: Quirk) -> None:
    card = cards[quirk]
    by_outcome = {outcome: {r.clause.name for r in card.results if r.outcome is outcome} for outcome in ClauseOutcome}
    assert by_outcome[ClauseOutcome.FAILED] == BROKEN[quirk], [(r.clause.name, r.reason) for r in card.results]
    # aac: this server writes none and answers 501, unless it answers WAV for everything
    absent = set() if quirk is Quirk.FORMAT_IGNORED else {"format-aac"}
    assert by_outcome[ClauseOutcome.NOT_OFFERED] == absent, [(r.clause.name, r.reason) for r in card.results]
    assert len(by_outcome[ClauseOutcome.PASSED]) == len(card.results) - len(BROKEN[quirk]) - len(absent) >= 9
    assert card.conforms is (quirk is Quirk.NONE)
    assert card.key_refusal is None  # a clause refused with the right key (403) is the clause's failure, not the key's
    assert card.setting_refusal is None  # some plain synthesis spoke (or was refused alone): the card says the rest
    findings = [finding for result in card.results for finding in result.findings]
    if quirk is Quirk.EVENTS_MISSHAPED:  # a field the documents do not have: said beside the clause, never failed
        assert any("response_format: field not in the documents" in finding for finding in findings), findings
    elif quirk is Quirk.NONE:
        assert findings == []
    for result in card.results:
        if result.outcome is ClauseOutcome.FAILED:  # one line that shows why; a curl with the key as its variable
            assert WHY[quirk] in result.reason and "\n" not in result.reason
            assert result.curl.startswith("curl -X POST") and "$OPENAI_API_KEY" in result.curl
            assert KEY not in result.curl + result.reason


def test_the_command_writes_junit_and_the_badge(
    servers: dict[Quirk, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    junit, badge = tmp_path / "conform.xml", tmp_path / "badge.json"
    run = in_process(
        "conform",
        servers[Quirk.OPUS_REFUSED],
        "--junit",
        str(junit),
        "--badge",
        str(badge),
        cwd=tmp_path,
        monkeypatch=monkeypatch,
        capsys=capsys,
        env={"OPENAI_API_KEY": KEY},
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "format-opus" in run.stdout and "$OPENAI_API_KEY" in run.stdout and KEY not in run.stdout
    suite = ET.fromstring(junit.read_text(encoding="utf-8"))
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert len(cases) == 15 and suite.get("failures") == "1" and suite.get("skipped") == "1"
    failure = cases["format-opus"].find("failure")
    assert failure is not None and "422" in str(failure.get("message"))
    assert cases["format-mp3"].find("failure") is None and cases["format-aac"].find("skipped") is not None
    assert json.loads(badge.read_text(encoding="utf-8")) == {
        "schemaVersion": 1,
        "label": "openai /v1/audio/speech",
        "message": "13/14 clauses",
        "color": "red",
    }
    shown = in_process(
        "conform",
        servers[Quirk.NONE],
        "--format",
        "json",
        "--model",
        "kokoro",
        "--voice",
        "am_adam",
        "--key-env",
        "LOOPBACK_KEY",
        cwd=tmp_path,
        monkeypatch=monkeypatch,
        capsys=capsys,
        env={"LOOPBACK_KEY": KEY},
    )
    document = json.loads(shown.stdout)
    assert shown.returncode == 0 and document["conforms"] and document["passed"] == document["offered"] == 14
    assert document["key_env"] == "LOOPBACK_KEY" and KEY not in shown.stdout


def test_a_server_of_its_own_model_and_voices_is_judged_in_them(servers: dict[Quirk, str]) -> None:
    """`--model NAME`: every request, the events form's included, names the server's model; a name it does not serve
    fails the clauses that need an answer, refused as OpenAI refuses an unknown model. `--voice`: the server's own
    voices, the first on every request, each asked by the `voices` clause."""
    url, environ = servers[Quirk.NONE], {"LOOPBACK_KEY": KEY}
    served = conform(declare(url, "openai", "LOOPBACK_KEY", environ, model="kokoro", voices=("af_bella", "am_adam")))
    assert served.conforms and served.key_env == "LOOPBACK_KEY", [(r.clause.name, r.reason) for r in served.results]
    unknown = conform(declare(url, "openai", "LOOPBACK_KEY", environ, model="kokoro", voices=("af_bella", "bf_x")))
    failed = {r.clause.name: r for r in unknown.results if r.outcome is ClauseOutcome.FAILED}
    assert set(failed) == {"voices"} and "bf_x" in failed["voices"].reason, failed
    unserved = conform(declare(url, "openai", "LOOPBACK_KEY", environ, model="not-served"))
    failed = {r.clause.name: r for r in unserved.results if r.outcome is ClauseOutcome.FAILED}
    assert {"format-mp3", "stream-sse", "instructions", "voices"} <= set(failed)
    assert "404" in failed["stream-sse"].reason and "$LOOPBACK_KEY" in failed["stream-sse"].curl


def test_a_server_that_refuses_every_request_the_key_goes_on_is_one_line_naming_the_key(
    servers: dict[Quirk, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No key sent, or a wrong one: every clause would fail with the same 401. The command says so in one line that
    names the variable to set or the key to check, prints no card and exits 2; the wrong key is never shown. The
    library's card keeps every clause, each failed with the status it was refused with."""
    url, wrong = servers[Quirk.NONE], "sk-loopback-wrong-0c1d"
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    unset = in_process("conform", url, cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert unset.returncode == 2 and unset.stdout == "" and unset.stderr.count("\n") == 1, unset.stdout + unset.stderr
    assert "no key was sent (401" in unset.stderr and "set OPENAI_API_KEY to the server's key" in unset.stderr
    refused = in_process(
        "conform",
        url,
        "--key-env",
        "LOOPBACK_KEY",
        cwd=tmp_path,
        monkeypatch=monkeypatch,
        capsys=capsys,
        env={"LOOPBACK_KEY": wrong},
    )
    assert refused.returncode == 2 and refused.stdout == "" and refused.stderr.count("\n") == 1, refused.stderr
    assert "with the key in LOOPBACK_KEY (401" in refused.stderr and "Incorrect API key" in refused.stderr
    assert wrong not in refused.stderr and "Traceback" not in refused.stderr
    card = conform(declare(url, "openai", "LOOPBACK_KEY", {"LOOPBACK_KEY": wrong}))
    failed = [r for r in card.results if r.outcome is ClauseOutcome.FAILED]
    assert card.key_refusal is not None and len(failed) == 14 and {r.status for r in failed} == {401}
    assert [r.clause.name for r in card.results if r.outcome is ClauseOutcome.PASSED] == ["error-bad-key"]


def test_a_model_or_voice_the_server_does_not_take_is_one_line_naming_the_option(
    servers: dict[Quirk, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every plain synthesis refused alike, the answer naming the model (or the voice) the requests sent: the card
    would be that refusal once per clause; the command names the option to give in one line and exits 2. The
    library's card keeps every clause."""
    url, environ = servers[Quirk.NONE], {"LOOPBACK_KEY": KEY}
    card = conform(declare(url, "openai", "LOOPBACK_KEY", environ, model="not-served"))
    assert card.setting_refusal is not None and card.setting_refusal[0] == "model refused", card.setting_refusal
    assert "does not take the model 'not-served': give --model" in card.setting_refusal[1]
    assert len([r for r in card.results if r.outcome is ClauseOutcome.FAILED]) >= 10
    said = {}
    for option, value in (("--model", "not-served"), ("--voice", "bf_nobody")):
        run = in_process(
            "conform",
            url,
            "--key-env",
            "LOOPBACK_KEY",
            option,
            value,
            cwd=tmp_path,
            monkeypatch=monkeypatch,
            capsys=capsys,
            env=environ,
        )
        assert run.returncode == 2 and run.stdout == "" and run.stderr.count("\n") == 1, run.stdout + run.stderr
        said[option] = run.stderr
    assert said["--model"].startswith("model refused: ") and "give --model and a model it serves" in said["--model"]
    assert said["--voice"].startswith("voice refused: ") and "the voice 'bf_nobody': give --voice" in said["--voice"]
    assert KEY not in "".join(said.values())


def test_a_url_with_no_speech_endpoint_under_it_is_one_line_naming_the_url(
    sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An OpenAI-compatible server given without its /v1 (the sandbox's openai at /openai): every plain synthesis
    404s at URL/audio/speech, and the line says where nothing speaks and which URL to give."""
    url = sandbox.url + "/openai"
    run = in_process(
        "conform", url, cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys, env={"OPENAI_API_KEY": "sk-x"}
    )
    assert run.returncode == 2 and run.stdout == "" and run.stderr.count("\n") == 1, run.stdout + run.stderr
    assert run.stderr.startswith(f"not found: nothing at {url}/audio/speech speaks (404"), run.stderr
    assert "the part before /audio/speech" in run.stderr


def test_a_server_that_cannot_be_reached_is_one_line(tmp_path: Path) -> None:
    run = in_subprocess("conform", "http://127.0.0.1:9/v1", cwd=tmp_path)
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "unreachable: http://127.0.0.1:9/v1 does not answer" in run.stderr and "Traceback" not in run.stderr


def test_a_built_in_that_declares_no_clauses_is_one_usage_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run = in_process(
        "conform", "http://127.0.0.1:9/v1", "--like", "elevenlabs", cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys
    )
    assert run.returncode == 2 and "declares no conformance clauses" in run.stderr and "openai" in run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_the_markdown_card_names_each_clause_and_how_to_reproduce_a_failure(cards: dict[Quirk, Any]) -> None:
    card = cards[Quirk.SSE_IGNORED]
    text = conform_card.markdown(card)
    assert all(f"`{result.clause.name}`" in text for result in card.results)
    assert "## Reproduce" in text and '"stream_format":"sse"' in text and "$OPENAI_API_KEY" in text


def test_the_sandboxs_openai_passes_every_clause() -> None:
    from harness.sandbox import running

    with running(profile="fast", providers=("openai",)) as sandbox:
        card = conform(
            declare(sandbox.base_url("openai"), "openai", environ={"OPENAI_API_KEY": sandbox.default_key("openai")})
        )
    assert card.conforms, [(r.clause.name, r.reason) for r in card.results if r.outcome is ClauseOutcome.FAILED]
    # every clause offered and passed, aac too: AAC in ADTS frames, judged by its bytes and decoded like any format
    assert [(r.clause.name, r.reason) for r in card.results if r.outcome is not ClauseOutcome.PASSED] == []
    assert "format-aac" in {r.clause.name for r in card.results} and len(card.results) == 15


def test_the_docs_page_lists_every_clause_in_the_documents_words() -> None:
    """docs/conform.md's clause table is the declaration's, generated (`conform_card.clause_table`): a clause added,
    renamed or reworded in the declaration changes the page."""
    from harness.core.installed import builtin

    clauses = builtin("openai").family.conformance
    page = (Path(__file__).resolve().parents[2] / "docs" / "conform.md").read_text(encoding="utf-8")
    shown = page.split(conform_card.CLAUSES_BEGIN, 1)[1].split(conform_card.CLAUSES_END, 1)[0].strip()
    assert shown == conform_card.clause_table(clauses), "regenerate the block with conform_card.clause_table"
    assert len(clauses.clauses) == 15 and all(f"| `{c.name}` |" in shown for c in clauses.clauses)
