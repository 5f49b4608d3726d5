"""The runner reads a target as the contract suite does (`harness.core.target`): a URL that is a provider's
base URL benchmarks that provider alone, at its own server, with its own key; any other URL is a server
laid out like the sandbox; the dry run prints exactly where a real run would send."""

from __future__ import annotations

import pytest

from harness.core.errors import UsageError
from harness.core.registry import providers as registered
from harness.core.spec import Provider
from harness.core.target import TargetKind, layout, parse_target
from harness.runner.dry_run import DryRun, dry_run
from harness.runner.plan.config import BenchConfig
from harness.runner.plan.target import bench_target
from tests.helpers.providers_file import declared_providers, speech_table

BOX_URL = "http://127.0.0.1:8000/v1"


@pytest.fixture
def known() -> dict[str, Provider]:
    (box,) = declared_providers(speech_table("box", BOX_URL, "BOX_TTS_KEY", ("box-tts",), ("ember",)))
    return {"pixazo": registered()["pixazo"], "box": box}


def test_a_declared_base_url_is_that_provider_alone_with_its_key(known: dict[str, Provider]) -> None:
    where = layout(parse_target(BOX_URL + "/"), known.values())
    target = bench_target(where, list(known.values()), environ={"BOX_TTS_KEY": "box-key-1234"})
    assert target.kind is TargetKind.URL and target.url == BOX_URL
    assert dict(target.bases) == {("box", "v1"): BOX_URL}
    assert target.serves("box") and not target.serves("pixazo")
    assert target.key(known["box"]) == "box-key-1234" and target.secrets == ("box-key-1234",)
    assert target.notes == [f"provider pixazo left out: {BOX_URL} is box's base URL: only box is there"]
    assert target.reference_url is None  # a provider's own server serves no sandbox voice


def test_the_providers_own_server_needs_the_key_named_by_its_variable(known: dict[str, Provider]) -> None:
    where = layout(parse_target(BOX_URL), known.values())
    with pytest.raises(UsageError, match=r"needs an API key for every provider benchmarked; unset: box \(BOX_TTS_KEY"):
        bench_target(where, list(known.values()), environ={})


def test_another_url_is_a_sandbox_root_with_its_test_keys(known: dict[str, Provider]) -> None:
    where = layout(parse_target("http://127.0.0.1:8000"), known.values())
    target = bench_target(where, list(known.values()), environ={})
    assert target.bases[("box", "v1")] == "http://127.0.0.1:8000/box/v1"
    assert target.bases[("pixazo", "gateway")] == "http://127.0.0.1:8000/pixazo/gateway"
    assert target.key(known["box"]) == "sandbox-box-key" and target.notes == []
    assert target.reference_url == "http://127.0.0.1:8000/_sandbox/voices/joe_reference.wav"


def _submits(planned: DryRun) -> list[str]:
    return [step.curl for job in planned.jobs for step in job.steps if step.kind == "submit" and step.curl]


def test_the_dry_run_sends_where_the_run_would(known: dict[str, Provider]) -> None:
    config = BenchConfig(target=BOX_URL, models=("box-tts", "chatterbox"), corpus=("en_read:1",))
    planned = dry_run(config, known, environ={})
    (line,) = _submits(planned)
    assert line.startswith(f"curl -X POST {BOX_URL}/audio/speech ")
    assert f"provider pixazo left out: {BOX_URL} is box's base URL: only box is there" in planned.notes
    assert planned.refusal is not None and "unset: box (BOX_TTS_KEY)" in planned.refusal  # the run's own check

    as_root = dry_run(config.updated(target="http://127.0.0.1:8000"), known, environ={})
    box, pixazo = sorted(line.split()[3] for line in _submits(as_root))
    assert box == "http://127.0.0.1:8000/box/v1/audio/speech"
    assert pixazo.startswith("http://127.0.0.1:8000/pixazo/gateway/")
    assert not any("left out" in note for note in as_root.notes)
