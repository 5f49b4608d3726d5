"""`harness.core.names`: an unknown name is answered with the nearest known one, on every face that takes names."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.core.corpora import load_corpus
from harness.core.declared import parse
from harness.core.errors import UsageError
from harness.core.names import nearest, not_known
from harness.core.registry import get_provider, providers
from harness.runner.plan.jobs import select


@pytest.mark.parametrize(
    ("given", "meant"),
    [
        ("opnai", "openai"),
        ("OpenAI", "openai"),
        ("eleven-labs", "elevenlabs"),
        ("eleven", "elevenlabs"),
        ("nosuch", None),
        ("nope", None),
        ("", None),
    ],
)
def test_the_nearest_name_is_found_without_case_and_nothing_far_is(given: str, meant: str | None) -> None:
    assert nearest(given, ["openai", "elevenlabs", "cartesia"]) == ((meant,) if meant else ())


def test_names_as_near_as_each_other_are_all_said_in_the_order_known() -> None:
    assert nearest("latency", ["latency_p50", "latency_p95", "wer"]) == ("latency_p50", "latency_p95")


def test_an_alias_answers_with_the_name_it_stands_for() -> None:
    assert nearest("tts1", ["openai/tts-1", "openai/tts-1-hd"], {"tts-1": "openai/tts-1"}) == ("openai/tts-1",)
    assert not_known("model", ["tts1", "zzz"], ["openai/tts-1"], {"tts-1": "openai/tts-1"}) == (
        "unknown model 'tts1' (did you mean openai/tts-1?), 'zzz'"
    )


def test_a_bench_selection_suggests_the_provider_and_the_model_meant() -> None:
    known = providers()
    with pytest.raises(UsageError, match=r"unknown provider 'opnai' \(did you mean openai\?\); known: "):
        select(known, ["opnai"], [])
    with pytest.raises(UsageError, match=r"unknown model 'sonic3' \(did you mean cartesia/sonic-3\?\); known: "):
        select(known, [], ["sonic3"])


def test_a_corpus_and_a_registered_provider_suggest_too() -> None:
    with pytest.raises(UsageError, match=r"unknown corpus 'en_reed' \(did you mean en_read\?\)"):
        load_corpus("en_reed:2")
    with pytest.raises(UsageError, match=r"unknown provider 'cartesa' \(did you mean cartesia\?\)"):
        get_provider("cartesa")


def test_a_file_s_like_of_a_mistyped_built_in_and_a_mistyped_key_suggest_too(tmp_path: Path) -> None:
    path = tmp_path / "tts-harness.toml"
    path.write_text('[providers.mine]\nlike = "opnai"\nkey_env = "MINE_KEY"\n')
    with pytest.raises(UsageError, match=r"providers\.mine\.like: no installed provider is called 'opnai' \(did you "):
        parse(path.read_text(), path).providers()
    text = '[providers.mine]\nlike = "openai"\nkey_env = "MINE_KEY"\nmodels = [{ name = "m", strem = true }]\n'
    with pytest.raises(UsageError, match=r"models\.0\.strem: unknown key \(did you mean stream\?\)$"):
        parse(text, path)
