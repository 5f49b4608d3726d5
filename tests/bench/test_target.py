"""Where a run's keys go: each key checked before anything is sent, credentials in a `--target` URL used
but never stored or printed, and the plan's line per provider saying which host receives its key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.core.credentials import origin_text
from harness.core.errors import UsageError
from harness.core.spec import Provider
from harness.core.target import layout, parse_target
from harness.providers.pixazo import PROVIDER as PIXAZO
from harness.providers.ttsai import PROVIDER as TTSAI
from harness.results import Store
from harness.runner.plan.target import Target, bench_target, key_destinations

GOOD = "Ab3-live-key-Zx9"


def live_target(providers: list[Provider], env: dict[str, str]) -> Target:
    return bench_target(layout(parse_target("live"), providers), providers, environ=env)


def url_target(url: str, providers: list[Provider], env: dict[str, str]) -> Target:
    return bench_target(layout(parse_target(url), providers), providers, environ=env)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (GOOD + " ", "starts or ends with whitespace"),
        (GOOD + "\n", "starts or ends with whitespace"),
        ("\t" + GOOD, "starts or ends with whitespace"),
        ("Ab3-live key-Zx9", "whitespace inside"),
        ("Ab3-live\u00a0key-Zx9", "whitespace inside"),
        ("Ab3-live\x00key-Zx9", "non-ASCII or control"),
        ("Ab3-live\x1bkey-Zx9", "non-ASCII or control"),
        ("Ab3-lïve-key-Zx9", "non-ASCII or control"),
    ],
)
def test_a_key_that_cannot_travel_whole_is_refused_before_anything_is_sent(value: str, why: str) -> None:
    env = {PIXAZO.key_env: value}
    for make in (lambda: live_target([PIXAZO], env), lambda: url_target("http://127.0.0.1:9", [PIXAZO], env)):
        with pytest.raises(UsageError) as raised:
            make()
        message = str(raised.value)
        assert why in message and message.startswith(PIXAZO.key_env) and "\n" not in message
        assert "Ab3" not in message and "Zx9" not in message  # never any part of the value


def test_a_key_with_a_trailing_space_ends_the_command_in_one_line_and_charges_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "run",
            "--target",
            "live",
            "--providers",
            "pixazo",
            "--corpus",
            "en_read:1",
            "--yes",
            "--out",
            str(tmp_path),
            "--no-score",
            "--no-report",
        ],
        env={PIXAZO.key_env: GOOD + " "},
    )
    assert result.exit_code == 2, result.output
    assert "PIXAZO_API_KEY starts or ends with whitespace" in result.output and GOOD not in result.output
    assert "Traceback" not in result.output
    if (tmp_path / "runs.db").exists():
        store = Store(tmp_path / "runs.db")
        assert store.query("SELECT COUNT(*) AS n FROM costs")[0]["n"] == 0
        store.close()


def test_credentials_in_a_target_url_are_used_but_never_shown() -> None:
    target = url_target("http://alice:Pa55-w0rd-Q7@127.0.0.1:9/", [PIXAZO], {})
    assert target.url == "http://127.0.0.1:9"
    assert "alice" in target.secrets and "Pa55-w0rd-Q7" in target.secrets
    assert target.base_url(PIXAZO, "gateway").startswith("http://alice:Pa55-w0rd-Q7@127.0.0.1:9/")  # still sent
    assert key_destinations(target, [PIXAZO]) == [
        "pixazo: the sandbox's test key goes to http://127.0.0.1:9 ($PIXAZO_API_KEY is unset)"
    ]


def test_the_plan_names_the_host_each_live_key_goes_to() -> None:
    target = live_target([PIXAZO, TTSAI], {PIXAZO.key_env: GOOD, TTSAI.key_env: GOOD + "2"})
    lines = key_destinations(target, [PIXAZO, TTSAI, PIXAZO])
    assert len(lines) == 2
    assert lines[0].startswith("pixazo: the key in $PIXAZO_API_KEY goes to https://")
    assert all(origin_text(url) in lines[0] for url in PIXAZO.hosts.values())
    assert GOOD not in "".join(lines)


@pytest.mark.slow
def test_a_run_against_a_url_with_credentials_stores_and_prints_none_of_them(tmp_path: Path) -> None:
    from harness.sandbox import running

    with running(profile="fast") as sandbox:
        target = sandbox.url.replace("http://", "http://alice:Pa55-w0rd-Q7@")
        result = CliRunner().invoke(
            app,
            [
                "bench",
                "run",
                "--target",
                target,
                "--providers",
                "pixazo",
                "--models",
                "chatterbox",
                "--corpus",
                "en_read:1",
                "--out",
                str(tmp_path),
                "--no-score",
                "--no-report",
                "--yes",
            ],
        )
    assert result.exit_code == 0, result.output[-2000:]
    assert f"Target: url ({sandbox.url})" in " ".join(result.output.split())
    store = Store(tmp_path / "runs.db")
    (run,) = store.query("SELECT target_url, config_json FROM runs")
    store.close()
    assert run["target_url"] == sandbox.url
    assert json.loads(run["config_json"])["target"] == sandbox.url
    for path in [p for p in tmp_path.rglob("*") if p.is_file()]:
        data = path.read_bytes()
        assert b"alice" not in data and b"Pa55-w0rd" not in data, path
    assert "alice" not in result.output and "Pa55-w0rd" not in result.output


def test_the_plan_says_a_signing_key_is_not_sent_and_names_a_regional_host(monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.providers.azure import PROVIDER as AZURE
    from harness.providers.polly import PROVIDER as POLLY

    monkeypatch.setenv("AZURE_SPEECH_REGION", "eastus")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY")
    target = live_target(
        [POLLY, AZURE], {POLLY.key_env: GOOD, AZURE.key_env: GOOD + "2", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEKEY"}
    )
    polly, azure = key_destinations(target, [POLLY, AZURE])
    assert polly == (
        "polly: requests to https://polly.us-east-1.amazonaws.com are signed with the key in "
        "$AWS_SECRET_ACCESS_KEY (AWS Signature V4); the key itself is not sent"
    )
    assert azure.startswith("azure: the key in $AZURE_SPEECH_KEY goes to https://eastus.tts.speech.microsoft.com")
    assert GOOD not in polly + azure
