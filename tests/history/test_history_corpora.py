"""History keeps corpora apart (issue 61): a night over en_read and a night over a hard-text corpus are two series,
not one whose latency jumps between kinds of text; a run over both is a series of that set. The terminal summary,
the page and the JUnit cases name the corpus."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from typer.testing import CliRunner

from harness.history import analyse, read_history
from harness.results import connect_writer
from tests.helpers.history_runs import write_nights


def _read_as(db: Path, runs: list[str], corpus: str, slower: float = 1.0) -> None:
    """Those runs read `corpus` instead (its texts spoken `slower` times as long)."""
    conn = connect_writer(db)
    try:
        for run_id in runs:
            conn.execute("UPDATE jobs SET corpus = ?, e2e_ms = e2e_ms * ? WHERE run_id = ?", (corpus, slower, run_id))
        conn.commit()
    finally:
        conn.close()


def test_two_corpora_make_two_series_and_neither_starts_a_change(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    runs = write_nights(db, nights=16, seed=5)
    hard = runs[1::2]  # every other night read the hard-text corpus, its texts three times as slow to speak
    _read_as(db, hard, "hard_money", slower=3.0)
    history = read_history(db)
    latency = {s.corpus: s for s in history.of("acme", "clear") if s.key == "latency_p50"}
    assert set(latency) == {"en_read", "hard_money"}
    assert [p.run_id for p in latency["hard_money"].points] == hard
    assert [p.run_id for p in latency["en_read"].points] == runs[0::2]
    assert min(latency["hard_money"].values) > 2 * max(latency["en_read"].values)  # apart, they are steady
    assert analyse(history).flagged == ()  # together they alternated x3 every night


def test_the_faces_name_the_corpus(tmp_path: Path) -> None:
    from harness.cli import app

    db = tmp_path / "runs.db"
    runs = write_nights(db, nights=6, seed=6)
    _read_as(db, runs[3:], "hard_money")
    result = CliRunner().invoke(
        app,
        ["history", "--db", str(db), "--out", str(tmp_path / "h.html"), "--junit", str(tmp_path / "j.xml")],
        env={"COLUMNS": "200"},
    )
    assert "Latency p50 (en_read)" in result.output and "Latency p50 (hard_money)" in result.output
    cases = {
        (case.get("classname"), case.get("name"))
        for case in ElementTree.parse(tmp_path / "j.xml").getroot().iter("testcase")
    }
    assert ("acme/clear (hard_money)", "latency_p50") in cases  # the newest run's series: its corpus
    page = (tmp_path / "h.html").read_text(encoding="utf-8")
    assert "Latency p50 (en_read)" in page and "Latency p50 (hard_money)" in page
