"""`tts-harness providers [NAME…]`: the providers named alone (it listed every one, 1,342 lines, and refused a name
as "unexpected extra argument"), each with its price sheet's plans in text, as `bench run --plan`'s help promises;
an unknown name is one line; a provider a providers file declares is named like a built-in one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from harness.cli.providers import providers_command
from tests.helpers.cli_runs import in_subprocess
from tests.helpers.providers_file import providers_file_in_effect, speech_table

app = typer.Typer()
app.command("providers")(providers_command)
app.command("unused")(lambda: None)  # two commands: the application keeps `providers` a named command
runner = CliRunner()
TITLE = re.compile(r"^(\S+) — ", re.MULTILINE)  # each provider's first table: "openai — OpenAI (key: …)"


def _shown(output: str) -> list[str]:
    return TITLE.findall(output)


def test_a_named_provider_is_listed_alone_with_its_plans(tmp_path: Path) -> None:
    done = in_subprocess("providers", "openai", cwd=tmp_path, env={"COLUMNS": "160"})
    assert done.returncode == 0, done.stderr
    assert _shown(done.stdout) == ["openai"]
    assert "tts-1-hd" in done.stdout and "gpt-4o-mini-tts" in done.stdout  # its models and their prices
    assert "plans: pay-as-you-go (default, prices shown)" in done.stdout
    assert len(done.stdout.splitlines()) < 120  # the whole listing was 1,342 lines


def test_several_names_and_every_plan_of_a_sheet_the_one_in_use_said() -> None:
    done = runner.invoke(
        app, ["providers", "elevenlabs", "cartesia", "--plan", "elevenlabs=pro"], env={"COLUMNS": "200"}
    )
    assert done.exit_code == 0, done.output
    assert _shown(done.output) == ["elevenlabs", "cartesia"]
    plans = [line for line in done.output.splitlines() if line.startswith("plans:")]
    assert plans[0] == (
        "plans: pay-as-you-go (default), creator, pro (prices shown), scale, business; price a run on "
        "another with bench run --plan elevenlabs=PLAN"
    )
    assert plans[1].startswith("plans: ") and "bench run --plan cartesia=PLAN" in plans[1]
    assert all(name in plans[1] for name in ("startup", "pro", "scale"))


def test_json_holds_the_named_providers_and_their_plans() -> None:
    done = runner.invoke(app, ["providers", "openai", "--json"])
    described = json.loads(done.output)
    assert [p["name"] for p in described] == ["openai"]
    assert described[0]["plans"] == {"all": ["pay-as-you-go"], "default": "pay-as-you-go", "used": "pay-as-you-go"}


def test_every_provider_without_a_name_as_before() -> None:
    done = runner.invoke(app, ["providers", "--json"])
    assert len(json.loads(done.output)) >= 25


@pytest.mark.parametrize("names", [["nope"], ["openai", "opneai"]])
def test_an_unknown_name_is_one_line(names: list[str]) -> None:
    done = runner.invoke(app, ["providers", *names])
    assert done.exit_code == 2
    (line,) = [line for line in done.output.splitlines() if line.strip()]
    assert f"unknown provider '{names[-1]}'" in line and "openai" in line
    assert ("did you mean openai?" in line) == (names[-1] == "opneai")  # a typo is answered with what was meant


def test_a_providers_file_provider_is_named_like_a_built_in_one(tmp_path: Path) -> None:
    path = tmp_path / "tts-harness.toml"
    path.write_text(speech_table("ourtts", "https://tts.example.test/v1", "OURTTS_KEY", models=("house-voice",)))
    with providers_file_in_effect(path):
        done = runner.invoke(app, ["providers", "ourtts"], env={"COLUMNS": "160"})
    assert done.exit_code == 0, done.output
    assert _shown(done.output) == ["ourtts"] and "house-voice" in done.output
    assert "plans: none" in done.output  # no price sheet: said, not left out


def test_two_answer_forms_of_one_request_are_told_apart_and_model_names_read_whole() -> None:
    """OpenAI's /audio/speech answers audio or events: two rows that printed the same signature now name their
    endpoints; a model's name is never broken across lines, even at 80 columns."""
    done = runner.invoke(app, ["providers", "openai"], terminal_width=80)
    assert done.exit_code == 0, done.output
    assert "(audio.speech)" in done.output and "(audio.speech.sse)" in done.output
    assert all(name in done.output for name in ("gpt-4o-mini-tts-audio", "gpt-realtime-2.1-mini"))
