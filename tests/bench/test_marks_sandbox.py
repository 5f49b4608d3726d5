"""Issue 65's ways marks break, on the user's ground: `bench run` against the sandbox names every marks fault its
drift control puts in (`POST /_sandbox/drift {"marks": {provider: kind}}`: shifted, scaled, an end repeated,
restarting at every chunk, words merged, none sent) on a socket of character marks (ElevenLabs: milliseconds,
durations, chunk-relative) and one of word marks (Cartesia: seconds, ends, utterance-relative), a finding on the
row and the offering and kind in the summary, and the contract suite's timing-marks check fails naming the JSON
pointer, `history` and `compare` name the offering; the sandbox's true marks give none. One sandbox: four runs of
one text, and the check once a fault."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from harness import benchmark
from harness.contracts.realtime_checks import RealtimeTarget, judge, plans, run_check
from harness.core.registry import providers
from harness.report.compare import Metric, compare_runs
from harness.results import Store
from harness.results.reading import read_run
from harness.runner.plan.config import BenchConfig
from harness.runner.summary.checks_view import own_sections
from harness.runner.summary.format import Lines
from harness.sandbox.stream_faults import MARKS_KINDS

OFFERINGS = {"elevenlabs": "elevenlabs/eleven_flash_v2_5", "cartesia": "cartesia/sonic-3"}
# What each fault is named as on these two sockets (an alternative where the two declarations differ).
NAMED = {
    "shift": {"beyond-audio", "onset"},
    "scale": {"sample-rate-mismatch"},
    "repeat": {"non-monotonic", "bad-input"},
    "restart": {"restart", "overlap", "non-monotonic", "sample-rate-mismatch"},
    "merge": {"spelling"},
    "none": {"missing"},
}
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("marks-faults")]


def _run(sandbox: Any, out: Path, faults: dict[str, str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    token = {"X-Sandbox-Token": sandbox.control_token} if sandbox.control_token else {}
    answer = httpx.post(sandbox.url + "/_sandbox/drift", json={"marks": faults}, headers=token)
    assert answer.status_code == 200, answer.text
    result = benchmark.run(
        BenchConfig(
            out=out,
            models=tuple(OFFERINGS.values()),
            corpus=("en_read:1",),
            report=False,
            score=False,
            target=sandbox.url,
            budget=5.0,
            concurrency=2,
        )
    )
    store = Store(out / "runs.db")
    try:
        rows = [asdict(row) for row in store.jobs(result.run_id)]
    finally:
        store.close()
    said = [
        line
        for section in own_sections(result.summary.own)
        if isinstance(section, Lines) and section.key == "marks"
        for line in section.lines
    ]
    RUNS.append(result.run_id)
    return {str(r["provider"]): dict(r) for r in rows}, said


RUNS: list[str] = []  # the store's runs, in order
HISTORY: list[tuple[int, str]] = []  # `tts-harness history` on the store: its exit code and output, as it grew


PAGE: list[str] = []  # the history page last written
COMPARED: list[Any] = []  # compare: the first run of true marks against the first with faults


def _history(out: Path) -> tuple[int, str]:
    from harness.cli import app

    result = CliRunner().invoke(app, ["history", "--db", str(out / "runs.db"), "--out", str(out / "history.html")])
    PAGE[:] = [(out / "history.html").read_text(encoding="utf-8")]
    return result.exit_code, result.output


def _checked(sandbox: Any, provider: str) -> list[str]:
    """The contract suite's timing-marks check on `provider`'s socket: each violation's pointer."""
    target = RealtimeTarget(providers()[provider], sandbox.base_url(provider), sandbox.default_key(provider))
    plan = plans(target)["timing-marks"]()
    return [v.pointer for v in judge(target, plan, asyncio.run(run_check(target, plan))).violations]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Any]]:
    """Per run, its faults and what bench run stored and said, and each provider's contract violations."""
    from harness.sandbox import running

    out = tmp_path_factory.mktemp("marks-faults")
    half = len(MARKS_KINDS) // 2
    with running("fast", 5, providers=tuple(OFFERINGS)) as sandbox:
        clean = {p: "" for p in OFFERINGS}
        found: list[Any] = [({}, _run(sandbox, out, clean), {p: _checked(sandbox, p) for p in OFFERINGS})]
        HISTORY.append(_history(out))  # a run of true marks
        for turn in range(half):
            faults = {"elevenlabs": MARKS_KINDS[turn], "cartesia": MARKS_KINDS[turn + half]}
            found.append((faults, _run(sandbox, out, faults), {p: _checked(sandbox, p) for p in OFFERINGS}))
            if turn == 0:
                HISTORY.append(_history(out))  # and one whose marks broke
        COMPARED.append(
            compare_runs(read_run(out / "runs.db", RUNS[0]), read_run(out / "runs.db", RUNS[1]), fail_on=[Metric.MARKS])
        )
        yield found


def _kinds(row: dict[str, Any]) -> set[str]:
    return {f["kind"] for f in json.loads(row["marks_json"] or "{}").get("findings", [])}


def test_true_marks_have_no_finding(runs: list[tuple[dict[str, str], Any, Any]]) -> None:
    rows, said = runs[0][1]
    for provider, row in rows.items():
        assert row["outcome"] == "ok" and row["marks_findings"] == 0 and row["marks_coverage"] == 1.0, (provider, row)
    assert said and "0 findings" in said[0], said
    assert runs[0][2] == {p: [] for p in OFFERINGS}, runs[0][2]


def test_the_contract_suite_fails_each_fault_naming_its_pointer(runs: list[tuple[dict[str, str], Any, Any]]) -> None:
    for faults, _, violations in runs[1:]:
        for provider, kind in faults.items():
            pointers = violations[provider]
            # a frame's marks list; none sent in a marks message of their own: the declared list's pointer alone
            assert any("alignment" in p or "timestamps" in p for p in pointers), (provider, kind, pointers)


def test_every_marks_fault_is_named_on_the_row_and_in_the_summary(runs: list[tuple[dict[str, str], Any, Any]]) -> None:
    missed = []
    for faults, (rows, said), _ in runs[1:]:
        for provider, kind in faults.items():
            row = rows[provider]
            assert row["outcome"] == "ok", row
            named = _kinds(row) & NAMED[kind]
            told = [line for line in said if OFFERINGS[provider] in line and any(k in line for k in named)]
            if not named or not told:
                missed.append((provider, kind, _kinds(row), said))
    assert not missed, missed


def test_history_exits_1_naming_each_offering_whose_marks_worsened(runs: list[tuple[dict[str, str], Any, Any]]) -> None:
    (clean, said_clean), (worse, said) = HISTORY
    assert clean == 0, said_clean
    assert worse == 1, said
    lines = [line for line in said.splitlines() if "timing marks worse" in line]
    assert 'data-marks="cartesia/sonic-3"' in PAGE[0]  # the page's timing-marks table names it too
    for provider, kind in runs[1][0].items():
        assert any(OFFERINGS[provider] in line and any(k in line for k in NAMED[kind]) for line in lines), (kind, said)


def test_compare_flags_each_offering_whose_marks_worsened(runs: list[Any]) -> None:
    (comparison,) = COMPARED
    flagged = {c.label: c for c in comparison.regressions if c.metric is Metric.MARKS}
    assert set(flagged) == set(OFFERINGS.values()), comparison.regressions
    assert comparison.exit_code == 1
    for provider, kind in runs[1][0].items():
        details = " ".join(flagged[OFFERINGS[provider]].details)
        assert any(k in details for k in NAMED[kind]) and "BASE: onset p95" in details, details
