"""The packaged contract suite's module (harness/contracts/suite/test_grpc_speech.py), run here as anywhere."""

from harness.contracts.suite.test_grpc_speech import *  # noqa: F403
