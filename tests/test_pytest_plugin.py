"""The plugin lives beside the plugins teams already use: its options are `--tts-*`, and the short names
are aliases only where nothing else owns them (pytest-recording owns `--record-mode`; a conftest may own
`--live`)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from harness import pytest_plugin

REPO = Path(__file__).resolve().parents[1]
ONE_PLAN = "pixazo/xtts-v2.generate/202-success"


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester folder holding the contract suite's scenario file."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    shutil.copy(REPO / "contracts" / "test_scenarios.py", pytester.path / "test_scenarios.py")
    return pytester


def test_beside_pytest_recording_both_load_and_the_suite_starts(suite: pytest.Pytester) -> None:
    pytest.importorskip("pytest_recording")
    suite.makepyfile(
        test_owners="""
        def test_record_mode_is_pytest_recordings(record_mode, request):
            assert record_mode == "once"  # pytest-recording's fixture reads its own option
            assert request.config.option.tts_record_mode is None
            plugins = request.config.pluginmanager
            assert plugins.has_plugin("recording") and plugins.has_plugin("tts_harness")
    """
    )
    result = suite.runpytest("-p", "no:cacheprovider", "--record-mode=once", "-k", f"{ONE_PLAN} or owners")
    result.assert_outcomes(passed=2)  # one replayed contract scenario, and the owners check
    result.stdout.fnmatch_lines(["*target replay: * scenarios over * endpoints*; 1 passed*"])

    ours = suite.runpytest("-p", "no:cacheprovider", "--tts-record-mode=once", "-k", ONE_PLAN)
    assert ours.ret == pytest.ExitCode.USAGE_ERROR
    ours.stderr.fnmatch_lines(["ERROR: --tts-record-mode needs --tts-target sandbox, a URL, or live"])


def test_free_short_names_are_aliases_of_the_namespaced_options(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_aliases="""
        def test_aliases(request):
            option = request.config.option
            assert (option.tts_target, option.tts_fixtures_dir) == ("http://127.0.0.1:9", "elsewhere")
    """
    )
    result = suite.runpytest(
        "-p", "no:cacheprovider", "--target", "http://127.0.0.1:9", "--fixtures-dir=elsewhere", "test_aliases.py"
    )
    result.assert_outcomes(passed=1)
    bad = suite.runpytest("-p", "no:cacheprovider", "--target=http://[::1:9", "test_aliases.py")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    bad.stderr.fnmatch_lines(["ERROR: --tts-target 'http://[[]::1:9' is not a valid URL (Invalid IPv6 URL); *"])


def test_a_short_name_a_conftest_owns_is_left_to_it(suite: pytest.Pytester) -> None:
    suite.makeconftest("""
        def pytest_addoption(parser):
            parser.addoption("--live", action="store_true", default=False, dest="their_live")
    """)
    suite.makepyfile(
        test_theirs="""
        def test_theirs(request):
            option = request.config.option
            assert option.their_live is True and option.tts_live is False
    """
    )
    result = suite.runpytest("-p", "no:cacheprovider", "--live", "test_theirs.py")
    result.assert_outcomes(passed=1)


def test_record_mode_is_an_alias_only_where_pytest_recording_is_not_installed(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = importlib.util.find_spec("pytest_recording") is not None
    assert ("record-mode" in pytest_plugin.alias_names()) is not installed
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *rest: None if name == "pytest_recording" else real_find_spec(name, *rest),
    )
    assert "record-mode" in pytest_plugin.alias_names()
    # With it absent (or blocked), --record-mode is ours: it needs a target that can be recorded from.
    result = suite.runpytest("-p", "no:cacheprovider", "-p", "no:recording", "--record-mode=once", "-k", ONE_PLAN)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: --tts-record-mode needs --tts-target sandbox, a URL, or live"])


def test_under_xdist_the_controller_prints_the_summary_of_its_workers(suite: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    # Two scenarios so both workers run one; each holds its own session, the controller none.
    result = suite.runpytest("-p", "no:cacheprovider", "-n", "2", "-k", "pixazo/xtts-v2.generate")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [
            "created: 2/2 workers",
            "*tts-harness contracts*",
            "target replay: * scenarios over * endpoints of * providers; * passed, 0 failed*",
        ]
    )
