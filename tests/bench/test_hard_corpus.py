"""Hard-text corpora: the grammar of spoken forms, items with their controls, one line per problem."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from harness.core.corpora import load_corpus, parse_corpus
from harness.core.errors import UsageError
from harness.core.hard_text.grammar import GrammarError, fullest, joined, matches, matches_joined, parse, readings
from harness.core.packaged import data_path
from tests.helpers.hard_text import hard_corpus


def _words(*said: str) -> set[tuple[str, ...]]:
    return {tuple(reading.split()) for reading in said}


def expand(form: str) -> set[tuple[str, ...]]:
    every = list(readings(form))
    assert all(matches(form, reading) for reading in every)
    return set(every)


def test_the_grammar_allows_optional_words_and_alternatives() -> None:
    assert expand("twelve dollars [and] fifty [cents]") == _words(
        "twelve dollars fifty",
        "twelve dollars and fifty",
        "twelve dollars fifty cents",
        "twelve dollars and fifty cents",
    )
    assert expand("{nineteen eighty four|one nine [eight] four} ad") == _words(
        "nineteen eighty four ad", "one nine eight four ad", "one nine four ad"
    )
    assert expand("{a|{b|c d}} [e [f]]") == _words("a", "b", "c d", "a e", "b e", "c d e", "a e f", "b e f", "c d e f")
    assert expand("ten o'clock") == _words("ten o'clock")
    assert fullest("{a|b {c|d} e} f [g {h|i}]") == ("a", "f", "g", "h")
    assert not matches("twelve [and] fifty", ("twelve", "and")) and not matches("a b", ("a", "b", "c"))
    assert joined(("o", "clock")) == joined(("o'clock",)) == "oclock"
    assert matches_joined("ten o clock", ("ten", "o'clock")) and not matches("ten o clock", ("ten", "o'clock"))


def test_a_word_is_matched_by_any_spelling_of_its_sound() -> None:
    assert matches("two oh two eight", ("two", "o", "to", "eight"))  # a transcript spells homophones as it likes
    assert matches("three r d", ("three", "are", "d")) and not matches("three r d", ("three", "our", "d"))
    assert not matches("twelve", ("twelfth",))


def test_a_form_of_very_many_readings_is_matched_without_expanding_it() -> None:
    phone = " ".join(["{oh|zero}"] * 30)  # 2**30 readings
    parse(phone)
    assert matches(phone, ("oh", "zero") * 15) and not matches(phone, ("oh",) * 29)


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ("twelve 50", "'50'"),
        ("Twelve", "'Twelve'"),
        ("forty-two", "'forty-two'"),
        ("[a", "expected ']'"),
        ("a]", "unexpected ']'"),
        ("{a|b", "expected '}'"),
        ("", "empty"),
        ("[a]", "saying nothing"),
    ],
)
def test_a_bad_form_is_one_line_naming_it(form: str, says: str) -> None:
    with pytest.raises(GrammarError, match=r"^[^\n]*$") as error:
        parse(form)
    assert says in str(error.value)


def test_each_item_is_run_as_written_and_as_its_control(tmp_path: Path) -> None:
    corpus = parse_corpus(hard_corpus())
    assert corpus.is_hard_text
    assert [item.id for item in corpus.items] == [
        "money-001",
        "money-001.control",
        "year-001",
        "year-001.control",
        "address-001",
        "address-001.control",
    ]
    written, control = corpus.items[:2]
    assert written.text == "The ticket costs $12.50 at the door tonight." and not written.control
    assert control.text == "The ticket costs twelve dollars and fifty cents at the door tonight." and control.control
    assert written.hard is control.hard and control.hard_id == written.hard_id == "money-001"
    assert written.hard is not None and written.hard.category == "money"
    assert written.hard.accepts(("twelve", "fifty")) and not written.hard.accepts(("twelve",))
    assert written.hard.misread_as(("dollar", "twelve", "fifty")) == ("symbol-order",)
    # A user's own file, by path, with a slice: the first item and its control.
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(hard_corpus()))
    assert [item.id for item in load_corpus(f"{path}:1").items] == ["money-001", "money-001.control"]


def test_every_problem_is_one_line_naming_the_item() -> None:
    data = hard_corpus()
    money, year, address = data["items"]
    money["span"] = "$13"  # not in the text
    del year["control"]
    year["misreadings"].append({"say": "nineteen eighty four", "error": "same"})  # is the accepted reading
    year["misreadings"].append({"say": "one nine", "error": "Not Kebab"})
    address["accepted"] = ["nine oak drive 2"]
    address["category"] = "street"
    with pytest.raises(UsageError) as error:
        parse_corpus(data)
    lines = str(error.value).splitlines()
    assert lines[0] == "corpus is not a valid hard-text corpus (6 problems):"
    assert lines[1:] == [
        "  item money-001: span '$13' occurs 0 times in the text; it must occur exactly once",
        "  item year-001: needs a `control` (the sentence with the span written in words)",
        "  item year-001: misreadings[3]: error type 'Not Kebab' must be kebab-case",
        "  item year-001: misreadings[2] 'nineteen eighty four' can be said 'nineteen eighty four', which the "
        "accepted 'nineteen eighty four' allows",
        "  item address-001: category 'street' is not one of the corpus' `categories` (money, year, address)",
        "  item address-001: accepted form: '2' in 'nine oak drive 2' is not a lowercase word (no digits or "
        "punctuation: write it as heard)",
    ]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("$12.50", "$12.50"),
        ("Only $12.50", "$12.50"),
        ("$12.50 each", "$12.50"),
        ("It is $12.50.", "$12.50"),
    ],
)
def test_a_span_with_any_carrier_loads(text: str, span: str) -> None:
    """No carrier, one word or two: the forced-choice judge needs none, and the span judge takes the whole
    transcript (tests/scoring/test_hard_text_transcript.py)."""
    data = hard_corpus()
    data["items"][0].update(text=text, span=span)
    loaded = parse_corpus(data)
    assert loaded.items[0].hard is not None and loaded.items[0].hard.carrier() == tuple(text.split(span))


def test_a_file_with_one_problem_is_one_line() -> None:
    data = hard_corpus()
    data["items"][1]["misreadings"].append({"say": "nineteen [eighty] four", "error": "same"})
    with pytest.raises(UsageError) as error:
        parse_corpus(data)
    assert str(error.value) == (
        "corpus is not a valid hard-text corpus: item year-001: misreadings[2] "
        "'nineteen [eighty] four' can be said 'nineteen eighty four', which the accepted "
        "'nineteen eighty four' allows"
    )


def test_the_shipped_hard_text_corpus_and_its_smoke_subset() -> None:
    full, smoke = load_corpus("en_hard"), load_corpus("en_hard_smoke")
    assert full.is_hard_text and smoke.is_hard_text
    written = [item for item in full.items if not item.control]
    counts = Counter(item.hard.category for item in written if item.hard is not None)
    assert len(counts) >= 20 and min(counts.values()) >= 30, counts
    assert len(full.items) == 2 * len(written)  # each item and its control
    first_three = [
        item.id for category in counts for item in [i for i in written if i.hard and i.hard.category == category][:3]
    ]
    assert [item.id for item in smoke.items if not item.control] == first_three


def test_the_self_test_verdicts_shipped_cover_the_corpus_categories() -> None:
    """One file per ASR model (harness/data/hard_text/judgeable/), each naming the model by content id, the judging
    method, the voices and margins it was measured with, and every category of en_hard."""
    from harness.scoring.asr.models import resolve_ct2_model

    folder = data_path("hard_text", "judgeable")
    categories = {item.hard.category for item in load_corpus("en_hard").items if item.hard is not None}
    files = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("*.json")}
    assert "tiny.en" in files
    assert files["tiny.en"]["asr_model"] == resolve_ct2_model("tiny.en").model_id  # the shipped weights
    for name, verdicts in files.items():
        assert verdicts["asr_model"].split("#")[0] == name and verdicts["method"] == "forced-choice"
        assert verdicts["threshold"] == 0.9 and len(verdicts["voices"]) >= 2, name  # never one voice's figure
        assert set(verdicts["categories"]) == categories, name
        rule = verdicts.get("rule")  # a file written before the rule stated it: the threshold alone
        for category, verdict in verdicts["categories"].items():  # judgeable exactly where the rule holds
            assert verdict["judgeable"] == _judgeable(verdict, rule), (name, category)
            if rule is not None:  # written since the held-out mode: both modes kept
                assert {"wrong", "failed", "passed", "wrong_passed_interval"} <= set(verdict["held_out"]), category


def _judgeable(verdict: dict[str, Any], rule: dict[str, float] | None) -> bool:
    """The judgeable rule a self-test file states: both rates at least the threshold and, where it names them, the
    lower end of each rate's Wilson interval at least the bound, on at least the fewest renders."""
    rates = verdict["right_pass"] is not None and verdict["wrong_fail"] is not None
    if not rates or verdict["right_pass"] < 0.9 or verdict["wrong_fail"] < 0.9:
        return False
    if rule is None:
        return True
    intervals = (verdict["right_pass_interval"], verdict["wrong_fail_interval"])
    return min(verdict["right"], verdict["wrong"]) >= rule["min_count"] and all(
        low >= rule["wilson_lower_bound"] for low, _ in intervals
    )
