"""Reading the declarations builds no wire model's validator (`harness.core.spec`: `defer_build`): every process that
reads them — each CLI command, the sandbox, a child pytest — imported over three hundred request and response models
and built each one's validator (about 0.2 CPU-seconds a process), though it uses a few. A model builds its validator
when it first validates, and validates as before."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.repo import REPO_ROOT

PROBE = """
from harness.core.registry import providers
from harness.core.spec import RequestModel, ResponseModel

def every(model):
    for sub in model.__subclasses__():
        yield sub
        yield from every(sub)

providers()
models = [*every(RequestModel), *every(ResponseModel)]
built = [model.__name__ for model in models if model.__pydantic_complete__]
print(len(models), "models", len(built), "built")
"""


def test_the_declarations_are_read_without_building_a_validator() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    count, _, built, _ = done.stdout.split()
    assert int(count) > 200 and int(built) == 0, done.stdout


def test_a_deferred_model_validates_and_refuses_as_before() -> None:
    import pydantic
    import pytest

    from harness.core.spec import RequestModel

    class Probe(RequestModel):
        text: str

    assert not Probe.__pydantic_complete__
    assert Probe(text="hello").text == "hello" and Probe.__pydantic_complete__
    with pytest.raises(pydantic.ValidationError, match="Extra inputs are not permitted"):
        Probe.model_validate({"text": "hello", "speeed": 2})
