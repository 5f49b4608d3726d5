"""The packaged contract suite's module (harness/contracts/suite/test_coverage.py), run here as anywhere."""

from harness.contracts.suite.test_coverage import *  # noqa: F403
