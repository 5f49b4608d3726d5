"""The docs step (tests.helpers.default_run): the README's run, every test that reads it and the documents' examples
run when `TTS_HARNESS_DOCS=1` asks for them (`.ci/run` sets it for `python -m pytest -m docs`), and skip in the main
command with the line that runs them. Checked on a module of readers written here, collected by the helper's hook
alone (the root conftest's layout is tests/test_parallel_layout.py's)."""

from __future__ import annotations

import pytest

from tests.helpers.default_run import OPT_IN

READERS = """
import pytest

def test_reads_the_run(default_run):
    raise AssertionError("a reader ran without the opt-in")

@pytest.mark.docs
def test_an_example(tmp_path):
    raise AssertionError("an example ran without the opt-in")

def test_reads_nothing():
    pass
"""


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\nmarkers =\n    docs: the docs step\n")
    pytester.makepyfile(test_readers=READERS)
    return pytester.runpytest_inprocess("-p", "tests.helpers.default_run", "-p", "no:cacheprovider", "-rs", *args)


def test_without_the_opt_in_the_readers_and_the_examples_skip_saying_how_to_run_them(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(OPT_IN, raising=False)
    result = _run(pytester)
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines([f"SKIPPED * opt-in: {OPT_IN}=1 python -m pytest -m docs *"])


def test_the_docs_step_selects_the_readers_and_the_examples_alone(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(OPT_IN, "1")
    result = _run(pytester, "-m", "docs", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["*test_reads_the_run", "*test_an_example", "2/3 tests collected (1 deselected)*"])
