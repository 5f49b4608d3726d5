"""No object that holds a key prints it: a failing test with the targets as locals, run with `pytest -l`
and `--junitxml`, shows neither the key in the terminal nor in the XML."""

from __future__ import annotations

import pytest

PLANTED = {
    "PIXAZO_API_KEY": "PLANTED-pixazo-live-4e8a2c",
    "PIXELAPI_API_KEY": "PLANTED-pixelapi-live-9b1d7f",
    "TTSAI_API_KEY": "sk-tts-PLANTED-live-3c5e7a",
}


def test_targets_holding_live_keys_never_print_them(pytester: pytest.Pytester,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PLANTED.items():
        monkeypatch.setenv(name, value)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_leak="""
        from harness.bench.target import live_target as bench_live_target, url_target
        from harness.contracts.targets import live_target as contract_live_target
        from harness.core.registry import providers as load_providers

        def test_fails_with_keys_in_locals():
            providers = load_providers()
            contract_target = contract_live_target(providers)
            bench_target = bench_live_target(list(providers.values()), None)
            url = url_target("http://127.0.0.1:9", list(providers.values()), None)
            keys = dict(bench_target.keys)
            assert contract_target.keys and keys and url.keys
            assert contract_target is None, (contract_target, bench_target, url, keys)
    """)
    xml = pytester.path / "junit.xml"
    result = pytester.runpytest("-p", "no:cacheprovider", "-l", "-vv", f"--junitxml={xml}")
    result.assert_outcomes(failed=1)
    printed = result.stdout.str() + result.stderr.str()
    assert "[Filtered]" in printed  # the keys were there, shown filtered
    for value in PLANTED.values():
        assert value not in printed
        assert value not in xml.read_text()
