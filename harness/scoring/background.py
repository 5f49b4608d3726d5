"""Score clips while a benchmark runs, on a worker thread apart from the network loop.

The runner's event loop must never wait for Whisper: a delayed poll would show up as provider latency.
So ``submit`` only enqueues; one worker thread takes whatever has queued up (up to a batch), scores it
with its own ``Scorer`` and SQLite connection, and writes ``scores`` rows. The worker lowers its own CPU
priority (Linux ``nice`` is per thread, and the ASR threads it spawns inherit it), so on a 2-core machine
the network loop still gets the CPU first. CTranslate2 and torch release the GIL while they compute, but
importing and loading them does not: the constructor therefore waits until the worker has loaded every
model (seconds, once, before the benchmark's clock matters), so no import stalls the loop mid-run.

A run that embeds its sandbox holds scoring until its jobs end (``hold_until_closed``): the sandbox renders and
serves in this process, so on 2 free cores the scorer beside them still saturated the client (measured 2026-11-26:
the README's run named 3–7% of its time saturated and marked 12 jobs with scoring during the run, none in two runs
without it; docs/measurements.md). Against a URL or the providers themselves the client mostly waits on the
network, and clips are scored as they come.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.results import ClipRow, ScoreCache, ScoreRow, connect_writer, write_scores
from harness.scoring.blas import one_blas_thread
from harness.scoring.run import checked, clip_input
from harness.scoring.score_row import score_row
from harness.scoring.scorer import Scorer

log = logging.getLogger(__name__)

# Niceness added to the worker thread; 10 keeps scoring well behind the runner without starving it.
WORKER_NICENESS = 10
_STOP = object()


@dataclass(frozen=True, slots=True, kw_only=True)
class BackgroundStats:
    """Progress of a background scorer."""

    submitted: int
    scored: int
    failed: int
    pending: int
    cache_hits: int
    cache_misses: int
    last_error: str | None


class BackgroundScorer:
    """A worker thread that scores submitted ``clips`` rows and writes ``scores`` rows to ``db_path``."""

    def __init__(
        self, db_path: str | Path, scorer: Scorer, *, batch_size: int = 8, hold_until_closed: bool = False
    ) -> None:
        self._db_path = str(db_path)
        self._scorer = scorer
        self._batch_size = max(1, batch_size)
        self._queue: queue.Queue[Any] = queue.Queue()
        self._lock = threading.Lock()
        self._submitted = 0
        self._scored = 0
        self._failed = 0
        self._last_error: str | None = None
        self._closed = False
        connect_writer(self._db_path).close()  # every table in place before the worker starts
        self._ready = threading.Event()
        self._released = threading.Event()  # set: score what is queued (held until close() where asked)
        if not hold_until_closed:
            self._released.set()
        self._startup_error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="tts-harness-scorer", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            raise self._startup_error

    def submit(self, clip: ClipRow | Mapping[str, Any]) -> None:
        """Queue a clip for scoring; returns at once."""
        if self._closed:
            raise RuntimeError("submit() after close(): the background scorer has stopped")
        row = clip if isinstance(clip, ClipRow) else ClipRow.from_mapping(clip)
        with self._lock:
            self._submitted += 1
        self._queue.put(row)

    @property
    def stats(self) -> BackgroundStats:
        scorer = self._scorer.stats
        with self._lock:
            return BackgroundStats(
                submitted=self._submitted,
                scored=self._scored,
                failed=self._failed,
                pending=self._submitted - self._scored - self._failed,
                cache_hits=scorer.cache_hits,
                cache_misses=scorer.cache_misses,
                last_error=self._last_error,
            )

    def close(self, timeout: float | None = None) -> BackgroundStats:
        """Score what is queued, stop the worker and return the final counts."""
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
        self._released.set()
        self._thread.join(timeout)
        return self.stats

    def __enter__(self) -> BackgroundScorer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self) -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)
        except (AttributeError, OSError):  # not Linux, or not permitted: scoring still works
            log.debug("could not lower the scoring thread's priority")
        try:
            # Loaded here, so the ASR library's own threads inherit this thread's lower priority.
            self._scorer.warm_up()
        except BaseException as exc:  # handed to the constructor, which raises it
            self._startup_error = exc
            self._closed = True
            return
        finally:
            self._ready.set()
        self._released.wait()
        conn = connect_writer(self._db_path)
        cache = self._scorer.cache or ScoreCache(conn)
        # Held for the run rather than taken per batch (each take and release inspects the loaded libraries).
        with one_blas_thread():
            self._score_until_stopped(conn, cache)

    def _score_until_stopped(self, conn: Any, cache: ScoreCache) -> None:
        try:
            stopping = False
            while not stopping:
                batch: list[ClipRow] = []
                item = self._queue.get()
                while True:
                    if item is _STOP:
                        stopping = True
                        break
                    batch.append(item)
                    if len(batch) >= self._batch_size:
                        break
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                if batch:
                    self._score(conn, cache, batch)
        finally:
            conn.close()

    def _score(self, conn: Any, cache: ScoreCache, batch: list[ClipRow]) -> None:
        base = Path(self._db_path).parent
        try:
            raw = self._scorer.score_many([clip_input(row, base) for row in batch], cache=cache)
            scores = [checked(row, score) for row, score in zip(batch, raw, strict=True)]
            rows: list[ScoreRow] = [
                score_row(row.run_id, row.clip_id, score) for row, score in zip(batch, scores, strict=True)
            ]
            write_scores(conn, rows)
        except Exception as exc:  # the worker must outlive any one batch; the error is kept in stats
            log.exception("scoring a batch of %d clips failed", len(batch))
            with self._lock:
                self._failed += len(batch)
                self._last_error = f"{type(exc).__name__}: {exc}"
            return
        with self._lock:
            self._scored += sum(1 for score in scores if score.error is None)
            self._failed += sum(1 for score in scores if score.error is not None)
            errors = [score.error for score in scores if score.error is not None]
            if errors:
                self._last_error = errors[-1]
