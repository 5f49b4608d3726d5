"""The budget: spent plus reserved never passes the limit; unknown prices cannot be bounded."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from harness.runner.plan.budget import Budget


def test_reserve_settle_and_refuse() -> None:
    budget = Budget(Decimal("0.05"))
    assert budget.reserve("a", Decimal("0.03")) is None
    assert "exceeds the remaining budget" in (budget.reserve("b", Decimal("0.03")) or "")
    budget.settle("a", Decimal(0))  # an uncharged state gives the reservation back
    assert budget.reserve("b", Decimal("0.03")) is None
    assert "unknown" in (budget.reserve("c", None) or "")
    assert budget.refused == 2


@given(st.lists(st.tuples(st.integers(0, 30), st.booleans()), max_size=60), st.integers(0, 100))
def test_spent_never_exceeds_the_limit(jobs: list[tuple[int, bool]], limit_cents: int) -> None:
    budget = Budget(Decimal(limit_cents) / 100)
    for index, (cents, charged) in enumerate(jobs):
        price = Decimal(cents) / 100
        if budget.reserve(str(index), price) is None:
            budget.settle(str(index), price if charged else Decimal(0))
        assert budget.limit is not None and budget.spent <= budget.limit


def test_a_bill_past_its_reservation_spends_the_budget_never_below_zero() -> None:
    # a job billed more than the worst case it reserved (within its bound: harness.core.prices.bills)
    budget = Budget(Decimal(1))
    assert budget.reserve("a", Decimal("0.4")) is None
    budget.settle("a", Decimal("1.25"))
    assert budget.remaining == 0
    assert budget.reserve("b", Decimal("0.000264")) == "the budget is spent ($1.25 billed of $1)"
    tiny = Budget(Decimal("0.001"))
    assert tiny.reserve("a", Decimal("0.0009")) is None
    assert tiny.reserve("b", Decimal("0.000264")) == (
        "its worst-case cost $0.000264 exceeds the remaining budget $0.0001"
    )
