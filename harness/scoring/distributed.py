"""Where transcription runs: in this process (the default) or as Ray tasks on a cluster.

A transcript is a pure function of (audio, backend, model weights, decoding settings, language): the
transcript cache key. So the scorer can hand the cache misses of a batch to an executor and get texts back,
and everything else (decoding, conformance, the cache, WER, rows) stays where it is. Other model work is sent
the same way (`map_chunks`: a task function, what a worker builds its model from, and chunks of inputs): the
hard-text judge's questions to the model about each clip (`harness.scoring.hard_text.judge.hear_chunk`).

- ``LocalExecutor`` calls the backend in this process.
- ``RayExecutor`` sends chunks of clips as Ray tasks (one CPU each); a worker process builds the backend
  once (from the same model spec and settings, one CTranslate2 thread per task) and keeps it for later
  tasks. A task whose worker dies is retried by Ray (``max_retries``). Each task returns the content id
  of the model it used, and a result from other weights than the driver's is refused, so a cluster node
  with a different model cannot mix its transcripts into the cache.

Ray is optional (``pip install 'tts-harness[ray]'``); ``docs/scale.md`` shows how to point it at a cluster.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from harness.scoring.asr import AsrBackend, AsrBackendName, DecodingSettings, make_backend
from harness.scoring.asr.base import Transcript
from harness.scoring.audio import FloatArray
from harness.scoring.scoring_errors import AsrBackendError, MissingDependencyError

# Clips per Ray task: enough to batch inside a window, small enough to spread over the workers.
CLIPS_PER_TASK = 8
# Clips handed to one ``score_many`` call: with Ray, enough tasks to keep every worker busy.
LOCAL_CLIPS_PER_CALL = 16
RAY_CLIPS_PER_CALL = 256
RAY_MAX_RETRIES = 3


class TranscriptionExecutor(Protocol):
    """Runs a backend's transcription somewhere; texts come back in the order of ``audio``."""

    @property
    def name(self) -> str: ...

    @property
    def clips_per_call(self) -> int:
        """How many clips a caller should hand over at once for this executor to be efficient."""
        ...

    def transcribe(self, backend: AsrBackend, audio: Sequence[FloatArray], language: str) -> list[str]: ...

    def transcribe_heard(self, backend: AsrBackend, audio: Sequence[FloatArray], language: str) -> list[Transcript]:
        """Transcripts with the language the model heard in each clip (`AsrBackend.transcribe_heard`)."""
        ...

    def map_chunks(
        self, task: Callable[..., tuple[str, list[Any]]], spec: Any, chunks: Sequence[tuple[Any, ...]], model_id: str
    ) -> list[Any]:
        """``task(spec, *chunk)`` for each chunk, its results in order; each call returns the content id of the
        model it used with its results, and a result of another model than ``model_id`` is refused."""
        ...

    def close(self) -> None: ...


class LocalExecutor:
    """Transcribe in this process with the scorer's own loaded backend."""

    name = "local"
    clips_per_call = LOCAL_CLIPS_PER_CALL

    def transcribe(self, backend: AsrBackend, audio: Sequence[FloatArray], language: str) -> list[str]:
        return backend.transcribe(audio, language)

    def transcribe_heard(self, backend: AsrBackend, audio: Sequence[FloatArray], language: str) -> list[Transcript]:
        return backend.transcribe_heard(audio, language)

    def map_chunks(
        self, task: Callable[..., tuple[str, list[Any]]], spec: Any, chunks: Sequence[tuple[Any, ...]], model_id: str
    ) -> list[Any]:
        results: list[Any] = []
        for chunk in chunks:
            used, found = task(spec, *chunk)
            _same_model(used, model_id)
            results.extend(found)
        return results

    def close(self) -> None:
        return None


def _same_model(used: str, expected: str) -> None:
    if used != expected:
        raise AsrBackendError(
            f"a worker used model {used}, this scorer uses {expected}: every node must hold the same weights"
        )


@dataclass(frozen=True, slots=True)
class BackendSpec:
    """What a worker needs to build the same backend: library, model spec and settings (hashable)."""

    backend: AsrBackendName
    model: str
    settings: DecodingSettings


@functools.cache
def _worker_backend(spec: BackendSpec) -> AsrBackend:
    # Kept for the worker process's life: Ray reuses workers, so a model loads once per worker.
    backend = make_backend(spec.backend, spec.model, spec.settings)
    backend.load()
    return backend


def transcribe_chunk(
    spec: BackendSpec, language: str, audio: list[FloatArray], hear: bool
) -> tuple[str, list[Transcript]]:
    """A Ray task's body: the content id of the model used and the transcripts of ``audio`` (with the language heard
    in each clip where ``hear``)."""
    backend = _worker_backend(spec)
    if hear:
        return backend.model_id, backend.transcribe_heard(audio, language)
    return backend.model_id, [Transcript(text) for text in backend.transcribe(audio, language)]


class RayExecutor:
    """Send transcription to a Ray cluster (``address``) or to a local Ray instance of ``workers`` CPUs."""

    name = "ray"
    clips_per_call = RAY_CLIPS_PER_CALL

    def __init__(
        self,
        address: str | None = None,
        *,
        workers: int | None = None,
        clips_per_task: int = CLIPS_PER_TASK,
        max_retries: int = RAY_MAX_RETRIES,
    ) -> None:
        try:
            import ray
        except ImportError as exc:
            raise MissingDependencyError("ray", "ray") from exc
        if clips_per_task < 1 or (workers is not None and workers < 1):
            raise ValueError("clips_per_task and workers must be at least 1")
        self._ray = ray
        self._owned = not ray.is_initialized()
        if self._owned:
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if address is None:
                # A private instance on loopback: nothing listens beyond this machine.
                options |= {"num_cpus": workers, "_node_ip_address": "127.0.0.1"}
            self._start(ray, address, options)
        self._clips_per_task = clips_per_task
        # Ray gives one-CPU workers OMP_NUM_THREADS=1, which OpenBLAS obeys; the backend computes its features
        # on one BLAS thread everywhere (harness.scoring.blas), so a worker's transcripts are the run's own.
        self._task = ray.remote(num_cpus=1, max_retries=max_retries)(transcribe_chunk)
        self._max_retries = max_retries
        self._remote: dict[Callable[..., Any], Any] = {}

    @staticmethod
    def _start(ray: Any, address: str | None, options: dict[str, Any]) -> None:
        """`ray.init`, once more where a local instance's node was slow to register: Ray gives its raylet a fixed 30 s
        and then raises a bare `Exception` ("timed out during startup"), which a busy machine reaches; either way a
        failure is one line (AsrBackendError), never Ray's traceback."""
        where = address or "a local instance"
        for attempt in (1, 2):
            try:
                ray.init(address=address, **options)
                return
            except Exception as exc:  # Ray raises a bare Exception for a slow start
                slow_start = address is None and "timed out during startup" in str(exc)
                if slow_start and attempt == 1:
                    ray.shutdown()  # what the first start left running, before the second
                    continue
                raise AsrBackendError(f"could not start or reach Ray at {where}: {exc}") from exc

    def transcribe(self, backend: AsrBackend, audio: Sequence[FloatArray], language: str) -> list[str]:
        return [transcript.text for transcript in self._run(backend, audio, language, hear=False)]

    def transcribe_heard(self, backend: AsrBackend, audio: Sequence[FloatArray], language: str) -> list[Transcript]:
        return self._run(backend, audio, language, hear=True)

    def _run(self, backend: AsrBackend, audio: Sequence[FloatArray], language: str, *, hear: bool) -> list[Transcript]:
        # One CTranslate2/torch thread per task: Ray gives each task one CPU.
        spec = BackendSpec(backend.name, backend.spec, replace(backend.settings, cpu_threads=1))
        spec_ref = self._ray.put(spec)
        size = self._clips_per_task
        chunks = [list(audio[start : start + size]) for start in range(0, len(audio), size)]
        refs = [self._task.remote(spec_ref, language, chunk, hear) for chunk in chunks]
        texts: list[Transcript] = []
        try:
            for model_id, chunk in self._ray.get(refs):
                if model_id != backend.model_id:
                    raise AsrBackendError(
                        f"a Ray worker transcribed with model {model_id}, this scorer uses {backend.model_id}: "
                        f"every node must hold the same weights for {backend.spec!r}"
                    )
                texts.extend(chunk)
        except self._ray.exceptions.RayError as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise AsrBackendError(f"Ray transcription failed after retries: {first_line}") from exc
        return texts

    @property
    def clips_per_task(self) -> int:
        return self._clips_per_task

    def map_chunks(
        self, task: Callable[..., tuple[str, list[Any]]], spec: Any, chunks: Sequence[tuple[Any, ...]], model_id: str
    ) -> list[Any]:
        if task not in self._remote:
            self._remote[task] = self._ray.remote(num_cpus=1, max_retries=self._max_retries)(task)
        spec_ref = self._ray.put(spec)
        refs = [self._remote[task].remote(spec_ref, *chunk) for chunk in chunks]
        results: list[Any] = []
        try:
            for used, found in self._ray.get(refs):
                _same_model(used, model_id)
                results.extend(found)
        except self._ray.exceptions.RayError as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise AsrBackendError(f"Ray tasks failed after retries: {first_line}") from exc
        return results

    def close(self) -> None:
        if self._owned and self._ray.is_initialized():
            self._ray.shutdown()
        self._owned = False


def make_executor(name: str, address: str | None = None, workers: int | None = None) -> TranscriptionExecutor:
    """``local`` or ``ray`` (with an optional cluster address, or CPUs for a local instance)."""
    if name == "local":
        if address is not None:
            raise ValueError("--address applies to --executor ray only")
        return LocalExecutor()
    if name == "ray":
        return RayExecutor(address, workers=workers)
    raise ValueError(f"unknown executor {name!r}; valid executors: local, ray")
