"""The packaged contract suite's module (harness/contracts/suite/test_realtime.py), run here as anywhere."""

from harness.contracts.suite.test_realtime import *  # noqa: F403
