from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.core.redact import FILTERED, Redactor, Secret, known_secrets, redact_headers, redact_text


def test_credential_headers_are_replaced_and_secrets_scrubbed_everywhere() -> None:
    secret = "sk-tts-PLANTED-123456"
    headers = {"Authorization": f"Bearer {secret}", "X-Echo": f"key={secret}", "Content-Type": "application/json"}
    redacted = redact_headers(headers, [secret])
    assert redacted["Authorization"] == FILTERED
    assert secret not in redacted["X-Echo"]
    assert redacted["Content-Type"] == "application/json"
    assert redact_text(f"invalid key {secret}!", [secret]) == f"invalid key {FILTERED}!"


def test_known_secrets_come_from_the_environment_and_ignore_trivial_values() -> None:
    env = {"A_KEY": "long-enough-secret", "B_KEY": "abc", "OTHER": "not-a-key"}
    assert known_secrets(["A_KEY", "B_KEY", "MISSING"], env) == ("long-enough-secret",)


# --- every form a server may echo a key in; redaction before cutting ---------------------------------

PLANTED = "sk/live+PLANTED=key:ü-0123456789"


def _echoes(secret: str) -> list[str]:
    raw = secret.encode()
    return [
        f"invalid key {secret}",
        f"url=https://x.test/?key={quote(secret, safe='')}",
        f"form: key={quote_plus(secret)}&a=b",
        json.dumps({"error": f"bad key {secret}"}),
        json.dumps({"error": f"bad key {secret}"}, ensure_ascii=False),
        "Basic " + base64.b64encode(b"user:" + raw).decode(),
        "token " + base64.urlsafe_b64encode(b"xy" + raw + b"tail").decode(),
        base64.b64encode(raw).decode(),
    ]


def test_every_echoed_form_of_a_key_is_redacted() -> None:
    redactor = Redactor((PLANTED,))
    for text in _echoes(PLANTED):
        cleaned = redactor.text(text)
        assert FILTERED in cleaned, text
        for form in (PLANTED, quote(PLANTED, safe=""), quote_plus(PLANTED), json.dumps(PLANTED)[1:-1]):
            assert form not in cleaned
        assert base64.b64encode(PLANTED.encode()).decode()[:8] not in cleaned


@settings(max_examples=60, deadline=None)
@given(prefix=st.text(max_size=400), limit=st.integers(min_value=0, max_value=500))
def test_redact_then_cut_never_leaves_a_fragment_of_the_key(prefix: str, limit: int) -> None:
    secret = "PLANTEDkey9f8e7d6c5b4a"
    cut = Redactor((secret,)).cut(prefix + secret + " trailing text", limit)
    assert len(cut) <= max(limit, 1)
    # No piece of the key as long as 8 characters survives, wherever the cut fell.
    assert not any(secret[i:i + 8] in cut for i in range(len(secret) - 7))


def test_a_secret_keeps_its_value_but_hides_from_repr() -> None:
    key = Secret("sk-hidden-123456")
    assert f"Bearer {key}" == "Bearer sk-hidden-123456"
    assert "sk-hidden" not in repr(key) and "sk-hidden" not in repr({"key": key})
    assert "sk-hidden" not in repr(Redactor((key,)))


def test_redacting_nested_values_covers_keys_and_lists() -> None:
    secret = "nested-secret-value"
    cleaned = Redactor((secret,)).value({"a": [secret, {"b": f"x{secret}"}], secret: 1})
    assert secret not in json.dumps(cleaned)
