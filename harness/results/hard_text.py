"""Hard-text judgements as stored: one row per judged clip (as written or as its control) and ASR model.

The judgements are kept in `span_scores` (columns in `harness.results.schema`), written and read here only;
what the self-test found an ASR model cannot judge (`Judgeability`) is shipped data read here. The figures
computed from them (calibration by control, Wilson intervals, the control-vs-written gap, McNemar tests) are
`harness.measurement.hard_text`'s: they need scipy, and the store is standard library only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from harness.core.packaged import data_path
from harness.results.database import Connection, Transaction, dialect_of, has_table
from harness.results.dialect import Existing, insert_sql
from harness.results.scores import now_iso

PASS, FAIL, UNSURE = "pass", "fail", "unsure"


@dataclass(frozen=True, slots=True)
class SpanVerdict:
    """One judged clip of a hard-text item, as stored."""

    provider: str
    model: str
    item_id: str  # the item's own id (a control carries its item's id and ``control``)
    category: str
    control: bool
    verdict: str  # pass | fail | unsure
    heard: str = ""
    error: str | None = None
    transcript: str = ""
    clip_id: str = ""
    run_id: str = ""
    reason: str | None = None
    asr_model: str = ""


@dataclass(frozen=True, slots=True)
class Judgeability:
    """What the span scorer's self-test found (benchmarks/perf/hard_text_selftest.py): the categories an ASR
    model cannot judge (a right reading passed or a wrong one failed less often than the threshold)."""

    asr_model: str  # by name: tiny.en
    threshold: float
    not_judgeable: frozenset[str]


def shipped_judgeability() -> Judgeability | None:
    """The self-test's verdicts shipped with the harness (`harness/data/hard_text/judgeable.json`), if any."""
    path = data_path("hard_text", "judgeable.json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Judgeability(str(data["asr_model"]), float(data["threshold"]), frozenset(
        name for name, category in data["categories"].items() if not category["judgeable"]))


_COLUMNS = ("clip_id", "run_id", "provider", "model", "item_id", "category", "control", "verdict", "heard", "error",
            "reason", "transcript", "asr_model", "scored_at")


def write_span_verdicts(conn: Connection, verdicts: Sequence[SpanVerdict]) -> None:
    """Insert or replace the judgements in one transaction (a connection from `connect_writer`)."""
    if not verdicts:
        return
    stamp = now_iso()
    rows = [{"clip_id": v.clip_id, "run_id": v.run_id, "provider": v.provider, "model": v.model,
             "item_id": v.item_id, "category": v.category, "control": int(v.control), "verdict": v.verdict,
             "heard": v.heard, "error": v.error, "reason": v.reason, "transcript": v.transcript,
             "asr_model": v.asr_model, "scored_at": stamp} for v in verdicts]
    with Transaction(conn):
        conn.executemany(insert_sql(dialect_of(conn), "span_scores", _COLUMNS, Existing.REPLACE, named=True), rows)


def read_span_verdicts(conn: Connection, run_id: str) -> tuple[SpanVerdict, ...]:
    """The run's judgements (none in a store older than the table, or for a run without hard text)."""
    if not has_table(conn, "span_scores"):
        return ()
    names = [name for name in _COLUMNS if name != "scored_at"]
    rows = conn.execute(f"SELECT {', '.join(names)} FROM span_scores WHERE run_id = ? "
                        "ORDER BY provider, model, category, item_id, control", (run_id,))
    return tuple(SpanVerdict(provider=row["provider"], model=row["model"], item_id=row["item_id"],
                             category=row["category"], control=bool(row["control"]), verdict=row["verdict"],
                             heard=row["heard"], error=row["error"], transcript=row["transcript"],
                             clip_id=row["clip_id"], run_id=row["run_id"], reason=row["reason"],
                             asr_model=row["asr_model"]) for row in rows)


def span_row(verdict: SpanVerdict) -> dict[str, str | int | float | None]:
    """A judgement as an exported row (`span_scores`' columns but the time it was judged)."""
    return {"clip_id": verdict.clip_id, "run_id": verdict.run_id, "provider": verdict.provider, "model": verdict.model,
            "item_id": verdict.item_id, "category": verdict.category, "control": int(verdict.control),
            "verdict": verdict.verdict, "heard": verdict.heard, "error": verdict.error, "reason": verdict.reason,
            "transcript": verdict.transcript, "asr_model": verdict.asr_model}


def span_of_row(row: Mapping[str, object]) -> SpanVerdict:
    """An exported row read back as the judgement it was written from."""
    def text(name: str) -> str:
        value = row.get(name)
        return "" if value is None else str(value)

    def optional(name: str) -> str | None:
        value = row.get(name)
        return None if value is None or value == "" else str(value)

    return SpanVerdict(text("provider"), text("model"), text("item_id"), text("category"),
                       bool(int(str(row.get("control") or 0))), text("verdict"), heard=text("heard"),
                       error=optional("error"), transcript=text("transcript"), clip_id=text("clip_id"),
                       run_id=text("run_id"), reason=optional("reason"), asr_model=text("asr_model"))

