"""Issue 65 on HTTP answers: `bench run` reads the timing marks of an offering whose marks come in its HTTP answer as
it reads a socket's — Murf's JSON answer (`wordDurations`, milliseconds) and Smallest's Server-Sent Events (a
`word_timestamp` event a word, asked for by `word_timestamps`: the run asks, as a socket's declared message does) —
or in a request of their own (Polly's speech marks, in place of audio: sent after the audio, billed in a costs row of
its own and reserved by the budget), and the same figures land on the row: against the aligner, the sandbox's true
marks show about the aligner's own error (docs/marks.md), full coverage and no finding; a shift of the JSON answer's
marks (`POST /_sandbox/drift {"marks": {"murf": "shift"}}`) is named on its row and in the summary.

One sandbox, two runs of one text without scoring; the aligner (`bench run`'s default: the Piper reference's warp)
then hears the clean run's clips, as `bench run` does after scoring (`harness.benchmark._align_marks`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness import benchmark
from harness.measurement import recompute
from harness.measurement.marks import offering_marks
from harness.results import Store, connect_writer
from harness.runner.plan.config import BenchConfig
from harness.runner.summary.checks_view import own_sections
from harness.runner.summary.format import Lines
from harness.scoring import ONSET_LIMIT_MS
from tests.helpers.request_rows import request_row

# a JSON answer; Server-Sent Events; a request of their own
OFFERINGS = {"murf": "murf/GEN2", "smallest": "smallest/lightning_v3.1", "polly": "polly/neural"}
# NDJSON lines carrying marks, an offering a run names (`named_only`): in the faulted run only, its marks restarting
RESTARTED = "elevenlabs/eleven_flash_v2_5-stream-timestamps"
ALIGNER_P95_MS = 228.0  # the aligner's own p95 onset error on known truth, the widest of its voices (docs/marks.md)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("marks-http")]


def _run(
    sandbox: Any, out: Path, faults: dict[str, str], also: tuple[str, ...] = ()
) -> tuple[str, dict[str, dict[str, Any]], list[str]]:
    token = {"X-Sandbox-Token": sandbox.control_token} if sandbox.control_token else {}
    answer = httpx.post(sandbox.url + "/_sandbox/drift", json={"marks": faults}, headers=token)
    assert answer.status_code == 200, answer.text
    result = benchmark.run(
        BenchConfig(
            out=out,
            models=(*OFFERINGS.values(), *also),
            corpus=("en_read:1",),
            report=False,
            score=False,
            target=sandbox.url,
            budget=5.0,
            concurrency=2,
        )
    )
    said = [
        line
        for section in own_sections(result.summary.own)
        if isinstance(section, Lines) and section.key == "marks"
        for line in section.lines
    ]
    return result.run_id, _rows(out, result.run_id), said


def _rows(out: Path, run_id: str) -> dict[str, dict[str, Any]]:
    store = Store(out / "runs.db")
    try:
        return {str(row.provider): asdict(row) for row in store.jobs(run_id)}
    finally:
        store.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The clean run's rows after the aligner heard its clips, and the shifted run's rows and summary lines."""
    from harness.sandbox import running
    from harness.scoring.word_alignment import align_marked

    out = tmp_path_factory.mktemp("marks-http")
    with pytest.MonkeyPatch.context() as patch:  # the model's converted files in this session's folder
        patch.setenv("TTS_HARNESS_CACHE", str(tmp_path_factory.getbasetemp() / "harness-cache"))
        with running("fast", 5, providers=(*OFFERINGS, "elevenlabs")) as sandbox:
            clean, before, _ = _run(sandbox, out, {p: "" for p in OFFERINGS})
            _, rows, said = _run(sandbox, out, {"murf": "shift", "elevenlabs": "restart"}, (RESTARTED,))
            checked = _checked(sandbox, "elevenlabs")
        aligned = align_marked(out / "runs.db", clean)
    conn = connect_writer(out / "runs.db")
    try:
        recompute(conn, clean)
    finally:
        conn.close()
    conn = connect_writer(out / "runs.db")
    try:
        costs = [
            dict(row)
            for row in conn.execute(
                "SELECT provider, attempt, charged, basis, worst_case_usd, usd "
                "FROM costs WHERE run_id = ? ORDER BY attempt",
                (clean,),
            )
        ]
    finally:
        conn.close()
    yield {
        "before": before,
        "aligned": aligned,
        "clean": _rows(out, clean),
        "shifted": rows,
        "said": said,
        "costs": costs,
        "checked": checked,
    }


def _checked(sandbox: Any, provider: str) -> dict[str, list[str]]:
    """The contract suite's timing-marks checks on `provider`'s HTTP answers: each violation's pointer, by check."""
    from harness.contracts.speech_checks import TIMEOUT_S, SpeechTarget, checks_for
    from harness.core.registry import providers

    declared = providers()[provider]
    target = SpeechTarget(
        declared, {host: sandbox.base_url(provider) for host in declared.hosts}, sandbox.default_key(provider)
    )
    # The contract suite's own timeout: a sandbox speaking on a loaded machine takes more than httpx's 5 s default
    with httpx.Client(timeout=TIMEOUT_S) as client:
        return {
            name: [v.pointer for v in check.run(target, client)]
            for name, check in checks_for(declared).items()
            if name.startswith("timing-marks")
        }


def _kinds(row: dict[str, Any]) -> set[str]:
    return {f["kind"] for f in json.loads(row["marks_json"] or "{}").get("findings", [])}


def test_the_run_reads_the_marks_of_a_json_answer_and_of_an_event_stream(runs: dict[str, Any]) -> None:
    for provider, row in runs["before"].items():
        evidence = json.loads(row["timing_marks"])
        assert row["outcome"] == "ok" and evidence["advertised"] and evidence["marks"], (provider, row)
        assert evidence["duration_s"] and not evidence["problems"], evidence
        assert row["marks_coverage"] == 1.0 and row["marks_findings"] == 0, (provider, row["marks_json"])
        assert row["marks_p50_ms"] is None  # not aligned yet: no figure, never 0
    smallest = json.loads(runs["before"]["smallest"]["params_json"])
    assert smallest["word_timestamps"] is True  # the run asked for the stream's marks, as its declaration says


def test_true_marks_show_the_aligners_own_error(runs: dict[str, Any]) -> None:
    assert runs["aligned"] == len(OFFERINGS)
    for provider, row in runs["clean"].items():
        assert row["marks_findings"] == 0 and row["marks_coverage"] == 1.0, (provider, row["marks_json"])
        assert row["marks_p50_ms"] is not None and row["marks_p50_ms"] <= ONSET_LIMIT_MS, (provider, row)
        assert row["marks_p95_ms"] <= ALIGNER_P95_MS, (provider, row)
    answers = [
        request_row(
            provider=row["provider"],
            model=row["model"],
            marks_json=row["marks_json"],
            marks_coverage=row["marks_coverage"],
        )
        for row in runs["clean"].values()
    ]
    pooled = {m.label: m for m in offering_marks(answers)}
    assert set(pooled) == set(OFFERINGS.values())
    assert all(m.figures is not None and m.figures.words > 5 for m in pooled.values()), pooled


def test_a_shift_of_the_json_answers_marks_is_named_on_its_row_and_in_the_summary(runs: dict[str, Any]) -> None:
    murf, smallest = runs["shifted"]["murf"], runs["shifted"]["smallest"]
    assert murf["outcome"] == "ok" and "beyond-audio" in _kinds(murf), murf["marks_json"]
    assert smallest["marks_findings"] == 0, smallest["marks_json"]  # the fault is the one provider's
    assert any(OFFERINGS["murf"] in line and "beyond-audio" in line for line in runs["said"]), runs["said"]


def test_marks_asked_in_a_request_of_their_own_are_billed_and_reserved(runs: dict[str, Any]) -> None:
    polly = [row for row in runs["costs"] if row["provider"] == "polly"]
    assert [(r["attempt"], r["charged"], r["basis"]) for r in polly] == [
        (-1, 1, "marks-request"),
        (1, 1, "documented-price"),
    ], polly
    assert polly[1]["worst_case_usd"] >= polly[0]["usd"] + polly[1]["usd"]  # the budget reserved both requests
    params = json.loads(runs["before"]["polly"]["params_json"])
    assert "SpeechMarkTypes" not in params  # the audio's request is the offering's own: the marks' is the second


def test_marks_restarting_at_each_line_of_a_stream_are_named_by_the_run_and_the_contract_suite(
    runs: dict[str, Any],
) -> None:
    """`restart` on an NDJSON stream (each line's marks from zero again): a finding on the row naming the kind, the
    offering and kind in the summary, and the contract suite's check failing at the lines' marks pointer; one JSON
    answer (a single part) keeps its marks."""
    row = runs["shifted"]["elevenlabs"]
    assert row["outcome"] == "ok" and "restart" in _kinds(row), row["marks_json"]
    assert any(RESTARTED in line and "restart" in line for line in runs["said"]), runs["said"]
    stream = runs["checked"]["timing-marks-tts.stream-with-timestamps"]
    assert stream and all(p.endswith("/alignment/character_start_times_seconds") for p in stream), stream
    assert "timing-marks/message/1/alignment/character_start_times_seconds" in stream, stream
    assert runs["checked"]["timing-marks-tts.with-timestamps"] == [], runs["checked"]
