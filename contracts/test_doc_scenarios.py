"""The packaged contract suite's module (harness/contracts/suite/test_doc_scenarios.py), run here as anywhere."""

from harness.contracts.suite.test_doc_scenarios import *  # noqa: F403
