"""tests.helpers.installed: a module's tests skip where its client library is absent, and collecting them imports
nothing of it, not even its parent package (every xdist worker collects every module; the OpenAI Agents SDK's
`agents` took a second and more to import in each)."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.child_pytest import one_process
from tests.helpers.installed import installed, skip_unless_installed
from tests.helpers.repo import REPO_ROOT


def test_installed_looks_a_module_up_and_a_missing_parent_is_absent() -> None:
    assert installed("json") and installed("email.mime")
    assert not installed("no_such_package_here") and not installed("no_such_package_here.sub")
    assert not installed("json.no_such_submodule") and not installed("json.decoder.no_such")  # a module, no package
    mark = skip_unless_installed("json", "no_such_package_here", reason="needs both")
    assert mark.args == (True,) and mark.kwargs["reason"] == "needs both"
    assert skip_unless_installed("json", reason="-").args == (False,)


def test_collecting_a_client_test_module_does_not_import_the_client() -> None:
    probe = (
        f"import sys, pytest; pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider', *{one_process()!r}, "
        "'tests/frameworks/test_livekit.py', 'tests/frameworks/test_openai_agents.py']); "
        "print('IMPORTED', sorted(m for m in ('livekit', 'livekit.agents', 'agents', 'agents.voice') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    assert "IMPORTED []" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]


def test_the_pytest_plugin_loads_without_the_declarations() -> None:
    """pytest loads the plugin in every process where tts-harness is installed (a team's own unrelated tests too):
    it reads its options without the contract engine, the declarations or httpx (measured: 1.1 s of CPU a process
    before, 0.3 s after, pytest itself about 0.13 s of it)."""
    probe = (
        "import sys, harness.pytest_plugin; print('LOADED', sorted(m for m in ('harness.core.spec', "
        "'harness.contracts.plans', 'harness.core.registry', 'httpx', 'pydantic') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    assert "LOADED []" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]
