"""What an embedded sandbox tells the run that started it about its own health (`Sandbox.health`): how late its
loop ran its timers, and its renders — how many waited, and how long each waited for its turn."""

from __future__ import annotations

import time

import httpx

from harness.sandbox import running


def test_the_handle_reads_the_loop_and_the_renders() -> None:
    with running("fast", 5, providers=("openai",)) as sandbox:
        first = sandbox.health()  # starts timing the loop
        assert first.ticks == []
        base, key = sandbox.base_url("openai"), sandbox.default_key("openai")
        texts = [f"Renders take turns, number {n}." for n in range(3)]
        with httpx.Client(timeout=60) as client:
            for text in texts:
                answer = client.post(
                    base + "/audio/speech",
                    headers={"Authorization": f"Bearer {key}"},
                    json={"model": "tts-1", "input": text, "voice": "alloy"},
                )
                assert answer.status_code == 200, answer.text
        deadline = time.monotonic() + 30
        reading = sandbox.health()
        while not reading.ticks and time.monotonic() < deadline:  # the loop's timer has ticked by now, surely
            reading = sandbox.health()
        assert reading.ticks and all(lag >= 0 for _, lag in reading.ticks)
        renders = reading.renders
        assert len(renders.finished) >= len(texts)  # each text rendered once (a format may add a render)
        assert renders.waiting_now == 0 and renders.waiting_peak >= 1
        assert all(waited >= 0 and took >= waited for _, waited, took in renders.finished)
        assert sandbox.health().renders.finished == ()  # read once
