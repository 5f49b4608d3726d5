"""The sandbox bills as documented: every billing signal a declaration states is sent with its documented meaning —
characters counted under the provider's price-sheet rule (DashScope's CJK twice), tokens at the sheet's estimate,
seconds from the rendered audio — and the drift control (`POST /_sandbox/drift {"billing": {...}}`) makes one provider
say it billed more for the same text, the others unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from harness.core.prices import builtin_sheets, count
from harness.core.spec import SynthesisInput
from harness.sandbox import Sandbox
from tests.helpers import sandbox_http as sh

TEXT = "The quick brown fox jumps over the lazy dog."


def _speak(sandbox: Sandbox, client: httpx.Client, provider: str, model: str, text: str = TEXT) -> httpx.Response:
    offering = sh.provider(provider).offering(model)
    answer = sh.send(
        sandbox,
        client,
        provider,
        offering.endpoint,
        offering.build(SynthesisInput(text)),
        key=sandbox.default_key(provider),
    )
    assert answer.status_code == 200, answer.text
    return answer


def _events(answer: httpx.Response) -> list[dict[str, Any]]:
    return [json.loads(line[5:]) for line in answer.text.splitlines() if line.startswith("data:")]


def _drift(sandbox: Sandbox, client: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return client.post(sandbox.url + "/_sandbox/drift", json=body)


@pytest.fixture
def doubled(sandbox: Sandbox, client: httpx.Client) -> Iterator[None]:
    assert _drift(sandbox, client, {"billing": {"murf": 2}}).status_code == 200
    try:
        yield
    finally:
        _drift(sandbox, client, {"billing": {}})


def test_murf_and_minimax_bill_the_characters_sent(sandbox: Sandbox, client: httpx.Client) -> None:
    assert _speak(sandbox, client, "murf", "GEN2").json()["consumedCharacterCount"] == len(TEXT)
    assert _speak(sandbox, client, "minimax", "speech-2.8-hd").json()["extra_info"]["usage_characters"] == len(TEXT)
    last = _events(_speak(sandbox, client, "minimax", "speech-2.8-hd-stream"))[-1]
    assert last["extra_info"]["usage_characters"] == len(TEXT)


def test_dashscope_counts_a_cjk_character_twice_as_its_sheet_says(sandbox: Sandbox, client: httpx.Client) -> None:
    text = "你好, world"
    sheet = builtin_sheets().sheet("dashscope")
    assert sheet is not None and count(text, sheet.counting) == 11
    assert _events(_speak(sandbox, client, "dashscope", "qwen3-tts-flash", text))[-1]["usage"]["characters"] == 11


def test_openai_usage_is_the_sheets_tokens_in_and_the_audio_tokens_out(sandbox: Sandbox, client: httpx.Client) -> None:
    done = _events(_speak(sandbox, client, "openai", "gpt-4o-mini-tts"))[-1]
    assert done["type"] == "speech.audio.done"
    assert done["usage"]["input_tokens"] == 11  # 44 characters at the sheet's 4 a token
    # the audio's tokens: its seconds at the sheet's 20.8333 a second (about 2-4 s of speech for this text)
    assert 20 <= done["usage"]["output_tokens"] <= 100


def test_speechify_states_its_billed_characters_in_the_body_and_its_last_event(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    assert _speak(sandbox, client, "speechify", "simba-english").json()["billable_characters_count"] == len(TEXT)
    done = _events(_speak(sandbox, client, "speechify", "simba-3.0"))[-1]
    assert done["type"] == "speech.done" and done["billable_characters_count"] == len(TEXT)


@pytest.mark.usefixtures("doubled")
def test_the_billing_drift_doubles_one_providers_bill(sandbox: Sandbox, client: httpx.Client) -> None:
    assert _drift(sandbox, client, {}).status_code == 400  # nothing asked
    assert client.get(sandbox.url + "/_sandbox/drift").json()["billing"] == {"murf": 2.0}
    assert _speak(sandbox, client, "murf", "GEN2").json()["consumedCharacterCount"] == 2 * len(TEXT)
    assert _speak(sandbox, client, "minimax", "speech-2.8-hd").json()["extra_info"]["usage_characters"] == len(TEXT)


@pytest.mark.parametrize("billing", [{"nobody": 2}, {"murf": 0}, {"murf": "twice"}, {"murf": float("inf")}, [2]])
def test_a_billing_drift_out_of_range_is_one_line(sandbox: Sandbox, client: httpx.Client, billing: Any) -> None:
    answer = client.post(
        sandbox.url + "/_sandbox/drift",
        content=json.dumps({"billing": billing}),
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 400 and "billing" in answer.json()["error"]
    assert "billing" not in client.get(sandbox.url + "/_sandbox/drift").json()


@pytest.mark.parametrize(
    ("provider", "model", "header", "billed"),
    [
        ("elevenlabs", "eleven_flash_v2_5", "character-cost", (len(TEXT) + 1) // 2),  # Flash: a credit per 2 characters
        ("elevenlabs", "eleven_multilingual_v2", "character-cost", len(TEXT)),
        ("deepgram", "aura-2-thalia-en", "dg-char-count", len(TEXT)),
    ],
)
def test_a_billing_header_says_what_the_sheet_bills(
    sandbox: Sandbox, client: httpx.Client, provider: str, model: str, header: str, billed: int
) -> None:
    assert _speak(sandbox, client, provider, model).headers[header] == str(billed)


def test_resemble_says_the_seconds_of_audio_it_made(sandbox: Sandbox, client: httpx.Client) -> None:
    answer = _speak(sandbox, client, "resemble", "resemble").json()
    assert 1.0 < answer["duration"] < 8.0  # the rendered audio's seconds, to the millisecond
    assert answer["duration"] == round(answer["duration"], 3)
