"""The pytest face of the harness: options, markers and fixtures; the work is in harness.contracts.

    --tts-target replay|sandbox|live|URL   where requests go (default: replay of recorded fixtures). A URL is
                                           a provider's base URL (that provider, at its own server) or else a
                                           server laid out like the sandbox; see harness.core.target
    --tts-live                             the same as --tts-target live: keys from each provider's variable
    --tts-record-mode MODE                 none|once|new_episodes|all|rewrite (pytest-recording's meanings)
    --tts-fixtures-dir DIR                 where scenarios and media live (default: the harness's own, package
                                           data, for its providers; tts-harness-fixtures/ beside the providers
                                           file for declared ones)
    --tts-contracts                        collect the packaged contract suite (harness/contracts/suite): in
                                           place of the default paths, or beside the paths given

Every option is namespaced so the plugin lives beside the ones teams already use. The short names
(`--target`, `--live`, `--record-mode`, `--fixtures-dir`) stay as aliases only where nothing else owns
them: they are added after every plugin and the initial conftests have added their options (a name
already taken is left to its owner), and `--record-mode` is left to pytest-recording wherever that is
installed, so the flag means one thing on a machine whether or not that plugin is enabled.

Under pytest-xdist (`-n`) each worker holds its own session (and sandbox); the controller prints one
summary from what the workers hand back.

A bad target (an unknown word, a malformed URL, a URL with credentials, a URL two providers share) stops
pytest with one line before any test runs. Heavy imports (the sandbox, its voice) happen inside fixtures,
never at plugin import.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any

import pytest

from harness.core.errors import UsageError
from harness.core.redact import Redactor
from harness.core.target import (
    RecordMode,
    TargetChoice,
    TargetKind,
    answers_as_sandbox,
    layout,
    not_like_the_sandbox,
    parse_target,
)

_SESSION = pytest.StashKey[Any]()
_WORKER_FACTS = pytest.StashKey[list["_Facts"]]()
_FACTS_KEY = "tts_harness_contracts"  # this plugin's entry in an xdist worker's output
_CHOICE = pytest.StashKey[TargetChoice]()
_GROUP = "tts-harness"
PREFIX = "--tts-"

# name (without prefix) -> argparse attributes; the destination is `tts_<name>`.
OPTIONS: dict[str, dict[str, Any]] = {
    "target": {
        "default": "replay",
        "metavar": "replay|sandbox|live|URL",
        "help": "where requests go: replay (default), sandbox, live, a provider's base URL (that provider) "
        "or another URL (a server laid out like the sandbox: URL/<provider>/<host>)",
    },
    "live": {"action": "store_true", "default": False, "help": "the same as --tts-target live (needs keys)"},
    "record-mode": {
        "default": None,
        "choices": [m.value for m in RecordMode],
        "help": "write fixtures from the sandbox or live answers (pytest-recording's meanings)",
    },
    "fixtures-dir": {"default": None, "metavar": "DIR", "help": "fixture root (scenarios/ and media/)"},
    "contracts": {
        "action": "store_true",
        "default": False,
        "help": "collect the contract suite shipped in the package (instead of the default paths, or "
        "beside the paths given)",
    },
}
# Only the namespaced spelling: `--contracts` is too general a word to take from the projects it runs in.
NO_ALIAS = frozenset({"contracts"})
# An alias another plugin is known to own, by the module that owns it: left to it wherever it is installed.
OWNED_ELSEWHERE = {"record-mode": "pytest_recording"}


def _dest(name: str) -> str:
    return "tts_" + name.replace("-", "_")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup(_GROUP, "tts-harness contract checks")
    for name, attrs in OPTIONS.items():
        group.addoption(PREFIX + name, dest=_dest(name), **attrs)


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(parser: pytest.Parser) -> Generator[None, None, None]:
    """The short aliases, added once every plugin (installed, named with -p, or loaded by the initial
    conftests) and those conftests have added their options, and before the command line is parsed."""
    yield
    group = parser.getgroup(_GROUP)
    for name in alias_names():
        attrs = {**OPTIONS[name], "help": f"alias of {PREFIX}{name}"}
        try:
            group.addoption(f"--{name}", dest=_dest(name), **attrs)
        except (ValueError, argparse.ArgumentError):
            continue  # another plugin or a conftest has it: it is theirs


def alias_names() -> list[str]:
    """The un-prefixed names this plugin may offer: those no installed plugin is known to own."""
    return [
        name
        for name in OPTIONS
        if name not in NO_ALIAS
        and (name not in OWNED_ELSEWHERE or importlib.util.find_spec(OWNED_ELSEWHERE[name]) is None)
    ]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "contract: a provider contract check (replay, sandbox or live)")
    config.addinivalue_line("markers", "sandbox: needs the sandbox extra (starlette, uvicorn, piper)")
    config.addinivalue_line("markers", "docs_source: a `source: docs` scenario (a documentation example)")
    config.addinivalue_line("markers", "sdk_source: a `source: sdk` scenario (a call an official client library makes)")
    config.addinivalue_line(
        "markers",
        "client_source: a `source: client` check (what independent clients speak that no stored page documents)",
    )
    try:
        config.stash[_CHOICE] = _target_choice(config.option)
    except UsageError as error:
        raise pytest.UsageError(str(error)) from None
    if config.option.tts_contracts:
        _collect_packaged_suite(config)


def _collect_packaged_suite(config: pytest.Config) -> None:
    """`--tts-contracts`: the packaged suite is collected, alone when no path was named (not the project's
    testpaths or folder: `pytest --tts-contracts` is the contract run), beside the paths named otherwise."""
    from harness.contracts.suite import SUITE_DIR

    if config.args_source is not pytest.Config.ArgsSource.ARGS:
        config.args = [str(SUITE_DIR)]
    elif str(SUITE_DIR) not in config.args:
        config.args = [*config.args, str(SUITE_DIR)]


def _target_choice(option: Any) -> TargetChoice:
    """The session's target, checked whole before any test runs."""
    choice = parse_target(option.tts_target, option=f"{PREFIX}target")
    if option.tts_live:
        if choice.kind not in (TargetKind.REPLAY, TargetKind.LIVE):
            raise UsageError(f"{PREFIX}live and {PREFIX}target {choice}: choose one")
        choice = TargetChoice(TargetKind.LIVE)
    if option.tts_record_mode not in (None, RecordMode.NONE) and choice.kind is TargetKind.REPLAY:
        raise UsageError(f"{PREFIX}record-mode needs {PREFIX}target sandbox, a URL, or live")
    if choice.kind is TargetKind.URL:
        from harness.core.registry import providers

        layout(choice, providers().values())  # a URL two providers share stops here, not as a 405 later
    return choice


def _start_sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast") as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Any]:
    """A sandbox on a free loopback port for the whole session (fast profile)."""
    yield from _start_sandbox()


@pytest.fixture(scope="session")
def tts_target(request: pytest.FixtureRequest) -> Any:
    """Where this session's requests go (`harness.contracts.ContractTarget`), from `--tts-target` / `--tts-live`;
    the sandbox is started only when the target is the sandbox."""
    from harness.contracts.targets import contract_target
    from harness.core.registry import providers

    choice = request.config.stash[_CHOICE]
    root = request.getfixturevalue("sandbox").url if choice.kind is TargetKind.SANDBOX else None
    known = providers()
    try:
        where = layout(choice, known.values(), root)
        target = contract_target(where, known)
    except UsageError as error:  # a key a header cannot carry: one line, then stop
        pytest.exit(str(error), returncode=pytest.ExitCode.USAGE_ERROR)
    if root is not None:
        _mark_missing(root)
    elif where.sandbox_root is not None and choice.request_url is not None:  # a `tts-harness serve` elsewhere?
        if answers_as_sandbox(choice.request_url):
            _mark_missing(choice.request_url, told_if_it_listens=True)
        else:
            target = replace(target, note=not_like_the_sandbox(where.sandbox_root))
    return target


def _mark_missing(root: str, *, told_if_it_listens: bool = False) -> None:
    """The negative checks' voice id marked missing in the session's sandbox: an open catalogue (a voice
    library) speaks any id of its documented form, as the provider speaks the account's voices; the provider refuses
    an id its account lacks, and so the sandbox does once told (`POST /_sandbox/catalogue`).

    `told_if_it_listens`: a server at a URL laid out like the sandbox (`tts-harness serve` elsewhere) is told the
    same if it has the control route; one that has none (another server in the sandbox's layout) or asks a token
    (a sandbox bound beyond loopback) is left as it is."""
    import httpx

    from harness.contracts.speech_checks import UNKNOWN_VOICE

    with httpx.Client(trust_env=False, timeout=30.0) as client:
        try:
            client.post(root + "/_sandbox/catalogue", json={"missing": [UNKNOWN_VOICE]}).raise_for_status()
        except httpx.HTTPError:
            if not told_if_it_listens:
                raise


@pytest.fixture(scope="session")
def contract_session(request: pytest.FixtureRequest, tts_target: Any) -> Iterator[Any]:
    from harness.contracts.session import ContractSession, FixtureRoots
    from harness.core.registry import declared_providers, providers

    options = request.config.option
    fixtures = FixtureRoots.resolve(options.tts_fixtures_dir, frozenset(p.name for p in declared_providers()))
    session = ContractSession(
        providers=providers(),
        target=tts_target,
        record_mode=RecordMode(options.tts_record_mode or "none"),
        roots=fixtures,
    )
    request.config.stash[_SESSION] = session
    yield session


@dataclass(frozen=True, kw_only=True)
class _Facts:
    """What the summary says about one contract session, in plain values: an xdist worker sends them to
    the controller (`workeroutput`), which prints one summary for the whole run."""

    where: str
    plans: int
    endpoints: int
    providers: int
    recorded: int
    roots: tuple[str, ...]  # the fixture roots recordings went to
    notes: tuple[str, ...]
    target_note: str = ""  # the target's own note (`ContractTarget.note`)


def _facts(session: Any) -> _Facts:
    plans = session.plans()
    where = session.target.kind.value + (f" {session.target.url}" if session.target.kind is TargetKind.URL else "")
    # One note per place, not per poll: `requests.status[3]` and `[8]` are the same field. A key a server
    # echoed as a field name is in a pointer: redacted before it is cut.
    redactor = Redactor(session.secrets())
    notes = sorted({redactor.text(re.sub(r"\[\d+\]", "", f"{d.pointer}: {d.note}")) for d in session.drift_seen})
    roots = sorted({str(path.parents[3]) for path in session.recorded})  # <root>/scenarios/<provider>/<key>/
    return _Facts(
        where=where,
        plans=len(plans),
        endpoints=len({(p.provider, p.endpoint) for p in plans}),
        providers=len(session.providers),
        recorded=len(session.recorded),
        roots=tuple(roots),
        notes=tuple(notes),
        target_note=redactor.text(session.target.note),
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In an xdist worker: hand this worker's contract facts to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    contract = session.config.stash.get(_SESSION, None)
    if workeroutput is not None and contract is not None:
        workeroutput[_FACTS_KEY] = asdict(_facts(contract))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """In the xdist controller: keep each worker's contract facts for the summary."""
    facts = getattr(node, "workeroutput", {}).get(_FACTS_KEY)
    if facts is not None:
        node.config.stash.setdefault(_WORKER_FACTS, []).append(
            _Facts(**{**facts, "roots": tuple(facts["roots"]), "notes": tuple(facts["notes"])})
        )


def _run_facts(config: pytest.Config) -> _Facts | None:
    """This process's session, or every worker's merged: the same plans and target, each worker's own
    recordings and drift."""
    session = config.stash.get(_SESSION, None)
    if session is not None:
        return _facts(session)
    workers = config.stash.get(_WORKER_FACTS, [])
    if not workers:
        return None
    return replace(
        workers[0],
        recorded=sum(facts.recorded for facts in workers),
        roots=tuple(sorted({root for facts in workers for root in facts.roots})),
        notes=tuple(sorted({note for facts in workers for note in facts.notes})),
    )


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """After a contract run: how many scenarios ran where, what was recorded, the drift seen."""
    facts = _run_facts(config)
    docs = _source_counts(terminalreporter.stats, "docs_source")
    sdk = _source_counts(terminalreporter.stats, "sdk_source")
    client = _source_counts(terminalreporter.stats, "client_source")
    if facts is None and not sum(docs.values()) and not sum(sdk.values()) and not sum(client.values()):
        return
    terminalreporter.write_sep("-", "tts-harness contracts")
    if sum(docs.values()):
        # The documents' own examples: the only evidence the specs did not write, so counted apart.
        terminalreporter.write_line(
            f"source docs: {sum(docs.values())} scenarios from the documents' examples; {docs['passed']} passed, "
            f"{docs['failed']} failed, {docs['skipped']} skipped"
        )
    if sum(sdk.values()):
        # What official client libraries call beyond the documents: evidence of another kind, counted apart.
        terminalreporter.write_line(
            f"source sdk: {sum(sdk.values())} scenarios from official client libraries' calls; {sdk['passed']} "
            f"passed, {sdk['failed']} failed, {sdk['skipped']} skipped"
        )
    if sum(client.values()):
        # What independent clients speak that no stored page documents: evidence of a third kind, counted apart.
        terminalreporter.write_line(
            f"source client: {sum(client.values())} checks from independent clients' evidence; {client['passed']} "
            f"passed, {client['failed']} failed, {client['skipped']} skipped"
        )
    if facts is None:
        return
    counts = {
        key: len([r for r in terminalreporter.stats.get(key, []) if _is_contract(r)])
        for key in ("passed", "failed", "skipped")
    }
    terminalreporter.write_line(
        f"target {facts.where}: {facts.plans} scenarios over {facts.endpoints} endpoints of "
        f"{facts.providers} providers; {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped"
    )
    if facts.target_note:
        terminalreporter.write_line(f"note: {facts.target_note}")
    if facts.recorded:
        terminalreporter.write_line(f"recorded {facts.recorded} fixtures under {', '.join(facts.roots)}")
    if facts.notes:
        terminalreporter.write_line(f"drift seen ({len(facts.notes)} distinct notes):")
        for note in facts.notes[:12]:
            terminalreporter.write_line(f"  {note[:150]}")


def _is_test_call(report: Any) -> bool:
    # Skips are reported in the setup phase, passes and failures in the call phase.
    return getattr(report, "when", "call") in ("call", "setup") and hasattr(report, "keywords")


def _is_contract(report: Any) -> bool:
    return _is_test_call(report) and "contract" in report.keywords


def _source_counts(stats: dict[str, list[Any]], marker: str) -> dict[str, int]:
    return {
        key: len([r for r in stats.get(key, []) if _is_test_call(r) and marker in r.keywords])
        for key in ("passed", "failed", "skipped")
    }
