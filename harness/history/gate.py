"""The nightly gate: the terminal summary of a history, and JUnit XML with one failing case per change the
newest run starts and per provider that billed it more for the same text (a CI system shows them as test
failures)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol
from xml.etree import ElementTree

from rich.console import Console
from rich.table import Table

from harness.checks import counted_checks, with_views
from harness.history.analysis import METHOD, Analysis, Flagged
from harness.history.page import KINDS
from harness.report.render import fmt
from harness.results.dearer import RULE as DEARER_RULE


def print_summary(analysis: Analysis, console: Console) -> None:
    """Per provider × model: each figure's newest value, its runs and the changes found in it."""
    history = analysis.history
    console.print(f"{len(history.runs)} runs, {len(history.models())} models")
    for run in history.runs:
        for _, line in run.named:  # the jobs its note disowns are out of every latency series
            console.print(f"Run {run.run_id}: {line}", markup=False, style="yellow")
    for provider, model in history.models():
        table = Table(title=f"{provider}/{model}", title_justify="left")
        for heading in ("figure", "newest", "runs", "changes"):
            table.add_column(heading, justify="right" if heading in ("newest", "runs") else "left")
        for series in history.of(provider, model):
            found = analysis.of(series)
            newest = series.points[-1] if series.points else None
            table.add_row(
                series.title,
                fmt(newest.value if newest else None, KINDS[series.unit]),
                str(len(series.points)),
                "; ".join(
                    f"{f.point.run_id} ({f.change.relative or f.change.size:+.0%}, {f.change.confidence:.0%})"
                    for f in found
                )
                or "–",
            )
        console.print(table)
    if analysis.newest:
        console.print("[bold red]The newest run starts a change:[/bold red]")
        for flagged in analysis.newest:
            console.print(f"  {flagged.describe()}", markup=False)
            for example in _examples(analysis, flagged)[:2]:
                console.print(f"    e.g. {example}", markup=False)
    if analysis.dearer:
        console.print("[bold red]The newest run was billed more for the same text:[/bold red]")
        for dearer in analysis.dearer:
            console.print(f"  {dearer.describe()}", markup=False)
    for title, _, _, worse, _ in _offering_rules(analysis):
        if worse:
            console.print(f"[bold red]{title}:[/bold red]")
            for one in worse:
                console.print(f"  {one.describe()}", markup=False)
    print_kept(analysis, console)
    if analysis.checks_changed:
        console.print("[bold red]The newest run changed a check beyond its rule:[/bold red]")
        for changed in analysis.checks_changed:
            console.print(f"  {changed.describe()}", markup=False)
            console.print(f"    rule: {changed.rule}", markup=False, style="dim")
    console.print(METHOD, markup=False, style="dim")


class _Worse(Protocol):
    @property
    def provider(self) -> str: ...

    @property
    def model(self) -> str: ...

    def describe(self) -> str: ...


def _offering_rules(
    analysis: Analysis,
) -> tuple[tuple[str, str, str, Sequence[_Worse], Callable[[Any], str] | None], ...]:
    """The gate's rules on what the newest run did to an offering (each registered counted check's rule, each own
    rule of a check with views of its own): the line that heads them in the terminal, the JUnit case's name, the rule
    said in its failure, the offerings, and each one's case where the check names it (a part's: its `case`)."""
    counted = {check.name: check.declaration for check in counted_checks()}
    own = {check.name: (check.declaration, views) for check, views in with_views()}
    return (
        *(
            (rule.heading, rule.case or rule.name, counted[name].change_said(), worse, None)
            for name, worse in analysis.counted_worse
            if (rule := counted[name].change) is not None
        ),
        *(
            (rule.heading, rule.case or rule.name, own[name][1].rule, worse, own[name][1].case)
            for name, worse in analysis.own_worse
            if (rule := own[name][0].change) is not None
        ),
    )


def print_kept(analysis: Analysis, console: Console) -> None:
    """The offerings the newest run still has breaking a check's own rule as the run before did, one line each under
    the check's words (`harness.checks.views`: its `kept_heading`): the gate passes, but they still do."""
    kept = dict(analysis.own_kept)
    for check, views in with_views():
        if kept.get(check.name) and views.kept_heading:
            console.print(views.kept_heading)
            for one in kept[check.name]:
                console.print(f"  {one.describe()}", markup=False)


def _examples(analysis: Analysis, flagged: Flagged) -> list[str]:
    """For a check's series drawn from the run's rows that changed (a hard-text category), the findings of it the
    newest run first showed (`harness.checks.views.RunSeries`)."""
    series = flagged.series
    for view in (views.run_series for _, views in with_views()):
        if view is None or not series.key.startswith(view.prefix):
            continue
        own = series.key.removeprefix(view.prefix)
        return [
            finding.what
            for finding in analysis.history.findings
            if finding.kind == view.kind
            and (finding.provider, finding.model) == (series.provider, series.model)
            and finding.first_run == flagged.point.run_id
            and view.example(own, finding.what)
        ]
    return []


def write_junit(analysis: Analysis, path: Path) -> Path:
    """One test case per series of the newest run; a failure for each change it starts."""
    suite = ElementTree.Element("testsuite", name="tts-harness history")
    newest_run = analysis.history.runs[-1].run_id if analysis.history.runs else ""
    failures = 0
    cases = 0
    for series in analysis.history.series:
        if not series.points or series.points[-1].run_id != newest_run:
            continue
        cases += 1
        corpus = f" ({series.corpus})" if series.corpus else ""  # two corpora: two cases, never one name twice
        case = ElementTree.SubElement(
            suite, "testcase", classname=f"{series.provider}/{series.model}{corpus}", name=series.key
        )
        for flagged in (f for f in analysis.newest if f.series is series):
            failures += 1
            ElementTree.SubElement(case, "failure", message=flagged.describe()).text = METHOD
    for found in analysis.dearer:  # the bill is its own check, whatever series the run has
        cases += 1
        failures += 1
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=f"{found.provider}/{found.model}",
            name=f"billed {found.unit} for the same text",
        )
        ElementTree.SubElement(case, "failure", message=found.describe()).text = DEARER_RULE
    for _, name, rule, worse, named in _offering_rules(analysis):  # an offering the newest run made worse
        for one in worse:
            cases += 1
            failures += 1
            case = ElementTree.SubElement(
                suite, "testcase", classname=f"{one.provider}/{one.model}", name=named(one) if named else name
            )
            ElementTree.SubElement(case, "failure", message=one.describe()).text = rule
    for changed in analysis.checks_changed:  # a registered check changed beyond its declared rule
        cases += 1
        failures += 1
        case = ElementTree.SubElement(
            suite, "testcase", classname=f"{changed.provider}/{changed.model}", name=f"check {changed.check}"
        )
        ElementTree.SubElement(case, "failure", message=changed.describe()).text = changed.rule
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    path.parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
    return path
