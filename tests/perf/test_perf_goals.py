"""Every perf goal states its direction (benchmarks/perf/goals.py `Goal`: at least a bound, or no worse than one), so
a better figure never misses it: `asr_throughput.py` called its accuracy goal missed and exited 1 when the default
path's pooled WER was 0.83 points *better* than openai-whisper's (9.04% against 9.88%), its goal a distance."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

import pytest

PERF = Path(__file__).resolve().parents[2] / "benchmarks" / "perf"


def _perf(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(PERF))
    return importlib.import_module(name)


def test_a_goal_holds_on_its_own_side_of_its_bound_and_says_which(monkeypatch: pytest.MonkeyPatch) -> None:
    goals = _perf("goals", monkeypatch)
    fast = goals.Goal("speed", goals.Direction.AT_LEAST, 4, "x")
    close = goals.Goal("WER against the reference", goals.Direction.NO_WORSE_THAN, 0.5, " points")
    assert fast.holds(4) and fast.holds(9.9) and not fast.holds(3.9)
    assert close.holds(-0.83) and close.holds(0.5) and not close.holds(0.83)
    assert close.missed(0.83) == ["WER against the reference 0.83 points (goal: no worse than 0.5 points)"]
    assert fast.line(9.9) == "speed 9.90x (goal: at least 4x)" and fast.missed(9.9) == []


def test_asr_throughput_calls_a_better_default_no_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    script = _perf("asr_throughput", monkeypatch)
    result = script.ModeResult

    def run(wer: float) -> dict[str, object]:
        return {
            "openai-whisper": result("openai-whisper", 10, 10.0, 0.0988, []),
            "default": result("default", 10, 1.0, wer, []),
        }

    exact, timing, _ = script.missed(run(0.0904))  # better by 0.84 points, 10x as fast
    assert exact == [] and timing == []
    exact, _, _ = script.missed(run(0.1071))  # worse by 0.83 points
    assert exact == ["default's pooled WER against openai-whisper's 0.83 points (goal: no worse than 0.5 points)"]
    stated = [value for value in vars(script).values() if isinstance(value, script.goals.Goal)]
    assert len(stated) == 4 and all(isinstance(goal.direction, script.goals.Direction) for goal in stated)


def _direction_of(call: ast.Call) -> ast.expr | None:
    """The direction a `Goal(...)` call passes: its second argument or `direction=`."""
    given = {keyword.arg: keyword.value for keyword in call.keywords}
    return call.args[1] if len(call.args) > 1 else given.get("direction")


def test_every_goal_of_every_perf_script_states_a_direction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only the script that once missed: every `Goal(...)` under benchmarks/perf names a `Direction` member
    (which `Goal.line` then says, the first test)."""
    members = set(_perf("goals", monkeypatch).Direction.__members__)
    goals_built, without = 0, []
    for path in sorted(PERF.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and (
                    (isinstance(node.func, ast.Attribute) and node.func.attr == "Goal")
                    or (isinstance(node.func, ast.Name) and node.func.id == "Goal")
                )
            ):
                continue
            goals_built += 1
            direction = _direction_of(node)
            if not (isinstance(direction, ast.Attribute) and direction.attr in members):
                without.append(f"{path.name}:{node.lineno}")
    assert goals_built >= 4 and without == [], without
