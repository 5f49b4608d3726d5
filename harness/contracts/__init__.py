"""The contract engine: plans derived from the specs, run against replay, the sandbox or live, and
recorded as fixtures. The pytest plugin and `contracts/` are thin faces over it.

This module's `__all__` is the engine's public surface: the report reads fixture folders through it
(`Scenario`, `RecordedExchange`, `load_scenarios`: the recorded format, owned by `scenario`; `replayed_streams`: the
recorded streams replayed and timed; `ConformCard` and its results: a `conform` run's card), never through the
engine's modules (tests/core/test_layers.py).
"""

from harness.contracts.conform import ClauseOutcome, ClauseResult, ConformCard, ServerUnreachable, conform, declare
from harness.contracts.docs import DocCheck, check_doc_scenario, load_doc_scenarios
from harness.contracts.execute import PlanOutcome, check_audio, run_plan
from harness.contracts.plans import KeyCase, PlanContext, ScenarioPlan, plans_for
from harness.contracts.replayed import ReplayedStream, is_fixture_folder, replayed_streams
from harness.contracts.scenario import MediaStore, RecordedExchange, Scenario, Source, load_scenarios
from harness.contracts.session import ContractSession, MissingFixture, RecordingRefused, Skip
from harness.contracts.targets import ContractTarget, RecordMode, contract_target

__all__ = [
    "ClauseOutcome",
    "ClauseResult",
    "ConformCard",
    "ContractSession",
    "ContractTarget",
    "DocCheck",
    "KeyCase",
    "MediaStore",
    "MissingFixture",
    "PlanContext",
    "PlanOutcome",
    "RecordMode",
    "RecordedExchange",
    "RecordingRefused",
    "ReplayedStream",
    "Scenario",
    "ScenarioPlan",
    "ServerUnreachable",
    "Skip",
    "Source",
    "check_audio",
    "check_doc_scenario",
    "conform",
    "contract_target",
    "declare",
    "is_fixture_folder",
    "load_doc_scenarios",
    "load_scenarios",
    "plans_for",
    "replayed_streams",
    "run_plan",
]
