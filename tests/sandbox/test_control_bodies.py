"""Hostile bodies at the sandbox's control API (issue 59): a body nested 100,000 deep, a 66 MB body, a bool where a
number is documented — each one 4xx with one line, no traceback in the log, nothing changed; the documented bodies
still work. The drift's keys are one declared table (`control_bodies.DRIFT`)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import httpx
import pytest

from harness.sandbox import Sandbox, running
from harness.sandbox.control_bodies import DRIFT, MAX_BODY_BYTES, PerProvider, nesting

DEEP = ("[" * 100_000 + "]" * 100_000).encode()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with running("fast", 3, clock="manual", providers=("openai", "murf")) as sb:
        yield sb


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def _sandbox_log(log: pytest.LogCaptureFixture) -> str:
    """What the sandbox logged: its own loggers and the server's, and any record whose traceback passes through the
    harness. Not another test's leftovers (a client of an earlier test closed by the garbage collector after its loop
    ended logs a traceback of httpx's frames only while this test captures)."""

    def formatted(record: logging.LogRecord) -> str:
        return log.handler.format(record)

    return "\n".join(
        text
        for record in log.records
        if (text := formatted(record))
        and (record.name.startswith(("harness", "uvicorn", "starlette")) or "/harness/" in text)
    )


def _post(sandbox: Sandbox, path: str, content: bytes) -> httpx.Response:
    return httpx.post(sandbox.url + path, content=content, headers={"Content-Type": "application/json"}, timeout=30)


def _one_line_refusal(response: httpx.Response, log: pytest.LogCaptureFixture, status: int) -> str:
    assert response.status_code == status, response.text
    message = response.json()["error"]
    assert "\n" not in message and len(message) < 400
    said = _sandbox_log(log)
    assert "Traceback" not in said and "RecursionError" not in said, said
    return str(message)


PATHS = ["/_sandbox/drift", "/_sandbox/catalogue", "/_sandbox/keys", "/_sandbox/clock/advance", "/_sandbox/sink/deep"]


@pytest.mark.parametrize("path", PATHS)
def test_a_body_nested_100000_deep_is_one_line(sandbox: Sandbox, log: pytest.LogCaptureFixture, path: str) -> None:
    # 200 KB: past a control body's size (413) before its depth is looked at; a webhook's 1 MiB takes it, not its depth
    _one_line_refusal(_post(sandbox, path, DEEP), log, 400 if "/sink/" in path else 413)


@pytest.mark.parametrize("path", PATHS)
def test_a_body_nested_deeper_than_the_bound_is_never_parsed(
    sandbox: Sandbox, log: pytest.LogCaptureFixture, path: str
) -> None:
    deep = ('{"billing": ' + "[" * 20_000 + "]" * 20_000 + "}").encode()  # 40 KB, within every size bound
    assert "nests 20001 deep" in _one_line_refusal(_post(sandbox, path, deep), log, 400)


@pytest.mark.parametrize("path", ["/_sandbox/drift", "/_sandbox/sink/big"])
def test_a_66_mb_body_is_refused_before_it_is_read(sandbox: Sandbox, log: pytest.LogCaptureFixture, path: str) -> None:
    big = b'{"misread": ["' + b"x" * (66 * 1024 * 1024) + b'"]}'
    message = _one_line_refusal(_post(sandbox, path, big), log, 413)
    assert "bytes" in message
    assert httpx.get(sandbox.url + "/_sandbox/sink/big", timeout=30).json() == []  # nothing kept to serve back


def test_a_body_sent_in_chunks_is_cut_at_the_bound(sandbox: Sandbox, log: pytest.LogCaptureFixture) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the bound holds while the body arrives
        yield b'{"misread": ["'
        for _ in range(64):
            yield b"x" * 4096

    response = httpx.post(sandbox.url + "/_sandbox/drift", content=chunks(), timeout=30)
    assert f"{MAX_BODY_BYTES:,} bytes" in _one_line_refusal(response, log, 413)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"billing": {"openai": True}}, "billing.openai must be a number"),  # a bool is not a factor
        ({"added_latency_s": "0.5"}, "added_latency_s must be a number"),  # a string of digits is not a number
        ({"pitch_shift": False}, "pitch_shift must be a number"),
        ({"misread": "year-digit-by-digit"}, "misread names some of"),
        ({"billing": {"openai": 1e400}}, "billing"),
        ({"voice": "x"}, "nothing else"),
        ([1], "not an object"),
    ],
)
def test_only_the_documented_types_are_taken(
    sandbox: Sandbox, log: pytest.LogCaptureFixture, body: object, said: str
) -> None:
    before = httpx.get(sandbox.url + "/_sandbox/drift", timeout=30).json()
    response = _post(sandbox, "/_sandbox/drift", json.dumps(body).replace("Infinity", "1e400").encode())
    assert said in _one_line_refusal(response, log, 400)
    assert httpx.get(sandbox.url + "/_sandbox/drift", timeout=30).json() == before  # nothing changed


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_sandbox/keys", {"provider": "openai", "key": "k", "balance": True}),
        ("/_sandbox/keys", {"provider": "openai", "key": "k", "balance": "lots"}),
        ("/_sandbox/keys", {"provider": "openai", "key": "k", "balance": "1e999999"}),
        ("/_sandbox/clock/advance", {"seconds": "5"}),
        ("/_sandbox/clock/advance", {"seconds": True}),
        ("/_sandbox/catalogue", {"voices": "alloy"}),
        ("/_sandbox/catalogue", {"provider": "nobody"}),
    ],
)
def test_the_other_bodies_take_their_documented_types_only(
    sandbox: Sandbox, log: pytest.LogCaptureFixture, path: str, body: object
) -> None:
    _one_line_refusal(_post(sandbox, path, json.dumps(body).encode()), log, 400)


def test_the_documented_drift_still_works_and_merges(sandbox: Sandbox) -> None:
    try:
        assert _post(sandbox, "/_sandbox/drift", b'{"billing": {"murf": 2}}').status_code == 200
        shown = _post(sandbox, "/_sandbox/drift", b'{"billing": {"openai": 0.5}, "added_latency_s": 0}').json()
        assert shown["billing"] == {"murf": 2.0, "openai": 0.5} and shown["added_latency_s"] == 0.0
        # GET and POST show every declared key, a per-provider one once set
        assert set(shown) == {name for name, field in DRIFT.fields.items() if not isinstance(field, PerProvider)} | {
            "billing"
        }
        assert "billing" not in _post(sandbox, "/_sandbox/drift", b'{"billing": {}}').json()
    finally:
        _post(sandbox, "/_sandbox/drift", b'{"billing": {}}')


def test_nesting_is_counted_without_recursion_and_ignores_brackets_in_strings() -> None:
    assert nesting(DEEP) == 100_000
    assert nesting(b'{"a": "[[[{{{", "b": [1, {"c": "\\"]"}]}') == 3
