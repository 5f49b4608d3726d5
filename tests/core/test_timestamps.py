from __future__ import annotations

from datetime import UTC, datetime

import pytest

from harness.core.timestamps import TimestampForm, format_iso, format_space, parse_timestamp, timestamp_form


@pytest.mark.parametrize(
    ("value", "form", "expected"),
    [
        ("2026-05-22T13:17:32.110Z", TimestampForm.ISO8601, datetime(2026, 5, 22, 13, 17, 32, 110000, UTC)),
        ("2026-04-17T03:45:00+00:00", TimestampForm.ISO8601, datetime(2026, 4, 17, 3, 45, tzinfo=UTC)),
        ("2026-05-22 13:19:23", TimestampForm.SPACE_NAIVE, datetime(2026, 5, 22, 13, 19, 23, tzinfo=UTC)),
        ("2026-03-31T10:00:15.000000000Z", TimestampForm.ISO8601, datetime(2026, 3, 31, 10, 0, 15, tzinfo=UTC)),
        ("...", TimestampForm.UNPARSEABLE, None),
        ("yesterday", TimestampForm.UNPARSEABLE, None),
    ],
)
def test_every_documented_form_parses(value: str, form: TimestampForm, expected: datetime | None) -> None:
    assert timestamp_form(value) is form
    assert parse_timestamp(value) == expected


def test_formats_round_trip() -> None:
    moment = datetime(2026, 5, 22, 13, 17, 32, 110000, UTC)
    assert format_iso(moment) == "2026-05-22T13:17:32.110Z"
    assert format_space(moment) == "2026-05-22 13:19:23".replace("19:23", "17:32")
    assert parse_timestamp(format_iso(moment)) == moment
