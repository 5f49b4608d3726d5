"""Job lifecycles: which states exist, which transitions the documents allow, which are terminal.

A poller sees a sample of a job's states, not every one: it may miss PROCESSING entirely. So a step
from one observed state to the next is legal when the second is *reachable* from the first through
documented transitions (skipping forward), or is the same state. Going back, or leaving a terminal
state, is a violation; so is a job whose identity changes between observations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.core.verdict import Violation


@dataclass(frozen=True, slots=True, kw_only=True)
class Lifecycle:
    states: tuple[str, ...]
    initial: frozenset[str]
    transitions: Mapping[str, frozenset[str]]  # documented direct transitions
    success: frozenset[str]  # terminal states with a result
    failure: frozenset[str]  # terminal states without one
    status_field: str = "status"
    id_field: str | None = None  # the job id in each status body, when the body carries it
    output_field: str | None = None  # must be present and non-null in a success state
    error_field: str | None = None  # must be a non-empty string in a failure state
    uncharged: frozenset[str] = frozenset()  # terminal states the documents say cost nothing
    inferred_states: frozenset[str] = frozenset()  # states implied, not written, by the documents

    @property
    def terminal(self) -> frozenset[str]:
        return self.success | self.failure

    def reachable(self, state: str) -> frozenset[str]:
        """States reachable from `state` through one or more documented transitions."""
        seen: set[str] = set()
        frontier = list(self.transitions.get(state, ()))
        while frontier:
            nxt = frontier.pop()
            if nxt not in seen:
                seen.add(nxt)
                frontier.extend(self.transitions.get(nxt, ()))
        return frozenset(seen)

    def step_allowed(self, before: str, after: str) -> bool:
        return after == before or after in self.reachable(before)

    def check_body(self, body: Mapping[str, Any], pointer_prefix: str = "") -> list[Violation]:
        """One status body: a known state, a success state that carries its output, a failure state
        that says why (when the documents name the field that says it)."""
        state = body.get(self.status_field)
        where = f"{pointer_prefix}/{self.status_field}"
        if state not in self.states:
            return [Violation(where, f"one of {', '.join(self.states)}", repr(state), "lifecycle")]
        if self.output_field and state in self.success and body.get(self.output_field) in (None, "", []):
            return [
                Violation(
                    f"{pointer_prefix}/{self.output_field}",
                    f"a result when {self.status_field} is {state}",
                    repr(body.get(self.output_field, "missing")),
                    "lifecycle",
                )
            ]
        if self.error_field and state in self.failure:
            reason = body.get(self.error_field)
            if not (isinstance(reason, str) and reason.strip()):
                return [
                    Violation(
                        f"{pointer_prefix}/{self.error_field}",
                        f"a non-empty error message when {self.status_field} is {state}",
                        "missing" if self.error_field not in body else repr(reason),
                        "lifecycle",
                    )
                ]
        return []

    def check_sequence(self, bodies: Sequence[Mapping[str, Any]]) -> list[Violation]:
        """Successive status bodies of one job, in the order they were observed."""
        violations: list[Violation] = []
        previous_state: str | None = None
        first_id: Any = None
        for index, body in enumerate(bodies):
            prefix = f"/{index}"
            body_violations = self.check_body(body, prefix)
            violations.extend(body_violations)
            if self.id_field and self.id_field in body:
                if first_id is None:
                    first_id = body[self.id_field]
                elif body[self.id_field] != first_id:
                    violations.append(
                        Violation(f"{prefix}/{self.id_field}", repr(first_id), repr(body[self.id_field]), "lifecycle")
                    )
            state = body.get(self.status_field)
            if not isinstance(state, str) or state not in self.states:
                continue
            if previous_state is not None and not self.step_allowed(previous_state, state):
                if previous_state in self.terminal:
                    expected = f"{previous_state} (terminal states never change)"
                else:
                    allowed = sorted(self.reachable(previous_state) | {previous_state})
                    expected = f"a state reachable from {previous_state}: {', '.join(allowed)}"
                violations.append(Violation(f"{prefix}/{self.status_field}", expected, state, "lifecycle"))
            previous_state = state
        return violations
