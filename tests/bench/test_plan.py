"""The plan: deterministic job keys, interleaved items, models given only what they can take, prices."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from harness.core.corpora import load_corpus
from harness.core.errors import UsageError
from harness.core.spec import Upload
from harness.providers.pixazo import PROVIDER as PIXAZO
from harness.runner.plan.jobs import PriceBook, References, build_plan, job_key, select

PROVIDERS = {"pixazo": PIXAZO}
REFS = References(url="http://127.0.0.1:1/ref.wav", audio=Upload(filename="r.wav", content=b"RIFF0000WAVE"))


def test_job_keys_are_deterministic_and_distinct() -> None:
    a = job_key("run", "pixazo", "xtts-v2", "en_read", "en-001", 0)
    assert a == job_key("run", "pixazo", "xtts-v2", "en_read", "en-001", 0)
    assert a != job_key("run", "pixazo", "xtts-v2", "en_read", "en-001", 1)
    assert a != job_key("other", "pixazo", "xtts-v2", "en_read", "en-001", 0)


def test_items_are_interleaved_across_models_and_repeats_come_last() -> None:
    plan = build_plan("r", select(PROVIDERS, (), ()), [load_corpus("en_read:2")], 2, PriceBook(), REFS)
    order = [(j.repeat, j.item.id, j.model) for j in plan.jobs]
    assert order[:4] == [
        (0, "en-001", "xtts-v2"),
        (0, "en-001", "chatterbox"),
        (0, "en-001", "vibevoice"),
        (0, "en-001", "vibevoice-realtime-0.5b"),
    ]
    assert [j.seq for j in plan.jobs] == list(range(16)) and order[-1][0] == 1
    assert len({j.job_key for j in plan.jobs}) == 16


def test_models_only_get_what_they_can_take() -> None:
    corpora = [load_corpus("en_dialogue:1"), load_corpus("zh_short:1"), load_corpus("en_long")]
    plan = build_plan("r", select(PROVIDERS, (), ()), corpora, 1, PriceBook(), References())
    planned = {(j.model, j.item.id) for j in plan.jobs}
    assert ("vibevoice", "dlg-001") in planned and ("chatterbox", "dlg-001") not in planned
    assert ("vibevoice", "zh-001") in planned and ("chatterbox", "zh-001") not in planned
    assert ("chatterbox", "len-505") in planned and all(m != "xtts-v2" for m, _ in planned)
    reasons = {reason for (_, reason) in plan.left_out}
    assert {"multi-speaker script", "language zh not supported"} <= reasons
    assert "needs a reference voice: give --reference-url URL (a public URL the provider fetches)" in reasons


def test_prices_and_overrides() -> None:
    selections = select(PROVIDERS, (), ("xtts-v2", "pixazo/vibevoice"))
    plan = build_plan("r", selections, [load_corpus("en_read:2")], 1, PriceBook(), REFS)
    assert plan.cost_usd == Decimal("0.030") and plan.unpriced == 2
    priced = PriceBook.from_settings(None, {"pixazo/vibevoice": 0.02}, PROVIDERS)
    plan = build_plan("r", selections, [load_corpus("en_read:2")], 1, priced, REFS)
    assert plan.cost_usd == Decimal("0.070") and plan.unpriced == 0


@pytest.mark.parametrize(
    ("rate", "prices", "said"),
    [
        (None, {"acme/x": 1.0}, "(--price, [prices]) names no known model: acme/x (provider/model, "),
        (None, {"pixazo/vibevoise": 1.0}, "no known model: pixazo/vibevoise (did you mean pixazo/vibevoice?) ("),
        (None, {"pixazo/vibevoice": float("nan")}, "--price pixazo/vibevoice=nan"),
        (float("inf"), {}, "--usd-per-character=inf"),
        (None, {"pixazo/vibevoice": -1.0}, "--price pixazo/vibevoice=-1.0"),
    ],
)
def test_a_price_for_no_model_or_of_no_amount_is_refused(
    rate: float | None, prices: dict[str, float], said: str
) -> None:
    with pytest.raises(UsageError, match=re.escape(said)):
        PriceBook.from_settings(rate, prices, PROVIDERS)


def test_params_json_hides_upload_bytes() -> None:
    from harness.runner.plan.jobs import params_json

    stored = json.loads(params_json({"text": "hi", "voice_ref": Upload(filename="r.wav", content=b"abc")}))
    assert stored["voice_ref"] == {"filename": "r.wav", "bytes": 3, "sha256": stored["voice_ref"]["sha256"]}
    assert len(stored["voice_ref"]["sha256"]) == 64


def test_unknown_names_list_the_known_ones() -> None:
    with pytest.raises(UsageError, match="known: pixazo"):
        select(PROVIDERS, ("nope",), ())
    with pytest.raises(UsageError, match="pixazo/xtts-v2"):
        select(PROVIDERS, (), ("nope",))
