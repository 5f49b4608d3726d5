from __future__ import annotations

from harness.core.redact import FILTERED, known_secrets, redact_headers, redact_text


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
