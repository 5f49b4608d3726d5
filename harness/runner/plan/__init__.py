"""A run's plan, fixed before anything is sent: its settings (`config`), its language (`languages`: who speaks it; the
corpora are read by `harness.core.corpora`), its jobs (`jobs`) and their worst-case prices (`pricing`), what may be
spent (`budget`), when a live run refuses to start (`consent`), and where its requests go (`target`). The first
phase: it imports no other. What the other phases, the runner's own modules (`run`, `session`, `dry_run`) and the
composers use of it is its surface, `__all__`; the rest is the phase's own.
"""

from __future__ import annotations

from harness.runner.plan.budget import Budget
from harness.runner.plan.config import (
    DEFAULT_ASR_MODEL,
    BenchConfig,
    CostSettings,
    OutputSettings,
    PollingMode,
    PollingSettings,
    ReferenceSettings,
    RunSettings,
    SandboxSettings,
    ScoringSettings,
    Section,
    TargetKind,
    TargetSettings,
    WorkloadSettings,
)
from harness.runner.plan.consent import live_refusal
from harness.runner.plan.jobs import Plan, PlannedJob, References, build_plan, select, with_normalisation
from harness.runner.plan.languages import in_language
from harness.runner.plan.pricing import LISTED_BY, STALE, Price, PriceBook, doubt_counts, plan_notes
from harness.runner.plan.target import HeaderHook, Target, bench_target, key_destinations

__all__ = [
    "DEFAULT_ASR_MODEL",
    "LISTED_BY",
    "STALE",
    "BenchConfig",
    "Budget",
    "CostSettings",
    "HeaderHook",
    "OutputSettings",
    "Plan",
    "PlannedJob",
    "PollingMode",
    "PollingSettings",
    "Price",
    "PriceBook",
    "ReferenceSettings",
    "References",
    "RunSettings",
    "SandboxSettings",
    "ScoringSettings",
    "Section",
    "Target",
    "TargetKind",
    "TargetSettings",
    "WorkloadSettings",
    "bench_target",
    "build_plan",
    "doubt_counts",
    "in_language",
    "key_destinations",
    "live_refusal",
    "plan_notes",
    "select",
    "with_normalisation",
]
