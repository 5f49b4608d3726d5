"""The `leases` table: who writes a run. The rule (when a holder is stale, how often it renews) is
`harness.runner.record.lease`'s; this module is only its rows. Each function runs inside the caller's transaction,
so reading the holder and taking the lease happen with no other writer in between.
"""

from __future__ import annotations

from harness.results.database import Connection, dialect_of
from harness.results.dialect import Existing, insert_sql
from harness.results.tables import LeaseRow


def lease_holder(conn: Connection, run_id: str) -> LeaseRow | None:
    row = conn.execute(
        "SELECT run_id, holder, pid, host, acquired_at, heartbeat_at FROM leases WHERE run_id = ?", (run_id,)
    ).fetchone()
    if row is None:
        return None
    return LeaseRow(
        run_id=str(row["run_id"]),
        holder=str(row["holder"]),
        pid=int(row["pid"]),
        host=str(row["host"]),
        acquired_at=str(row["acquired_at"]),
        heartbeat_at=float(row["heartbeat_at"]),
    )


def take_lease(conn: Connection, lease: LeaseRow) -> None:
    """Hold the run's lease (replacing a stale holder's)."""
    conn.execute(
        insert_sql(
            dialect_of(conn),
            "leases",
            ("run_id", "holder", "pid", "host", "acquired_at", "heartbeat_at"),
            Existing.REPLACE,
        ),
        (lease.run_id, lease.holder, lease.pid, lease.host, lease.acquired_at, lease.heartbeat_at),
    )


def renew_lease(conn: Connection, run_id: str, holder: str, heartbeat_at: float) -> None:
    conn.execute("UPDATE leases SET heartbeat_at = ? WHERE run_id = ? AND holder = ?", (heartbeat_at, run_id, holder))


def release_lease(conn: Connection, run_id: str, holder: str) -> None:
    conn.execute("DELETE FROM leases WHERE run_id = ? AND holder = ?", (run_id, holder))
