"""The contract engine: plans derived from the specs, run against replay, the sandbox or live, and
recorded as fixtures. The pytest plugin and `contracts/` are thin faces over it.

This module's `__all__` is the engine's public surface: the report reads fixture folders through it
(`Scenario`, `Exchange`, `load_scenarios`: the recorded format, owned by `scenario`; `replayed_streams`: the
recorded streams replayed and timed), never through the
engine's modules (tests/core/test_layers.py).
"""

from harness.contracts.docs import DocCheck, check_doc_scenario, load_doc_scenarios
from harness.contracts.execute import Outcome, check_audio, run_plan
from harness.contracts.plans import Auth, Plan, PlanContext, plans_for
from harness.contracts.replayed import ReplayedStream, is_fixture_folder, replayed_streams
from harness.contracts.scenario import Exchange, MediaStore, Scenario, Source, load_scenarios
from harness.contracts.session import ContractSession, MissingFixture, RecordingRefused, Skip
from harness.contracts.targets import RecordMode, Target, contract_target

__all__ = [
    "Auth",
    "ContractSession",
    "DocCheck",
    "Exchange",
    "MediaStore",
    "MissingFixture",
    "Outcome",
    "Plan",
    "PlanContext",
    "RecordMode",
    "RecordingRefused",
    "ReplayedStream",
    "Scenario",
    "Skip",
    "Source",
    "Target",
    "check_audio",
    "check_doc_scenario",
    "contract_target",
    "is_fixture_folder",
    "load_doc_scenarios",
    "load_scenarios",
    "plans_for",
    "replayed_streams",
    "run_plan",
]
