"""A hostile bill never poisons a store (issue 59): a loopback server written here answers valid audio with billing
signals no honest provider sends — a bill of 10**20, `1e309`, `1e5000`, `1e999999999`, a negative count, `-0`, a word,
the header sent twice, and a plain count ten thousand times the text — for three providers declared in a providers
file, each `like` a built-in: an ElevenLabs-like one billed in the `character-cost` header (Create speech), an
OpenAI-like one billed in its SSE stream's `speech.audio.done` usage, and a Polly-like one billed in
`x-amzn-RequestCharacters` (priced in the characters it bills, so its bill is a cost).

The hostile run goes into one store between two clean runs of the same server and the same providers (the server answers
every provider's bill honestly but in the hostile run), each run under a budget of $1, so `compare` and `history` set
each hostile job beside its clean self. Every job ends with an outcome (none refused by the budget) and the run
finishes; an unreadable signal is a `billing-signal` finding, a count past its bound a `billing-refused` one (both
naming the job), the job keeping its planned cost; no stored amount passes the bound; and `history`, `compare`,
`export`, `report` and `recompute` read the store without a traceback. A store holding rows a hand (or an older version)
wrote wrong — `'1e309'`, `'NaN'`, `'abc'` in an amount column — is read too: each reader names the row in
one line and leaves it out."""

from __future__ import annotations

import base64
import json
import math
import sqlite3
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli_runs import in_process, in_subprocess
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import providers_file_in_effect
from tests.helpers.wav import pcm_wav

TEXT = "The old man walked slowly along the quiet road toward the village."
TONE = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 220 * n / 16000))) for n in range(4800))

# case -> what the answer says it billed: the header's value(s), and the usage value written raw into the event's JSON
HOSTILE: dict[str, tuple[tuple[str, ...], str]] = {
    "huge": (("99999999999999999999",), "99999999999999999999"),
    "e309": (("1e309",), "1e309"),
    "e5000": (("1e5000",), "1e5000"),
    "e999999999": (("1e999999999",), "1e999999999"),
    "negative": (("-5",), "-5"),
    "negzero": (("-0",), "-0"),
    "word": (("lots",), '"lots"'),
    "twice": (("66", "67"), "66"),  # the event family: the usage given twice, two done events (the last is read)
    "beyond": (("660000",), "660000"),  # a plain count, ten thousand times what the text could be billed
}
CLEAN = "clean"


@dataclass(frozen=True)
class Family:
    name: str  # the providers' prefix
    like: str
    path: str  # the base URL's path below the case
    model: str
    voice: str
    extra: str = ""  # more keys of the table


FAMILIES = (
    Family("el", "elevenlabs", "el", "eleven_flash_v2_5-http", "JBFqnCBsd6RMkjVDRZzb"),
    Family("oai", "openai", "oai/v1", "gpt-4o-mini-tts", "alloy", "stream = true\n"),
    Family("polly", "polly", "polly", "standard", "Joanna"),
)


class Hostile(QuietHandler):
    """`/<case>/<family>/...`: a valid answer in the family's form, billed as the case says while `armed` (else
    honestly, as the clean case)."""

    protocol_version = "HTTP/1.1"
    armed = False  # set by the fixture for the hostile run only

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        _, case, family, *_ = self.path.split("/")
        case = case if self.armed else CLEAN
        headers, usage = HOSTILE.get(case, ((str(len(TEXT)),), str(len(TEXT))))
        if case == CLEAN and family == "el":
            headers = (str(math.ceil(len(TEXT) * 0.5)),)  # Flash: a credit per 2 characters
        if family == "oai":
            self._sse(usage, twice=case == "twice")
            return
        name = "character-cost" if family == "el" else "x-amzn-RequestCharacters"
        rate = 24000 if family == "el" else int(body.get("SampleRate") or 16000)
        self.send_response(200)
        self.send_header("Content-Type", f"audio/pcm;rate={rate}" if family == "el" else "audio/pcm")
        for value in headers:  # two values: the header sent twice
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(TONE)))
        self.end_headers()
        self.wfile.write(TONE)

    def _sse(self, usage: str, *, twice: bool) -> None:
        wav = pcm_wav(frames=4800, rate=24000, sample=b"\x00\x10")
        usage_json = f'{{"input_tokens":{usage},"output_tokens":{usage},"total_tokens":0}}'
        done = f'{{"type":"speech.audio.done","usage":{usage_json}}}'.encode()
        events = [b'{"type":"speech.audio.delta","audio":"' + base64.b64encode(wav) + b'"}', done]
        if twice:
            events.append(done.replace(usage.encode(), b"67"))
        self.answer(
            200, b"".join(b"data: " + event + b"\n\n" for event in events), {"Content-Type": "text/event-stream"}
        )


def _table(family: Family, case: str, url: str) -> str:
    return (
        f'\n[providers.{family.name}{case}]\nlike = "{family.like}"\nbase_url = "{url}/{case}/{family.path}"\n'
        f'auth = "none"\nmodels = ["{family.model}"]\nvoices = ["{family.voice}"]\nprice_per_million_chars = 4\n'
        f"{family.extra}"
    )


def _prices(cases: tuple[str, ...]) -> str:
    """The Polly-like ones priced in what they bill (a team's own rate: `[prices]`), so a believed bill is a cost."""
    return "\n[prices]\n" + "".join(f'"polly{case}/standard" = "4/1M-chars"\n' for case in cases)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str], Path]]:
    """One store: a clean run, the hostile run, a clean run, all of the same providers (only the hostile run's
    bills hostile); the providers file declaring them all."""
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session

    folder = tmp_path_factory.mktemp("hostile-bills")
    server = LoopbackServer(Hostile)
    corpus = folder / "one.json"
    corpus.write_text(
        json.dumps({"name": "one", "version": "1", "language": "en", "items": [{"id": "road", "text": TEXT}]})
    )
    file = folder / "tts-harness.toml"
    file.write_text(
        "".join(_table(family, case, server.url) for family in FAMILIES for case in (CLEAN, *HOSTILE))
        + _prices((CLEAN, *HOSTILE))
    )
    runs = []
    try:
        with providers_file_in_effect(file):
            names = tuple(f"{family.name}{case}" for family in FAMILIES for case in (CLEAN, *HOSTILE))
            for armed in (False, True, False):
                Hostile.armed = armed
                config = BenchConfig(
                    out=folder / "out",
                    score=False,
                    report=False,
                    providers=names,
                    corpus=(str(corpus),),
                    target="live",
                    budget=1.0,
                    concurrency=4,
                )
                runs.append(run_bench_session(config).run_id)
            yield folder / "out" / "runs.db", runs, file
    finally:
        Hostile.armed = False
        server.close()


def _rows(db: Path, run_id: str) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        jobs = {
            str(row["provider"]): dict(row)
            for row in conn.execute(
                "SELECT j.provider, j.state, j.outcome, j.error_message, j.cost_usd, j.cost_source AS job_source, "
                "c.amount, c.usd, c.planned_usd, c.billed_usd, c.billed_units_json, c.cost_source FROM jobs j "
                "JOIN costs c USING (run_id, job_key) WHERE j.run_id = ?",
                (run_id,),
            )
        }
        for provider, job in jobs.items():
            job["drift"] = [
                (str(r["kind"]), str(r["note"]))
                for r in conn.execute(
                    "SELECT kind, note FROM drift WHERE run_id = ? AND provider = ? AND kind LIKE 'billing%'",
                    (run_id, provider),
                )
            ]
        job_status = conn.execute("SELECT status FROM runs WHERE run_id = ?", (run_id,)).fetchone()[0]
        return {"": {"status": job_status}, **jobs}
    finally:
        conn.close()


def test_a_hostile_bill_is_a_finding_and_the_planned_cost_stays(store: tuple[Path, list[str], Path]) -> None:
    db, (first, hostile, last), _ = store
    found = _rows(db, hostile)
    assert found.pop("")["status"] == "finished"
    assert sorted(found) == sorted(f"{f.name}{case}" for f in FAMILIES for case in (CLEAN, *HOSTILE))  # all ended
    assert all((job["state"], job["outcome"]) == ("done", "ok") for job in found.values()), found
    for family in FAMILIES:  # the clean providers of the hostile run: billed honestly, believed
        assert not found.pop(f"{family.name}{CLEAN}")["drift"]
    # two done events, each with its usage: the last is the stream's word (as a last event repeating is read)
    assert json.loads(found.pop("oaitwice")["billed_units_json"]) == {"audio_tokens": 67, "text_tokens": 67}
    for provider, job in found.items():
        assert (job["state"], job["outcome"]) == ("done", "ok"), (provider, job)
        assert job["billed_units_json"] is None and job["billed_usd"] is None, (provider, job)  # no bill believed
        assert job["usd"] == pytest.approx(job["planned_usd"]) and job["usd"] < 0.01, (provider, job)
        refused = provider.endswith("beyond")  # a count past its bound: the bill refused whole, one line
        signals = 2 if provider.startswith("oai") and not refused else 1  # else one line per unreadable signal
        assert [kind for kind, _ in job["drift"]] == ["billing-refused" if refused else "billing-signal"] * signals, (
            provider,
            job["drift"],
        )
        assert all(
            "\n" not in note and note.startswith(f"{provider}/") and note.endswith("the planned cost is kept")
            for _, note in job["drift"]
        ), job["drift"]
    assert "sent 2 times ('66, 67')" in found["eltwice"]["drift"][0][1]
    assert "sent 2 times" in found["pollytwice"]["drift"][0][1]
    assert "a signed zero, not a count" in found["pollynegzero"]["drift"][0][1]
    assert (
        "billed 660000 characters, beyond 10× the most its plan expects (66 characters)"
        in found["pollybeyond"]["drift"][0][1]
    )
    from harness.results.store import Store
    from harness.runner.summary.figures import summarize
    from harness.runner.summary.view import bill_notes

    kept = Store(db)
    try:
        notes, clean_notes = bill_notes(summarize(kept, hostile)), bill_notes(summarize(kept, first))
    finally:
        kept.close()
    # a believed bill in units the plan's rates do not price (credits, tokens on a per-character plan) is shown too
    assert (
        clean_notes[0].startswith(
            "Billed in units the plan's rates do not price (kept beside the plan; its cost is the plan's): "
        )
        and len(clean_notes) == 1
    )
    assert "elclean/eleven_flash_v2_5-http 33 credits" in clean_notes[0]
    assert "oaiclean/gpt-4o-mini-tts 66 audio tokens, 66 text tokens" in clean_notes[0]
    assert notes[0].startswith("Bills refused, the planned cost kept: 3 jobs: ") and "and 0 more" not in notes[0]
    assert "billed 660000 credits" in notes[0] and "\n" not in notes[0]
    # the clean runs on either side, every provider answering honestly: the bill believed, a Polly-like one's cost
    # what it billed
    honest = {"el": {"credits": 33}, "oai": {"audio_tokens": 66, "text_tokens": 66}, "polly": {"characters": 66}}
    for run in (first, last):
        clean = _rows(db, run)
        assert clean.pop("")["status"] == "finished" and len(clean) == len(FAMILIES) * (1 + len(HOSTILE))
        for provider, job in clean.items():
            family = next(f.name for f in FAMILIES if provider.startswith(f.name))
            assert json.loads(job["billed_units_json"]) == honest[family] and not job["drift"], (provider, job)
            assert family != "polly" or job["cost_source"] == "billed", (provider, job)


def test_no_stored_amount_passes_its_bound(store: tuple[Path, list[str], Path]) -> None:
    db, _, _ = store
    conn = sqlite3.connect(db)
    try:
        amounts = [
            value
            for row in conn.execute("SELECT amount, usd, planned_usd, billed_usd, worst_case_usd FROM costs")
            for value in row
            if value is not None
        ]
        units = [
            v
            for (text,) in conn.execute("SELECT billed_units_json FROM costs")
            if text is not None
            for v in json.loads(text).values()
        ]
        cost = [value for (value,) in conn.execute("SELECT cost_usd FROM jobs") if value is not None]
    finally:
        conn.close()
    assert all(isinstance(v, float | int) and math.isfinite(v) and 0 <= v < 1 for v in (*amounts, *cost))
    assert units and all(isinstance(v, int) and 0 < v <= 660 for v in units)  # within 10x the 66 characters


def test_every_reader_reads_the_store(
    store: tuple[Path, list[str], Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db, (first, hostile, _), file = store
    env = {"TTS_HARNESS_PROVIDERS_FILE": str(file)}
    out = db.parent
    commands = {
        "history": ("history", "--db", str(db), "--out", str(out / "history.html")),
        "compare": ("compare", first, hostile, "--db", str(db)),
        "export": ("export", hostile, "--db", str(db), "--out", str(out / "rows")),
        "report": ("report", hostile, "--db", str(db), "--out", str(out / "report.html")),
        "recompute": ("recompute", hostile, "--db", str(db)),
    }
    for name, args in commands.items():
        done = in_process(*args, cwd=out, monkeypatch=monkeypatch, capsys=capsys, env=env)
        # exit 1 is a verdict (a regression flagged) only for the two gates; a usage error would be 2
        assert done.returncode in ((0, 1) if name in ("history", "compare") else (0,)), (name, done)
        assert "Traceback" not in done.stdout + done.stderr, (name, done)
        if name == "compare":  # each hostile job read and set beside its clean self, none left out (one job a
            # side is too few for a statistical verdict: `compare` says so and exits 0)
            assert "only in" not in done.stdout + done.stderr and "not compared: insufficient data" in done.stdout, done
    report = (out / "report.html").read_text(encoding="utf-8")  # its drift section: each refused bill and its bound
    assert "billing-refused" in report and "billed 660000 characters, beyond 10× the most its plan expects" in report
    assert "billing-refused" in (out / "rows" / "drift.csv").read_text(encoding="utf-8")


BAD = {"usd": "1e309", "planned_usd": "NaN", "billed_usd": "abc"}


@pytest.fixture(scope="module")
def spoiled(store: tuple[Path, list[str], Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A copy of the store, its last run's Polly-, OpenAI- and ElevenLabs-like rows given a bad amount each by hand
    (SQLite keeps `1e309` as an infinity, `NaN` and `abc` as text)."""
    db, (_, _, last), _ = store
    copy = tmp_path_factory.mktemp("spoiled") / "runs.db"
    copy.write_bytes(db.read_bytes())
    conn = sqlite3.connect(copy)
    with conn:
        keys = dict(conn.execute("SELECT provider, job_key FROM jobs WHERE run_id = ?", (last,)).fetchall())
        for (column, value), provider in zip(BAD.items(), ("pollyclean", "oaiclean", "elclean"), strict=True):
            conn.execute(f"UPDATE costs SET {column} = ? WHERE job_key = ?", (value, keys[provider]))
    conn.close()
    return copy, last, keys["pollyclean"]


def test_a_bad_row_written_by_hand_is_named_and_left_out(
    spoiled: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness.results import read_run

    db, last, polly = spoiled
    rows = read_run(db, last)
    kept = {str(r.provider) for r in rows.requests}  # each of the three is left out, the others kept
    assert kept == {f"{f.name}{case}" for f in FAMILIES for case in (CLEAN, *HOSTILE)} - {
        "pollyclean",
        "oaiclean",
        "elclean",
    }
    assert len(rows.left_out) == 3 and all(
        "\n" not in line and line.startswith(f"run {last}: job ") for line in rows.left_out
    )
    assert any(polly in line and "usd holds inf" in line for line in rows.left_out), rows.left_out
    out = db.parent
    for args in (
        ("history", "--db", str(db), "--out", str(out / "h.html")),
        ("export", last, "--db", str(db), "--out", str(out / "rows")),
        ("report", last, "--db", str(db), "--out", str(out / "r.html")),
    ):
        done = in_process(*args, cwd=out, monkeypatch=monkeypatch, capsys=capsys)
        assert done.returncode in (0, 1) and "Traceback" not in done.stdout + done.stderr, (args, done)
        notes = [line for line in done.stderr.splitlines() if line.startswith("note: run ")]
        assert len(notes) >= 3 and any("abc" in line for line in notes), (args, done.stderr)


def test_compare_names_a_bad_row_in_a_fresh_interpreter(spoiled: tuple[Path, str, str]) -> None:
    db, last, _ = spoiled
    conn = sqlite3.connect(db)
    first = conn.execute("SELECT run_id FROM runs ORDER BY created_at LIMIT 1").fetchone()[0]
    conn.close()
    done = in_subprocess("compare", first, last, "--db", str(db), cwd=db.parent)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done
    assert sum(line.startswith("note: run ") for line in done.stderr.splitlines()) == 3, done.stderr
