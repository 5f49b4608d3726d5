"""The packaged contract suite's module (harness/contracts/suite/test_speech_family.py), run here as anywhere."""

from harness.contracts.suite.test_speech_family import *  # noqa: F403
