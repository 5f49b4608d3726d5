"""A contract run against a server leaves it as found, so no scenario depends on another's order (pytest-xdist
spreads them over workers, each with its own sandbox): TTS.ai's archive scenario archives the documents' saved voice
(`uv_a1b2c3d4e5f6`), and its saved-voice speech scenario run after it on one worker met a 400, "archived". The
archive endpoint declares its reverse (`Endpoint.undone_by`), which the session calls after a 2xx answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from harness.contracts import plans_for
from harness.contracts.session import ContractSession
from harness.contracts.targets import contract_target
from harness.core.registry import providers
from harness.core.target import TargetChoice, TargetKind, layout

pytestmark = pytest.mark.xdist_group("scenario-order")


@pytest.fixture(scope="module")
def session() -> Iterator[ContractSession]:
    from harness.sandbox import running

    known = {"ttsai": providers()["ttsai"]}
    with running("fast", providers=("ttsai",)) as sandbox:
        where = layout(TargetChoice(TargetKind.SANDBOX), known.values(), sandbox.url)
        yield ContractSession(providers=known, target=contract_target(where, known))


def _plan(name: str) -> Any:
    return next(plan for plan in plans_for(providers()["ttsai"]) if plan.name == name)


def test_the_saved_voice_speaks_after_the_archive_scenario(session: ContractSession) -> None:
    archived = session.run(_plan("ttsai/saved-voices.archive/200-success"))
    assert not archived.violations and not [d for d in archived.drift if "left changed" in d.note], archived.drift
    spoken = session.run(_plan("ttsai/saved-voice.tts/200-success"))
    assert not spoken.violations, session.finding(spoken)
