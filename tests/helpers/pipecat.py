"""Driving one of Pipecat's TTS services, unchanged, the way a Pipecat app does: a pipeline worker starts it,
a `TTSSpeakFrame` asks it to speak, and what it pushes is collected — its audio frames downstream and its
`ErrorFrame`s (pushed upstream by `push_error`, or downstream where a service yields one).

No transport and no real-time pacing: the pipeline is the service between two collectors, as Pipecat's own
`pipecat.tests.utils.run_test` builds it; unlike `run_test` (which ends the pipeline right after the frames it
sends) the speech is waited for — until the service says it stopped (`TTSStoppedFrame`) or reports an error —
before an `EndFrame` ends the worker, so a WebSocket service's audio, arriving after `run_tts` returned, is kept.
Imports of Pipecat stay inside the functions: a venv without the test extra still collects the tests (and skips).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SPEECH_LEVEL = 0.02  # a sample above a whisper (of full scale): speech, not silence or dither


class ServiceReportedError(AssertionError):
    """The service pushed an ErrorFrame where none was expected: its own words, for an `xfail(raises=...)` that
    names a refusal of the sandbox and nothing else."""


@dataclass
class Spoken:
    """What a service pushed for one `TTSSpeakFrame`: its audio (16-bit mono PCM as Pipecat carries it), the
    texts of its ErrorFrames and the names of every frame seen (for a failure's message)."""

    audio: bytearray = field(default_factory=bytearray)
    sample_rates: set[int] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    said: str = ""  # the words its TTSTextFrames carried (a speech-to-speech service's transcript of its speech)
    frame_names: list[str] = field(default_factory=list)

    @property
    def audio_frames(self) -> int:
        return self.frame_names.count("TTSAudioRawFrame")

    def raise_for_errors(self) -> None:
        if self.errors:
            heard = f"{self.speech_seconds():.2f} s of speech" if self.audio else "no audio"
            raise ServiceReportedError(f"after {heard}, the service reported: {' | '.join(self.errors)}")

    def speech_seconds(self) -> float:
        """Seconds of audio above a whisper at the frames' own rate (one rate: a service keeps to one)."""
        assert len(self.sample_rates) == 1, f"audio frames at rates {sorted(self.sample_rates)}"
        samples = np.frombuffer(bytes(self.audio), dtype="<i2").astype(np.float32) / 32768.0
        return float(np.sum(np.abs(samples) > SPEECH_LEVEL)) / next(iter(self.sample_rates))


def _collector(spoken: Spoken | Callable[[], tuple[Spoken, asyncio.Event]], done: asyncio.Event | None = None) -> Any:
    """A collector of one `Spoken` and its `done`, or of the current turn's (`spoken` a callable giving both)."""
    from pipecat.frames.frames import ErrorFrame, Frame, TTSAudioRawFrame, TTSStoppedFrame, TTSTextFrame
    from pipecat.processors.frame_processor import FrameDirection, FrameProcessor

    def current() -> tuple[Spoken, asyncio.Event]:
        if callable(spoken):
            return spoken()
        assert done is not None
        return spoken, done

    class Collector(FrameProcessor):
        """Records what passes and lets it on; `done` once the speech ended or failed."""

        async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
            await super().process_frame(frame, direction)
            turn, ended = current()
            turn.frame_names.append(type(frame).__name__)
            if isinstance(frame, TTSAudioRawFrame):
                turn.audio.extend(frame.audio)
                turn.sample_rates.add(frame.sample_rate)
            elif isinstance(frame, TTSTextFrame):
                turn.said += frame.text
            elif isinstance(frame, ErrorFrame):
                turn.errors.append(str(frame.error))
                ended.set()
            elif isinstance(frame, TTSStoppedFrame):
                ended.set()
            await self.push_frame(frame, direction)

    return Collector()


async def speak(service: Any, text: str, *, timeout_s: float = 20.0) -> Spoken:
    """Have `service` speak `text` in a pipeline of its own; what it pushed. TimeoutError when it neither
    finished nor failed within `timeout_s` (the worker is cancelled then, so nothing is left running)."""
    from pipecat.frames.frames import TTSSpeakFrame

    return await answer(service, TTSSpeakFrame(text), timeout_s=timeout_s)


async def answer(service: Any, asking: Any, *, timeout_s: float = 20.0) -> Spoken:
    """Have `service` answer the frame `asking` (a `TTSSpeakFrame` for a TTS service; an `LLMContextFrame` for a
    realtime speech-to-speech service, which speaks its reply) in a pipeline of its own; what it pushed until its
    speech stopped (`TTSStoppedFrame`) or it reported an error."""
    from pipecat.frames.frames import EndFrame
    from pipecat.pipeline.pipeline import Pipeline
    from pipecat.pipeline.worker import PipelineWorker
    from pipecat.workers.runner import WorkerRunner

    spoken, done, started = Spoken(), asyncio.Event(), asyncio.Event()
    # Errors travel upstream, audio downstream: a collector on each side of the service.
    pipeline = Pipeline([_collector(spoken, done), service, _collector(spoken, done)])
    worker = PipelineWorker(pipeline, cancel_on_idle_timeout=False, enable_rtvi=False)

    @worker.event_handler("on_pipeline_started")
    async def _started(_worker: Any, _frame: Any) -> None:
        started.set()

    runner = WorkerRunner(handle_sigint=False)  # pytest owns the process's signals
    await runner.add_workers(worker)
    running = asyncio.create_task(runner.run())
    try:
        async with asyncio.timeout(timeout_s):
            await started.wait()  # a processor drops frames that arrive before its StartFrame
            await worker.queue_frame(asking)
            await done.wait()
            if spoken.errors:  # nothing more to wait for (an EndFrame would wait out the silent context)
                await worker.cancel(reason="the service reported an error")
            else:
                await worker.queue_frame(EndFrame())
            await running
    finally:
        if not running.done():
            await worker.cancel(reason="the speech test ended")
            await running
    return spoken


async def speak_turns(
    service: Any, texts: Sequence[str], *, timeout_s: float = 20.0, after_turn: Callable[[int], None] | None = None
) -> list[Spoken]:
    """Have `service` speak each of `texts` in turn in one pipeline, as an agent's turns: the next `TTSSpeakFrame`
    only once the last one's speech ended (`TTSStoppedFrame`); what it pushed for each. `after_turn(index)` is called
    as each turn ends (to look at the service between turns). Stops at the first turn that reports an error."""
    from pipecat.frames.frames import EndFrame, TTSSpeakFrame
    from pipecat.pipeline.pipeline import Pipeline
    from pipecat.pipeline.worker import PipelineWorker
    from pipecat.workers.runner import WorkerRunner

    turns: list[tuple[Spoken, asyncio.Event]] = [(Spoken(), asyncio.Event())]
    started = asyncio.Event()
    pipeline = Pipeline([_collector(lambda: turns[-1]), service, _collector(lambda: turns[-1])])
    worker = PipelineWorker(pipeline, cancel_on_idle_timeout=False, enable_rtvi=False)

    @worker.event_handler("on_pipeline_started")
    async def _started(_worker: Any, _frame: Any) -> None:
        started.set()

    runner = WorkerRunner(handle_sigint=False)
    await runner.add_workers(worker)
    running = asyncio.create_task(runner.run())
    try:
        async with asyncio.timeout(timeout_s * len(texts)):
            await started.wait()
            for index, text in enumerate(texts):
                if index:
                    turns.append((Spoken(), asyncio.Event()))
                spoken, done = turns[-1]
                await worker.queue_frame(TTSSpeakFrame(text))
                await done.wait()
                if after_turn is not None:
                    after_turn(index)
                if spoken.errors:
                    break
            if turns[-1][0].errors:
                await worker.cancel(reason="the service reported an error")
            else:
                await worker.queue_frame(EndFrame())
            await running
    finally:
        if not running.done():
            await worker.cancel(reason="the speech test ended")
            await running
    return [spoken for spoken, _ in turns]
