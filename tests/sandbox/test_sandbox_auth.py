"""Auth exactly as documented (401 in the provider's error shape), wallets (402), and refunds of the
states the documents call uncharged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from harness.core.spec import Role
from harness.sandbox import Sandbox
from harness.sandbox.loading import load_served
from tests.helpers.sandbox_http import assert_valid, send, settle

SERVED = {s.provider.name: s.provider for s in load_served()}
# Job submits that need a key (TTS.ai's /v1/tts/ also runs key-less, on its anonymous tier).
SUBMITS = [
    (name, ep.key)
    for name, provider in SERVED.items()
    for ep in provider.endpoints
    if ep.role is Role.SUBMIT and ep.example is not None and ep.job is not None and ep.auth_required
]
PRICED_SUBMITS = [(name, key) for name, key in SUBMITS if SERVED[name].endpoint(key).price is not None]


def _example(sb: Sandbox, provider: str, endpoint_key: str) -> dict[str, Any]:
    payload = dict(SERVED[provider].endpoint(endpoint_key).example or {})
    for field in ("speaker", "audio_url"):  # the documents' references are on the internet
        if field in payload:
            payload[field] = sb.voice_url("joe_reference.wav")
    return payload


@pytest.mark.parametrize(("provider", "endpoint_key"), SUBMITS)
def test_missing_key_is_401(sandbox: Sandbox, client: httpx.Client, provider: str, endpoint_key: str) -> None:
    response = send(sandbox, client, provider, endpoint_key, _example(sandbox, provider, endpoint_key))
    assert response.status_code == 401
    assert_valid(provider, endpoint_key, response)


@pytest.mark.parametrize(("provider", "endpoint_key"), SUBMITS)
def test_wrong_key_is_401(sandbox: Sandbox, client: httpx.Client, provider: str, endpoint_key: str) -> None:
    response = send(
        sandbox, client, provider, endpoint_key, _example(sandbox, provider, endpoint_key), key="not-a-real-key"
    )
    assert response.status_code == 401
    assert_valid(provider, endpoint_key, response)
    assert "not-a-real-key" not in response.text  # keys never echo back


@pytest.mark.parametrize("provider", [n for n, p in SERVED.items() if p.auth.scheme])
def test_wrong_auth_scheme_is_401(sandbox: Sandbox, client: httpx.Client, provider: str) -> None:
    endpoint = next(ep for ep in SERVED[provider].endpoints if ep.role in (Role.SUBMIT, Role.AUDIO, Role.STREAM))
    auth = SERVED[provider].auth
    wrong = "Token" if auth.scheme != "Token" else "Bearer"  # Deepgram's own scheme is Token
    response = send(
        sandbox,
        client,
        provider,
        endpoint.key,
        _example(sandbox, provider, endpoint.key),
        headers={auth.header: f"{wrong} {sandbox.default_key(provider)}"},
    )
    assert response.status_code == 401


@pytest.mark.parametrize(("provider", "endpoint_key"), PRICED_SUBMITS)
def test_empty_wallet_is_402(sandbox: Sandbox, client: httpx.Client, provider: str, endpoint_key: str) -> None:
    response = send(
        sandbox,
        client,
        provider,
        endpoint_key,
        _example(sandbox, provider, endpoint_key),
        key=f"sandbox-{provider}-empty",
    )
    assert response.status_code == 402
    assert_valid(provider, endpoint_key, response)


def test_balance_runs_out_at_the_documented_price(sandbox: Sandbox, client: httpx.Client) -> None:
    sandbox.add_key("pixazo", "auth-two-cents", balance=Decimal("0.02"))
    body = {"text": "Two cents of speech."}
    first = send(sandbox, client, "pixazo", "chatterbox.generate", body, key="auth-two-cents")
    second = send(sandbox, client, "pixazo", "chatterbox.generate", body, key="auth-two-cents")
    third = send(sandbox, client, "pixazo", "chatterbox.generate", body, key="auth-two-cents")
    assert (first.status_code, second.status_code, third.status_code) == (202, 202, 402)
    assert third.json() == {
        "error": "Insufficient Balance",
        "message": "Your wallet does not have enough balance. Required: $0.01",
    }


def test_unpriced_model_costs_nothing_but_needs_a_wallet(sandbox: Sandbox, client: httpx.Client) -> None:
    body = {"script": "Speaker 0: Free of charge.", "speakers": [{"preset": "Alice [EN]"}]}
    sandbox.add_key("pixazo", "auth-one-cent", balance=Decimal("0.01"))
    response = send(sandbox, client, "pixazo", "vibevoice.generate", body, key="auth-one-cent")
    assert response.status_code == 202
    assert sandbox.balance("pixazo", "auth-one-cent") == Decimal("0.01")  # VibeVoice documents no price
    empty = send(sandbox, client, "pixazo", "vibevoice.generate", body, key="sandbox-pixazo-empty")
    assert empty.status_code == 402  # but documents 402 Insufficient Balance
    assert_valid("pixazo", "vibevoice.generate", empty)


@pytest.mark.parametrize(("fault", "refunded"), [("job-error", True), ("job-failed", False)])
def test_error_state_is_not_charged(sandbox: Sandbox, client: httpx.Client, fault: str, refunded: bool) -> None:
    key = f"auth-one-xtts-{fault}"
    sandbox.add_key("pixazo", key, balance=Decimal("0.015"))
    body = {"speaker": sandbox.voice_url("joe_reference.wav"), "text": "Charged or not."}
    job = send(sandbox, client, "pixazo", "xtts-v2.generate", body, key=key, headers={"X-Sandbox-Fault": fault}).json()
    assert sandbox.balance("pixazo", key) == 0
    settle(sandbox, job["request_id"])
    status = send(sandbox, client, "pixazo", "requests.status", {}, key=key, request_id=job["request_id"])
    assert status.json()["status"] == ("ERROR" if refunded else "FAILED")
    assert sandbox.balance("pixazo", key) == (Decimal("0.015") if refunded else 0)
