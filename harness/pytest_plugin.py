"""The pytest face of the harness: options, markers and fixtures; the work is in harness.contracts.

    --target replay|sandbox|URL    where requests go (default: replay of recorded fixtures)
    --live                          real providers, keys from PIXAZO_API_KEY, PIXELAPI_API_KEY, TTSAI_API_KEY
    --record-mode MODE              none|once|new_episodes|all|rewrite (pytest-recording's meanings)
    --fixtures-dir DIR              where scenarios and media live (default: the repository's fixtures/)

Heavy imports (the sandbox, its voice) happen inside fixtures, never at plugin import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.contracts.targets import RecordMode
from harness.core.redact import Redactor

_SESSION = pytest.StashKey[Any]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tts-harness", "tts-harness contract checks")
    group.addoption("--target", default="replay", help="replay (default), sandbox, or a sandbox root URL")
    group.addoption("--live", action="store_true", default=False, help="check the real providers (needs keys)")
    group.addoption(
        "--record-mode",
        default=None,
        choices=[m.value for m in RecordMode],
        help="write fixtures from the sandbox or live answers (pytest-recording's meanings)",
    )
    group.addoption("--fixtures-dir", default=None, help="fixture root (scenarios/ and media/)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "contract: a provider contract check (replay, sandbox or live)")
    config.addinivalue_line("markers", "sandbox: needs the sandbox extra (starlette, uvicorn, piper)")
    config.addinivalue_line("markers", "docs_source: a `source: docs` scenario (a documentation example)")


def _start_sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast") as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Any]:
    """A sandbox on a free loopback port for the whole session (fast profile)."""
    yield from _start_sandbox()


@pytest.fixture(scope="session")
def contract_session(request: pytest.FixtureRequest) -> Iterator[Any]:
    session = _make_session(request)
    request.config.stash[_SESSION] = session
    yield session


def _make_session(request: pytest.FixtureRequest) -> Any:
    from harness.contracts.session import FIXTURES, ContractSession
    from harness.contracts.targets import live_target, replay_target
    from harness.core.registry import providers

    options = request.config.option
    known = providers()
    record_mode = RecordMode(options.record_mode or "none")
    fixtures = Path(options.fixtures_dir) if options.fixtures_dir else FIXTURES
    if options.live:
        return ContractSession(known, live_target(known), record_mode, fixtures)
    if options.target == "replay":
        if record_mode is not RecordMode.NONE:
            raise pytest.UsageError("--record-mode needs --target sandbox, --target URL or --live")
        return ContractSession(known, replay_target(known), record_mode, fixtures)
    if options.target == "sandbox":
        sandbox = request.getfixturevalue("sandbox")
        return ContractSession(known, _sandbox_contract_target(sandbox.url, known, sandbox), record_mode, fixtures)
    return ContractSession(known, _sandbox_contract_target(options.target, known, None), record_mode, fixtures)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """After a contract run: how many scenarios ran where, what was recorded, the drift seen."""
    session = config.stash.get(_SESSION, None)
    docs = _docs_counts(terminalreporter.stats)
    if session is None and not sum(docs.values()):
        return
    terminalreporter.write_sep("-", "tts-harness contracts")
    if sum(docs.values()):
        # The documents' own examples: the only evidence the specs did not write, so counted apart.
        terminalreporter.write_line(
            f"source docs: {sum(docs.values())} scenarios from the documents' examples; {docs['passed']} passed, "
            f"{docs['failed']} failed, {docs['skipped']} skipped"
        )
    if session is None:
        return
    counts = {key: len([r for r in terminalreporter.stats.get(key, []) if _is_contract(r)])
              for key in ("passed", "failed", "skipped")}
    plans = session.plans()
    endpoints = {(p.provider, p.endpoint) for p in plans}
    terminalreporter.write_line(
        f"target {session.target.mode.value}: {len(plans)} scenarios over {len(endpoints)} endpoints of "
        f"{len(session.providers)} providers; {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped"
    )
    if session.recorded:
        terminalreporter.write_line(f"recorded {len(session.recorded)} fixtures under {session.fixtures}")
    # One note per place, not per poll: `requests.status[3]` and `[8]` are the same field. A key a server
    # echoed as a field name is in a pointer: redacted before it is cut.
    redactor = Redactor(session.secrets())
    notes = sorted({redactor.text(re.sub(r"\[\d+\]", "", f"{d.pointer}: {d.note}")) for d in session.drift_seen})
    if notes:
        terminalreporter.write_line(f"drift seen ({len(notes)} distinct notes):")
        for note in notes[:12]:
            terminalreporter.write_line(f"  {note[:150]}")


def _is_test_call(report: Any) -> bool:
    # Skips are reported in the setup phase, passes and failures in the call phase.
    return getattr(report, "when", "call") in ("call", "setup") and hasattr(report, "keywords")


def _is_contract(report: Any) -> bool:
    return _is_test_call(report) and "contract" in report.keywords


def _docs_counts(stats: dict[str, list[Any]]) -> dict[str, int]:
    return {key: len([r for r in stats.get(key, []) if _is_test_call(r) and "docs_source" in r.keywords])
            for key in ("passed", "failed", "skipped")}


def _sandbox_contract_target(root_url: str, known: Any, sandbox: Any) -> Any:
    from harness.contracts.targets import live_target, sandbox_target
    from harness.sandbox import CONTROL_PREFIX, default_key, empty_key

    root = root_url.rstrip("/")
    # A sandbox started here knows only its own test keys; a sandbox (or recording proxy) at a URL may
    # have been given the user's keys, so the environment's keys win there.
    env_keys = live_target(known).keys if sandbox is None else {}
    return sandbox_target(
        root,
        known,
        {name: env_keys.get(name, default_key(name)) for name in known},
        {name: empty_key(name) for name in known},
        reference_url=f"{root}{CONTROL_PREFIX}/voices/joe_reference.wav",
    )
