"""The packaged contract suite's module (harness/contracts/suite/test_mutations.py), run here as anywhere."""

from harness.contracts.suite.test_mutations import *  # noqa: F403
