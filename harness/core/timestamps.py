"""Server timestamps in every form the providers' documents use.

Provider documents show `2026-05-22T13:17:32.110Z` (ISO 8601, UTC) and `2026-05-22 13:19:23` (no zone,
no `T`) in the same payload, and `2026-04-17T03:45:00+00:00` elsewhere. The harness accepts all of them
(the documents allow them), tells which form a value used so the validator can report drift, and
parses them to aware UTC datetimes for the runner's server-side latency view.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum


class TimestampForm(StrEnum):
    ISO8601 = "iso8601"  # 2026-05-22T13:17:32.110Z, 2026-04-17T03:45:00+00:00
    SPACE_NAIVE = "space-naive"  # 2026-05-22 13:19:23 (zone unstated; taken as UTC)
    UNPARSEABLE = "unparseable"


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$")
_SPACE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})?$")


def timestamp_form(value: str) -> TimestampForm:
    if _ISO.match(value):
        return TimestampForm.ISO8601
    if _SPACE.match(value):
        return TimestampForm.SPACE_NAIVE
    return TimestampForm.UNPARSEABLE


def parse_timestamp(value: str | None) -> datetime | None:
    """An aware UTC datetime, or None when the value is absent or not a timestamp."""
    if not value:
        return None
    form = timestamp_form(value)
    if form is TimestampForm.UNPARSEABLE:
        return None
    text = value.replace(" ", "T", 1).replace("Z", "+00:00")
    # Python 3.11 accepts at most 6 fractional digits.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_iso(moment: datetime) -> str:
    """`2026-05-22T13:17:32.110Z`: ISO 8601 with milliseconds, UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def format_space(moment: datetime) -> str:
    """`2026-05-22 13:19:23`: the zone-less alternate form some documents use."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
