"""A provider that starts billing more for the same text: what two runs' answers said they billed for the same
requests, compared unit by unit.

Two jobs are the same request when a model was sent the same corpus item with the same parameters (`corpus`,
`item_id` and `params_sha256`: the same text, voice and settings; repeats of a request are averaged). Over the
requests both runs billed, each unit the answers named (`billed_units`: characters, tokens, seconds) is summed
on each side; the newer run is dearer when a unit's sum rose by more than its tolerance:

* `TEXT_TOLERANCE` (1%) for a unit counted from the text (characters, bytes, requests, text tokens): the same
  text is the same count, so any rise is the provider counting or charging differently;
* `AUDIO_TOLERANCE` (25%) for a unit of the audio (audio tokens, seconds, minutes) or a provider's credits: two
  syntheses of one text differ in length, so only a rise well past that is a bill that changed.

Where the answers named no units but a billed cost was stored, the billed USD is compared the same way, at the
audio tolerance. The rule is deterministic (no run-to-run noise to learn), so two runs are enough.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from harness.core.prices import Unit
from harness.results.cost_figures import billed_units
from harness.results.run_records import RequestRow

TEXT_TOLERANCE = 0.01
AUDIO_TOLERANCE = 0.25
USD = "usd"  # the billed cost, where the answers named no units
RULE = (
    f"The same requests (corpus item and parameters) billed in both runs, each billed unit summed: dearer when "
    f"it rose by more than {TEXT_TOLERANCE:.0%} for a unit counted from the text, {AUDIO_TOLERANCE:.0%} for one "
    f"of the audio or credits (harness.results.dearer)."
)


def tolerance(unit: str) -> float:
    counted = {Unit.CHARACTERS.value, Unit.BYTES.value, Unit.REQUESTS.value, Unit.TEXT_TOKENS.value}
    return TEXT_TOLERANCE if unit in counted else AUDIO_TOLERANCE


@dataclass(frozen=True, slots=True, kw_only=True)
class Dearer:
    """One model billed more for the same requests in `new_run` than in `base_run`, in `unit`."""

    provider: str
    model: str
    unit: str  # a billed unit, or "usd"
    base_run: str
    new_run: str
    requests: int  # the same requests both runs billed
    before: float  # summed over them
    after: float

    @property
    def ratio(self) -> float:
        return self.after / self.before if self.before else float("inf")

    def describe(self) -> str:
        what = "billed USD" if self.unit == USD else f"billed {self.unit.replace('_', ' ')}"
        return (
            f"{self.provider}/{self.model} is dearer: {what} for the same {self.requests} request"
            f"{'s' if self.requests != 1 else ''} {self.before:,.4g} -> {self.after:,.4g} (x{self.ratio:.2f}; "
            f"{self.base_run} -> {self.new_run}; tolerance +{tolerance(self.unit):.0%})"
        )


def _bills(rows: Iterable[RequestRow]) -> dict[tuple[str, str], dict[tuple[str, str, str], dict[str, float]]]:
    """Per model, per request, the mean billed units (or USD) over the request's billed jobs."""
    summed: dict[tuple[str, str], dict[tuple[str, str, str], dict[str, list[float]]]] = {}
    for row in rows:
        if not row.charged_attempts:
            continue
        units = billed_units(row)
        if not units and row.billed_usd is not None:
            units = {USD: float(str(row.billed_usd))}
        if not units:
            continue
        request = (row.corpus, row.item_id, row.params_sha256)
        into = summed.setdefault((row.provider, row.model), {}).setdefault(request, {})
        for unit, value in units.items():
            into.setdefault(unit, []).append(value)
    return {
        model: {request: {unit: sum(v) / len(v) for unit, v in units.items()} for request, units in requests.items()}
        for model, requests in summed.items()
    }


def dearer(base_run: str, base: Sequence[RequestRow], new_run: str, new: Sequence[RequestRow]) -> list[Dearer]:
    """Every model and unit the newer run's answers billed more of, for the same requests, than the older's."""
    before, after = _bills(base), _bills(new)
    found = []
    for model in sorted(set(before) & set(after)):
        shared = sorted(set(before[model]) & set(after[model]))
        units = sorted({u for r in shared for u in before[model][r]} & {u for r in shared for u in after[model][r]})
        for unit in units:
            both = [r for r in shared if unit in before[model][r] and unit in after[model][r]]
            old = sum(before[model][r][unit] for r in both)
            now = sum(after[model][r][unit] for r in both)
            if both and now > old * (1.0 + tolerance(unit)):
                found.append(
                    Dearer(
                        provider=model[0],
                        model=model[1],
                        unit=unit,
                        base_run=base_run,
                        new_run=new_run,
                        requests=len(both),
                        before=old,
                        after=now,
                    )
                )
    return found


def billed_models(rows: Iterable[RequestRow]) -> set[tuple[str, str]]:
    """The models some of whose answers said what they billed."""
    return set(_bills(rows))


def newest_dearer(runs: Sequence[tuple[str, Sequence[RequestRow]]]) -> list[Dearer]:
    """What the newest of `runs` (oldest first: run id and rows) was billed more for than before: each model
    against the latest earlier run whose answers billed it for some of the same requests."""
    if len(runs) < 2:
        return []
    new_run, new_rows = runs[-1]
    newest = _bills(new_rows)
    found: list[Dearer] = []
    for model in sorted(newest):
        mine = [r for r in new_rows if (r.provider, r.model) == model]
        for base_run, base_rows in reversed(runs[:-1]):
            earlier = _bills(base_rows).get(model, {})
            if not set(earlier) & set(newest[model]):
                continue  # this run billed none of the same requests: look further back
            theirs = [r for r in base_rows if (r.provider, r.model) == model]
            found.extend(dearer(base_run, theirs, new_run, mine))
            break
    return found
