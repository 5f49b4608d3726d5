"""The bill from the answer: a benchmark run against the sandbox stores what each answer said was billed — Polly's
header, OpenAI's speech.audio.done usage (tokens, priced as gpt-4o-mini-tts is billed), Murf's and MiniMax's JSON
fields — equal to what the sandbox sent (the price sheet's counting rule, the sheet's token estimate), and uses it as
the job's cost; a provider that starts billing twice as much (the sandbox's billing drift) doubles the stored cost and
is a `billing-gap` finding; a malformed signal (a server between the benchmark and the sandbox rewrites it) is one
`billing-signal` line, the job ok at its planned cost, never a traceback."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.core.prices import builtin_sheets, count
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from tests.helpers.loopback import FRAMING, LoopbackServer, QuietHandler

PROVIDERS = ("polly", "openai", "murf", "minimax")
MODELS = ("standard", "gpt-4o-mini-tts", "GEN2", "speech-2.8-hd")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running("fast", 3, providers=PROVIDERS) as served:
        yield served


def _run(out: Path, url: str, providers: tuple[str, ...], models: tuple[str, ...]) -> list[dict[str, Any]]:
    """One item per model; the jobs with their cost row and drift notes."""
    result = run_bench_session(
        BenchConfig(
            out=out,
            providers=providers,
            models=models,
            corpus=("en_read:1",),
            score=False,
            report=False,
            target=url,
            budget=1.0,
            concurrency=2,
        )
    )
    db = sqlite3.connect(result.db_path)
    db.row_factory = sqlite3.Row
    try:
        jobs = [
            dict(row)
            for row in db.execute(
                "SELECT j.provider, j.model, j.outcome, j.error_message, j.cost_usd, j.cost_source AS job_source, c.*, "
                "k.text FROM jobs j JOIN costs c USING (run_id, job_key) JOIN clips k ON k.clip_id = j.job_key "
                "WHERE j.run_id = ?",
                (result.run_id,),
            )
        ]
        for job in jobs:
            job["drift"] = [
                dict(row)
                for row in db.execute(
                    "SELECT kind, note, pointer FROM drift WHERE run_id = ? AND job_key = ? AND kind LIKE 'billing%'",
                    (result.run_id, job["job_key"]),
                )
            ]
        return jobs
    finally:
        db.close()


def _characters(provider: str, text: str) -> int:
    sheet = builtin_sheets().sheet(provider)
    assert sheet is not None
    return count(text, sheet.counting)


def test_each_answer_bills_what_the_sandbox_sent(tmp_path: Path, sandbox: Any) -> None:
    jobs = {job["provider"]: job for job in _run(tmp_path, sandbox.url, PROVIDERS, MODELS)}
    assert {name: (job["outcome"], job["cost_source"], job["job_source"]) for name, job in jobs.items()} == {
        name: ("ok", "billed", "billed") for name in PROVIDERS
    }
    for name in ("polly", "murf", "minimax"):
        job = jobs[name]
        assert json.loads(job["billed_units_json"]) == {"characters": _characters(name, job["text"])}
        assert job["billed_usd"] == job["usd"] == pytest.approx(job["planned_usd"])  # counted as planned
        assert job["drift"] == []
    openai = jobs["openai"]
    units = json.loads(openai["billed_units_json"])
    assert units["text_tokens"] == math.ceil(len(openai["text"]) / 4)  # the sheet's estimate, as the sandbox sent it
    assert units["audio_tokens"] > 0 and openai["drift"] == []
    # the answer's usage is the cost: 0.60 USD per 1M text tokens, 12 per 1M audio tokens
    assert openai["usd"] == pytest.approx((units["text_tokens"] * 0.6 + units["audio_tokens"] * 12) / 1e6)
    assert openai["cost_usd"] == pytest.approx(openai["usd"])


@pytest.fixture
def murf_doubled(sandbox: Any) -> Iterator[None]:
    assert httpx.post(sandbox.url + "/_sandbox/drift", json={"billing": {"murf": 2}}).status_code == 200
    try:
        yield
    finally:
        httpx.post(sandbox.url + "/_sandbox/drift", json={"billing": {}})


@pytest.mark.usefixtures("murf_doubled")
def test_a_provider_billing_twice_as_much_is_a_finding_and_doubles_the_cost(tmp_path: Path, sandbox: Any) -> None:
    jobs = {job["provider"]: job for job in _run(tmp_path, sandbox.url, ("murf", "minimax"), ("GEN2", "speech-2.8-hd"))}
    murf, minimax = jobs["murf"], jobs["minimax"]
    planned = _characters("murf", murf["text"])
    assert murf["outcome"] == "ok" and json.loads(murf["billed_units_json"]) == {"characters": 2 * planned}
    assert murf["usd"] == pytest.approx(2 * murf["planned_usd"]) and murf["cost_source"] == "billed"
    assert [(d["kind"], d["note"]) for d in murf["drift"]] == [
        (
            "billing-gap",
            f"murf/GEN2: billed {2 * planned} characters where its counting rule gives {planned} "
            f"(planned: {_how(murf)})",
        )
    ]
    assert minimax["drift"] == [] and minimax["usd"] == pytest.approx(minimax["planned_usd"])  # the others unchanged


def _how(job: dict[str, Any]) -> str:
    return str(job["price_how"])


MALFORMED = {"a word": "lots", "negative": -3, "missing": None}


def _rewriting(sandbox_url: str, value: Any) -> type[QuietHandler]:
    """A server between the benchmark and the sandbox that rewrites Murf's billed characters (None: drops them)."""

    class Rewrite(QuietHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in FRAMING | {"host"}}
            answer = httpx.post(sandbox_url + self.path, headers=headers, content=self.rfile.read(length))
            body = answer.json()
            body.pop("consumedCharacterCount")
            if value is not None:
                body["consumedCharacterCount"] = value
            self.answer(answer.status_code, json.dumps(body).encode(), {"Content-Type": "application/json"})

    return Rewrite


@pytest.mark.parametrize("value", list(MALFORMED.values()), ids=list(MALFORMED))
def test_a_malformed_signal_is_one_finding_and_the_planned_cost(
    tmp_path: Path, sandbox: Any, value: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    server = LoopbackServer(_rewriting(sandbox.url, value))
    try:
        (job,) = _run(tmp_path, server.url, ("murf",), ("GEN2",))
    finally:
        server.close()
    assert (job["outcome"], job["cost_source"], job["billed_units_json"], job["billed_usd"]) == (
        "ok",
        "planned",
        None,
        None,
    )
    assert job["usd"] == pytest.approx(job["planned_usd"]) and job["usd"] > 0
    ((kind, note, pointer),) = [(d["kind"], d["note"], d["pointer"]) for d in job["drift"]]
    assert kind == "billing-signal" and pointer == "/consumedCharacterCount" and "\n" not in note
    said = (
        "is declared but the answer does not carry it"
        if value is None
        else f"is {json.dumps(value) if not isinstance(value, str) else repr(value)}: "
    )
    assert note.startswith(f"murf/GEN2: the billing signal /consumedCharacterCount {said}"), note
    assert note.endswith("; the planned cost is kept")
    assert "Traceback" not in capfd.readouterr().err


def test_the_harness_own_requests_are_no_part_of_pollys_price(tmp_path: Path, sandbox: Any) -> None:
    """Issue 79: Polly's speech marks, asked in a second billed request of the same text, are the harness's own
    request: `polly/standard` reads its sheet's $4.00 per 1M characters (not $8.00) on the summary, its JSON and the
    report, and what the marks cost is a line of the run's cost of its own."""
    from typer.testing import CliRunner

    from harness.cli import app
    from harness.report.leaderboard import build_leaderboard
    from harness.results import read_run
    from harness.results.store import Store
    from harness.runner.summary import summarize
    from harness.runner.summary.format import to_json
    from harness.runner.summary.view import sections

    result = run_bench_session(
        BenchConfig(
            out=tmp_path,
            providers=("polly",),
            models=("standard",),
            corpus=("en_read:2",),
            score=False,
            report=False,
            target=sandbox.url,
            budget=1.0,
            concurrency=2,
        )
    )
    db = sqlite3.connect(result.db_path)
    try:
        own, synthesis = (
            float(usd)
            for (usd,) in db.execute(
                "SELECT SUM(usd) FROM costs WHERE run_id = ? GROUP BY attempt < 0 ORDER BY attempt < 0 DESC",
                (result.run_id,),
            )
        )
    finally:
        db.close()
    assert own == pytest.approx(synthesis) and own > 0  # the marks' request bills the same text again
    store = Store(result.db_path)
    try:
        summary = to_json(sections(summarize(store, result.run_id), str(result.db_path)))
    finally:
        store.close()
    shown = {s["key"]: s for s in summary["sections"]}
    (row,) = shown["models"]["rows"]
    assert row["usd_per_million_chars"] == pytest.approx(4.0) and row["cost_usd"] == pytest.approx(synthesis)
    money = shown["money"]
    assert money["own_usd"] == pytest.approx(own) and money["own_requests"] == 2
    assert money["spent_usd"] == pytest.approx(own + synthesis)  # spent: the run's whole cost
    assert any(
        line.startswith("The harness's own requests") and f"polly/standard ${own:.4f} (2)" in line
        for line in money["lines"]
    ), money["lines"]

    (entry,) = build_leaderboard(read_run(result.db_path, result.run_id)).entries
    assert entry.cost_per_million_chars_usd == pytest.approx(4.0)
    assert entry.billed_per_million_chars_usd == pytest.approx(4.0)
    assert (entry.own_usd, entry.own_requests) == (pytest.approx(own), 2)
    page = tmp_path / "report" / "index.html"
    reported = CliRunner().invoke(
        app, ["report", result.run_id, "--db", str(result.db_path), "--format", "json", "--out", str(page)]
    )
    assert reported.exit_code == 0, reported.output
    assert json.loads(reported.stdout) == summary  # `report --format json`: the same figures
    html = page.read_text(encoding="utf-8")
    assert "$4.00" in html and "$8.00" not in html
    assert (
        f"The harness's own requests (speech marks asked apart), spent but in no cost or price above: "
        f"${own:.4f}: polly/standard ${own:.4f} (2)" in html
    )
