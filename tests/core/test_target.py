"""The one reading of a target: its kinds, its parser (bad values are one line that lists the valid forms;
credentials in a URL are used but never printed), what a URL means (a provider's base URL, else a
sandbox-style root, never both), and the sandbox's address and key rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.core.errors import UsageError
from harness.core.spec import Provider
from harness.core.target import (
    Layout,
    TargetChoice,
    TargetKind,
    default_reference_voice,
    layout,
    parse_target,
    provider_at,
    reference_voices_dir,
    sandbox_voice_url,
    target_keys,
)
from tests.helpers.providers_file import declared_providers, speech_table

BENCH = (TargetKind.SANDBOX, TargetKind.LIVE, TargetKind.URL)


def _declared(**base_urls: str) -> list[Provider]:
    return declared_providers(*(speech_table(name, url, f"{name.upper()}_KEY") for name, url in base_urls.items()))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("replay", TargetChoice(TargetKind.REPLAY)),
        (" Sandbox ", TargetChoice(TargetKind.SANDBOX)),
        ("LIVE", TargetChoice(TargetKind.LIVE)),
        ("http://127.0.0.1:8765", TargetChoice(TargetKind.URL, "http://127.0.0.1:8765")),
        ("HTTPS://GPU-Box.lan:8880/v1/", TargetChoice(TargetKind.URL, "https://gpu-box.lan:8880/v1")),
        ("http://[::1]:9000/Root", TargetChoice(TargetKind.URL, "http://[::1]:9000/Root")),
    ],
)
def test_valid_targets_parse_to_one_normalised_choice(value: str, expected: TargetChoice) -> None:
    assert parse_target(value) == expected


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("staging", "expected replay, sandbox, live or an http(s) URL"),
        ("127.0.0.1:8765", "expected replay, sandbox, live or an http(s) URL"),
        ("ftp://files.example/v1", "expected replay, sandbox, live or an http(s) URL"),
        ("http://[::1:9", "is not a valid URL (Invalid IPv6 URL)"),
        ("http://box:99999/v1", "is not a valid URL"),
        ("http://box:port/v1", "is not a valid URL"),
        ("http:///v1", "expected replay"),
        ("http://box/v1?token=1", "a base URL has no query or fragment"),
    ],
)
def test_a_bad_target_is_one_line_that_lists_the_valid_forms(value: str, why: str) -> None:
    with pytest.raises(UsageError, match="--tts-target") as refused:
        parse_target(value, option="--tts-target")
    message = str(refused.value)
    assert why in message and "\n" not in message


def test_the_forms_listed_are_the_ones_allowed_where_the_option_is() -> None:
    with pytest.raises(UsageError, match=r"'replay': expected sandbox, live or an http\(s\) URL"):
        parse_target("replay", BENCH)


@pytest.mark.parametrize(
    ("value", "printed", "sent"),
    [
        ("http://user:hunter2@Box.lan/v1/", "http://box.lan/v1", "http://user:hunter2@box.lan/v1"),
        ("https://:hunter2@box.lan", "https://box.lan", "https://:hunter2@box.lan"),
        ("http://hunter2@box", "http://box", "http://hunter2@box"),
    ],
)
def test_credentials_in_a_url_are_sent_and_never_printed(value: str, printed: str, sent: str) -> None:
    choice = parse_target(value)
    assert (choice.url, str(choice), choice.request_url) == (printed, printed, sent)
    assert "hunter2" not in repr(choice) and "hunter2" in choice.secrets
    where = layout(choice, _declared(box="http://127.0.0.1:8000/v1"))
    assert where.url == printed and where.bases[("box", "v1")] == f"{sent}/box/v1"


@pytest.mark.parametrize("value", ["http://u:hunter2@[::1:9", "ftp://u:hunter2@box", "http://u:hunter2@box/?q=1"])
def test_a_bad_url_never_repeats_its_credentials(value: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_target(value)
    assert "hunter2" not in str(refused.value) and "***@" in str(refused.value)


def test_credentials_reach_a_declared_providers_own_server_too() -> None:
    providers = _declared(box="http://127.0.0.1:8000/v1")
    where = layout(parse_target("http://u:hunter2@127.0.0.1:8000/v1"), providers)
    assert where.at_providers and where.bases == {("box", "v1"): "http://u:hunter2@127.0.0.1:8000/v1"}


def test_a_declared_base_url_means_that_provider_at_its_own_server() -> None:
    providers = _declared(box="http://127.0.0.1:8000/v1", other="http://127.0.0.1:9000/v1")
    where = layout(parse_target("http://127.0.0.1:8000/v1/"), providers)
    assert where.bases == {("box", "v1"): "http://127.0.0.1:8000/v1"}
    assert where.at_providers and where.sandbox_root is None and where.reference_url is None
    assert where.left_out == {"other": "http://127.0.0.1:8000/v1 is box's base URL: only box is there"}


def test_equal_urls_match_however_they_are_spelled() -> None:
    (box,) = _declared(box="HTTP://Box.LAN:80/v1/")
    assert provider_at("http://box.lan/v1", [box]) is box
    assert provider_at("http://box.lan/v2", [box]) is None
    assert provider_at("https://box.lan/v1", [box]) is None


def test_any_other_url_is_a_server_laid_out_like_the_sandbox() -> None:
    providers = _declared(box="http://127.0.0.1:8000/v1")
    where = layout(parse_target("http://127.0.0.1:8000"), providers)  # the same origin, not the base URL
    assert where.bases == {("box", "v1"): "http://127.0.0.1:8000/box/v1"}
    assert not where.at_providers and where.sandbox_root == "http://127.0.0.1:8000"
    assert where.reference_url == "http://127.0.0.1:8000/_sandbox/voices/joe_reference.wav"


def test_a_url_two_providers_share_is_one_line_naming_both() -> None:
    providers = _declared(box="http://127.0.0.1:8000/v1", twin="http://127.0.0.1:8000/v1/")
    with pytest.raises(UsageError, match="is the base URL of box and twin: it cannot name one provider") as refused:
        layout(parse_target("http://127.0.0.1:8000/v1"), providers)
    assert "\n" not in str(refused.value)
    # Selecting one of them (the benchmark's --providers) makes the URL name one again.
    assert layout(parse_target("http://127.0.0.1:8000/v1"), providers[:1]).at_providers


def test_the_sandbox_needs_its_root_and_mounts_every_host() -> None:
    providers = _declared(box="http://127.0.0.1:8000/v1")
    with pytest.raises(ValueError, match="sandbox_root"):
        layout(TargetChoice(TargetKind.SANDBOX), providers)
    where = layout(TargetChoice(TargetKind.SANDBOX), providers, sandbox_root="http://127.0.0.1:5/")
    assert where.bases == {("box", "v1"): "http://127.0.0.1:5/box/v1"}


def _keys(where: Layout, providers: list[Provider], env: dict[str, str]) -> dict[str, str | None]:
    return {name: None if key is None else str(key) for name, key in target_keys(where, providers, env).items()}


def test_keys_follow_the_target() -> None:
    providers = _declared(box="http://127.0.0.1:8000/v1", bare="http://127.0.0.1:8001/v1")
    env = {"BOX_KEY": "box-secret"}
    root = "http://127.0.0.1:5"
    assert _keys(layout(TargetChoice(TargetKind.REPLAY), providers), providers, env) == {
        "box": "replay-key",
        "bare": "replay-key",
    }
    # A sandbox started by the harness knows only its test keys; one at a URL may hold the user's.
    assert _keys(layout(TargetChoice(TargetKind.SANDBOX), providers, root), providers, env) == {
        "box": "sandbox-box-key",
        "bare": "sandbox-bare-key",
    }
    assert _keys(layout(parse_target(root), providers), providers, env) == {
        "box": "box-secret",
        "bare": "sandbox-bare-key",
    }
    assert _keys(layout(TargetChoice(TargetKind.LIVE), providers), providers, env) == {
        "box": "box-secret",
        "bare": None,
    }
    assert _keys(layout(parse_target("http://127.0.0.1:8001/v1"), providers), providers, env) == {"bare": None}


def test_a_key_a_header_cannot_carry_is_named_by_its_variable_only() -> None:
    providers = _declared(box="http://127.0.0.1:8000/v1")
    with pytest.raises(UsageError, match="BOX_KEY holds characters") as refused:
        target_keys(layout(TargetChoice(TargetKind.LIVE), providers), providers, {"BOX_KEY": "sécret-key"})
    assert "sécret" not in str(refused.value)


def test_the_default_reference_voice_is_package_data_the_sandbox_serves() -> None:
    voice = default_reference_voice()
    assert voice.parent == reference_voices_dir() and voice.read_bytes()[:4] == b"RIFF"
    assert "harness" in voice.parts and "data" in voice.parts  # inside the package: installed wheels have it
    repo_copy = Path(__file__).resolve().parents[2] / "fixtures" / "voices" / voice.name
    assert repo_copy.resolve() == voice.resolve()  # the repository's fixtures/voices is the same folder
    assert sandbox_voice_url("http://127.0.0.1:5/") == f"http://127.0.0.1:5/_sandbox/voices/{voice.name}"
