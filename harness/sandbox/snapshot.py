"""The sandbox's jobs and wallets, persisted so a later sandbox process continues where this one stopped.

A sandbox started inside another process (a benchmark run's own sandbox) dies with it: a crash or
`kill -9` takes both down, and a fresh sandbox has never heard of the jobs its client is waiting for.
Given a state file (`Sandbox.keep_state(path)`; where it lives is its starter's business — a benchmark
run keeps it beside `runs.db`, see `harness.runner.record.journal`), the sandbox journals there every accepted job
(ids, provider, model, drawn timeline and faults, what to say in which voice, its price and payer)
*before* the submit is answered, every produced result once it exists, a job's callbacks once they are
all delivered, and every wallet after each charge. A later sandbox given the same file restores it before it
answers anything: the jobs keep their ids, their timelines continue on the new clock (mapped through the wall
time, so a job drawn to finish at 12:00:05 finishes then), results already produced are rendered again on
demand from their recipe (synthesis is deterministic), results still in production are produced again,
callbacks not yet delivered are delivered (a produced job's audio may well exist before its terminal moment
comes), and each wallet carries the charges and pending refunds it had.

Keys are never written: jobs and wallets name a key by its SHA-256 digest, and a restored sandbox matches
digests against the keys it was started with. A job whose key the new sandbox does not hold stays
forgotten (its submitter sees the documented 404, and the runner records the job as lost).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from harness.core.spec import Cost, CostUnit, Upload
from harness.sandbox.accounts import Account
from harness.sandbox.emulation import JobPlan, Reference, SpeakerVoice, Speech, WebhookMode, WebhookTarget
from harness.sandbox.faults import Fault
from harness.sandbox.job_audio import Recipe
from harness.sandbox.jobs import EmulatedJob
from harness.sandbox.loading import Served
from harness.sandbox.profiles import Timing
from harness.sandbox.state import SandboxState
from harness.sandbox.timeline import NEVER, Outcome, Phase, Timeline
from harness.speech import AudioFormat, Rendition

log = logging.getLogger("harness.sandbox")

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, sequence INTEGER NOT NULL, provider TEXT NOT NULL,
                                 body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS wallets (provider TEXT NOT NULL, wallet TEXT NOT NULL, body TEXT NOT NULL,
                                    PRIMARY KEY (provider, wallet));
CREATE TABLE IF NOT EXISTS uploads (sha256 TEXT PRIMARY KEY, content BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS origins (origin TEXT PRIMARY KEY);
"""


def wallet_name(key: str) -> str:
    """How a wallet is named on disk: anonymous wallets by their (keyless) name, keys by digest only."""
    if key.startswith("anonymous:"):
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


class Journal:
    """Writes a running sandbox's jobs and wallets as they change. Thread-safe; one SQLite file."""

    def __init__(self, state: SandboxState, path: Path) -> None:
        self.state = state
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")  # a committed write survives the process's death
        self._conn.executescript(SCHEMA)
        self._lock = threading.Lock()

    def accepted(self, job: EmulatedJob) -> None:
        """A job was accepted (and charged): written before its submitter hears of it."""
        self._save(job, uploads=True)

    def produced(self, job: EmulatedJob) -> None:
        """A job's result (or failure) is known."""
        self._save(job)

    def called_back(self, job: EmulatedJob) -> None:
        """A job's callbacks are all delivered (or given up)."""
        self._save(job)

    def wallets(self) -> None:
        """A wallet changed outside any job (a synchronous, charged answer)."""
        self._save(None)

    def note_origin(self, origin: str) -> None:
        with self._lock:
            self._conn.execute("INSERT OR IGNORE INTO origins (origin) VALUES (?)", (origin.rstrip("/"),))

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(query).fetchall()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _save(self, job: EmulatedJob | None, *, uploads: bool = False) -> None:
        reading = self.state.clock.now()
        wallets = [
            (provider, wallet_name(key), json.dumps(_account(self.state, account, reading)))
            for provider, key, account in self.state.accounts.export()
        ]
        with self._lock, self._transaction():
            if job is not None:
                if uploads:
                    self._conn.executemany(
                        "INSERT OR IGNORE INTO uploads (sha256, content) VALUES (?, ?)",
                        [(_digest(u.content), u.content) for u in _uploads(job.plan.speech)],
                    )
                self._conn.execute(
                    "INSERT OR REPLACE INTO jobs (id, sequence, provider, body) VALUES (?, ?, ?, ?)",
                    (job.id, job.sequence, job.provider, json.dumps(_job(self.state, job))),
                )
            self._conn.executemany("INSERT OR REPLACE INTO wallets (provider, wallet, body) VALUES (?, ?, ?)", wallets)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")


# --- restoring ------------------------------------------------------------------------------------------


def keep(state: SandboxState, path: Path, origin: str, start: Callable[[EmulatedJob], None]) -> int:
    """Restore the state `path` holds (if any) into a sandbox that has answered nothing yet and serves at
    `origin`, then journal every later change there. Returns how many jobs were restored. `start` resumes
    the production (and callbacks) of a restored job still in production; it is called on the server's
    loop. Call from outside the server's loop."""
    if state.loop is None:
        raise RuntimeError("the sandbox server is not running")
    if state.journal is not None:
        raise RuntimeError("this sandbox already keeps its state in a file")
    journal = Journal(state, path)
    try:
        moved = Moved([row[0] for row in journal.rows("SELECT origin FROM origins")], origin)
        restoring = _restore(state, journal, moved, start)
        restored = asyncio.run_coroutine_threadsafe(restoring, state.loop).result(timeout=60)
        # A job a client sent to an own origin is built on it: a later sandbox moves it to its main origin.
        for root in (origin, *(state.origins.roots(origin) if state.origins is not None else ())):
            journal.note_origin(root)
    except BaseException:
        journal.close()
        raise
    state.journal = journal
    return restored


class Moved:
    """A restored sandbox listens elsewhere: URLs that named an earlier sandbox (its own reference clips, the
    origin a job's URLs are built on) now name this one."""

    def __init__(self, earlier: list[str], origin: str) -> None:
        self.earlier = [old.rstrip("/") for old in earlier]
        self.origin = origin.rstrip("/")

    def __call__(self, url: str) -> str:
        for old in self.earlier:
            if url == old or url.startswith(old + "/"):
                return self.origin + url[len(old) :]
        return url


async def _restore(state: SandboxState, journal: Journal, moved: Moved, start: Callable[[EmulatedJob], None]) -> int:
    """Runs on the server's loop: restored jobs start producing there."""
    clock = RestoredClock(state)
    live = {(provider, wallet_name(key)): key for provider, key, _ in state.accounts.export()}
    for provider, wallet, body in journal.rows("SELECT provider, wallet, body FROM wallets"):
        key = wallet if wallet.startswith("anonymous:") else live.get((provider, wallet))
        if key is not None and provider in state.served:
            state.accounts.restore(provider, key, _account_of(json.loads(body), clock))
    uploads = {digest: bytes(content) for digest, content in journal.rows("SELECT sha256, content FROM uploads")}
    restored = 0
    for sequence, provider, body in journal.rows("SELECT sequence, provider, body FROM jobs ORDER BY sequence"):
        state.jobs.continue_after(sequence)
        served = state.served.get(provider)
        if served is None:
            continue
        job = _job_of(json.loads(body), served, live, uploads, clock, moved)
        if job is None:
            continue
        state.jobs.add(job, clock.now)
        restored += 1
        if job.outcome.failure is not None or (job.outcome.ready_at is not None and job.recipe is not None):
            job.ready.set()
        if job.ready.is_set() and (job.webhook is None or job.called_back):
            job.webhooks_done.set()
        else:  # still in production, or its callbacks still due, when the last process stopped: continue it
            start(job)
    return restored


class RestoredClock:
    """Maps clock readings to wall time and back: a new process's clock has other readings."""

    def __init__(self, state: SandboxState) -> None:
        self.now = state.clock.now()
        self.offset = self.now - state.clock.wall(self.now).timestamp()

    def reading(self, wall: float | None) -> float | None:
        return None if wall is None else wall + self.offset


# --- encoding -------------------------------------------------------------------------------------------


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _uploads(speech: Speech) -> list[Upload]:
    return [v.reference.upload for v in speech.voices if v.reference is not None and v.reference.upload is not None]


def _wall(state: SandboxState, reading: float | None) -> float | None:
    if reading is None or reading == NEVER:
        return None
    return state.clock.wall(reading).timestamp()


def _account(state: SandboxState, account: Account, reading: float) -> dict[str, Any]:
    account.available(reading)  # folds refunds already due
    return {
        "tier": account.tier,
        "balance": None if account.balance is None else str(account.balance),
        "spent": str(account.spent),
        "refunds": [[_wall(state, at), str(amount)] for at, amount in account.refunds],
    }


def _account_of(body: Mapping[str, Any], clock: RestoredClock) -> Account:
    refunds = [(clock.now if at is None else at + clock.offset, Decimal(amount)) for at, amount in body["refunds"]]
    return Account(
        "", body["tier"], None if body["balance"] is None else Decimal(body["balance"]), Decimal(body["spent"]), refunds
    )


def _rendition(rendition: Rendition) -> dict[str, Any]:
    return {
        f.name: str(getattr(rendition, f.name)) if f.name == "engine" else getattr(rendition, f.name)
        for f in dataclasses.fields(rendition)
    }


def _speech(speech: Speech) -> dict[str, Any]:
    voices = []
    for voice in speech.voices:
        reference = voice.reference
        voices.append(
            {
                "rendition": _rendition(voice.rendition),
                "language": voice.language,
                "reference": None
                if reference is None
                else {
                    "field": reference.field,
                    "url": reference.url,
                    "upload": None
                    if reference.upload is None
                    else {
                        "filename": reference.upload.filename,
                        "content_type": reference.upload.content_type,
                        "sha256": _digest(reference.upload.content),
                    },
                },
            }
        )
    return {"lines": [list(line) for line in speech.lines], "voices": voices, "format": speech.audio_format.value}


def _speech_of(body: Mapping[str, Any], uploads: Mapping[str, bytes], moved: Moved) -> Speech:
    voices = []
    for voice in body["voices"]:
        reference = None
        if voice["reference"] is not None:
            given = voice["reference"]
            upload = None
            if given["upload"] is not None:
                part = given["upload"]
                upload = Upload(
                    filename=part["filename"], content=uploads[part["sha256"]], content_type=part["content_type"]
                )
            url = None if given["url"] is None else moved(given["url"])
            reference = Reference(given["field"], url=url, upload=upload)
        voices.append(SpeakerVoice(Rendition(**voice["rendition"]), reference, voice.get("language", "")))
    return Speech(tuple((int(s), str(t)) for s, t in body["lines"]), tuple(voices), AudioFormat(body["format"]))


def _webhook(target: WebhookTarget | None) -> dict[str, Any] | None:
    return None if target is None else {"url": target.url, "mode": target.mode.value, "field": target.field}


def _webhook_of(body: Mapping[str, Any] | None) -> WebhookTarget | None:
    return None if body is None else WebhookTarget(body["url"], WebhookMode(body["mode"]), body["field"])


def _params(job: EmulatedJob) -> str | None:
    if job.params is None:
        return None
    try:
        return job.params.model_dump_json()
    except ValueError:  # uploaded bytes that are not text: the status bodies never show them
        return None


def _job(state: SandboxState, job: EmulatedJob) -> dict[str, Any]:
    timeline, outcome = job.timeline, job.outcome
    recipe = job.recipe
    return {
        "id": job.id,
        "sequence": job.sequence,
        "provider": job.provider,
        "key": None if job.key is None else wallet_name(job.key),
        "client": job.client,
        "payer": None if job.payer is None else wallet_name(job.payer),
        "endpoint": job.endpoint_key,
        "plan": {
            "model_id": job.plan.model_id,
            "speech": _speech(job.plan.speech),
            "timing": dataclasses.asdict(job.plan.timing),
            "webhook": _webhook(job.plan.webhook),
            "extra": dict(job.plan.extra),
        },
        "params": _params(job),
        "cost": None if job.cost is None else {"amount": str(job.cost.amount), "unit": job.cost.unit.value},
        "timeline": {
            "created": _wall(state, timeline.created),
            "started": _wall(state, timeline.started),
            "finished": _wall(state, timeline.finished),
            "outcome": timeline.outcome.value,
            "regress": None if timeline.regress is None else [_wall(state, at) for at in timeline.regress],
        },
        "faults": sorted(fault.value for fault in job.faults),
        "origin": job.origin,
        "webhook": _webhook(job.webhook),
        "called_back": job.called_back,
        "outcome": {
            "ready_at": _wall(state, outcome.ready_at),
            "failed_at": _wall(state, outcome.failed_at),
            "failure": None if outcome.failure is None else outcome.failure.value,
            "message": outcome.message,
        },
        "recipe": None
        if recipe is None
        else {
            "lines": [list(line) for line in recipe.lines],
            "renditions": [_rendition(r) for r in recipe.renditions],
            "format": recipe.audio_format.value,
        },
    }


def _times_of(
    given_timeline: Mapping[str, Any], given_outcome: Mapping[str, Any], clock: RestoredClock
) -> tuple[Timeline, Outcome]:
    """A kept job's timeline and outcome, their wall-clock times read on the restored clock."""

    def at(wall: float | None) -> float:
        reading = clock.reading(wall)
        return NEVER if reading is None else reading

    regress = given_timeline["regress"]
    timeline = Timeline(
        at(given_timeline["created"]),
        at(given_timeline["started"]),
        at(given_timeline["finished"]),
        Phase(given_timeline["outcome"]),
        None if regress is None else (at(regress[0]), at(regress[1])),
    )
    outcome = Outcome(
        clock.reading(given_outcome["ready_at"]),
        clock.reading(given_outcome["failed_at"]),
        None if given_outcome["failure"] is None else Phase(given_outcome["failure"]),
        given_outcome["message"],
    )
    return timeline, outcome


def _recipe_of(given: Mapping[str, Any]) -> Recipe:
    """A kept job's recipe: the lines its audio speaks, their renditions and its format."""
    return Recipe(
        tuple((int(s), str(t)) for s, t in given["lines"]),
        tuple(Rendition(**r) for r in given["renditions"]),
        AudioFormat(given["format"]),
    )


def _job_of(
    body: Mapping[str, Any],
    served: Served,
    live: Mapping[tuple[str, str], str],
    uploads: Mapping[str, bytes],
    clock: RestoredClock,
    moved: Moved,
) -> EmulatedJob | None:
    provider = body["provider"]

    def key_of(name: str | None) -> tuple[bool, str | None]:
        if name is None:
            return True, None
        if name.startswith("anonymous:"):
            return True, name
        key = live.get((provider, name))
        return key is not None, key

    known_key, key = key_of(body["key"])
    known_payer, payer = key_of(body["payer"])
    if not (known_key and known_payer):
        log.warning("sandbox: job %s is not restored: this sandbox does not hold its key", body["id"])
        return None
    plan = body["plan"]
    timeline, outcome = _times_of(body["timeline"], body["outcome"], clock)
    endpoint = served.provider.endpoint(body["endpoint"])
    params = None
    if body["params"] is not None and endpoint.request is not None:
        try:
            params = endpoint.request.model_validate_json(body["params"])
        except ValueError:
            params = None
    recipe = None if body["recipe"] is None else _recipe_of(body["recipe"])
    cost = body["cost"]
    return EmulatedJob(
        id=body["id"],
        sequence=body["sequence"],
        provider=provider,
        key=key,
        client=body["client"],
        payer=payer,
        endpoint_key=body["endpoint"],
        plan=JobPlan(
            plan["model_id"],
            _speech_of(plan["speech"], uploads, moved),
            Timing(**plan["timing"]),
            _webhook_of(plan["webhook"]),
            plan["extra"],
        ),
        params=params,
        cost=None if cost is None else Cost(Decimal(cost["amount"]), CostUnit(cost["unit"])),
        timeline=timeline,
        faults=frozenset(Fault(f) for f in body["faults"]),
        origin=moved(body["origin"]),
        states=served.emulation.states,
        webhook=_webhook_of(body["webhook"]),
        outcome=outcome,
        recipe=recipe,
        called_back=body.get("called_back", False),  # files written before it was kept: deliver again
    )
