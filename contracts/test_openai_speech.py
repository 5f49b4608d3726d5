"""The packaged contract suite's module (harness/contracts/suite/test_openai_speech.py), run here as anywhere."""

from harness.contracts.suite.test_openai_speech import *  # noqa: F403
