"""`like = "pixazo"` / `like = "pixelapi"`: a providers-file table starting from a built-in of the asynchronous jobs
family (`harness.core.protocols.like_jobs`). The built-in's submit, status, media and refusals are copied with the
table's hosts, key, models, prices and deviations, so the sandbox imitates the new provider with the family's
emulation, the benchmark drives it and the contract suite records and replays it; a key a job has no equivalent of
is one line naming the file and the key."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from harness.core import declared, installed
from harness.core.errors import RequestValidationError
from harness.core.protocols.jobs import JobsService, service_of
from harness.core.spec import Auth, PriceFunction, Upload
from harness.core.validate import check_request
from tests.helpers.child_pytest import pytest_command
from tests.helpers.providers_file import one_line_refusal as _one_line
from tests.helpers.providers_file import parse_tables as _parse
from tests.helpers.providers_file import providers_file_in_effect

FILE = Path("tts-harness.toml")
REPO = Path(__file__).resolve().parents[2]

MYPIX = """
[providers.mypix]
like = "pixazo"
title = "Pixazo's API on the lab box"
base_url = "http://gpu.lan:9000/"
key_env = "MYPIX_KEY"
models = ["vibevoice", "chatterbox"]
price_per_request = 0.02
model_prices = { vibevoice = 0.05 }
deviations = { webhook-sync = "calls back only at the terminal state" }
"""


def _usd(price: PriceFunction | None, payload: dict[str, Any]) -> Decimal | None:
    cost = price(payload) if price is not None else None
    return cost.amount if cost is not None else None


def test_like_a_jobs_builtin_copies_it_and_applies_each_override() -> None:
    (provider,) = _parse(MYPIX)
    pixazo = installed.builtin("pixazo")
    service = service_of(provider)
    assert isinstance(service, JobsService) and service.name == provider.name == "mypix"
    assert provider.protocol == "jobs" and provider.family is service  # what the sandbox serves it by
    assert provider.title == "Pixazo's API on the lab box" and provider.key_env == "MYPIX_KEY"
    assert provider.hosts == {"gateway": "http://gpu.lan:9000"}  # every host of the built-in, its slash dropped
    assert provider.auth == pixazo.auth  # the key travels as the built-in sends it
    assert [o.name for o in provider.offerings] == ["vibevoice", "chatterbox"]  # the table's order
    # The submit endpoints of the other two models are not this server's; status and callback stay.
    assert [e.key for e in provider.endpoints] == [
        "chatterbox.generate",
        "vibevoice.generate",
        "requests.status",
        "webhook.callback",
    ]
    prices = {e.key: _usd(e.price, {}) for e in provider.endpoints if e.price is not None}
    assert prices == {"chatterbox.generate": Decimal("0.02"), "vibevoice.generate": Decimal("0.05")}
    # The built-in's request models, limits and job binding are the server's.
    chatterbox = provider.endpoint("chatterbox.generate")
    assert chatterbox.request is pixazo.endpoint("chatterbox.generate").request
    assert chatterbox.job == pixazo.endpoint("chatterbox.generate").job and chatterbox.lifecycle is not None
    with pytest.raises(RequestValidationError):
        check_request(chatterbox, {"text": "Hi", "exaggeration": 7})
    assert provider.known_deviations == {
        "webhook-sync": "calls back only at the terminal state (tts-harness.toml: providers.mypix.deviations)"
    }
    assert "tts-harness.toml: providers.mypix" in provider.docs
    assert pixazo.hosts == {"gateway": "https://gateway.pixazo.ai"} and len(pixazo.offerings) == 4  # untouched


def test_without_another_server_the_builtins_prices_stand_and_with_one_they_are_the_files() -> None:
    same = _parse('\n[providers.mypx]\nlike = "pixelapi"\nkey_env = "MYPX_KEY"\n')[0]
    clone = {"text": "Hi", "voice_ref": Upload(filename="ref.wav", content=b"RIFF", content_type="audio/wav")}
    generate = same.endpoint("tts.generate")
    # The built-in's own function: design and cloning priced apart.
    assert (_usd(generate.price, {"text": "Hi"}), _usd(generate.price, clone)) == (Decimal("0.05"), Decimal("0.10"))
    elsewhere = _parse('\n[providers.mypx]\nlike = "pixelapi"\nkey_env = "MYPX_KEY"\nbase_url = "http://px.lan"\n')[0]
    assert elsewhere.endpoint("tts.generate").price is None  # another server: the file names no price
    priced = _parse(
        '\n[providers.mypx]\nlike = "pixelapi"\nkey_env = "MYPX_KEY"\nbase_url = "http://px.lan"\n'
        "price_per_request = 0\n"
    )[0]
    assert _usd(priced.endpoint("tts.generate").price, clone) == Decimal(0)


def test_a_host_set_apart_and_a_keyless_or_bearer_server() -> None:
    (apart,) = _parse(
        '\n[providers.mypix]\nlike = "pixazo"\nkey_env = "MYPIX_KEY"\n'
        'hosts = { gateway = "https://jobs.lab.example" }\n'
    )
    assert apart.hosts == {"gateway": "https://jobs.lab.example"}
    (keyless,) = _parse('\n[providers.mypix]\nlike = "pixazo"\nbase_url = "http://gpu.lan:9000"\nauth = "none"\n')
    assert keyless.keyless and not any(e.auth_required for e in keyless.endpoints)
    assert installed.builtin("pixazo").endpoint("requests.status").auth_required  # the built-in's still asks one
    (bearer,) = _parse('\n[providers.mypix]\nlike = "pixazo"\nkey_env = "MYPIX_KEY"\nauth = "bearer"\n')
    assert bearer.auth == Auth(header="Authorization", scheme="Bearer")
    assert all(e.auth_required for e in bearer.endpoints if e.key != "webhook.callback")


JOBS_KEYS = (
    "(its keys: like, base_url, hosts, key_env, auth, title, models, price_per_request, model_prices, deviations)"
)


@pytest.mark.parametrize(
    ("text", "ending"),
    [
        (
            'like = "pixazo"\nkey_env = "GW_KEY"\nvoices = ["ada"]',
            f"providers.gw.voices: not a key for pixazo, a jobs-family provider: its models say their voice in their "
            f"own requests: a reference recording, a preset, a description {JOBS_KEYS}",
        ),
        ('like = "pixazo"\nkey_env = "GW_KEY"\nformats = ["wav"]', "providers.gw.formats: not a key for pixazo"),
        ('like = "pixazo"\nkey_env = "GW_KEY"\nsample_rate = 16000', "providers.gw.sample_rate: not a key for pixazo"),
        ('like = "pixazo"\nkey_env = "GW_KEY"\nstream = true', "providers.gw.stream: not a key for pixazo"),
        ('like = "pixazo"\nkey_env = "GW_KEY"\nmax_input_chars = 100', "providers.gw.max_input_chars: not a key for"),
        (
            'like = "pixazo"\nkey_env = "GW_KEY"\nmodels = [{ name = "chatterbox", stream = false }]',
            "providers.gw.models.0.stream: not a key for pixazo, a jobs-family provider: a job's audio is fetched once "
            "the job is done, never streamed",
        ),
        (
            'like = "pixazo"\nkey_env = "GW_KEY"\nprice_per_million_chars = 3',
            "providers.gw.price_per_million_chars: not a key for pixazo, a jobs-family provider: a job is priced "
            "whole, not by its characters: give price_per_request",
        ),
        ('like = "pixazo"\nkey_env = "GW_KEY"\nsockets = {}', "providers.gw.sockets: unknown key"),
        (
            'like = "pixazo"\nkey_env = "GW_KEY"\nmodels = ["chatterbox", "kokoro"]',
            "providers.gw.models.1: kokoro is not a model of pixazo (its models: xtts-v2, chatterbox, vibevoice, "
            "vibevoice-realtime-0.5b)",
        ),
        (
            'like = "pixazo"\nkey_env = "GW_KEY"\nmodels = ["chatterbox"]\nmodel_prices = { xtts-v2 = 1 }',
            "providers.gw.model_prices: xtts-v2 is not among the models",
        ),
        (
            'like = "pixelapi"\nkey_env = "GW_KEY"\nmodel_prices = { voice-design = 0.05, voice-clone = 0.1 }',
            "providers.gw.model_prices: voice-design and voice-clone are one request of pixelapi (tts.generate), "
            "priced per request: give them one price",
        ),
        (
            'like = "pixelapi"\nkey_env = "GW_KEY"\nhosts = { gateway = "https://x.example" }',
            "providers.gw.hosts.gateway: not a host of pixelapi (its hosts: api)",
        ),
        ('like = "pixazo"\nkey_env = "GW_KEY"\nprice_per_request = -1', "providers.gw.price_per_request: "),
        (
            'like = "groq"\nkey_env = "GW_KEY"\nprice_per_request = 1',
            "providers.gw.price_per_request: groq prices the characters it speaks: give price_per_million_chars",
        ),
        (
            'like = "ttsai"\nkey_env = "GW_KEY"',
            "providers.gw.like: ttsai is not declared in a wire family (it has code of "
            "its own), so a providers file cannot start from it",
        ),
    ],
)
def test_a_mistake_is_one_line_naming_the_file_and_key(text: str, ending: str) -> None:
    message = _one_line(f"\n[providers.gw]\n{text}\n")
    assert message.startswith("tts-harness.toml: providers.gw.") and ending in message, message


def test_a_family_like_cannot_start_from_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """A built-in of a family with no `like` path is told apart from one with code of its own."""
    from dataclasses import replace

    class LaterService:
        """A family declaration of a kind `like` has no path for (yet)."""

    odd = replace(installed.builtin("pixazo"), family=LaterService())
    monkeypatch.setattr(installed, "builtin", lambda name: odd)
    message = _one_line('\n[providers.gw]\nlike = "pixazo"\nkey_env = "GW_KEY"\n')
    assert message.endswith(
        "providers.gw.like: pixazo is declared in a family `like` cannot start from (LaterService; "
        "it starts from the HTTP speech, WebSocket speech and jobs families)"
    ), message


# --- against the sandbox: served by the family's emulation, benchmarked ----------------------------------------

SANDBOX_FILE = """
[providers.mypix]
like = "pixazo"
base_url = "http://gpu.lan:9000"
key_env = "MYPIX_KEY"
models = ["chatterbox", "vibevoice"]
price_per_request = 0.02

[providers.mypx]
like = "pixelapi"
base_url = "http://px.lan:9000"
auth = "none"
models = ["voice-design"]
"""


def test_like_jobs_providers_are_served_by_the_sandbox_and_benchmarked_all_ok(tmp_path: Path) -> None:
    from harness.results.store import Store
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session
    from harness.sandbox.emulations.jobs import EMULATION
    from harness.sandbox.loading import load_served

    path = tmp_path / "tts-harness.toml"
    path.write_text(SANDBOX_FILE, encoding="utf-8")
    with providers_file_in_effect(path):
        served = {s.provider.name: s.emulation for s in load_served(("mypix", "mypx"))}
        assert set(served) == {"mypix", "mypx"} and all(isinstance(e, EMULATION) for e in served.values())
        config = BenchConfig(
            out=tmp_path,
            score=False,
            report=False,
            providers=("mypix", "mypx"),
            corpus=("en_read:1",),
            sandbox_profile="fast",
        )
        result = run_bench_session(config)
        store = Store(result.db_path)
        try:
            jobs = [asdict(row) for row in store.jobs(result.run_id)]
        finally:
            store.close()
    assert {(j["provider"], j["model"], j["outcome"]) for j in jobs} == {
        ("mypix", "chatterbox", "ok"),
        ("mypix", "vibevoice", "ok"),
        ("mypx", "voice-design", "ok"),
    }, [j["error_message"] for j in jobs]
    # The file's price reached the run; the keyless server elsewhere names none.
    assert {(j["provider"], j["cost_usd"]) for j in jobs} == {("mypix", 0.02), ("mypx", None)}


# --- listed, and through the contract suite: recorded from the sandbox, replayed green --------------------------


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=900, check=False)


@pytest.mark.slow
def test_providers_lists_it_and_the_contract_suite_records_and_replays_it(tmp_path: Path) -> None:
    path = tmp_path / "tts-harness.toml"
    path.write_text(
        '\n[providers.mypix]\nlike = "pixazo"\nbase_url = "http://gpu.lan:9000"\nkey_env = "MYPIX_KEY"\n'
        'models = ["chatterbox"]\nprice_per_request = 0.02\n',
        encoding="utf-8",
    )
    env = {**os.environ, declared.FILE_ENV: str(path), "PYTHONPATH": str(REPO), "COLUMNS": "160"}
    listed = _run([sys.executable, "-c", "from harness.cli import main; main()", "providers", "--json"], env)
    assert listed.returncode == 0, listed.stderr
    mypix = {item["name"]: item for item in json.loads(listed.stdout)}["mypix"]
    assert (mypix["family"], mypix["hosts"], [m["name"] for m in mypix["models"]]) == (
        "jobs",
        {"gateway": "http://gpu.lan:9000"},
        ["chatterbox"],
    )
    assert {e["key"]: e["price"] for e in mypix["endpoints"]}["chatterbox.generate"] == "$0.02 (document's example)"
    select = ["-k", "mypix", "-q", "-rA"]
    recorded = _run(
        pytest_command("contracts/", "--tts-target", "sandbox", "--tts-record-mode=new_episodes", *select), env
    )
    assert recorded.returncode == 0, recorded.stdout[-3000:]
    assert "PASSED contracts/test_lifecycle.py::TestMypixLifecycle::runTest" in recorded.stdout
    for scenario in (
        "chatterbox.generate/202-success",
        "chatterbox.generate/401-invalid-key",
        "requests.status/404-unknown-id",
    ):
        assert f"PASSED contracts/test_scenarios.py::test_contract[mypix/{scenario}]" in recorded.stdout
    folder = tmp_path / "tts-harness-fixtures" / "scenarios" / "mypix"
    assert {p.stem for p in (folder / "chatterbox.generate").glob("*.json")} >= {"202-success", "402-balance-spent"}
    assert not (folder / "xtts-v2.generate").exists()  # a model the table left out is not this server's
    replayed = _run(pytest_command("contracts/", *select), env)
    failed = re.search(r"\b[1-9]\d* (failed|errors?)\b", replayed.stdout)
    assert replayed.returncode == 0 and not failed, replayed.stdout[-3000:]
    assert (
        "PASSED contracts/test_coverage.py::test_documented_status_is_recorded[mypix/chatterbox.generate/202]"
        in replayed.stdout
    )
