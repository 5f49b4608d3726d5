"""The contract suite reads the declarations (issue 79): a violation of a registered check's rule is named, on every
form that judges it, by the check's declared rule and its finding kind's promise (`harness.checks.rule_judged_by`),
never by a name of the judge's own. Before, the timing marks were rule `timestamp` on HTTP and SSE, `alignment` on a
socket and `marks` in `compare` and `history`; a markup break missed was rule `protocol`."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from harness.checks import registered, rule_judged_by
from harness.contracts.marks_checks import answer_form, marks_violations
from harness.core.protocols.http_speech import SpeechService, Synthesis
from harness.core.protocols.marks import JSON
from harness.core.registry import providers

ROOT = Path(__file__).resolve().parents[2]
# The judges outside the checks' faces: the contract suite, and the runner's verdict on a socket it interrupted.
JUDGES = (*sorted((ROOT / "harness" / "contracts").rglob("*.py")), ROOT / "harness/runner/deliver/socket_cancel.py")
# Calls that name a rule: Violation(pointer, expected, got, rule), Drift(pointer, note, kind) and the frame findings'
# add(frame, inner, expected, got, rule), by position or keyword.
RULE_AT = {"Violation": 3, "Drift": 2, "add": 4}


def _declaring() -> list[tuple[str, str]]:
    return [(c.declaration.judged_by, c.declaration.rule) for c in registered() if c.declaration.judged_by]


@pytest.mark.parametrize(("module", "rule"), _declaring())
def test_each_declared_rule_module_is_the_rule_and_gives_the_checks_name(module: str, rule: str) -> None:
    importlib.import_module(module)
    found = rule_judged_by(module)
    (check,) = [c for c in registered() if c.declaration.judged_by == module]
    assert found.name == rule == check.declaration.rule
    for kind in check.declaration.findings:
        assert found.expected(kind.kind) == f"{kind.promise} (kind {kind.kind})"


def test_a_module_no_check_declares_is_refused() -> None:
    with pytest.raises(LookupError, match="no registered check"):
        rule_judged_by("harness.core.nothing")


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


def test_no_judge_names_a_declared_rule_of_its_own() -> None:
    """No call of the contract suite or the runner that names a rule passes a registered check's rule name as a
    literal: each reads it from the declaration, so a renamed rule is renamed everywhere."""
    rules = {rule for _, rule in _declaring()}
    assert rules >= {"seams", "rate", "cancel", "markup", "marks"}
    assert not [hit for path in JUDGES for hit in _literal_rules(path, rules)]


def test_the_literal_finder_finds_a_literal_rule(tmp_path: Path) -> None:
    """The finder above can fail: a judge written with its own copy of a rule name is named."""
    judge = tmp_path / "judge.py"
    judge.write_text('Violation("/x", "expected", "got", "marks")\nfound.add(1, "", "e", "g", rule="seams")\n')
    assert len(_literal_rules(judge, {"marks", "seams"})) == 2


def _synthesis(provider: str) -> Synthesis:
    """The provider's synthesis whose answer is one JSON document carrying marks."""
    service = providers()[provider].family
    assert isinstance(service, SpeechService)
    return next(s for s in service.syntheses if s.marks is not None and answer_form(s) == JSON)


def test_broken_http_marks_are_the_declared_rule_with_their_promise() -> None:
    """Marks that go back in time, in ElevenLabs' documented JSON answer: rule `marks`, as `compare` and `history`
    name it, the promise the timing-marks check declares for the kind."""
    synthesis = _synthesis("elevenlabs")
    body = (
        b'{"audio_base64": "", "alignment": {"characters": ["h", "i"], "character_start_times_seconds": [0.2, 0.1], '
        b'"character_end_times_seconds": [0.3, 0.4]}}'
    )
    rule = rule_judged_by("harness.core.timing_marks")
    found = marks_violations(synthesis, body, "hi", 1.0)
    assert found and {v.rule for v in found} == {rule.name} == {"marks"}
    assert rule.expected("non-monotonic") in {v.expected for v in found}
