"""The packaged contract suite's module (harness/contracts/suite/test_fuzz.py), run here as anywhere."""

from harness.contracts.suite.test_fuzz import *  # noqa: F403
