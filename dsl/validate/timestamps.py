"""RFC 3339 timestamps as Step Functions accepts them.

AWS requires the RFC 3339 profile of ISO 8601 with an uppercase ``T`` between
date and time and an uppercase ``Z`` when there is no numeric offset, e.g.
``2016-03-14T01:59:00Z`` or ``2016-03-14T01:59:00.123+02:00``.
"""

from __future__ import annotations

import calendar
import re

_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$")


def problem(text: str) -> str | None:
    """None for a valid timestamp, else what is wrong with it."""
    match = _TIMESTAMP.match(text)
    if not match:
        return ("is not an RFC 3339 timestamp such as 2016-03-14T01:59:00Z "
                "(uppercase T and Z, or an offset like +02:00)")
    year, month, day, hour, minute, second = (int(group) for group in match.groups()[:6])
    if year < 1:
        return "has year 0000; expected 0001 or later"
    if not 1 <= month <= 12:
        return f"has month {month:02d}; expected 01 to 12"
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        return f"has day {day:02d}; {year:04d}-{month:02d} has {last_day} days"
    if hour > 23 or minute > 59 or second > 60:
        return f"has time {hour:02d}:{minute:02d}:{second:02d}; expected at most 23:59:60"
    offset_hours, offset_minutes = match.group(7), match.group(8)
    if offset_hours is not None and (int(offset_hours) > 23 or int(offset_minutes) > 59):
        return f"has offset {offset_hours}:{offset_minutes}; expected at most 23:59"
    return None
