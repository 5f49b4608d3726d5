"""The sandbox's misreadings of hard text (`POST /_sandbox/drift {"misread": [...]}`): a changed reading."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from harness.sandbox.emulation import SpeakerVoice, Speech
from harness.sandbox.misreadings import misread, misread_speech
from harness.speech import Rendition


@pytest.mark.parametrize(
    ("text", "read"),
    [
        (
            "My grandmother was born in 1984 in a village.",
            "My grandmother was born in one nine eight four in a village.",
        ),
        ("Founded in 2005, closed in 1066.", "Founded in two zero zero five, closed in one zero six six."),
        # not years: an amount, a time, a decimal, a phone number, a longer number, a percentage
        (
            "It cost $1984 at 10:45, 3.1415 or 555-1984, 123456 items, 1984% more.",
            "It cost $1984 at 10:45, 3.1415 or 555-1984, 123456 items, 1984% more.",
        ),
    ],
)
def test_a_year_is_read_digit_by_digit_and_nothing_else_is(text: str, read: str) -> None:
    assert misread(text, ["year-digit-by-digit"]) == read
    assert misread(text, []) == text


def test_street_is_read_as_saint_and_a_speech_keeps_its_voices() -> None:
    speech = Speech.single("Meet me on Baker St. in 1999.", SpeakerVoice(Rendition()))
    changed = misread_speech(speech, ["street-as-saint", "year-digit-by-digit"])
    assert changed.lines == ((0, "Meet me on Baker Saint in one nine nine nine."),) and changed.voices == speech.voices
    assert misread_speech(speech, ()) is speech


def test_the_drift_control_sets_and_reads_the_misreadings() -> None:
    from harness.sandbox import running

    with running("fast", 7, providers=("openai",)) as served:
        url = served.url + "/_sandbox/drift"
        answer: Any = httpx.post(url, json={"misread": ["year-digit-by-digit"]}).json()
        assert answer == {"added_latency_s": 0.0, "pitch_shift": 0.0, "misread": ["year-digit-by-digit"]}
        refused = httpx.post(url, json={"misread": ["year-as-roman"]})
        assert refused.status_code == 400 and "year-digit-by-digit" in refused.json()["error"]
        assert httpx.get(url).json()["misread"] == ["year-digit-by-digit"]
