"""harness.scoring.blas: BLAS on one thread while anyone scores, and the process's own limit back after."""

from __future__ import annotations

import threading

import numpy as np  # loads OpenBLAS, so threadpoolctl has a library to limit
from threadpoolctl import threadpool_info, threadpool_limits

from harness.scoring.blas import one_blas_thread


def _blas_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_holders_in_two_threads_leave_in_the_order_they_came() -> None:
    """A enters, B enters, A leaves (B still scores on one thread), B leaves (the user's two are back).
    threadpoolctl alone would have A put back two threads under B, and B then leave one for good."""
    assert np.ones(2) @ np.ones(2) == 2.0
    a_in, b_in, a_out, b_may_leave = (threading.Event() for _ in range(4))
    seen: dict[str, set[int]] = {}

    def holder_a() -> None:
        with one_blas_thread():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def holder_b() -> None:
        a_in.wait(5)
        with one_blas_thread():
            b_in.set()
            a_out.wait(5)
            seen["b after a left"] = _blas_threads()
            b_may_leave.wait(5)

    with threadpool_limits(limits=2, user_api="blas"):
        threads = [threading.Thread(target=holder_a), threading.Thread(target=holder_b)]
        for thread in threads:
            thread.start()
        a_out.wait(5)
        b_may_leave.set()
        for thread in threads:
            thread.join(5)
        seen["after both"] = _blas_threads()
    assert seen == {"b after a left": {1}, "after both": {2}}


def test_nested_holders_keep_one_thread_until_the_outer_one_ends() -> None:
    with threadpool_limits(limits=2, user_api="blas"):
        with one_blas_thread():
            with one_blas_thread():
                assert _blas_threads() == {1}
            assert _blas_threads() == {1}
        assert _blas_threads() == {2}
