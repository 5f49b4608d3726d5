"""A structural diff of two recordings of the same endpoints, graded the way oasdiff grades spec changes.

This is how a team learns that a provider changed its API: diff the committed fixtures against a fresh
live re-record. Both folders are condensed by ``observed_contract`` and compared twice:

* scenario by scenario, matched by name: a scenario whose first answer changed status is breaking;
* structurally per (provider, endpoint, HTTP status), and per lifecycle state inside it.

Grades (a client written against OLD is the judge):

========================================  ========  =====================================================
change                                    grade     why
========================================  ========  =====================================================
field removed (present in every OLD)      breaking  readers of the field fail
field retyped (non-null JSON types)       breaking  parsers fail
new lifecycle status value                breaking  state machines meet an unknown state
header removed (present in every OLD)     breaking  clients reading it fail (rate limits, ids)
error body changed (field removed/typed)  breaking  error handling fails (reported as error shape)
media type / body kind changed            breaking  decoders fail
first answer of a scenario changed status breaking  the same request now means something else
a listing no longer lists a voice/model   breaking  requests naming it fail (a provider's catalogue
                                                    endpoint: voices, models)
a socket session's server message gone    breaking  a client waiting for it hears nothing (a renamed event:
                                                    `response.audio.delta` became `response.output_audio.delta`)
new field                                 info      tolerant readers ignore it
new header, new scenario, newly listed     info
voice or model, a session's new message
anything else (optional field or header   warning   may only be unexercised in one recording
no longer seen, field became nullable,
status or state no longer seen, new HTTP
status, scenario missing)
========================================  ========  =====================================================
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from harness.contracts import Scenario, load_scenarios
from harness.core.catalogue import listed
from harness.core.registry import providers
from harness.report.observed_contract import EndpointKey, ObservedEndpoint, Recording, Shape, load_recording, parent


class Grade(StrEnum):
    BREAKING = "breaking"
    WARNING = "warning"
    INFO = "info"


GRADE_ORDER = {Grade.BREAKING: 0, Grade.WARNING: 1, Grade.INFO: 2}


@dataclass(frozen=True, slots=True)
class Change:
    grade: Grade
    kind: str  # machine-readable: "field-removed", "status-value-added", ...
    where: str  # "pixazo xtts-v2.status 200 [COMPLETED]" or a scenario name
    path: str  # JSON path or header name; "" when the change is about the whole answer
    message: str

    def to_json(self) -> dict[str, str]:
        return {
            "grade": self.grade.value,
            "kind": self.kind,
            "where": self.where,
            "path": self.path,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class ContractDiff:
    old: Path
    new: Path
    changes: tuple[Change, ...]

    def count(self, grade: Grade) -> int:
        return sum(1 for change in self.changes if change.grade is grade)

    @property
    def breaking(self) -> bool:
        return self.count(Grade.BREAKING) > 0

    def to_json(self) -> dict[str, Any]:
        return {
            "old": str(self.old),
            "new": str(self.new),
            "summary": {grade.value: self.count(grade) for grade in Grade},
            "changes": [change.to_json() for change in self.changes],
        }


def _types(types: set[str]) -> str:
    return "|".join(sorted(types))


def _diff_shape(where: str, old: Shape, new: Shape, is_error: bool) -> Iterator[Change]:
    removed_kind = "error-shape-changed" if is_error else "field-removed"
    retyped_kind = "error-shape-changed" if is_error else "field-retyped"
    for path, before in sorted(old.paths.items()):
        if path == "":
            continue
        after = new.paths.get(path)
        if after is None:
            if parent(path) not in new.paths and parent(path) != "":
                continue  # reported once, at the shallowest removed path
            required = before.examples == old.examples
            yield Change(
                Grade.BREAKING if required else Grade.WARNING,
                removed_kind if required else "optional-field-unseen",
                where,
                path,
                f"field removed (was {_types(before.types)}, in {before.examples}/{old.examples} OLD examples)"
                if required
                else f"optional field not seen in NEW (was in {before.examples}/{old.examples} OLD examples)",
            )
            continue
        old_types, new_types = before.types - {"null"}, after.types - {"null"}
        if old_types and new_types and old_types != new_types:
            yield Change(
                Grade.BREAKING,
                retyped_kind,
                where,
                path,
                f"type changed from {_types(old_types)} to {_types(new_types)}",
            )
        elif "null" in after.types and "null" not in before.types:
            yield Change(Grade.WARNING, "field-nullable", where, path, "field is now sometimes null")
        if before.examples == old.examples and after.examples < new.examples:
            yield Change(
                Grade.WARNING,
                "field-optional",
                where,
                path,
                f"field was in every OLD example, now in {after.examples}/{new.examples}",
            )
    for path, after in sorted(new.paths.items()):
        if path in old.paths or (parent(path) not in old.paths and parent(path) != ""):
            continue
        optional = "optional" if after.examples < new.examples else "in every example"
        yield Change(
            Grade.INFO,
            "field-added",
            where,
            path,
            f"new field ({_types(after.types)}, {optional}: {after.examples}/{new.examples})",
        )


def _diff_counter_sets(where: str, old: ObservedEndpoint, new: ObservedEndpoint) -> Iterator[Change]:
    if set(new.media_types) - set(old.media_types) or set(new.kinds) - set(old.kinds):
        yield Change(
            Grade.BREAKING,
            "media-type-changed",
            where,
            "content-type",
            f"media type {sorted(old.media_types)} / body {sorted(old.kinds)} became "
            f"{sorted(new.media_types)} / body {sorted(new.kinds)}",
        )
    elif set(old.media_types) - set(new.media_types):
        yield Change(
            Grade.WARNING,
            "media-type-unseen",
            where,
            "content-type",
            f"media types {sorted(set(old.media_types) - set(new.media_types))} not seen in NEW",
        )
    for header, seen in sorted(old.headers.items()):
        if header in new.headers:
            continue
        required = seen == old.examples
        yield Change(
            Grade.BREAKING if required else Grade.WARNING,
            "header-removed" if required else "header-unseen",
            where,
            header,
            f"header missing from NEW (was in {seen}/{old.examples} OLD answers)",
        )
    for header in sorted(set(new.headers) - set(old.headers)):
        yield Change(Grade.INFO, "header-added", where, header, "new response header")
    for state in sorted(set(new.states) - set(old.states)):
        yield Change(
            Grade.BREAKING,
            "status-value-added",
            where,
            "status",
            f"new lifecycle status value {state!r} (OLD had {sorted(old.states)})",
        )
    for state in sorted(set(old.states) - set(new.states)):
        yield Change(
            Grade.WARNING, "status-value-unseen", where, "status", f"lifecycle status value {state!r} not seen in NEW"
        )


def _diff_endpoint(key: EndpointKey, old: ObservedEndpoint, new: ObservedEndpoint) -> Iterator[Change]:
    where = str(key)
    yield from _diff_counter_sets(where, old, new)
    for state, shape in old.shapes.items():
        if state in new.shapes:
            label = f"{where} [{state}]" if state is not None else where
            yield from _diff_shape(label, shape, new.shapes[state], key.status >= 400)


def _diff_endpoints(old: Recording, new: Recording) -> Iterator[Change]:
    for key, observed in sorted(old.endpoints.items(), key=lambda item: str(item[0])):
        if key in new.endpoints:
            yield from _diff_endpoint(key, observed, new.endpoints[key])
        else:
            yield Change(
                Grade.WARNING,
                "response-status-unseen",
                str(key),
                "",
                f"HTTP {key.status} not seen in NEW for {key.endpoint}",
            )
    for key in sorted(set(new.endpoints) - set(old.endpoints), key=str):
        yield Change(
            Grade.WARNING, "response-status-added", str(key), "", f"HTTP {key.status} newly seen for {key.endpoint}"
        )


def _diff_scenarios(old: Recording, new: Recording) -> Iterator[Change]:
    for name, before in sorted(old.scenarios.items()):
        after = new.scenarios.get(name)
        if after is None:
            yield Change(Grade.WARNING, "scenario-missing", name, "", "scenario not recorded in NEW")
            continue
        if before.first and after.first and before.first != after.first:
            yield Change(
                Grade.BREAKING,
                "scenario-status-changed",
                name,
                "",
                f"first answer {before.first[0]} {before.first[1]} became {after.first[0]} {after.first[1]}",
            )
    for name in sorted(set(new.scenarios) - set(old.scenarios)):
        yield Change(Grade.INFO, "scenario-added", name, "", "scenario only in NEW")


def diff_recordings(old: Recording, new: Recording) -> ContractDiff:
    changes = [*_diff_scenarios(old, new), *_diff_endpoints(old, new)]
    changes.sort(key=lambda c: (GRADE_ORDER[c.grade], c.where, c.path, c.kind))
    return ContractDiff(old.root, new.root, tuple(changes))


def _listing(scenario: Scenario, catalogues: set[tuple[str, str]]) -> Any:
    """The JSON a scenario's catalogue endpoint answered with 200 (None where it is no such scenario)."""
    for exchange in scenario.exchanges:
        if (scenario.provider, exchange.endpoint) in catalogues and exchange.response.status == 200:
            return exchange.response.body.get("json")
    return None


def _diff_catalogues(old_root: Path, new_root: Path) -> Iterator[Change]:
    """A listing (`Provider.catalogue`) of one scenario in both folders: the names it lists, compared (its
    fields are the structural diff's)."""
    catalogues = {(p.name, key) for p in providers().values() for key in p.catalogue}
    if not catalogues:
        return
    old = {s.name: s for s in load_scenarios(old_root)}
    new = {s.name: s for s in load_scenarios(new_root)}
    for name in sorted(old.keys() & new.keys()):
        before, after = _listing(old[name], catalogues), _listing(new[name], catalogues)
        if before is None or after is None:
            continue
        added, removed = listed(before, after)
        if removed:
            yield Change(Grade.BREAKING, "catalogue-removed", name, "", removed)
        if added:
            yield Change(Grade.INFO, "catalogue-added", name, "", added)


def session_messages(path: Path) -> set[str]:
    """The names of the server messages a recorded socket session (`<root>/realtime/<provider>/<check>.json`) holds:
    each JSON message's `type`, else its top-level fields (`serverContent.modelTurn`: a message told apart by which
    fields it has); binary frames are `(binary)`."""
    try:
        frames = json.loads(path.read_text(encoding="utf-8")).get("frames", ())
    except (OSError, ValueError, AttributeError):
        return set()
    names: set[str] = set()
    for frame in frames:
        if frame.get("dir") != "recv":
            continue
        try:
            message = json.loads(frame["text"]) if "text" in frame else None
        except (TypeError, ValueError):
            continue
        if message is None:
            names.add("(binary)")
        elif isinstance(message, dict) and isinstance(message.get("type"), str):
            names.add(message["type"])
        elif isinstance(message, dict):
            names.add(_shape_name(message))
    return names


def _shape_name(message: dict[str, Any]) -> str:
    """A message without a `type`, named by its fields and theirs: `serverContent.modelTurn`,
    `serverContent.turnComplete+usageMetadata.promptTokenCount,responseTokensDetails`."""
    return "+".join(
        key + ("." + ",".join(sorted(map(str, value))) if isinstance(value, dict) and value else "")
        for key, value in sorted(message.items())
    )


def _diff_sessions(old_root: Path, new_root: Path) -> Iterator[Change]:
    """A socket check recorded in both folders: the server messages OLD's session held and NEW's does not are
    breaking (a client waiting for them hears nothing), the new ones info."""
    for before in sorted((old_root / "realtime").glob("*/*.json")):
        after = new_root / "realtime" / before.parent.name / before.name
        if not after.is_file():
            continue
        where = f"{before.parent.name}/realtime/{before.stem}"
        old, new = session_messages(before), session_messages(after)
        for name in sorted(old - new):
            yield Change(
                Grade.BREAKING,
                "session-message-removed",
                where,
                name,
                f"the server no longer sends {name} in this session",
            )
        for name in sorted(new - old):
            yield Change(Grade.INFO, "session-message-added", where, name, f"the server now sends {name}")


def contract_diff(old_root: Path, new_root: Path) -> ContractDiff:
    """Diff two fixture folders; see the module docstring for the grades."""
    found = diff_recordings(load_recording(old_root), load_recording(new_root))
    changes = sorted(
        [*found.changes, *_diff_catalogues(old_root, new_root), *_diff_sessions(old_root, new_root)],
        key=lambda c: (GRADE_ORDER[c.grade], c.where, c.path, c.kind),
    )
    return ContractDiff(found.old, found.new, tuple(changes))


def render_text(diff: ContractDiff) -> str:
    lines = [f"contract diff {diff.old} -> {diff.new}"]
    for change in diff.changes:
        path = f" {change.path}" if change.path else ""
        lines.append(f"{change.grade.value.upper():8}  {change.where}{path}: {change.message}")
    summary = ", ".join(f"{diff.count(grade)} {grade.value}" for grade in Grade)
    lines.append(f"{summary}" if diff.changes else f"no structural change ({summary})")
    return "\n".join(lines)
