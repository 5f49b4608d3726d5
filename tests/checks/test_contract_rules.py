"""One name and one promise per rule (issue 79): a rule's words — its name in the contract suite's violations,
`compare --fail-on` and history's JUnit case, and what each kind of finding breaks — live with the rule in the core
(`RULE` and its `FindingKind`s beside the rule's function), the check declares them, and every judge that applies
the rule says them, the contract suite on HTTP, SSE and sockets included (it runs on a base install, where no check
can be imported: they need numpy). Before, the timing marks were rule `timestamp` on HTTP and SSE, `alignment` on a
socket and `marks` in `compare` and `history`; a markup break missed was rule `protocol` in the contract suite."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from harness.checks import registered
from harness.contracts.marks_checks import answer_form, marks_violations
from harness.core import heard_rate, seams, timing_marks
from harness.core.protocols import cancel, markup
from harness.core.protocols.http_speech import SpeechService, Synthesis
from harness.core.protocols.marks import JSON
from harness.core.registry import providers

ROOT = Path(__file__).resolve().parents[2]
# Each rule's home and the check that declares it.
RULES = {
    "timing_marks": timing_marks,
    "seams": seams,
    "rate_heard": heard_rate,
    "cancel": cancel,
    "markup": markup,
}
# The judges outside the checks' faces: the contract suite, and the runner's verdict on a socket it interrupted.
JUDGES = (*sorted((ROOT / "harness" / "contracts").rglob("*.py")), ROOT / "harness/runner/deliver/socket_cancel.py")
# Calls that name a rule: Violation(pointer, expected, got, rule), Drift(pointer, note, kind) and the frame findings'
# add(frame, inner, expected, got, rule), by position or keyword.
RULE_AT = {"Violation": 3, "Drift": 2, "add": 4}


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_check_declares_its_rules_own_name_and_words(name: str) -> None:
    home = RULES[name]
    (check,) = [c for c in registered() if c.name == name]
    declared = check.declaration
    assert declared.change is not None and declared.change.name == home.RULE
    own = [value for value in vars(home).values() if type(value).__name__ == "FindingKind"]
    own += [kind for found in vars(home).values() if isinstance(found, dict) for kind in found.values()]
    assert set(declared.findings) <= {kind for kind in own if type(kind).__name__ == "FindingKind"}
    for kind in declared.findings:  # the same objects, not copies of them
        assert any(kind is one for one in own)
        assert kind.expected == f"{kind.promise} (kind {kind.kind})"


def _literal_rules(path: Path, rules: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        at = RULE_AT.get(name)
        if at is None:
            continue
        given = [*(node.args[at : at + 1]), *(k.value for k in node.keywords if k.arg in ("rule", "kind"))]
        found += [
            f"{path.name}:{node.lineno}: {arg.value!r}"
            for arg in given
            if isinstance(arg, ast.Constant) and arg.value in rules
        ]
    return found


def test_no_judge_names_a_rule_of_its_own() -> None:
    """No call of the contract suite or the runner that names a rule passes a declared rule's name as a literal: each
    says the rule's own `RULE`, so a renamed rule is renamed everywhere."""
    rules = {c.declaration.change.name for c in registered() if c.declaration.change is not None}
    assert rules >= {"seams", "rate", "cancel", "markup", "marks"}
    assert not [hit for path in JUDGES for hit in _literal_rules(path, rules)]


def test_the_literal_finder_finds_a_literal_rule(tmp_path: Path) -> None:
    """The finder above can fail: a judge written with its own copy of a rule name is named."""
    judge = tmp_path / "judge.py"
    judge.write_text('Violation("/x", "expected", "got", "marks")\nfound.add(1, "", "e", "g", rule="seams")\n')
    assert len(_literal_rules(judge, {"marks", "seams"})) == 2


def test_the_rules_words_import_without_numpy() -> None:
    """The contract suite runs on a base install: the homes of the rules' words import without numpy."""
    homes = "; ".join(f"import {module.__name__}" for module in RULES.values())
    code = f"import sys; sys.modules['numpy'] = None; {homes}; import harness.contracts.speech_checks"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def _synthesis(provider: str) -> Synthesis:
    """The provider's synthesis whose answer is one JSON document carrying marks."""
    service = providers()[provider].family
    assert isinstance(service, SpeechService)
    return next(s for s in service.syntheses if s.marks is not None and answer_form(s) == JSON)


def test_broken_http_marks_are_the_rules_name_with_their_promise() -> None:
    """Marks that go back in time, in ElevenLabs' documented JSON answer: rule `marks`, as `compare` and `history`
    name it, with the promise the timing-marks check declares for the kind."""
    body = (
        b'{"audio_base64": "", "alignment": {"characters": ["h", "i"], "character_start_times_seconds": [0.2, 0.1], '
        b'"character_end_times_seconds": [0.3, 0.4]}}'
    )
    found = marks_violations(_synthesis("elevenlabs"), body, "hi", 1.0)
    (check,) = [c for c in registered() if c.name == "timing_marks"]
    assert found and {v.rule for v in found} == {timing_marks.RULE} == {"marks"}
    promised = check.declaration.finding_named("non-monotonic")
    assert promised is not None and promised.expected in {v.expected for v in found}
