"""The one lazy-model helper both ASR backends use: one load however many threads ask, classified errors."""

from __future__ import annotations

import threading

import pytest

from harness.scoring import MissingDependencyError
from harness.scoring.lazy import LazyModel


def test_the_loader_runs_once_for_many_threads() -> None:
    calls: list[int] = []
    entered, release = threading.Event(), threading.Event()

    def loader() -> object:
        calls.append(1)
        entered.set()
        release.wait(10)
        return object()

    lazy: LazyModel[object] = LazyModel(loader, extra="score")
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(lazy.get())) for _ in range(4)]
    threads[0].start()
    assert entered.wait(10)  # the first thread is inside the loader; the others must wait for it
    for thread in threads[1:]:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1 and lazy.loaded
    assert len(results) == 4 and all(result is results[0] for result in results)


def test_a_missing_library_is_a_classified_error_and_a_later_call_retries() -> None:
    attempts: list[int] = []

    def loader() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise ModuleNotFoundError("No module named 'ctranslate2'", name="ctranslate2")
        return "model"

    lazy = LazyModel(loader, extra="score")
    with pytest.raises(MissingDependencyError, match=r"'ctranslate2'.*tts-harness\[score\]"):
        lazy.get()
    assert not lazy.loaded
    assert lazy.get() == "model" and len(attempts) == 2
