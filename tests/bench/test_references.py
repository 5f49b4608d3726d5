"""`--reference FILE` and `--reference-url URL` reach the plan by one route: the references section, read
by `runner.references` alone; a target only offers its own copy of the default voice."""

from __future__ import annotations

from pathlib import Path

from harness.runner.plan.config import ReferenceSettings
from harness.runner.run import references

VOICES = Path(__file__).resolve().parents[2] / "fixtures" / "voices"
TARGET_COPY = "http://127.0.0.1:8765/_sandbox/voices/joe_reference.wav"


def test_without_options_the_default_voice_is_uploaded_and_the_targets_copy_fetched() -> None:
    refs = references(ReferenceSettings(), TARGET_COPY)
    assert refs.url == TARGET_COPY and refs.path is not None
    assert refs.path.resolve() == (VOICES / "joe_reference.wav").resolve()  # fixtures/voices links to package data
    assert refs.audio is not None and refs.audio.content == refs.path.read_bytes()
    assert refs.url_path == refs.path  # the target serves that very file: similarity can be scored


def test_a_users_url_wins_over_the_targets_copy_and_is_not_assumed_to_hold_the_default_voice() -> None:
    refs = references(ReferenceSettings(url="https://voices.example.org/me.wav"), TARGET_COPY)
    assert refs.url == "https://voices.example.org/me.wav"
    assert refs.url_path is None  # nobody said what the URL holds


def test_a_users_file_and_url_are_taken_as_the_same_voice(tmp_path: Path) -> None:
    mine = tmp_path / "me.wav"
    mine.write_bytes((VOICES / "joe_short.wav").read_bytes())
    refs = references(ReferenceSettings(file=mine, url="https://voices.example.org/me.wav"), None)
    assert (refs.url, refs.path, refs.url_path) == ("https://voices.example.org/me.wav", mine, mine)
    assert refs.audio is not None and refs.audio.filename == "me.wav" and refs.audio.content_type == "audio/wav"


def test_a_live_target_offers_no_copy() -> None:
    assert references(ReferenceSettings(), None).url is None
