"""The packaged contract suite's module (harness/contracts/suite/test_lifecycle.py), run here as anywhere."""

from harness.contracts.suite.test_lifecycle import *  # noqa: F403
