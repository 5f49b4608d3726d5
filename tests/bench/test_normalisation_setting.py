"""The providers' own text normalisation as a dimension: `bench run --normalisation off,on` runs each model whose
request declares the switch once per setting (ElevenLabs' `apply_text_normalization`), the sandbox reads digits as
written where it is off, and the per-category table shows on − off."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from harness import benchmark
from harness.checks.read_right import figures as hard_text_figures
from harness.checks.read_right import summary_sections
from harness.core.errors import UsageError
from harness.core.packaged import data_path
from harness.core.registry import providers as registered
from harness.core.spec import SynthesisInput
from harness.measurement import normalisation_differences
from harness.results import read_run
from harness.runner.plan.config import BenchConfig
from harness.runner.plan.jobs import select, with_normalisation
from harness.runner.summary.view import render_own
from harness.sandbox.misreadings import unnormalised

MODEL = "eleven_multilingual_v2"


def test_a_declared_switch_makes_one_offering_per_setting_with_the_value_in_its_request() -> None:
    providers = registered()
    chosen = with_normalisation(select(providers, ["elevenlabs", "openai"], [MODEL, "tts-1"]), ["off", "on"])
    assert [s.label for s in chosen] == [f"elevenlabs/{MODEL} normalisation={setting}" for setting in ("off", "on")] + [
        "openai/tts-1"
    ]  # OpenAI's request has no switch: run once, as it is
    # the switch is the HTTP request's (Create speech): the socket's offering is read over it for each setting
    assert {(s.offering.channel, s.offering.endpoint) for s in chosen[:2]} == {(None, "tts.convert")}

    payloads = [s.offering.build(SynthesisInput(text="It was 1984.")) for s in chosen[:2]]
    assert [p["apply_text_normalization"] for p in payloads] == ["off", "on"]
    assert {s.priced_as for s in chosen[:2]} == {MODEL}
    # Sarvam's enable_preprocessing is bulbul:v2's only; its socket offering sends that same request: varied once
    sarvam = [
        s.label
        for s in with_normalisation(
            select(providers, ["sarvam"], ["bulbul:v2", "bulbul:v2-ws", "bulbul:v3"]), ["off", "on"]
        )
    ]
    assert sarvam == ["sarvam/bulbul:v3", "sarvam/bulbul:v2 normalisation=off", "sarvam/bulbul:v2 normalisation=on"]
    with pytest.raises(UsageError, match="--normalisation takes off and on, not auto"):
        with_normalisation(chosen, ["auto"])


def test_without_normalisation_the_sandbox_reads_digits_as_written() -> None:
    assert (
        unnormalised("It holds 10,000 books from 1984.")
        == "It holds one zero,zero zero zero books from one nine eight four."
    )


@pytest.mark.slow
def test_a_sandbox_run_off_and_on_shows_the_difference_per_category(tmp_path: Path) -> None:
    smoke = json.loads(data_path("corpora", "en_hard_smoke.json").read_text())
    smoke["items"] = [item for item in smoke["items"] if item["category"] == "cardinal"][:2]
    corpus = tmp_path / "cardinal.json"
    corpus.write_text(json.dumps(smoke))
    config = BenchConfig(
        out=tmp_path / "out",
        providers=("elevenlabs",),
        models=(MODEL,),  # type: ignore[call-arg]
        corpus=(str(corpus),),
        normalisation=("off", "on"),
        sandbox_profile="fast",
        dnsmos=False,
    )
    result = benchmark.run(config)
    assert result.counts == {"ok": 8}  # two items, as written and as their control, once per setting
    figures = hard_text_figures(read_run(result.db_path, result.run_id))  # the check's, not the summary's
    [cardinal] = normalisation_differences(figures)
    assert (cardinal.provider, cardinal.model, cardinal.category) == ("elevenlabs", MODEL, "cardinal")
    # off: "10,000" read "one zero zero zero zero" and "45,000" "four five zero zero zero" (number-digit-by-digit,
    # both told by forced choice); on: the sandbox's own "ten thousand", "forty five thousand". (The clips are raw
    # PCM, ElevenLabs' first format: read as the answer declared them.)
    assert (cardinal.off.successes, cardinal.off.trials, cardinal.on.successes, cardinal.on.trials) == (0, 2, 2, 2)
    assert cardinal.difference == 1.0
    off = next(f for f in figures if f.model.endswith("normalisation=off"))
    assert {row.error for row in off.failures} == {"number-digit-by-digit"}
    out = io.StringIO()
    render_own(summary_sections(figures), Console(file=out, width=200))
    shown = out.getvalue()
    assert "the provider's own normalisation" in shown
    assert f"elevenlabs/{MODEL}" in shown and "0% (0/2)" in shown and "100% (2/2)" in shown and "+100%" in shown
    assert result.report_path is not None
    html = result.report_path.read_text()
    assert '<h3 id="normalisation">' in html and f"<td>elevenlabs/{MODEL}</td><td>cardinal</td>" in html
    assert "+100%" in html
