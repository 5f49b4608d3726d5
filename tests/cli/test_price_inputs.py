"""Prices read once (issue 59) and said right (issue 61), each input with its one-line outcome: `[prices]` in every form
docs/costs.md shows, read by one reader for `bench run`, the dry run and `providers`; an entry for a provider outside
the run noted; a number past a price's bounds, `--price` twice and a negative `--price-max-age` refused in one line;
a bare `--price` said to be per request and a unit the model is not billed in said so; stale and weak prices marked by
the dry run; and no SigV4 signature for a keyless Polly-like server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_cli_errors import _one_line_error
from tests.helpers.cli_runs import CliRun, in_process, in_subprocess
from tests.helpers.providers_file import providers_file_in_effect

DRY = ("bench", "run", "--corpus", "en_read:1", "--no-score", "--no-report", "--dry-run")
RATE_TABLE = """
[prices]
"openai/tts-1" = "12/1M-chars"
[prices."elevenlabs/eleven_flash_v2_5"]
amount = "0.04"
unit = "characters"
per = "1000"
note = "our 2026 contract"
"""
OUTSIDE = """
[providers.loopy]
protocol = "openai-speech"
base_url = "http://127.0.0.1:9/v1"
auth = "none"
models = ["loop-tts"]
voices = ["ember"]
formats = ["wav"]

[prices]
"loopy/loop-tts" = "3/1M-chars"
"""
POLLY_LIKE = """
[providers.mypolly]
like = "polly"
base_url = "http://127.0.0.1:9"
auth = "none"
"""


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[object]:
    """The CLI in this process, in a folder whose providers file (if any is written) is in effect."""
    file = tmp_path / "tts-harness.toml"

    def cli(*args: str, providers_file: str | None = None) -> CliRun:
        wide = {"COLUMNS": "400"}  # tables whole: a cell's words are not folded across lines
        if providers_file is None:
            return in_process(*args, cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys, env=wide)
        file.write_text(providers_file, encoding="utf-8")
        with providers_file_in_effect(file):
            return in_process(*args, cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys, env=wide)

    yield cli


def _notes(result: CliRun) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("note:")]


def test_the_rate_table_form_is_read_alike_by_the_dry_run_and_providers(run: object) -> None:
    dry = run(
        *DRY,
        "--providers",
        "openai,elevenlabs",
        "--models",
        "tts-1,eleven_flash_v2_5",  # type: ignore[operator]
        providers_file=RATE_TABLE,
    )
    assert dry.returncode == 0, dry.stderr
    said = " ".join(dry.stdout.split())
    assert "price: elevenlabs/eleven_flash_v2_5: your price: 0.04 USD per 1K characters" in said
    assert "price: openai/tts-1: your price: 12 USD per 1M characters" in said
    shown = run("providers", "--json", providers_file=RATE_TABLE)  # type: ignore[operator]
    assert shown.returncode == 0, shown.stderr
    models = {f"{p['name']}/{m['name']}": m["price"] for p in json.loads(shown.stdout) for m in p["models"]}
    assert models["elevenlabs/eleven_flash_v2_5"]["price"] == "0.04 USD per 1K characters"
    assert models["elevenlabs/eleven_flash_v2_5"]["note"] == "our 2026 contract"
    assert models["openai/tts-1"]["plan"] == "your price"


def test_a_price_for_a_provider_outside_the_run_is_noted_not_fatal(run: object) -> None:
    result = run(*DRY, "--providers", "openai", "--models", "tts-1", providers_file=OUTSIDE)  # type: ignore[operator]
    assert result.returncode == 0, result.stderr
    assert "note: prices not used, their providers not being in this run: loopy/loop-tts" in result.stderr


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("amount", "1e999999999", "is out of range"),  # was decimal.Overflow in `providers`
        ("per", "1e-999999999", "is out of range"),  # was "1 USD per 0 characters"
        ("amount", "9" * 5000, "is not a number of at most 30 digits"),
        ("amount", "-1", "is not a finite amount, 0 or more"),
        ("amount", "NaN", "is not a finite amount, 0 or more"),
    ],
)
def test_a_number_past_a_prices_bounds_is_one_line(run: object, key: str, value: str, said: str) -> None:
    table = RATE_TABLE.replace(f'{key} = "{"0.04" if key == "amount" else "1000"}"', f'{key} = "{value}"')
    assert f'{key} = "{value}"' in table
    for args in (("providers",), (*DRY, "--providers", "openai", "--models", "tts-1")):
        line = _one_line_error(run(*args, providers_file=table), 2)  # type: ignore[operator]
        assert said in line and "elevenlabs/eleven_flash_v2_5" in line, line
        assert len(line) < 400


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("--price", "openai/tts-1=20/1M-chars", "--price", "openai/tts-1=21/1M-chars"),
            "--price openai/tts-1 is given twice (20/1M-chars and 21/1M-chars): give it once",
        ),
        (("--price-max-age", "-5"), "price_max_age: Input should be greater than or equal to 1"),
        (("--price", "openai/tts-1=1e999/request"), "--price openai/tts-1=1e999/request: not a price"),
    ],
)
def test_a_bad_price_option_is_one_line(run: object, args: tuple[str, ...], said: str) -> None:
    line = _one_line_error(run(*DRY, "--providers", "openai", "--models", "tts-1", *args), 2)  # type: ignore[operator]
    assert said in line, line


def test_providers_refuses_a_negative_price_age_in_one_line(tmp_path: Path) -> None:
    line = _one_line_error(in_subprocess("providers", "--price-max-age", "-5", cwd=tmp_path), 2)
    assert "--price-max-age -5: a price's age in days is 1 or more" in line


@pytest.mark.parametrize(
    ("price", "said"),
    [
        (
            "20",
            "openai/tts-1: your price 20 USD per request replaces the published 15 USD per 1M characters (read "
            "2026-11-25); it is per request (a bare amount; give a unit: AMOUNT/UNIT, e.g. 20/1M-chars), where tts-1 "
            "is billed per character: check the unit",
        ),
        (
            "10/1M-audio-tokens",
            "it is per audio token, where tts-1 is billed per character: check the unit; its unit "
            "cannot be estimated before sending",
        ),
    ],
)
def test_a_price_in_another_unit_than_the_models_says_so_in_one_line(run: object, price: str, said: str) -> None:
    result = run(
        *DRY,
        "--providers",
        "openai",
        "--models",
        "tts-1",
        "--price",  # type: ignore[operator]
        f"openai/tts-1={price}",
    )
    assert result.returncode == 0, result.stderr
    mine = [line for line in _notes(result) if "openai/tts-1" in line]
    assert len(mine) == 1 and said in mine[0], mine
    assert "no public price" not in result.stdout


def test_the_dry_run_marks_stale_and_weak_prices_with_source_and_read_date(run: object) -> None:
    result = run(
        *DRY,
        "--providers",
        "deepgram,xai",
        "--models",  # type: ignore[operator]
        "aura-2-thalia-en,grok-tts,grok-tts-ws",
    )
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "(worst case $0.00198; price weak: a reseller's page)" in out  # the job's line
    assert (
        "price: deepgram/aura-2-thalia-en: pay-as-you-go: 0.03 USD per 1K characters, source "
        "developers.cloudflare.com, read 2026-11-25 (weak: a reseller's page)"
    ) in out
    for label in ("xai/grok-tts", "xai/grok-tts-ws"):  # one price, one source, both stale (read 2026-04-15)
        assert (
            f"price: {label}: pay-as-you-go: 4.2 USD per 1M characters, source docs.x.ai, read 2026-04-15 (stale)"
        ) in out
    assert any("deepgram/aura-2-thalia-en: its source is a reseller's page" in line for line in _notes(result))


def test_providers_shows_every_price_with_its_source_read_date_and_doubts(run: object) -> None:
    shown = run("providers", "--json")  # type: ignore[operator]
    models = {f"{p['name']}/{m['name']}": m["price"] for p in json.loads(shown.stdout) for m in p["models"]}
    assert models["xai/grok-tts-ws"]["source"] == models["xai/grok-tts"]["source"] != ""
    assert models["xai/grok-tts-ws"]["stale"] and models["xai/grok-tts-ws"]["read"] == "2026-04-15"
    assert models["deepgram/aura-2-thalia-en"]["weak"] == "a reseller's page"
    assert models["google/chirp3-hd"]["weak"] == "a third party's page"
    assert models["groq/playai-tts"]["weak"] == "an undated copy of the provider's page"
    assert models["openai/tts-1"]["weak"] == "" and not models["openai/tts-1"]["stale"]
    unsourced = models["ttsai/kokoro"]  # a declaration's own figure: no source, no read date: weak and of unknown age
    assert unsourced["stale"] and "no source or read date" in unsourced["weak"]
    for label, price in models.items():  # every published price names its source and read date, or is marked weak
        if price["priced"] and price["plan"] != "your price":
            assert (price["source"] and price["read"]) or price["weak"], label
    table = run("providers")  # type: ignore[operator]
    assert "weak: a reseller's page" in table.stdout


def test_a_providers_files_own_price_is_the_teams_not_a_weak_one(run: object) -> None:
    own = OUTSIDE.split("[prices]")[0] + "price_per_million_chars = 3\n"
    shown = run("providers", "--json", providers_file=own)  # type: ignore[operator]
    assert shown.returncode == 0, shown.stderr
    (loopy,) = [p for p in json.loads(shown.stdout) if p["name"] == "loopy"]
    price = loopy["models"][0]["price"]
    assert price["priced"] and price["source"] == "the declaration" and not price["stale"] and price["weak"] == ""


def test_a_keyless_polly_like_server_is_sent_no_signature(run: object) -> None:
    result = run(*DRY, "--providers", "mypolly", providers_file=POLLY_LIKE)  # type: ignore[operator]
    assert result.returncode == 0, result.stderr
    assert "curl" in result.stdout and "--aws-sigv4" not in result.stdout and "POLLY" not in result.stdout
