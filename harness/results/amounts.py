"""Which columns of a store hold an amount, and the one check its writer and every reader apply to them.

An amount (money, or a provider's own unit: characters of an allowance, credits) decides a figure a team chooses on,
and one absurd value — an infinity, `NaN`, text, a bill of 10**20 — summed into a model's cost makes every figure of
that model, and a reader that converts it, fail. The store's writer (`harness.results.store`) writes such a value
as NULL; its readers (`harness.results.reading`, `cost_figures.billed_units`) leave a row holding one out and name
it in one line, so a store written by an older version, edited by hand or fed a hostile answer still reads. What an
amount may be is `harness.core.prices.bills.storable`'s rule: a finite number of at most 10**12 in magnitude.
"""

from __future__ import annotations

import json
from typing import Any

from harness.core.prices.bills import bill_number, storable

# The stored tables' amount columns (`schema`), and the amounts of a run's rows (`rows.REQUEST_COLUMNS`,
# `rows.RUN_COLUMNS`).
STORED = frozenset(
    {"amount", "usd", "worst_case_usd", "planned_usd", "billed_usd", "cost_usd", "budget_usd", "planned_cost_usd"}
)
IN_ROWS = frozenset({"cost_usd", "cost_amount", "planned_usd", "billed_usd", "budget_usd", "planned_cost_usd"})
BILLED_UNITS = "billed_units_json"  # {"characters": 42}: each value an amount


def shown(value: Any) -> str:
    """A stored value as a one-line note quotes it (40 characters at most)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def bad_amount(value: Any) -> str | None:
    """Why a stored value is no amount (None: it is one, or NULL)."""
    if storable(value):
        return None
    if isinstance(value, str):
        return f"holds {shown(value)}, not a number"
    return f"holds {shown(value)}, not an amount a store holds (a finite number of at most 10**12)"


def bad_units(text: Any) -> str | None:
    """Why a stored bill's units (`{"characters": 42}`) are not a bill (None: they are one, or NULL)."""
    if text is None or text == "":
        return None
    try:
        units = json.loads(str(text))
    except (ValueError, RecursionError):
        return f"holds {shown(text)}, not a JSON object of units"
    if not isinstance(units, dict):
        return f"holds {shown(text)}, not a JSON object of units"
    for unit, value in units.items():
        if value is None or (isinstance(value, str) and bill_number(value)[0] is not None):
            continue  # no bill of that unit; a count written as text ("42", as an older version wrote it)
        if not isinstance(value, int | float) or isinstance(value, bool) or not storable(value):
            return f"says {shown(unit)} is {shown(value)}, not an amount a store holds"
    return None


def written(column: str, value: Any) -> Any:
    """`value` as a store's writer writes it into `column`: an amount that is none, or a bill's units holding one, as
    NULL (`harness.results.store`, and `merge_stores` copying a store written otherwise)."""
    if column in STORED and bad_amount(value) is not None:
        return None
    if column == BILLED_UNITS and bad_units(value) is not None:
        return None
    return value


__all__ = ["BILLED_UNITS", "IN_ROWS", "STORED", "bad_amount", "bad_units", "shown", "written"]
