"""The worked example of docs/adding-a-provider.md is real.

`examples/provider/` is a plugin package holding a provider of the asynchronous jobs family (`acme_tts`,
a declaration in the family shape tests/test_layout.py pins) and no emulation. Here it is installed as pip
installs it (its package importable, its pyproject's entry point in a `.dist-info`), and then: the
walk-through shows every file as it is; the registry finds the provider by its entry point only, and the
sandbox serves it with its family's imitation (the `jobs` emulation, chosen by `Provider.protocol`; the
package registers none of its own): a job submitted, polled to `done`, its audio decoded; a refusal in
Acme's error shape; and every contract plan derived from its spec passes against that sandbox.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.contracts.execute import run_plan
from harness.contracts.plans import plans_for
from harness.contracts.targets import contract_target
from harness.core import registry
from harness.core.spec import Provider
from harness.core.target import TargetChoice, TargetKind, layout
from harness.core.validate import check_response
from harness.sandbox import running
from harness.sandbox.emulations.jobs import JobsEmulation
from harness.sandbox.loading import load_served, registered_emulations
from harness.speech import decode
from tests.helpers.repo import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "provider"
BLOCK = re.compile(r"```(?:python|toml)\n# (examples/provider/\S+)\n(.*?)```", re.S)


WALKTHROUGH = REPO_ROOT / "docs" / "adding-a-provider.md"


def _walkthrough() -> dict[str, str]:
    """Each code block of the walk-through that opens with its file's path: path -> text."""
    return {path: body for path, body in BLOCK.findall(WALKTHROUGH.read_text())}


def test_the_walkthrough_shows_every_file_of_the_example_as_it_is() -> None:
    shown = _walkthrough()
    files = {str(path.relative_to(REPO_ROOT)) for path in EXAMPLE.rglob("*.py")}
    assert {path for path in shown if path.endswith(".py")} == files
    for path, body in shown.items():
        content = (REPO_ROOT / path).read_text()
        if path.endswith(".py"):
            assert body == content, f"{WALKTHROUGH.name} shows {path} other than it is"
        else:  # the pyproject: the walk-through shows its entry points, the file also how to build
            assert body in content, f"{WALKTHROUGH.name} shows lines {path} does not have"


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    """The example installed as pip would install it; the registry re-read, before and after."""
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())["project"]
    dist_info = tmp_path / f"acme_tts-{project['version']}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
    )
    (dist_info / "entry_points.txt").write_text(
        "".join(
            f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in entries.items()) + "\n"
            for group, entries in project["entry-points"].items()
        )
    )
    monkeypatch.syspath_prepend(str(EXAMPLE))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv(registry.ONLY_ENV, raising=False)
    registry.providers.cache_clear()
    try:
        yield registry.providers()["acme"]
    finally:
        registry.providers.cache_clear()


def test_the_registry_finds_the_example_by_its_entry_point_and_the_sandbox_serves_it_as_its_family(
    installed: Provider,
) -> None:
    import acme_tts
    from acme_tts import declaration

    assert installed is acme_tts.PROVIDER
    assert installed.protocol == "jobs" and installed.family is declaration.SERVICE
    # No emulation of its own: the example registers only its provider, and the sandbox imitates it with the
    # emulation registered under its protocol, built from the declaration alone.
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())["project"]
    assert set(project["entry-points"]) == {registry.ENTRY_POINT_GROUP}
    assert "acme" not in registered_emulations()
    assert not (EXAMPLE / "acme_tts_sandbox").exists()
    [served] = load_served(only=("acme",))
    assert served.provider is installed
    assert isinstance(served.emulation, JobsEmulation)


def _valid(provider: Provider, endpoint_key: str, response: httpx.Response) -> None:
    verdict = check_response(
        provider, provider.endpoint(endpoint_key), response.status_code, dict(response.headers), response.content
    )
    assert verdict.ok, "; ".join(str(v) for v in verdict.violations)


def test_the_sandbox_serves_the_example(installed: Provider) -> None:
    with (
        running(profile="fast", seed=0, clock="manual", providers=("acme",)) as sb,
        httpx.Client(timeout=30.0, trust_env=False) as client,
    ):
        base = sb.base_url("acme", "api")
        headers = {"Authorization": f"Bearer {sb.default_key('acme')}"}
        submitted = client.post(f"{base}/v1/speak", json={"text": "Hello from Acme.", "voice": "bob"}, headers=headers)
        assert submitted.status_code == 202, submitted.text
        _valid(installed, "speak", submitted)
        job_id = submitted.json()["id"]
        sb.wait_produced(job_id, timeout=60)
        sb.advance(5.0)
        status = client.get(f"{base}/v1/speak/{job_id}", headers=headers)
        _valid(installed, "speak.status", status)
        assert status.json()["status"] == "done"
        audio = client.get(status.json()["audio_url"])
        assert audio.status_code == 200 and decode(audio.content).duration_s > 0.5

        refused = client.post(f"{base}/v1/speak", json={"text": "", "voice": "ada"}, headers=headers)
        assert refused.status_code == 400 and set(refused.json()) == {"message"}
        _valid(installed, "speak", refused)
        unknown = client.post(f"{base}/v1/speak", json={"text": "Hi."}, headers={"Authorization": "Bearer nope"})
        assert unknown.status_code == 401
        _valid(installed, "speak", unknown)


def test_every_contract_plan_of_the_example_passes_against_the_sandbox(installed: Provider) -> None:
    with (
        running(profile="fast", seed=0, providers=("acme",)) as sb,
        httpx.Client(timeout=30.0, trust_env=False) as client,
    ):
        where = layout(TargetChoice(TargetKind.SANDBOX), [installed], sandbox_root=sb.url)
        target = contract_target(where, {"acme": installed})
        plans = plans_for(installed)
        assert {plan.label for plan in plans} >= {"202-success", "400-invalid-parameter", "401-invalid-key"}
        failures = {
            plan.name: outcome.violations
            for plan in plans
            if (outcome := run_plan(installed, plan, target, client)).violations
        }
    assert not failures, failures
