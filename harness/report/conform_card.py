"""A `conform` card (`harness.contracts.ConformCard`) written for where it is read: Markdown (a pull request, a README),
JSON (a script), JUnit XML (a CI's test view: one testcase per clause, a failure element with the one-line reason, a
skipped one for a clause not offered; built with the standard library's `xml.etree`) and a shields.io endpoint badge
(`{"schemaVersion": 1, "label", "message": "12/12 clauses", "color"}`). The terminal's table is the CLI's
(`harness.cli.conform`), from the same card.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from harness.contracts import ClauseOutcome, ClauseResult, ConformCard
from harness.core.protocols.conformance import ConformClauses

SYMBOL = {
    ClauseOutcome.PASSED: "✅ passed",
    ClauseOutcome.FAILED: "❌ failed",
    ClauseOutcome.NOT_OFFERED: "➖ not offered",
}


def summary(card: ConformCard) -> str:
    """`12/14 clauses offered pass (1 failed, 1 not offered)`."""
    failed, absent = card.count(ClauseOutcome.FAILED), card.count(ClauseOutcome.NOT_OFFERED)
    return (
        f"{card.count(ClauseOutcome.PASSED)}/{card.offered} clauses offered pass"
        f" ({failed} failed, {absent} not offered)"
    )


def title(card: ConformCard) -> str:
    return f"{card.url}: conformance to {card.like}'s {card.endpoint}"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def markdown(card: ConformCard) -> str:
    lines = [
        f"# {title(card)}",
        "",
        summary(card),
        "",
        "| clause | result | what it asks | why |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{r.clause.name}` | {SYMBOL[r.outcome]} | {_cell(r.clause.asks)} | {_cell(r.reason)} |"
        for r in card.results
    ]
    failed = [r for r in card.results if r.outcome is ClauseOutcome.FAILED and r.curl]
    if failed:
        lines += ["", "## Reproduce"]
        for result in failed:
            lines += ["", f"`{result.clause.name}`: {_cell(result.reason)}", "", "```sh", result.curl, "```"]
    findings = [(r.clause.name, finding) for r in card.results for finding in r.findings]
    if findings:
        lines += ["", "## Findings (not failures: what the documents do not say)", ""]
        lines += [f"- `{name}`: {_cell(finding)}" for name, finding in findings]
    return "\n".join(lines) + "\n"


def _result(result: ClauseResult) -> dict[str, Any]:
    return {
        "clause": result.clause.name,
        "result": result.outcome.value,
        "asks": result.clause.asks,
        "words": result.clause.words,
        "source": result.clause.source,
        "judged_by": _judged_by(result),
        "reason": result.reason,
        "curl": result.curl,
        "findings": list(result.findings),
    }


def _judged_by(result: ClauseResult) -> str:
    clause = result.clause
    return f"{clause.judge.value}:{clause.check}" if clause.check else clause.judge.value


def as_json(card: ConformCard) -> str:
    document = {
        "url": card.url,
        "like": card.like,
        "endpoint": card.endpoint,
        "conforms": card.conforms,
        "passed": card.count(ClauseOutcome.PASSED),
        "failed": card.count(ClauseOutcome.FAILED),
        "not_offered": card.count(ClauseOutcome.NOT_OFFERED),
        "offered": card.offered,
        "key_env": card.key_env,
        "clauses": [_result(r) for r in card.results],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def junit(card: ConformCard) -> str:
    suite = ET.Element(
        "testsuite",
        {
            "name": f"conform {card.like} {card.endpoint}",
            "tests": str(len(card.results)),
            "failures": str(card.count(ClauseOutcome.FAILED)),
            "errors": "0",
            "skipped": str(card.count(ClauseOutcome.NOT_OFFERED)),
        },
    )
    ET.SubElement(ET.SubElement(suite, "properties"), "property", {"name": "url", "value": card.url})
    for result in card.results:
        case = ET.SubElement(suite, "testcase", {"classname": f"conform.{card.like}", "name": result.clause.name})
        if result.outcome is ClauseOutcome.FAILED:
            failure = ET.SubElement(case, "failure", {"message": result.reason, "type": _judged_by(result)})
            failure.text = "\n".join(filter(None, (result.reason, result.curl)))
        elif result.outcome is ClauseOutcome.NOT_OFFERED:
            ET.SubElement(case, "skipped", {"message": result.reason or "not offered"})
        if result.findings:
            ET.SubElement(case, "system-out").text = "\n".join(result.findings)
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def badge(card: ConformCard) -> str:
    """A shields.io endpoint document: clauses passed of those offered; green when every one offered passes."""
    color = "brightgreen" if card.conforms else "red" if card.count(ClauseOutcome.FAILED) else "lightgrey"
    document = {
        "schemaVersion": 1,
        "label": f"{card.like} {card.endpoint.split()[-1]}",
        "message": f"{card.count(ClauseOutcome.PASSED)}/{card.offered} clauses",
        "color": color,
    }
    return json.dumps(document) + "\n"


WRITERS = {"markdown": markdown, "json": as_json, "junit": junit}


CLAUSES_BEGIN = "<!-- clauses: generated from the declaration (conform_card.clause_table); a test holds them equal -->"
CLAUSES_END = "<!-- end of clauses -->"


def clause_table(clauses: ConformClauses) -> str:
    """The clauses as docs/conform.md lists them: name, what it asks, the documents' words and where, and the check
    that judges it."""
    lines = [
        f"### {clauses.endpoint}",
        "",
        "| clause | asks | the documents' words | judged by |",
        "| --- | --- | --- | --- |",
    ]
    for clause in clauses.clauses:
        judged = f"{clause.judge.value} `{clause.check}`" if clause.check else clause.judge.value
        exempt = f" (not for {', '.join(clause.not_for)})" if clause.not_for else ""
        lines.append(
            f"| `{clause.name}` | {_cell(clause.asks)}{exempt} | {_cell(clause.words)} "
            f"([source]({clause.source})) | {judged} |"
        )
    return "\n".join(lines)
