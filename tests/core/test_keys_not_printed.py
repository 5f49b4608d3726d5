"""No object that holds a key prints it: a failing test with the targets as locals, run with `pytest -l`
and `--junitxml`, shows neither the key in the terminal nor in the XML."""

from __future__ import annotations

import pytest

PLANTED = {
    "PIXAZO_API_KEY": "PLANTED-pixazo-live-4e8a2c",
    "PIXELAPI_API_KEY": "PLANTED-pixelapi-live-9b1d7f",
    "TTSAI_API_KEY": "sk-tts-PLANTED-live-3c5e7a",
}


def test_targets_holding_live_keys_never_print_them(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PLANTED.items():
        monkeypatch.setenv(name, value)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        test_leak="""
        from harness.runner.plan.target import bench_target as make_bench_target
        from harness.contracts.targets import contract_target as make_contract_target
        from harness.core.registry import providers as load_providers
        from harness.core.target import layout, parse_target

        def test_fails_with_keys_in_locals():
            # The providers whose keys are planted: the others hold no key here, and printing their declarations
            # (`-l -vv` shows every local in full) only made the test slow.
            seeds = ("pixazo", "pixelapi", "ttsai")
            providers = {name: spec for name, spec in load_providers().items() if name in seeds}
            live = layout(parse_target("live"), providers.values())
            contract_target = make_contract_target(live, providers)
            bench_target = make_bench_target(live, list(providers.values()))
            sandbox_root = layout(parse_target("http://127.0.0.1:9"), providers.values())
            url = make_bench_target(sandbox_root, list(providers.values()))
            keys = dict(bench_target.keys)
            assert contract_target.keys and keys and url.keys
            assert contract_target is None, (contract_target, bench_target, url, keys)
    """
    )
    xml = pytester.path / "junit.xml"
    result = pytester.runpytest("-p", "no:cacheprovider", "-l", "-vv", f"--junitxml={xml}")
    result.assert_outcomes(failed=1)
    printed = result.stdout.str() + result.stderr.str()
    assert "[Filtered]" in printed  # the keys were there, shown filtered
    for value in PLANTED.values():
        assert value not in printed
        assert value not in xml.read_text()
