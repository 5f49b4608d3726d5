"""Driving one of LiveKit Agents' TTS plugins, unchanged, the way its own tests and scripts do without a LiveKit
server: the plugin's `TTS` built inside `utils.http_context.open()` (the aiohttp session LiveKit's worker would
give it), then `tts.synthesize(text)` (one request: the plugin's HTTP form) or `tts.stream()` (text pushed, the
input ended: the plugin's streaming form, a WebSocket for most) — what it yields collected as LiveKit hands it
on: `SynthesizedAudio` events, each an `rtc.AudioFrame` of 16-bit PCM.

No retries (`max_retry=0`): a refusal is the plugin's own `APIError` at once, not after LiveKit's back-off.
Imports of LiveKit stay inside the functions: a venv without the test extra still collects the tests (and skips).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SPEECH_LEVEL = 0.02  # a sample above a whisper (of full scale): speech, not silence or dither


class PluginReportedError(AssertionError):
    """The plugin raised its `APIError` where none was expected: its own words, for an `xfail(raises=...)` that
    names a refusal of the sandbox and nothing else."""


@dataclass
class Spoken:
    """What a plugin yielded for one text: its audio (16-bit mono PCM), the frames' rates and how many frames."""

    audio: bytearray = field(default_factory=bytearray)
    sample_rates: set[int] = field(default_factory=set)
    frames: int = 0
    finals: int = 0  # events marked `is_final` (the end of a segment)

    def speech_seconds(self) -> float:
        """Seconds of audio above a whisper at the frames' own rate (one rate: a plugin keeps to one)."""
        assert len(self.sample_rates) == 1, f"audio frames at rates {sorted(self.sample_rates)}"
        samples = np.frombuffer(bytes(self.audio), dtype="<i2").astype(np.float32) / 32768.0
        return float(np.sum(np.abs(samples) > SPEECH_LEVEL)) / next(iter(self.sample_rates))


def _keep(spoken: Spoken, event: Any) -> None:
    frame = event.frame
    assert frame.num_channels == 1, f"{frame.num_channels} channels"
    spoken.audio.extend(bytes(frame.data.cast("B")))
    spoken.sample_rates.add(frame.sample_rate)
    spoken.frames += 1
    spoken.finals += int(bool(event.is_final))


async def _drive(build: Callable[[], Any], use: Callable[[Any, Any, Spoken], Any], timeout_s: float) -> Spoken:
    from livekit.agents import APIConnectOptions, APIError, utils

    spoken = Spoken()
    options = APIConnectOptions(max_retry=0, timeout=timeout_s)
    async with utils.http_context.open():
        tts = build()
        try:
            async with asyncio.timeout(timeout_s):
                await use(tts, options, spoken)
        except APIError as error:
            raise PluginReportedError(
                f"after {len(spoken.audio)} bytes of audio, the plugin raised {type(error).__name__}: {error}"
            ) from error
        finally:
            await tts.aclose()
    return spoken


async def synthesize(build: Callable[[], Any], text: str, *, timeout_s: float = 15.0) -> Spoken:
    """`build()`'s TTS speaking `text` through `synthesize` (its one-request form); what it yielded."""

    async def use(tts: Any, options: Any, spoken: Spoken) -> None:
        async with tts.synthesize(text, conn_options=options) as stream:
            async for event in stream:
                _keep(spoken, event)

    return await _drive(build, use, timeout_s)


async def stream(build: Callable[[], Any], text: str, *, timeout_s: float = 15.0) -> Spoken:
    """`build()`'s TTS speaking `text` through `stream()`: the text pushed, the input ended, every event read
    until the stream ends (as an agent's turn does)."""

    async def use(tts: Any, options: Any, spoken: Spoken) -> None:
        async with tts.stream(conn_options=options) as synthesis:
            synthesis.push_text(text)
            synthesis.end_input()
            async for event in synthesis:
                _keep(spoken, event)

    return await _drive(build, use, timeout_s)
