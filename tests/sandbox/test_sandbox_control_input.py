"""The control API refuses bad input with a 400 and a reason, and stays usable: no 500, no poisoned wallet."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from harness.sandbox import Sandbox, running

CHATTERBOX = "/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with running("fast", 5, clock="manual", providers=("pixazo",)) as sb:
        yield sb


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/_sandbox/clock/advance", [1, 2]),
        ("POST", "/_sandbox/clock/advance", {"seconds": "NaN"}),
        ("POST", "/_sandbox/clock/advance", {"seconds": -1}),
        ("POST", "/_sandbox/keys", ["not", "an", "object"]),
        ("POST", "/_sandbox/keys", {"provider": "pixazo", "key": "k-nan-balance", "balance": "NaN"}),
        ("POST", "/_sandbox/keys", {"provider": "pixazo", "key": "k-neg-balance", "balance": -5}),
        ("POST", "/_sandbox/keys", {"provider": "pixazo", "key": "clé-non-ascii"}),
        ("POST", "/_sandbox/sink/hook?fail=often", {"x": 1}),
    ],
)
def test_bad_control_input_is_a_400(sandbox: Sandbox, method: str, path: str, body: object) -> None:
    response = httpx.request(method, sandbox.url + path, json=body, timeout=30)
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("wait", ["soon", "nan", "-3", "inf"])
def test_a_bad_wait_is_a_400(sandbox: Sandbox, wait: str) -> None:
    submit = httpx.post(
        sandbox.base_url("pixazo", "gateway") + CHATTERBOX,
        json={"text": "Waiting."},
        headers={"Ocp-Apim-Subscription-Key": sandbox.default_key("pixazo")},
        timeout=30,
    )
    job_id = submit.json()["request_id"]
    response = httpx.get(f"{sandbox.url}/_sandbox/jobs/{job_id}", params={"wait": wait}, timeout=30)
    assert response.status_code == 400, response.text


def test_a_refused_nan_balance_leaves_submits_working(sandbox: Sandbox) -> None:
    refused = httpx.post(sandbox.url + "/_sandbox/keys", json={"provider": "pixazo", "key": "k-nan", "balance": "NaN"})
    assert refused.status_code == 400
    added = httpx.post(sandbox.url + "/_sandbox/keys", json={"provider": "pixazo", "key": "k-ok", "balance": 1})
    assert added.status_code == 201
    submit = httpx.post(
        sandbox.base_url("pixazo", "gateway") + CHATTERBOX,
        json={"text": "Still working."},
        headers={"Ocp-Apim-Subscription-Key": "k-ok"},
        timeout=30,
    )
    assert submit.status_code < 300, submit.text
    unknown = httpx.post(
        sandbox.base_url("pixazo", "gateway") + CHATTERBOX,
        json={"text": "Hi."},
        headers={"Ocp-Apim-Subscription-Key": "k-nan"},
        timeout=30,
    )
    assert unknown.status_code == 401  # the refused key was never added
