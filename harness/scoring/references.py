"""Reference texts with accepted alternatives ("$20" may be read as "twenty dollars").

Two shapes are accepted, in Python or as the JSON stored in ``clips.alternatives_json``:

* a list of whole alternative texts: ``["It costs twenty dollars."]``;
* an object mapping a span of the reference to its accepted readings:
  ``{"$20": ["twenty dollars", "twenty bucks"]}``; every combination of readings becomes a candidate.

The transcript is scored against every candidate and the one with the fewest errors wins (ties go to the
reference as written), which is how a human grader would treat a legitimate alternative reading.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence

from harness.scoring.scoring_errors import ScoringInputError

Alternatives = Sequence[str] | Mapping[str, Sequence[str]]

# Span alternatives multiply; past this many candidates the reference is a puzzle, not a sentence.
MAX_CANDIDATES = 64


def candidate_references(text: str, alternatives: Alternatives | None = None) -> tuple[str, ...]:
    """The reference as written first, then every accepted alternative, without duplicates."""
    if not text.strip():
        raise ScoringInputError("expected a non-empty reference text, got an empty one")
    if not alternatives:
        return (text,)
    if isinstance(alternatives, Mapping):
        candidates = _expand_spans(text, alternatives)
    elif isinstance(alternatives, str):
        raise ScoringInputError("expected alternatives as a list of texts or a span mapping, got one string")
    else:
        candidates = [text, *alternatives]
    return tuple(dict.fromkeys(c for c in candidates if c.strip()))


def _expand_spans(text: str, spans: Mapping[str, Sequence[str]]) -> list[str]:
    choices: list[tuple[str, ...]] = []
    for span, readings in spans.items():
        if span not in text:
            raise ScoringInputError(f"alternative span {span!r} does not occur in the reference {text!r}")
        if isinstance(readings, str):
            readings = [readings]
        choices.append((span, *readings))
    total = 1
    for options in choices:
        total *= len(options)
    if total > MAX_CANDIDATES:
        raise ScoringInputError(
            f"expected at most {MAX_CANDIDATES} reference candidates, the alternatives give {total}"
        )
    candidates = []
    for combination in itertools.product(*choices):
        candidate = text
        for span, reading in zip(spans, combination, strict=True):
            candidate = candidate.replace(span, reading)
        candidates.append(candidate)
    return candidates


def parse_alternatives_json(raw: str | None) -> Alternatives | None:
    """Parse ``clips.alternatives_json``: null, a list of texts or a span mapping."""
    if raw is None or not raw.strip():
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ScoringInputError(f"alternatives_json is not valid JSON: {exc}") from exc
    if value is None:
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    if isinstance(value, dict) and all(
        isinstance(key, str)
        and (isinstance(item, str) or (isinstance(item, list) and all(isinstance(i, str) for i in item)))
        for key, item in value.items()
    ):
        return {key: [item] if isinstance(item, str) else item for key, item in value.items()}
    raise ScoringInputError(
        "expected alternatives_json to be a list of texts or an object of span -> list of texts, "
        f"got {type(value).__name__}"
    )


def alternatives_to_json(alternatives: Alternatives | None) -> str | None:
    """The JSON form stored in ``clips.alternatives_json``."""
    if not alternatives:
        return None
    if isinstance(alternatives, Mapping):
        return json.dumps({key: list(value) for key, value in alternatives.items()}, ensure_ascii=False)
    return json.dumps(list(alternatives), ensure_ascii=False)
