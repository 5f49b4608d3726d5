"""The fault soak's bad-input sweep: the CLI run with inputs a careless user (or a hostile file) gives it.

Every input is a real `python -m harness.cli ...` subprocess in its own scratch folder. What is counted is
what the user sees: a traceback (Python's, or typer's boxed one), a process killed by a signal, and an
answer that is not one line — more than one non-empty line on stderr from a process that ended, or a
box-drawing character there (click's and typer's usage panels). The list holds the 19 inputs issue 20
found ending in tracebacks and their kinds (unwritable paths, out-of-range ports and counts, NaN and
infinite floats, malformed URLs and files, huge integers), crossed with every command that takes them,
and what click itself refuses for every command (an unknown option, a missing argument, a bad choice or
value, an unknown command) and values that rich would read as markup or that hold a newline.
A bench run that accepts its input runs one short job against its own sandbox (`--models chatterbox`,
one text), so a wrongly accepted value shows up as what it does to a run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHORT_RUN = ("bench", "run", "--corpus", "en_read:1", "--models", "chatterbox", "--no-score", "--no-report")
BAD_NUMBERS = ("nan", "inf", "-inf", "-1", "0", "1e300", "99999999999999999999999", "abc", "")
NUMERIC_OPTIONS = (
    "--repeats",
    "--concurrency",
    "--ramp-up",
    "--budget",
    "--usd-per-character",
    "--poll-interval",
    "--seed",
    "--clock-skew",
    "--job-timeout",
    "--text-rate",
)
UNWRITABLE = ("/proc/harness-out", "/dev/null/x", "afile/x", "/sys/harness-out", "x" * 300)
COMMANDS = (
    ("providers",),
    ("serve",),
    ("score", "x"),
    ("report", "RUN"),
    ("compare", "A", "B"),
    ("export", "RUN"),
    ("contract", "check", "pixazo", "GET /v2/requests/status/{request_id}"),
    ("contract", "diff", "a", "b"),
    ("bench", "run"),
    ("asr", "fetch", "tiny"),
    ("asr", "convert-ct2", "a", "b.pt"),
    ("baseline", "check", "DIR"),
    ("baseline", "refresh", "DIR"),
)
ARGUMENTLESS = (("contracts", "run"), ("contracts", "record"))  # no argument to leave out
BOX_DRAWING = frozenset(chr(c) for c in range(0x2500, 0x2580))  # ─│┌┐└┘├┤╭╮╰╯ and the rest of the block


@dataclass(frozen=True, slots=True)
class Outcome:
    args: tuple[str, ...]
    code: int
    traceback: bool
    lines: int  # non-empty stderr lines
    boxed: bool  # a box-drawing character on stderr
    ended: bool = True  # False: still running at its time limit (a server that accepted its input)

    @property
    def one_line(self) -> bool:
        """Answered in one line (or none): a server still serving has said more, and that is no refusal."""
        return not self.boxed and (self.lines <= 1 or not self.ended)

    @property
    def clean(self) -> bool:
        return not self.traceback and self.code >= 0 and self.one_line


def inputs() -> Iterator[tuple[str, ...]]:
    """At least 100 bad inputs (see the module docstring)."""
    for option in NUMERIC_OPTIONS:
        for value in BAD_NUMBERS:
            yield (*SHORT_RUN, "--out", "out", option, value)
    for target in (
        "http://[::1:9",
        "http://127.0.0.1:9",
        "ftp://example.org",
        "http://",
        "http://u:p@127.0.0.1:9",
        "http://127.0.0.1:99999",
        "sandboxx",
        "http://exa mple.org",
    ):
        yield (*SHORT_RUN, "--out", "out", "--yes", "--target", target)
    for out in UNWRITABLE:
        yield (*SHORT_RUN, "--out", out)
        yield ("report", "RUN", "--db", "runs.db", "--out", f"{out}/r.html")
        yield ("export", "RUN", "--db", "runs.db", "--format", "csv", "--out", out)
    yield (*SHORT_RUN, "--out", "out", "--config", "outside.toml")
    for corpus in ("nope", "en_read:-1", "en_read:abc", "garbage.json", "empty.json", "notobjects.json"):
        yield ("bench", "run", "--out", "out", "--no-score", "--no-report", "--corpus", corpus)
    for price in ("acme/x=1", "x", "pixazo/chatterbox=nan", "=", "pixazo/chatterbox=-1", "pixazo/chatterbox=inf"):
        yield (*SHORT_RUN, "--out", "out", "--price", price)
    for extra in (
        ("--models", "nope"),
        ("--providers", "nope"),
        ("--resume", "nope"),
        ("--config", "garbage.toml"),
        ("--config", "missing.toml"),
        ("--polling", "sometimes"),
        ("--sandbox-profile", "weird"),
        ("--reference", "missing.wav"),
        ("--reference-url", "file:///etc/passwd"),
    ):
        yield (*SHORT_RUN, "--out", "out", *extra)
    for port in ("70000", "-1", "abc", "65536"):
        yield ("serve", "--port", port)
    for option, value in (
        ("--max-jobs", "0"),
        ("--max-jobs", "-5"),
        ("--balance", "nan"),
        ("--balance", "inf"),
        ("--balance", "-1"),
        ("--clock-skew", "nan"),
        ("--clock-skew", "1e300"),
        ("--profile", "weird"),
        ("--host", "256.1.1.1"),
    ):
        yield ("serve", "--port", "0", option, value)
    status = "GET /v2/requests/status/{request_id}"
    for name in ("notobjects.json", "garbage.json", "binary.bin", "deep.json", "missing.json"):
        yield ("contract", "check", "pixazo", status, "--lifecycle", name)
        yield ("contract", "check", "pixazo", status, name)
    yield ("contract", "check", "nope", status, "garbage.json")
    for name in ("missing.wav", "garbage.json", "binary.bin"):
        yield ("score", name)
    for command in (("report", "RUN"), ("export", "RUN", "--format", "csv"), ("compare", "RUN", "RUN")):
        yield (*command, "--db", "garbage.db")
    yield from refused_by_click()
    yield from typed_values()


def refused_by_click() -> Iterator[tuple[str, ...]]:
    """What click refuses before a command runs, for every command."""
    for command in ARGUMENTLESS:
        yield (*command, "--nope")  # an unknown option
    for command in COMMANDS:
        yield (*command, "--nope")
        if len(command) > 1 and command[0] != "bench":
            yield command[:-1]  # its last argument missing
    yield from (
        ("nocommand",),
        ("asr", "convert"),
        ("contracts", "nope"),
        ("baseline", "nope"),
        ("bench", "nope"),
        ("--nope",),
        ("export", "RUN", "--format", "xml"),
        ("score", "x", "--asr", "vosk"),
        ("score", "x", "--workers", "0"),
        ("score", "x", "--declared-rate", "abc"),
        ("score", "x", "--window", "nan"),
        ("contracts", "check", "pixazo", "GET /x", "--status", "abc"),
        ("compare", "A", "B", "--threshold", "x"),
        ("compare", "A", "B", "--fail-on", "speed"),
        ("bench", "run", "--repeats"),
        ("bench", "run", "--score", "yes"),
        ("serve", "--port"),
        ("serve", "--port", "1.5"),
        ("serve", "--seed", "x"),
    )


def typed_values() -> Iterator[tuple[str, ...]]:
    """Values a refusal repeats: rich markup (a closing tag once raised MarkupError) and a newline."""
    for value in ("[/x]", "[bold]x", "two\nlines"):
        yield (*SHORT_RUN[:4], "--models", value, "--out", "out", "--no-score", "--no-report")
        yield ("contract", "check", value, "GET /x")
        yield ("report", value, "--db", "runs.db")
        yield ("score", value)


def scratch(folder: Path) -> Path:
    """A folder holding the bad files the inputs name."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "afile").write_text("not a folder")
    (folder / "garbage.json").write_bytes(b"{not json")
    (folder / "empty.json").write_bytes(b"")
    (folder / "notobjects.json").write_text('[1, "two", null, [3]]')
    (folder / "binary.bin").write_bytes(bytes(range(256)) * 8)
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (folder / "garbage.toml").write_text("[bench\nout = ")
    (folder / "garbage.db").write_bytes(os.urandom(4096))
    (folder / "outside.toml").write_text('[bench]\nout = "/proc/harness-out"\n')
    return folder


def run_one(args: tuple[str, ...], folder: Path, timeout_s: float = 180.0) -> Outcome:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env["PYTHONPATH"] = str(REPO)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "harness.cli", *args],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            env=env,
        )
    except subprocess.TimeoutExpired as expired:  # a server that accepted its input: still serving
        err = expired.stderr.decode() if isinstance(expired.stderr, bytes) else (expired.stderr or "")
        return Outcome(args, 0, "Traceback" in err, _lines(err), bool(BOX_DRAWING & set(err)), ended=False)
    err = done.stderr
    traceback = "Traceback" in err or "Traceback" in done.stdout
    return Outcome(args, done.returncode, traceback, _lines(err), bool(BOX_DRAWING & set(err)))


def _lines(text: str) -> int:
    return len([line for line in text.splitlines() if line.strip()])


def sweep(work: Path, workers: int = 2, limit: int | None = None) -> list[Outcome]:
    """Every bad input (the first `limit` of them: a smoke run) answered, each in its own process."""
    folder = scratch(work / "bad-inputs")
    cases = list(inputs())[:limit]
    timeouts = [20.0 if case[0] == "serve" else 180.0 for case in cases]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda pair: run_one(pair[0], folder, pair[1]), zip(cases, timeouts, strict=True)))
