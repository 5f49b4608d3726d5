"""The packaged contract suite's module (harness/contracts/suite/test_scenarios.py), run here as anywhere."""

from harness.contracts.suite.test_scenarios import *  # noqa: F403
