"""Job lifecycles as state machines (Hypothesis): observed sequences that only skip forward are
accepted; going back or leaving a terminal state is always a violation."""

from __future__ import annotations

from typing import Any

import hypothesis.strategies as st
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from harness.core.lifecycle import Lifecycle
from harness.core.registry import providers


def _lifecycles() -> dict[str, Lifecycle]:
    found: dict[str, Lifecycle] = {}
    for provider in providers().values():
        for endpoint in provider.endpoints:
            if endpoint.lifecycle is not None:
                found.setdefault(provider.name, endpoint.lifecycle)
    return found


def _body(lifecycle: Lifecycle, state: str, job_id: str = "job-1") -> dict[str, Any]:
    body: dict[str, Any] = {lifecycle.status_field: state}
    if lifecycle.id_field:
        body[lifecycle.id_field] = job_id
    if lifecycle.output_field and state in lifecycle.success:
        body[lifecycle.output_field] = {"media_url": ["https://example.invalid/a.wav"], "media_type": "audio/wav"}
    if lifecycle.error_field and state in lifecycle.failure:
        body[lifecycle.error_field] = "the synthesis failed"
    return body


def machine_for(lifecycle: Lifecycle) -> type[RuleBasedStateMachine]:
    class LifecycleMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.observed = [_body(lifecycle, sorted(lifecycle.initial)[0])]

        @property
        def current(self) -> str:
            return str(self.observed[-1][lifecycle.status_field])

        @rule(data=st.data())
        def observe_a_legal_step(self, data: st.DataObject) -> None:
            choices = sorted(lifecycle.reachable(self.current) | {self.current})
            self.observed.append(_body(lifecycle, data.draw(st.sampled_from(choices))))
            assert lifecycle.check_sequence(self.observed) == []

        @rule(data=st.data())
        def an_illegal_step_is_caught(self, data: st.DataObject) -> None:
            illegal = sorted(set(lifecycle.states) - lifecycle.reachable(self.current) - {self.current})
            if not illegal:
                return
            bad = data.draw(st.sampled_from(illegal))
            found = lifecycle.check_sequence([*self.observed, _body(lifecycle, bad)])
            assert [v.pointer for v in found] == [f"/{len(self.observed)}/{lifecycle.status_field}"]

        @rule()
        def a_changed_id_is_caught(self) -> None:
            if lifecycle.id_field is None:
                return
            found = lifecycle.check_sequence([*self.observed, _body(lifecycle, self.current, "job-2")])
            assert f"/{len(self.observed)}/{lifecycle.id_field}" in [v.pointer for v in found]

        @rule()
        def a_failure_without_its_reason_is_caught(self) -> None:
            if lifecycle.error_field is None or self.current in lifecycle.terminal:
                return
            for failed in lifecycle.failure & (lifecycle.reachable(self.current) | {self.current}):
                for silent in (None, "", "   "):
                    body = _body(lifecycle, failed) | {lifecycle.error_field: silent}
                    found = lifecycle.check_sequence([*self.observed, body])
                    assert [v.pointer for v in found] == [f"/{len(self.observed)}/{lifecycle.error_field}"]

        @invariant()
        def terminal_states_never_change(self) -> None:
            if self.current in lifecycle.terminal:
                for other in set(lifecycle.states) - {self.current}:
                    assert lifecycle.check_sequence([*self.observed, _body(lifecycle, other)]), other

    LifecycleMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=8, deadline=None)
    return LifecycleMachine


for _name, _lifecycle in _lifecycles().items():
    globals()[f"Test{_name.capitalize()}Lifecycle"] = machine_for(_lifecycle).TestCase


def test_every_provider_declares_a_lifecycle() -> None:
    assert set(_lifecycles()) == {p.name for p in providers().values() if any(e.job for e in p.endpoints)}
