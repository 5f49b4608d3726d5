"""Every example in README.md, CONTRIBUTING.md and docs/*.md runs as written, or says in the markdown why it cannot
run here.

A fenced block's language says what it is:
  sh, bash   commands: run with bash (-e, pipefail) in a folder of the document's own, the repository's venv
             first on PATH; where the document names the README's run (`RUN_ID`), the folder holds that run
             (tests.helpers.default_run, made once per session), as a newcomer's does after the README's first
             command; any other document starts in an empty folder, as a newcomer who opens it first
  python     a script: run with the venv's python in that folder
  toml       a providers file: validated as `tts-harness.toml` is (harness.core.declared.parse); marked
             `providers-file`, it is also written to that folder, so the document's later commands see it
  text       output a command prints: not run

A marker on the line before a fence, `<!-- example: KIND: reason -->`, says why a block cannot run here:
  live-key   it needs a provider's key and spends money: its `tts-harness bench run` lines run as a dry run
             (`--dry-run` added, its `export` lines kept), which must succeed; its other lines do not run
  hub        it downloads from the model hub
  install    it installs packages from the index (a fresh environment)
  suite      it runs a test suite of this repository (CI runs it)
  cluster    it starts a Ray instance (tests/scoring exercise that path)
  elsewhere  it needs a server this machine does not have
  fragment   a few keys to add to a table shown above, not a file of their own
  shown      a file of the repository shown as it is (a test compares the two: tests/test_example_provider.py)
The folder holds `clip.wav` and `speaker.wav` (the repository's reference voices), the files examples name.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from harness.core.declared import parse
from tests.helpers.default_run import DefaultRun, shell_env

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = (REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md")))
RUNNABLE = {"sh", "bash", "python", "toml"}
LANGUAGES = RUNNABLE | {"text"}
KINDS = {"live-key", "hub", "install", "suite", "cluster", "elsewhere", "fragment", "shown", "providers-file"}
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)\n(?P<body>.*?)^(?P=indent)```", re.S | re.M)
MARKER = re.compile(r"<!--\s*example:\s*(?P<kind>[\w-]+)\s*(?::\s*(?P<reason>.*?))?\s*-->\s*$")
VOICES = REPO / "fixtures" / "voices"
STEP_TIMEOUT_S = 600


@dataclass(frozen=True, slots=True)
class Example:
    document: Path
    line: int
    language: str
    body: str
    kind: str | None  # the marker's kind, None when it runs as written
    reason: str | None

    @property
    def where(self) -> str:
        return f"{self.document.relative_to(REPO)}:{self.line}"


def examples(document: Path) -> list[Example]:
    text = document.read_text(encoding="utf-8")
    found = []
    for fence in FENCE.finditer(text):
        before = text[: fence.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.search(before)
        body = "\n".join(line.removeprefix(fence.group("indent")) for line in fence.group("body").splitlines())
        found.append(
            Example(
                document,
                text[: fence.start()].count("\n") + 1,
                fence.group("lang"),
                body + "\n",
                marker.group("kind") if marker else None,
                marker.group("reason") if marker else None,
            )
        )
    return found


ALL = [example for document in DOCUMENTS for example in examples(document)]


def test_every_block_says_what_it_is() -> None:
    """A command block without a language would escape this test: every fence is named, every marker known."""
    assert len(ALL) > 20
    unnamed = [e.where for e in ALL if e.language not in LANGUAGES]
    assert unnamed == [], f"give these fences a language ({', '.join(sorted(LANGUAGES))})"
    unknown = [e.where for e in ALL if e.kind is not None and e.kind not in KINDS]
    assert unknown == []
    unexplained = [e.where for e in ALL if e.kind not in (None, "providers-file") and not e.reason]
    assert unexplained == [], "a marker says why the block cannot run here"


def _bash(script: str, folder: Path, where: str) -> None:
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=folder,
        env=shell_env(),
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, (
        f"{where} failed (exit {done.returncode}):\n{script}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )


def _logical_lines(body: str) -> list[str]:
    """A block's commands, each continued line (a trailing backslash) joined to the next."""
    return re.sub(r"\\\n\s*", " ", body).splitlines()


def _as_dry_run(body: str) -> str:
    """The block's `export` lines and its `bench run` lines, each with `--dry-run`: what runs without a key."""
    kept = []
    for line in _logical_lines(body):
        command = line.split("#", 1)[0].strip()
        if command.startswith("export "):
            kept.append(command)
        elif command.startswith("tts-harness bench run"):
            kept.append(command if "--dry-run" in command else command + " --dry-run")
    return "\n".join(kept)


def _run(example: Example, folder: Path, run_id: str | None) -> None:
    body = example.body if run_id is None else example.body.replace("RUN_ID", run_id)
    if example.kind in ("fragment", "shown"):  # not a file to run: a part of one, or one a test compares
        return
    if example.language == "toml":
        parse(body, Path("tts-harness.toml"))  # a one-line UsageError if the example is not a valid file
        if example.kind == "providers-file":
            with (folder / "tts-harness.toml").open("a", encoding="utf-8") as file:
                file.write(body)
    elif example.kind == "live-key":
        script = _as_dry_run(body)
        if "--dry-run" in script:  # a block with no benchmark in it (recording live fixtures) has no dry run
            _bash(script, folder, example.where)
    elif example.kind is not None and example.kind != "providers-file":
        return  # marked: it cannot run here, and the marker says why
    elif example.language == "python":
        done = subprocess.run(
            [sys.executable, "-c", body],
            cwd=folder,
            env=shell_env(),
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT_S,
            check=False,
        )
        assert done.returncode == 0, f"{example.where} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    else:
        _bash(body, folder, example.where)


def _benchmarks_started(document: Path) -> int:
    """The benchmarks a document's examples start (a dry run starts none), one that scores its clips counted three
    times (the ASR and the quality models load and run): most of what the document's test costs."""
    bodies = [e.body for e in examples(document) if e.language in RUNNABLE and e.kind in (None, "providers-file")]
    lines = [line for body in bodies for line in _logical_lines(body)]
    return sum(1 if "--no-score" in line else 3 for line in lines if "run_benchmark(" in line or "bench run" in line)


def _names_the_readme_run(document: Path) -> bool:
    return any("RUN_ID" in e.body for e in examples(document) if e.language in RUNNABLE)


# Only documents with something to run: another would wait for the README's run (its fixture) to skip. Those that
# start the most benchmarks first: the documents that read the README's run run last in a session, and the longest
# handed out last would end the session alone on one worker.
WITH_EXAMPLES = sorted(
    (document for document in DOCUMENTS if any(e.language in RUNNABLE for e in examples(document))),
    key=lambda document: -_benchmarks_started(document),
)
AFTER_THE_README = [document for document in WITH_EXAMPLES if _names_the_readme_run(document)]
ON_THEIR_OWN = [document for document in WITH_EXAMPLES if not _names_the_readme_run(document)]


def _with_the_voices(folder: Path) -> None:
    for name, source in (("clip.wav", "joe_short.wav"), ("speaker.wav", "joe_reference.wav")):
        shutil.copyfile(VOICES / source, folder / name)


@pytest.mark.slow
@pytest.mark.parametrize("document", AFTER_THE_README, ids=lambda path: path.name)
def test_the_examples_of_a_document_run(document: Path, tmp_path: Path, default_run: DefaultRun) -> None:
    """A document whose examples name the README's run (`RUN_ID`) runs where a newcomer runs it: after the README's
    first command, whose run (runs.db, its audio and score cache) is in the folder. A benchmark an example starts
    adds its own run beside it, and a clip the README run already scored is read from the cache, as it would be
    there."""
    shutil.copytree(default_run.folder / "reports", tmp_path / "reports")
    _with_the_voices(tmp_path)
    for example in (e for e in examples(document) if e.language in RUNNABLE):
        _run(example, tmp_path, default_run.run_id)


@pytest.mark.slow
@pytest.mark.docs  # the docs step of .ci/run, with the README run's readers (tests.helpers.default_run)
@pytest.mark.clock  # most of it waits on the sandbox's jobs, which take the time the providers' do
@pytest.mark.parametrize("document", ON_THEIR_OWN, ids=lambda path: path.name)
def test_the_examples_of_a_document_naming_no_run_run_in_a_folder_of_their_own(document: Path, tmp_path: Path) -> None:
    """A document that names no run is run as by a newcomer who opens it first: in an empty folder (the voices its
    examples name beside them), its benchmarks scoring every clip anew. It waits for no run, so it runs with the
    session's first tests (`clock`: one worker takes them while the others compute), not at its end."""
    _with_the_voices(tmp_path)
    for example in (e for e in examples(document) if e.language in RUNNABLE):
        _run(example, tmp_path, None)


def test_the_documents_split_by_whether_they_name_the_readme_run() -> None:
    assert {d.name for d in AFTER_THE_README} >= {"scale.md"}
    assert {d.name for d in ON_THEIR_OWN} >= {"library.md", "realtime.md", "providers-file.md"}
    assert sorted(AFTER_THE_README + ON_THEIR_OWN) == sorted(WITH_EXAMPLES)


def test_the_readme_run_is_the_shared_run(default_run: DefaultRun) -> None:
    """The README's first command ends in `tts-harness bench run`; the shared run is that command as typed,
    and it prints where its report is."""
    (first, *_rest) = examples(REPO / "README.md")
    assert first.body.splitlines()[0].endswith("&& tts-harness bench run")
    output = " ".join(default_run.output.split())
    assert f"HTML report: {Path('reports') / default_run.run_id / 'index.html'}" in output
    assert "Target: sandbox (started by this run at http://127.0.0.1:" in output  # said once, and what it is
    assert "(sandbox: play money, what these requests would cost live)" in output
    assert default_run.report.is_file()


def test_the_readme_run_shows_the_market(default_run: DefaultRun) -> None:
    """With no option the run benchmarks every offering of every built-in provider — the seeds' gateways and
    the market — but those a run must name (`named_only`: routes measured for their timing marks), and every job
    ends ok."""
    from importlib.metadata import entry_points

    from harness.core.registry import ENTRY_POINT_GROUP

    built_in = [entry.load() for entry in entry_points(group=ENTRY_POINT_GROUP)]
    offerings = {
        f"{provider.name}/{offering.name}"
        for provider in built_in
        for offering in provider.offerings
        if not offering.named_only
    }
    with sqlite3.connect(f"file:{default_run.db}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT provider || '/' || model, outcome FROM jobs WHERE run_id = ?", (default_run.run_id,)
        ).fetchall()
    assert {label for label, _ in rows} == offerings
    assert len(offerings) > 100 and {outcome for _, outcome in rows} == {"ok"}


def test_the_readme_run_scores_after_its_jobs(default_run: DefaultRun) -> None:
    """The run embeds its sandbox, so its clips are scored once its jobs have ended: scoring beside the sandbox's
    renders on 2 cores saturated the client it measures with (harness.scoring.background)."""
    with sqlite3.connect(f"file:{default_run.db}?mode=ro", uri=True) as db:
        (last_job,) = db.execute("SELECT max(finished_at) FROM jobs WHERE run_id = ?", (default_run.run_id,)).fetchone()
        (first_score, scored) = db.execute(
            "SELECT min(scored_at), count(*) FROM scores WHERE run_id = ?", (default_run.run_id,)
        ).fetchone()
    assert scored > 100 and last_job is not None and first_score is not None
    assert datetime.fromisoformat(first_score) >= datetime.fromisoformat(last_job)


def test_the_readmes_first_command_is_the_users_alone() -> None:
    """A newcomer's first block installs and runs the benchmark, one line, nothing of a contributor's in it."""
    (first, *_rest) = examples(REPO / "README.md")
    assert first.body.splitlines() == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[bench]' && tts-harness bench run"
    ]


def _test_command(document: Path) -> str:
    """The one line of a document's blocks that installs what the suite needs and runs it."""
    lines = [line for e in examples(document) for line in e.body.splitlines() if line.endswith("&& python -m pytest")]
    assert len(lines) == 1, f"{document.name}: {lines}"
    return lines[0]


def test_the_readme_test_command_is_the_line_ci_runs() -> None:
    """The README's second command installs what the suite needs (pytest-xdist is the dev extra's: without it the
    suite runs in one process) and runs it; CONTRIBUTING.md explains that same line, and .ci/run runs it, so a
    newcomer's run is CI's."""
    command = _test_command(REPO / "README.md")
    (block,) = [e for e in examples(REPO / "README.md") if command in e.body]
    assert block.body.splitlines() == [command], "the test command stands alone, apart from the user's first line"
    extras = re.match(r"pip install -e '\.\[(?P<extras>[\w,-]+)\]' && ", command)
    assert extras is not None and "dev" in extras.group("extras").split(","), command
    assert _test_command(REPO / "CONTRIBUTING.md") == command
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert any(line == command or line.startswith(f"{command} || ") for line in ci), command
