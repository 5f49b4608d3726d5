"""Hard-text judgements as stored: one row per judged clip (as written or as its control) and ASR model.

The judgements are kept in `span_scores` (columns in `harness.results.schema`), one `SpanScoreRow` each, written
and read here only; its verdict is hard text's one verdict (`harness.core.hard_text.HardTextVerdict`);
what the self-test found an ASR model cannot judge (`Judgeability`) is shipped data read here. The figures
computed from them (calibration by control, Wilson intervals, the control-vs-written gap, McNemar tests) are
`harness.measurement.hard_text`'s: they need scipy, and the store is standard library only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.core.hard_text import HardTextVerdict
from harness.core.packaged import data_path
from harness.results.database import Connection, Transaction, columns_of, dialect_of, has_table
from harness.results.dialect import Existing, insert_sql
from harness.results.scores import now_iso
from harness.results.tables import TABLE_BY_NAME, TRANSCRIPT, SpanScoreRow


@dataclass(frozen=True, slots=True)
class ModelJudgeability:
    """What the self-test (benchmarks/perf/hard_text_selftest.py) found for one ASR model and judging method: per
    category, whether a right reading passed and a wrong one failed at least as often as the threshold."""

    asr_model: str  # by content id: the self-test's figures hold for these weights only
    method: str
    threshold: float
    categories: Mapping[str, bool]  # category -> judgeable
    # The decision rule it measured (`Thresholds.key`, as every verdict row stores it); None for a file that does not
    # say. Its figures hold for verdicts reached by that rule only: a judge whose margins changed is not measured.
    margins: str | None = None

    @property
    def asr_name(self) -> str:
        return self.asr_model.split("#")[0]


@dataclass(frozen=True, slots=True)
class Judgeability:
    """The self-tests shipped with the harness, one per ASR model (`harness/data/hard_text/judgeable/`)."""

    models: tuple[ModelJudgeability, ...] = ()

    def unscored(self, asr_model: str, method: str, category: str, margins: str | None = None) -> str | None:
        """Why a category judged by ``asr_model`` (content id) with ``method`` and ``margins`` (the verdict's
        `Thresholds.key`; None: not stored) is not scored, or None where the self-test found it judgeable. A model,
        method or category the self-test did not cover is not measured: never judgeable by default; nor is one the
        self-test measured under other margins (a judge whose rule changed since, or a run judged with its own)."""
        name = asr_model.split("#")[0]
        measured = next(
            (model for model in self.models if model.asr_model == asr_model and model.method == method), None
        )
        if measured is None or category not in measured.categories:
            return f"not measured for {name}"
        if margins and measured.margins and margins != measured.margins:
            # a run judged before the judge changed: its clips' evidence is cached, so judging again is cheap
            return (
                f"not measured for {name} at margins {margins}; its self-test is at {measured.margins}: "
                "`tts-harness score RUN_ID` judges the run again"
            )
        return None if measured.categories[category] else f"not judgeable by {name}"


def shipped_judgeability() -> Judgeability:
    """The self-tests' verdicts shipped with the harness (`harness/data/hard_text/judgeable/*.json`)."""
    folder = data_path("hard_text", "judgeable")
    if not folder.is_dir():
        return Judgeability()
    return Judgeability(
        tuple(read_judgeability(json.loads(path.read_text(encoding="utf-8"))) for path in sorted(folder.glob("*.json")))
    )


def read_judgeability(data: Mapping[str, Any]) -> ModelJudgeability:
    """One self-test's verdicts as `--write` keeps them."""
    margins = data.get("margins")
    return ModelJudgeability(
        str(data["asr_model"]),
        str(data.get("method", TRANSCRIPT)),
        float(data["threshold"]),
        {name: bool(category["judgeable"]) for name, category in data["categories"].items()},
        None if margins is None else str(margins),
    )


_VERDICTS = tuple(verdict.value for verdict in HardTextVerdict)
_COLUMNS = TABLE_BY_NAME["span_scores"].column_names


def write_span_scores(conn: Connection, judged: Sequence[SpanScoreRow]) -> None:
    """Insert or replace the judgements in one transaction (a connection from `connect_writer`)."""
    if not judged:
        return
    stamp = now_iso()
    rows = [span_row(row) | {"scored_at": stamp} for row in judged]
    with Transaction(conn):
        conn.executemany(insert_sql(dialect_of(conn), "span_scores", _COLUMNS, Existing.REPLACE, named=True), rows)


def read_span_scores(conn: Connection, run_id: str, left_out: list[str] | None = None) -> tuple[SpanScoreRow, ...]:
    """The run's judgements (none in a store older than the table, or for a run without hard text). A row that cannot
    be read (a verdict none of `HardTextVerdict`'s) is left out and named in ``left_out``; without it, it raises
    ValueError."""
    if not has_table(conn, "span_scores"):
        return ()
    present = set(columns_of(conn, "span_scores"))  # a read-only store older than a column reads it as NULL
    names = [name if name in present else f"NULL AS {name}" for name in _COLUMNS if name != "scored_at"]
    rows = conn.execute(
        f"SELECT {', '.join(names)} FROM span_scores WHERE run_id = ? "
        "ORDER BY provider, model, category, item_id, control",
        (run_id,),
    )
    return spans_of_rows((dict(row) for row in rows), "span_scores", left_out)


def spans_of_rows(
    rows: Iterable[Mapping[str, object]], where: str, left_out: list[str] | None = None
) -> tuple[SpanScoreRow, ...]:
    """Stored or exported rows read back (`span_of_row`); one that cannot be is named in ``left_out`` (``where``:
    the table or file it came from) and left out, or, without ``left_out``, raises ValueError."""
    found = []
    for number, row in enumerate(rows, start=1):
        try:
            found.append(span_of_row(row))
        except ValueError as error:
            if left_out is None:
                raise
            left_out.append(f"{where} row {number}: {error}: left out of every figure")
    return tuple(found)


def span_row(judged: SpanScoreRow) -> dict[str, str | int | float | None]:
    """A judgement as an exported row (`span_scores`' columns but the time it was judged)."""
    return {
        "clip_id": judged.clip_id,
        "run_id": judged.run_id,
        "provider": judged.provider,
        "model": judged.model,
        "item_id": judged.item_id,
        "category": judged.category,
        "control": int(judged.control),
        "verdict": str(judged.verdict),
        "heard": judged.heard,
        "error": judged.error,
        "reason": judged.reason,
        "transcript": judged.transcript,
        "asr_model": judged.asr_model,
        "method": judged.method,
        "margin": judged.margin,
        "free_margin": judged.free_margin,
        "thresholds": judged.thresholds,
        "free_heard": judged.free_heard,
        "second_opinion": judged.second_opinion,
        "disagree": int(judged.disagree),
    }


def span_of_row(row: Mapping[str, object]) -> SpanScoreRow:
    """An exported row read back as the judgement it was written from (ValueError where a value cannot be: a verdict
    none of `HardTextVerdict`'s)."""

    def text(name: str) -> str:
        value = row.get(name)
        return "" if value is None else str(value)

    def optional(name: str) -> str | None:
        value = row.get(name)
        return None if value is None or value == "" else str(value)

    def number(name: str) -> float | None:
        value = row.get(name)
        return None if value is None or value == "" else float(str(value))

    verdict = text("verdict")
    if verdict not in _VERDICTS:
        raise ValueError(f"verdict holds {verdict!r}, none of {', '.join(_VERDICTS)}")
    return SpanScoreRow(
        provider=text("provider"),
        model=text("model"),
        item_id=text("item_id"),
        category=text("category"),
        control=bool(int(str(row.get("control") or 0))),
        verdict=HardTextVerdict(verdict),
        heard=text("heard"),
        error=optional("error"),
        transcript=text("transcript"),
        clip_id=text("clip_id"),
        run_id=text("run_id"),
        reason=optional("reason"),
        asr_model=text("asr_model"),
        method=optional("method") or TRANSCRIPT,
        margin=number("margin"),
        free_margin=number("free_margin"),
        thresholds=optional("thresholds"),
        free_heard=optional("free_heard"),
        second_opinion=optional("second_opinion"),
        disagree=bool(int(str(row.get("disagree") or 0))),
    )
