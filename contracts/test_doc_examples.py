"""The packaged contract suite's module (harness/contracts/suite/test_doc_examples.py), run here as anywhere."""

from harness.contracts.suite.test_doc_examples import *  # noqa: F403
