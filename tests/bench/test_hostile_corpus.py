"""Hostile corpus files (issue 59): each is loaded, or refused in one line, within seconds and bounded memory.

Each case is one that used to hang or crash the loader: a misreading with 2**40 readings (listed until memory ran
out), an accepted form a near misreading sent into regular-expression backtracking, brackets and JSON nested
past Python's recursion limit, a quadratic duplicate-id check. The 150,000-item load is measured by
benchmarks/perf/corpus_load.py (its goal asserted on 15,000 items in tests/perf/test_corpus_load.py).
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.core.corpora import MAX_CORPUS_BYTES, MAX_JSON_DEPTH, Corpus, load_corpus, parse_corpus
from harness.core.errors import UsageError
from harness.core.hard_text import CLASH_PAIRS
from harness.core.hard_text.grammar import MAX_FORM_CHARS, MAX_NESTING
from tests.helpers.hard_text import hard_corpus

SECONDS = 5  # the acceptance: each case within 5 s and 1 GB (they take milliseconds and megabytes)
BYTES = 2**30

ZEROS = " ".join(["{oh|zero}"] * 40)  # 2**40 readings
MANY_OHS = " ".join(["[oh]"] * 40 + ["oh"] * 40)  # 40 to 80 "oh"s


def _timed(load: Callable[[], Any]) -> Any:
    """Runs a load, asserting it took under `SECONDS` of this process's time (wall time on a shared machine says
    more about the machine; a quadratic or exponential step takes minutes here either way)."""
    started = time.process_time()
    try:
        return load()
    finally:
        assert time.process_time() - started < SECONDS


@pytest.fixture
def bounded() -> Iterator[Callable[[Callable[[], Any]], Any]]:
    """Runs a load `_timed`, asserting too that it allocated under `BYTES` at its peak (tracing slows it)."""

    def run(load: Callable[[], Any]) -> Any:
        tracemalloc.start()
        try:
            return _timed(load)
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            assert peak < BYTES, peak

    yield run


def _year_item(accepted: list[str], misreadings: list[str]) -> dict[str, Any]:
    data = hard_corpus()
    year = data["items"][1]
    year["accepted"] += accepted
    year["misreadings"] += [{"say": say, "error": "hostile"} for say in misreadings]
    return data


def _refusal(bounded: Callable[[Callable[[], Any]], Any], load: Callable[[], Any]) -> str:
    """The one-line refusal ``load`` ends in, run by ``bounded``."""
    with pytest.raises(UsageError) as error:
        bounded(load)
    message = str(error.value)
    assert "\n" not in message and len(message) < 400, message
    return message


@pytest.mark.parametrize(
    ("accepted", "misreading", "refused"),
    [
        # a misreading of 2**40 readings, one of them an accepted one: refused naming the shortest shared reading
        ([" ".join(["oh"] * 39 + ["zero"])], ZEROS, "can be said 'oh oh oh"),
        # ... none of them accepted: loads
        ([" ".join(["nought"] * 40)], ZEROS, None),
        # ... inside a choice, where the old lister made a list of every reading of the inner part
        ([" ".join(["zero"] * 40)], "{" + ZEROS + "|nothing}", "can be said 'zero zero"),
        # an accepted form of 2**40 ways to say 40..80 "oh"s against a near misreading (81: backtracking, killed at
        # 150 s) loads; against one it allows (80), is refused
        ([MANY_OHS], " ".join(["oh"] * 81), None),
        ([MANY_OHS], " ".join(["oh"] * 80), "can be said 'oh oh oh"),
    ],
)
def test_forms_of_very_many_readings_are_compared_on_automata(
    bounded: Callable[[Callable[[], Any]], Any], accepted: list[str], misreading: str, refused: str | None
) -> None:
    data = _year_item(accepted, [misreading])
    if refused is None:
        corpus: Corpus = bounded(lambda: parse_corpus(data))
        year = corpus.items[2].hard
        assert year is not None
        said = tuple(misreading.replace("{", "").replace("}", "").split("|")[0].split())
        assert not bounded(lambda: year.accepts(said))  # the span judge asks the same, as fast
    else:
        message = _refusal(bounded, lambda: parse_corpus(data))
        assert message.startswith("corpus is not a valid hard-text corpus: item year-001: misreadings[2]")
        assert refused in message and "which the accepted" in message


def test_an_item_whose_forms_take_too_long_to_compare_is_one_line(bounded: Callable[[Callable[[], Any]], Any]) -> None:
    optional = " ".join(["[a]"] * 124)  # 250 states: two such forms visit about 250 * 250 pairs of states
    data = _year_item([f"{optional} b"] * 20, [f"{optional} c"])  # 21 accepted and 3 misreadings: the budget in 63
    message = _refusal(bounded, lambda: parse_corpus(data))
    assert (
        f"are too large to compare (more than {CLASH_PAIRS // (21 * 3):,} pairs of states to visit; at most "
        f"{CLASH_PAIRS:,} for the item's forms)" in message
    )
    shorter = " ".join(["[a]"] * 60)
    fewer = _year_item([f"{shorter} b"], [f"{shorter} c"])  # 2 and 3, each pair within its sixth of the budget
    assert bounded(lambda: parse_corpus(fewer)).items[2].hard is not None


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ("[" * 3000 + "oh" + "]" * 3000 + " one", f"at most {MAX_FORM_CHARS} are read"),
        ("[" * 40 + "oh" + "]" * 40 + " one", f"brackets nested more than {MAX_NESTING} deep"),
    ],
)
def test_deeply_nested_brackets_are_one_line(bounded: Callable[[Callable[[], Any]], Any], form: str, says: str) -> None:
    for data in (_year_item([form], []), _year_item([], [form])):
        assert says in _refusal(bounded, lambda data=data: parse_corpus(data))  # type: ignore[misc]


def test_deeply_nested_json_is_one_line(bounded: Callable[[Callable[[], Any]], Any], tmp_path: Path) -> None:
    deepest = tmp_path / "deep.json"
    deepest.write_text(
        '{"name": "x", "version": "1", "language": "en", "items": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    assert f"nested more than {MAX_JSON_DEPTH} deep" in _refusal(bounded, lambda: load_corpus(str(deepest)))

    # within Python's reader, past the bound, in an extra field: the file, `items` and the item are 3 levels
    def corpus_nested(levels: int) -> dict[str, Any]:
        extra: list[Any] = []
        for _ in range(levels - 1):
            extra = [extra]
        return {"name": "x", "version": "1", "language": "en", "items": [{"id": "a", "text": "Hi.", "extra": extra}]}

    over = corpus_nested(MAX_JSON_DEPTH - 2)
    assert "nested more than" in _refusal(bounded, lambda: parse_corpus(over))
    at_the_bound = corpus_nested(MAX_JSON_DEPTH - 3)
    assert bounded(lambda: parse_corpus(at_the_bound)).items[0].text == "Hi."


def test_a_file_over_the_size_bound_is_refused_unread(
    bounded: Callable[[Callable[[], Any]], Any], tmp_path: Path
) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:
        file.truncate(MAX_CORPUS_BYTES + 1)  # sparse: no disk, and nothing is read
    assert f"larger than {MAX_CORPUS_BYTES // 2**20} MB" in _refusal(bounded, lambda: load_corpus(str(huge)))


def test_duplicate_ids_are_found_with_a_set_and_a_few_named(bounded: Callable[[Callable[[], Any]], Any]) -> None:
    items = [{"id": f"item-{n % 50_000}", "text": "Hello."} for n in range(100_000)]  # each id twice
    message = _refusal(_timed, lambda: parse_corpus({"name": "x", "version": "1", "language": "en", "items": items}))
    assert message == (
        "corpus: item ids must be unique; 50,000 repeated: 'item-0', 'item-1', 'item-10', "
        "'item-100', 'item-1000' … and 49,995 more"
    )
    odd = [{"id": "two\nlines", "text": "x"}] * 2
    assert "'two\\nlines'" in _refusal(
        bounded, lambda: parse_corpus({"name": "x", "version": "1", "language": "en", "items": odd})
    )


def test_many_invalid_items_are_one_line(bounded: Callable[[Callable[[], Any]], Any]) -> None:
    items: list[Any] = [{"id": n} for n in range(10_000)]
    message = _refusal(_timed, lambda: parse_corpus({"name": "x", "version": "1", "language": "en", "items": items}))
    assert message.startswith("corpus is not a corpus file: items/0/id: Input should be a valid string")
    assert message.endswith("more")


def test_a_file_of_many_bad_hard_items_names_a_few(bounded: Callable[[Callable[[], Any]], Any]) -> None:
    data = hard_corpus()
    data["categories"] = {f"category-{n}": "" for n in range(5_000)}
    data["items"] = [dict(data["items"][0], id=f"money-{n}") for n in range(5_000)]  # category "money": unknown
    with pytest.raises(UsageError) as error:
        _timed(lambda: parse_corpus(data))
    lines = str(error.value).splitlines()
    assert lines[0] == "corpus is not a valid hard-text corpus (5000 problems):" and len(lines) == 27
    assert lines[1].endswith(
        "(category-0, category-1, category-2, category-3, category-4, category-5, category-6, "
        "category-7, category-8, category-9, category-10, category-11 … and 4,988 more)"
    )
    assert lines[-1] == "  … and 4975 more"
