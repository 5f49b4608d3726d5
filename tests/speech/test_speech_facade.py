from __future__ import annotations

import types

import harness.speech as speech


def test_all_is_sorted_and_complete() -> None:
    public = {
        name
        for name, value in vars(speech).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert speech.__all__ == sorted(speech.__all__, key=lambda n: (not n.isupper(), n))
    assert set(speech.__all__) == public
