"""One writer per run: a lease row in `runs.db` (its SQL in `harness.results.leases`).

Two processes writing one run would submit its jobs twice (each sees them unfinished) and collide on the
rows' keys. A run's writer holds a lease (process id, host, heartbeat); another `--resume` of that run while
the heartbeat is fresh is refused with one line saying who holds it. A holder that died (kill -9, a lost
machine) stops renewing; once its heartbeat is older than the time-to-live the lease is stale and the next
resume takes it over — at once when the holder was on this host and its process is gone (the usual
`kill -9`, then `--resume`).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from harness.core.errors import UsageError
from harness.results import LeaseRow, Store, lease_holder, release_lease, renew_lease, take_lease
from harness.runner.record.provenance import iso_now

TTL_S = 30.0  # a heartbeat older than this is a dead holder
RENEW_EVERY_S = 5.0


class LeaseHeld(UsageError):
    """Another live process is writing this run."""


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, under another user
    return False


def _stale(row: LeaseRow, now: float, ttl_s: float) -> bool:
    if now - row.heartbeat_at >= ttl_s:
        return True
    return row.host == socket.gethostname() and _process_gone(row.pid)


@dataclass
class Lease:
    store: Store
    run_id: str
    ttl_s: float = TTL_S
    clock: Callable[[], float] = time.time
    holder: str = field(default_factory=lambda: secrets.token_hex(8))

    def acquire(self) -> None:
        """Take the lease, or raise `LeaseHeld` naming the live holder."""
        now = self.clock()
        with self.store.transaction() as conn:  # BEGIN IMMEDIATE: no other writer between read and write
            row = lease_holder(conn, self.run_id)
            if row is not None and row.holder != self.holder and not _stale(row, now, self.ttl_s):
                raise LeaseHeld(
                    f"run {self.run_id} is being written by process {row.pid} on {row.host} (heartbeat "
                    f"{now - row.heartbeat_at:.0f} s ago); wait for it, or stop it and resume after "
                    f"{self.ttl_s:.0f} s"
                )
            take_lease(
                conn,
                LeaseRow(
                    run_id=self.run_id,
                    holder=self.holder,
                    pid=os.getpid(),
                    host=socket.gethostname(),
                    acquired_at=iso_now(),
                    heartbeat_at=now,
                ),
            )

    def renew(self) -> None:
        with self.store.transaction() as conn:
            renew_lease(conn, self.run_id, self.holder, self.clock())

    def release(self) -> None:
        with self.store.transaction() as conn:
            release_lease(conn, self.run_id, self.holder)

    async def keep_alive(self, every_s: float = RENEW_EVERY_S) -> None:
        """Renew until cancelled (run beside the jobs on the run's event loop)."""
        while True:
            await asyncio.sleep(every_s)
            self.renew()
