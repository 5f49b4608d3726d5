"""The team's own catalogue (issue 53 item 2): `tts-harness serve --catalogue FILE`, `bench run --catalogue FILE` and
the library's sandbox (`running_sandbox(catalogues=harness.load_catalogue(FILE))`) take the account's voices and models
per provider — a TOML or JSON file, or the runs.db in which a live run recorded the providers' listings — so a cloned
voice id and a model newer than the stored reference are spoken in the sandbox as in production. Without it a closed
catalogue refuses them, in the provider's words."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.core.account_catalogue import CatalogueError, from_listings, load_catalogue_file
from harness.core.errors import UsageError
from harness.core.protocols.catalogues import AccountCatalogue
from harness.core.registry import providers
from harness.results import CatalogueRow, Store
from harness.runner.deliver.catalogue import account_catalogues
from harness.sandbox import Sandbox, running
from tests.helpers.minimax_socket import minimax_socket_events
from tests.helpers.store_rows import insert_rows

CLONE = "my-cloned-voice-7"  # a Speechify clone's id: the declaration's closed list does not hold it
NEWER = "simba-4.0"  # a model no stored reference lists yet
TEXT = "The quick brown fox jumps over the lazy dog."


def _speechify(client: httpx.Client, sandbox: Sandbox, **fields: str) -> httpx.Response:
    body = {"input": TEXT, "voice_id": "george", "audio_format": "wav", **fields}
    return client.post(
        sandbox.base_url("speechify", "api") + "/v1/audio/speech",
        json=body,
        headers={"Authorization": f"Bearer {sandbox.default_key('speechify')}"},
    )


@pytest.fixture
def team_file(tmp_path: Path) -> Path:
    path = tmp_path / "team.toml"
    path.write_text(f'[speechify]\nvoices = ["{CLONE}"]\nmodels = ["{NEWER}"]\n', encoding="utf-8")
    return path


@pytest.fixture
def plain() -> Iterator[Sandbox]:
    with running(profile="fast", providers=("speechify",)) as sandbox:
        yield sandbox


def test_without_the_file_a_clone_and_a_newer_model_are_refused(plain: Sandbox, client: httpx.Client) -> None:
    service = providers()["speechify"].family
    assert not service.voice_catalogue.open and service.voice(CLONE) is None
    assert _speechify(client, plain).status_code == 200  # the control: the declared voice speaks
    refused = _speechify(client, plain, voice_id=CLONE)
    assert refused.status_code == service.refusals.unknown_voice.status and CLONE in refused.text
    assert _speechify(client, plain, model=NEWER).status_code == 400


def test_with_the_file_they_are_spoken_as_listed(team_file: Path, client: httpx.Client) -> None:
    with running(profile="fast", providers=("speechify",), catalogues=account_catalogues(team_file)) as sandbox:
        for fields in ({"voice_id": CLONE}, {"model": NEWER}, {"voice_id": CLONE, "model": NEWER}):
            answer = _speechify(client, sandbox, **fields)
            assert answer.status_code == 200, (fields, answer.text)
            assert answer.json()["audio_data"]  # the speech, base64
        findings = client.get(sandbox.url + "/_sandbox/findings").json()
        assert not [f for f in findings if CLONE in f["finding"]]  # the team listed it: no finding


def test_a_toml_and_a_json_file_say_the_same(tmp_path: Path, team_file: Path) -> None:
    as_json = tmp_path / "team.json"
    as_json.write_text(json.dumps({"speechify": {"voices": [CLONE], "models": [NEWER]}}), encoding="utf-8")
    expected = {"speechify": AccountCatalogue(frozenset({CLONE}), frozenset({NEWER}))}
    assert load_catalogue_file(team_file) == load_catalogue_file(as_json) == expected


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[speechify]\nvoices = "one"\n', "voices must be a list of ids"),
        ('[speechify]\nvoice = ["x"]\n', "has voice; give voices, models and/or missing"),
        ("speechify = 3\n", "[speechify] must be a table"),
        ("not = [toml\n", "not TOML nor JSON"),
    ],
)
def test_a_file_it_cannot_read_is_one_line(tmp_path: Path, text: str, said: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue_file(path)
    assert said in str(caught.value) and "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_the_catalogue_a_live_run_recorded_is_read_from_runs_db(tmp_path: Path, client: httpx.Client) -> None:
    db = tmp_path / "runs.db"
    store = Store(db)
    listing = {"voices": [{"voice_id": CLONE, "name": "Our clone"}, {"voice_id": "george"}]}
    row = {"provider": "speechify", "harness_version": "t", "status": 200, "error": None}
    insert_rows(
        store,
        "catalogues",
        [
            {
                **row,
                "run_id": "old",
                "endpoint": "voices.list",
                "fetched_at": "2026-01-01T00:00:00Z",
                "body_json": json.dumps({"voices": [{"voice_id": "gone"}]}),
            },
            {
                **row,
                "run_id": "new",
                "endpoint": "voices.list",
                "fetched_at": "2026-11-25T00:00:00Z",
                "body_json": json.dumps(listing),
            },
            {
                **row,
                "run_id": "new",
                "endpoint": "models.list",
                "fetched_at": "2026-11-25T00:00:00Z",
                "body_json": json.dumps({"models": [{"id": NEWER}]}),
            },
        ],
    )
    store.close()
    found = account_catalogues(db)
    assert found == {"speechify": AccountCatalogue(frozenset({CLONE, "george"}), frozenset({NEWER}))}
    with running(profile="fast", providers=("speechify",), catalogues=found) as sandbox:
        assert _speechify(client, sandbox, voice_id=CLONE).status_code == 200
    empty = tmp_path / "empty.db"
    Store(empty).close()
    with pytest.raises(UsageError, match="no run recorded a catalogue"):
        account_catalogues(empty)


def test_failed_listings_add_nothing() -> None:
    kept = {"run_id": "r", "provider": "x", "endpoint": "voices", "harness_version": "0", "fetched_at": "now"}
    rows = [CatalogueRow(**kept, status=500), CatalogueRow(**kept, status=200, body_json=json.dumps([{"id": "v1"}]))]
    assert from_listings(rows) == {"x": AccountCatalogue(voices=frozenset({"v1"}))}


def test_serve_and_bench_run_refuse_a_bad_catalogue_in_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    for command in (["serve", "--port", "0"], ["bench", "run", "--providers", "speechify", "--dry-run"]):
        result = runner.invoke(app, [*command, "--catalogue", str(tmp_path / "nowhere.toml")])
        assert result.exit_code == 2, result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and "nowhere.toml" in lines[0], result.output


def test_bench_runs_own_sandbox_takes_the_catalogue(team_file: Path) -> None:
    from harness.runner.plan import config as settings
    from harness.runner.session import sandbox_target

    config = settings.load_config([settings.SandboxSettings.given(profile="fast", catalogue=team_file)], None)
    with sandbox_target(config, [providers()["speechify"]]) as target:
        assert target.handle is not None
        assert target.handle.state.catalogues["speechify"].voices == frozenset({CLONE})


def test_a_socket_speaks_a_model_of_the_team_s_catalogue(client: httpx.Client) -> None:
    newer = "speech-9.0-preview"  # a MiniMax model newer than the stored reference

    with running(profile="fast", providers=("minimax",)) as sandbox:
        refused = asyncio.run(minimax_socket_events(sandbox, newer))
    assert refused[-1] == "task_failed"
    account = {"minimax": AccountCatalogue(models=frozenset({newer}))}
    with running(profile="fast", providers=("minimax",), catalogues=account) as sandbox:
        spoken = asyncio.run(minimax_socket_events(sandbox, newer))
    assert spoken[:2] == ["connected_success", "task_started"] and "audio" in spoken and spoken[-1] == "task_finished"
