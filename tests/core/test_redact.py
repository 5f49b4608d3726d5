from __future__ import annotations

import base64
import hashlib
import json
import random
import string
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.core.redact import (
    FILTERED,
    Redactor,
    Secret,
    known_secrets,
    redact_headers,
    redact_text,
    userinfo_secrets,
    without_userinfo,
)
from tests.helpers.planted import KEY, echo, pieces

REPO = Path(__file__).resolve().parents[2]


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


@pytest.mark.parametrize("hex_case", ["upper", "lower"])
def test_a_key_with_every_byte_percent_encoded_is_redacted(hex_case: str) -> None:
    """A server that escapes the whole value (letters and digits too) writes `%73%6B...`; `quote` leaves
    letters alone, so this form is not one of the usual ones."""
    raw = PLANTED.encode()
    encoded = "".join(f"%{byte:02X}" if hex_case == "upper" else f"%{byte:02x}" for byte in raw)
    cleaned = Redactor((PLANTED,)).text(json.dumps({"error": f"bad key: {encoded}", "echo": encoded[6:60]}))
    assert FILTERED in cleaned
    assert encoded[:24] not in cleaned and encoded[6:30] not in cleaned and encoded[-24:] not in cleaned


@settings(max_examples=60, deadline=None)
@given(prefix=st.text(max_size=400), limit=st.integers(min_value=0, max_value=500))
def test_redact_then_cut_never_leaves_a_fragment_of_the_key(prefix: str, limit: int) -> None:
    secret = "PLANTEDkey9f8e7d6c5b4a"
    cut = Redactor((secret,)).cut(prefix + secret + " trailing text", limit)
    assert len(cut) <= max(limit, 1)
    # No piece of the key as long as 8 characters survives, wherever the cut fell.
    assert not any(secret[i : i + 8] in cut for i in range(len(secret) - 7))


def test_a_secret_keeps_its_value_but_hides_from_repr() -> None:
    key = Secret("sk-hidden-123456")
    assert f"Bearer {key}" == "Bearer sk-hidden-123456"
    assert "sk-hidden" not in repr(key) and "sk-hidden" not in repr({"key": key})
    assert "sk-hidden" not in repr(Redactor((key,)))


def test_redacting_nested_values_covers_keys_and_lists() -> None:
    secret = "nested-secret-value"
    cleaned = Redactor((secret,)).value({"a": [secret, {"b": f"x{secret}"}], secret: 1})
    assert secret not in json.dumps(cleaned)


# --- every form, any piece of 8 or more characters; ordinary text left alone; userinfo -----------------


def test_no_piece_of_any_form_of_a_key_survives_redaction() -> None:
    redactor = Redactor((KEY,))
    text = "\n".join(
        [
            f"echo: {echo(KEY)}",
            json.dumps({KEY: 1, "error": f"bad key {KEY!r}"}),  # a field named by the key; a repr in a message
            f"/body/{KEY.replace('~', '~0').replace('/', '~1')}: field not in the documents",
            f"drift: {json.dumps(repr(KEY))}",
        ]
    )
    cleaned = redactor.text(text)
    assert FILTERED in cleaned
    assert [piece for piece in pieces(KEY) if piece in cleaned] == []


@pytest.mark.parametrize("kept", [slice(0, 20), slice(3, 11), slice(12, None), slice(None, None, -1)])
def test_a_partial_key_is_redacted(kept: slice) -> None:
    key = "Xq7Lm2Pz9Rt4Vb8Nc3Kd6Wf"  # 22 characters: 20 of them, any 8 of them, reversed
    part = key[kept]
    cleaned = Redactor((key,)).text(f"id={part};")
    assert cleaned == f"id={FILTERED};"


def test_ordinary_text_digests_and_one_case_words_are_left_alone() -> None:
    keys = (
        "sandbox-pixazo-key",
        "sandbox-pixelapi-key",
        "PLANTED-pixazo-3f9a1c2e7b",
        KEY,
        "sk-proj-" + "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7" * 2,
        "0123456789abcdef" * 2,
    )
    redactor = Redactor(keys)
    ordinary = (REPO / "README.md").read_text() + (REPO / "ARCHITECTURE.md").read_text()
    digests = "\n".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(20_000))
    assert redactor.text(ordinary) == ordinary
    assert redactor.text(digests) == digests
    assert redactor.text("pixelapi/kokoro and sandbox-pixazo") == "pixelapi/kokoro and sandbox-pixazo"


def test_a_fragment_planted_in_a_megabyte_is_redacted() -> None:
    """How fast is benchmarks/perf/redact_speed.py's business (a performance figure, not a timed test)."""
    rng = random.Random(7)
    text = "".join(rng.choice(string.printable) for _ in range(1_000_000))
    keys = ["".join(rng.choice(string.ascii_letters + string.digits) for _ in range(40)) for _ in range(8)]
    redactor = Redactor((*keys, KEY))
    planted = text[:500_000] + KEY[:10] + text[500_000:]
    assert redactor.text(planted) == text[:500_000] + FILTERED + text[500_000:]


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("http://u:p4ss@127.0.0.1:9/v1", "http://127.0.0.1:9/v1"),
        ("https://token@host.example/a@b?c=d@e", "https://host.example/a@b?c=d@e"),
        ("http://us%40er:p@ss@host", "http://host"),
        ("http://host:8080/path", "http://host:8080/path"),
    ],
)
def test_userinfo_is_removed_from_urls(url: str, stored: str) -> None:
    assert without_userinfo(url) == stored
    assert Redactor().text(f"GET {url} failed") == f"GET {stored} failed"
    assert Redactor().text(json.dumps({"target": url})) == json.dumps({"target": stored})


def test_userinfo_credentials_are_secrets_in_every_form() -> None:
    secrets = userinfo_secrets("http://alice:s3cr%2Ft-Pa55@host/")
    assert secrets == ("alice", "s3cr/t-Pa55")
    echoed = "401: Basic " + base64.b64encode(b"alice:s3cr/t-Pa55").decode()
    assert "s3cr" not in Redactor(secrets).text("bad password s3cr/t-Pa55")
    assert base64.b64encode(b"s3cr/t-Pa55").decode()[:8] not in Redactor(secrets).text(echoed)
