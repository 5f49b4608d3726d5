"""Scoring a stored run on Ray: the same rows as local scoring, and a killed worker's task is retried.

A local Ray instance on loopback with two one-CPU workers stands in for a cluster; a few clips keep it
small. Needs the ``ray`` extra; skipped without it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.scoring import Scorer
from harness.scoring.asr.faster import FasterWhisperBackend
from harness.scoring.distributed import RayExecutor
from harness.scoring.run import RunScoreSummary, score_run
from tests.helpers.installed import skip_unless_installed
from tests.helpers.scoring_db import CLIPS_DDL, add_clip
from tests.helpers.speech import speak

# Both tests share one local Ray instance (the module's executor): one worker of an xdist run holds it.
pytestmark = [
    skip_unless_installed("ray", reason="the ray extra is not installed"),
    pytest.mark.slow,
    pytest.mark.xdist_group("ray"),
]

TEXTS = [
    "The bus driver waited patiently while the old woman found her seat.",
    "The children laughed as the small dog chased its tail in circles.",
    "A cold wind blew across the empty field just before the storm.",
]
# Reading the rows back: what must be equal between local and Ray scoring. Ray spreads transcription only,
# so every scorer here leaves DNSMOS off (a second of CPU a clip, computed where it always is).
COLUMNS = "clip_id, transcript, wer, hits, substitutions, deletions, insertions, asr_backend, asr_model, asr_settings"


@pytest.fixture(scope="module")
def ray_executor() -> Iterator[RayExecutor]:
    executor = RayExecutor(workers=2, clips_per_task=1)
    yield executor
    executor.close()


def _stored_run(folder: Path, copies: int = 1) -> Path:
    folder.mkdir()
    db = folder / "runs.db"
    with sqlite3.connect(db) as conn:
        conn.execute(CLIPS_DDL)
    for copy in range(copies):
        for index, text in enumerate(TEXTS):
            add_clip(db, f"clip-{copy}-{index}", "run-ray", text, speak(text, length_scale=1.0 + 0.05 * copy))
    return db


def _rows(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT {COLUMNS} FROM scores WHERE run_id = 'run-ray' ORDER BY clip_id").fetchall()


def _scorer(backend: FasterWhisperBackend, executor: RayExecutor | None = None) -> Scorer:
    return Scorer(asr=backend, similarity=False, dnsmos=False, executor=executor)


def _score_locally(db: Path, backend: FasterWhisperBackend) -> RunScoreSummary:
    return score_run(db, "run-ray", _scorer(backend))


def test_ray_scoring_gives_the_rows_local_scoring_gives(
    tmp_path: Path, tiny_backend: FasterWhisperBackend, ray_executor: RayExecutor
) -> None:
    local_db, ray_db = _stored_run(tmp_path / "local"), _stored_run(tmp_path / "ray")
    _score_locally(local_db, tiny_backend)
    summary = score_run(ray_db, "run-ray", _scorer(tiny_backend, ray_executor))
    assert (summary.executor, summary.scored, summary.cache_misses) == ("ray", len(TEXTS), len(TEXTS))
    assert _rows(ray_db) == _rows(local_db)
    assert len(_rows(ray_db)) == len(TEXTS) and all(row[1] for row in _rows(ray_db))
    again = score_run(ray_db, "run-ray", _scorer(tiny_backend, ray_executor))
    assert (again.cache_hits, again.cache_misses) == (len(TEXTS), 0)  # the same cache, keyed the same way


def _parent(pid: int) -> int:
    """The parent of `pid` from /proc/PID/stat (0 once it is gone); the name field may hold spaces."""
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[1])


def _ours(pid: int) -> bool:
    """Started under this test process: Ray's workers are children of its raylet, a child of ours. Another
    worker of this session, or another checkout's test run on the machine, has its own Ray."""
    while pid > 1:
        pid = _parent(pid)
        if pid == os.getpid():
            return True
    return False


def _running_task_pids(function: str) -> list[int]:
    """Worker processes of this test's Ray currently running ``function`` (Ray titles them ``ray::<function>``)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if command.startswith(f"ray::{function}") and _ours(int(entry.name)):
            pids.append(int(entry.name))
    return pids


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the worker process through /proc (Linux)")
def test_a_killed_worker_s_task_is_retried(
    tmp_path: Path, tiny_backend: FasterWhisperBackend, ray_executor: RayExecutor
) -> None:
    local_db, ray_db = _stored_run(tmp_path / "local", copies=2), _stored_run(tmp_path / "ray", copies=2)
    _score_locally(local_db, tiny_backend)
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def score() -> None:
        try:
            outcome["summary"] = score_run(ray_db, "run-ray", _scorer(tiny_backend, ray_executor))
        except Exception as exc:  # handed to the test thread
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=score, daemon=True).start()
    killed = None
    # Wait (bounded) until a worker is running a transcription task, then kill it mid-task.
    while killed is None and not done.wait(0.02):
        pids = _running_task_pids("transcribe_chunk")
        if pids:
            killed = pids[0]
            os.kill(killed, signal.SIGKILL)
    assert done.wait(600), "Ray scoring did not finish"
    assert killed is not None, "no transcription task was seen running"
    assert "error" not in outcome, outcome.get("error")
    assert outcome["summary"].scored == 2 * len(TEXTS)
    assert _rows(ray_db) == _rows(local_db)


def test_hard_text_is_judged_on_ray_as_it_is_here(ray_executor: RayExecutor) -> None:
    """`--executor ray` judges hard text too: what the model says about each clip is asked on the workers (each
    builds the same judge once) and decided here, with the same verdicts and margins as in this process."""
    from harness.core.hard_text import HardText, Misreading
    from harness.scoring.hard_text import HardTextClip, HardTextJudge

    year = HardText(
        text="My grandmother was born in 1984 in a small village.",
        category="year",
        span="1984",
        accepted=("nineteen eighty four",),
        misreadings=(Misreading("one nine eight four", "year-digit-by-digit"),),
        control="My grandmother was born in nineteen eighty four in a small village.",
        meaning_changes=False,
    )
    clips = [
        HardTextClip(hard=year, audio=speak(text))
        for text in (
            "My grandmother was born in nineteen eighty four in a small village.",
            "My grandmother was born in one nine eight four in a small village.",
        )
    ]
    here = HardTextJudge().score_many(clips)
    there = HardTextJudge(executor=ray_executor).score_many(clips)
    assert [score.verdict.value for score in there] == [score.verdict.value for score in here] == ["pass", "fail"]
    assert [score.choice.margin for score in there] == pytest.approx([score.choice.margin for score in here], abs=0.2)
    assert {score.asr_model for score in there} == {score.asr_model for score in here}
