"""BLAS on one thread while the harness scores, and OpenMP threads that wait without spinning: the one owner
of those process-wide settings.

Two reasons (the figures behind them: docs/measurements.md):
  - the numbers: OpenBLAS splits a product differently by thread count, so Whisper's log-mel features,
    and for a borderline clip its transcript, depend on the machine's cores (and on OMP_NUM_THREADS or
    OPENBLAS_NUM_THREADS). Pinned to one thread, a clip's transcript is the same on every machine, in a
    Ray worker as in the run's own process;
  - the CPU: scoring's products are small (a mel filterbank, an LSTM step, one at a time), and OpenBLAS's
    idle threads spin between them, spending CPU for no speed.

OpenBLAS's pool is process-wide, so threadpoolctl lets one thread at a time set it (the first to try, while it
lives; the others' calls do nothing) and puts back what it found when a limit ends. A scorer runs in a thread
of its own, while the thread that owns the pool may be the user's, and two scorers taking and ending a limit
in turn would put back each other's limits out of order. So this module is the owner while anyone scores: the
first holder takes the pool and sets one thread, the last one puts back what the first found and lets go.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_holders = 0
_limiter: Any = None  # threadpoolctl's limiter while anyone holds it


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with every BLAS library of the process on one thread (nested and threads alike)."""
    global _holders, _limiter
    with _lock:
        if _holders == 0:
            from threadpoolctl import threadpool_limits

            _let_go()
            _limiter = threadpool_limits(limits=1, user_api="blas")
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0:
                _let_go()
                _limiter.restore_original_limits()
                _let_go()
                _limiter = None


def _let_go() -> None:
    """Free OpenBLAS's pool from whichever thread holds it, so the next call of this thread takes effect
    (threadpoolctl 3.6 and later; before it, every thread's call did, and other BLAS libraries have no owner)."""
    import threadpoolctl

    clear = getattr(getattr(threadpoolctl, "OpenBLASController", None), "clear_controlling_thread", None)
    if clear is not None:
        clear(force=True)


def passive_openmp() -> None:
    """CTranslate2's OpenMP threads (libgomp) sleep between parallel regions instead of spinning, unless the
    user chose a policy (OMP_WAIT_POLICY). Whisper decodes token by token, a parallel region each, beside the
    runner, the sandbox and DNSMOS on the same cores, so spinning threads cost CPU the others need and buy
    no speed; the transcripts are the same either way (docs/measurements.md).
    libgomp reads the variable once, as it loads: `harness.scoring` calls this before anything imports
    faster_whisper (torch's own libgomp reads it too)."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
